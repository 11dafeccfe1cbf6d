// Small images of the pages (`thumb-<n>`): a click goes to that page.

import { useEffect, useRef } from 'preact/hooks';
import { renderPage, type PDFDocumentProxy } from '../common/pdfjs.ts';
import { useTexts } from '../../shared/i18n.ts';
import { SIGN_TEXTS } from './texts.ts';

const THUMB_WIDTH = 110;
const MAX_THUMBS = 100;

export function Thumbnails({ doc, pages, current, onPick }: { doc: PDFDocumentProxy; pages: { width: number; height: number }[]; current: number; onPick(i: number): void }) {
  const t = useTexts(SIGN_TEXTS);
  const canvases = useRef<(HTMLCanvasElement | null)[]>([]);
  const shown = Math.min(pages.length, MAX_THUMBS);
  useEffect(() => {
    const ac = new AbortController();
    void (async () => {
      for (let i = 0; i < shown && !ac.signal.aborted; i++) {
        const c = canvases.current[i];
        if (c) await renderPage(doc, i, c, THUMB_WIDTH / pages[i].width, ac.signal).catch(() => undefined);
      }
    })();
    return () => ac.abort();
  }, [doc, shown]);
  return (
    <nav class="thumbnails" aria-label={t('pages')}>
      {pages.slice(0, shown).map((_, i) => (
        <button type="button" key={i} class={`thumb${i === current ? ' current' : ''}`} data-testid={`thumb-${i + 1}`} onClick={() => onPick(i)} title={t('page', { page: i + 1 })}>
          <canvas ref={(el) => void (canvases.current[i] = el)} />
          <span>{i + 1}</span>
        </button>
      ))}
    </nav>
  );
}
