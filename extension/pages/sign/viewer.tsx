// The document as pdf.js draws it: every page (canvas `page-<n>`), zoom and page navigation, the placement box on
// its page and the outlines of what else the signature writes (issue mode's number and date).

import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { PlacedBox } from '@kyso/shared/sign/preview';
import { renderPage, type PDFDocumentProxy } from '../common/pdfjs.ts';
import { useTexts } from '../../shared/i18n.ts';
import { SIGN_TEXTS } from './texts.ts';

/** Pages drawn at most; the rest of a very long file is reached through the thumbnails' page list. */
export const MAX_RENDERED_PAGES = 200;

export interface ViewerProps {
  doc: PDFDocumentProxy;
  /** Display size of each page in points. */
  pages: { width: number; height: number }[];
  scale: number;
  currentPage: number;
  onZoom(scale: number): void;
  onPage(pageIndex: number): void;
  /** Called once the first page is drawn. */
  onFirstRender(): void;
  stamps: PlacedBox[];
  /** The placement box, rendered by the caller (it needs the page elements). */
  box?: PlacedBox;
  renderBox(pageElement: (i: number) => HTMLElement | null): ComponentChildren;
}

export function Viewer({ doc, pages, scale, currentPage, onZoom, onPage, onFirstRender, stamps, box, renderBox }: ViewerProps) {
  const t = useTexts(SIGN_TEXTS);
  const pageEls = useRef<(HTMLDivElement | null)[]>([]);
  const canvases = useRef<(HTMLCanvasElement | null)[]>([]);
  const shown = Math.min(pages.length, MAX_RENDERED_PAGES);

  useEffect(() => {
    const ac = new AbortController();
    void (async () => {
      for (let i = 0; i < shown && !ac.signal.aborted; i++) {
        const c = canvases.current[i];
        if (c) await renderPage(doc, i, c, scale, ac.signal).catch(() => undefined);
        if (i === 0 && !ac.signal.aborted) onFirstRender();
      }
    })();
    // A new document or zoom: the drawing under way stops, so the canvases are free for the new one.
    return () => ac.abort();
  }, [doc, scale, shown]);

  // The page indicator follows scrolling: the page at the top of the view is the current one.
  const onScrolled = (box: HTMLElement) => {
    const top = box.getBoundingClientRect().top + 40;
    let n = 0;
    for (let i = 0; i < shown; i++) {
      const r = pageEls.current[i]?.getBoundingClientRect();
      if (r && r.top <= top) n = i;
    }
    if (n !== currentPage) onPage(n);
  };

  const go = (i: number) => {
    const n = Math.min(Math.max(i, 0), pages.length - 1);
    onPage(n);
    pageEls.current[n]?.scrollIntoView({ block: 'start' });
  };

  return (
    <section class="viewer">
      <div class="viewer-toolbar">
        <button type="button" data-testid="page-prev" onClick={() => go(currentPage - 1)} disabled={currentPage <= 0} title={t('prevPage')}>
          ◀
        </button>
        <span data-testid="page-indicator">
          {t('pageOf', { page: currentPage + 1, count: pages.length })}
        </span>
        <button type="button" data-testid="page-next" onClick={() => go(currentPage + 1)} disabled={currentPage >= pages.length - 1} title={t('nextPage')}>
          ▶
        </button>
        <span class="spacer" />
        <button type="button" data-testid="zoom-out" onClick={() => onZoom(Math.max(0.4, +(scale / 1.2).toFixed(2)))} title={t('zoomOut')}>
          −
        </button>
        <span data-testid="zoom-level">{Math.round(scale * 100)}%</span>
        <button type="button" data-testid="zoom-in" onClick={() => onZoom(Math.min(4, +(scale * 1.2).toFixed(2)))} title={t('zoomIn')}>
          +
        </button>
      </div>
      <div class="viewer-pages" onScroll={(e) => onScrolled(e.currentTarget as HTMLElement)}>
        {pages.slice(0, shown).map((p, i) => (
          <div key={i} class="page" ref={(el) => void (pageEls.current[i] = el)} data-page-index={i} style={{ width: `${p.width * scale}px`, height: `${p.height * scale}px` }}>
            <canvas data-testid={`page-${i + 1}`} ref={(el) => void (canvases.current[i] = el)} />
            {stamps
              .filter((s) => s.pageIndex === i)
              .map((s, k) => (
                <div key={k} class="stamp-outline" title={t('stampTitle')} style={{ left: `${s.rect.x * scale}px`, top: `${s.rect.y * scale}px`, width: `${s.rect.w * scale}px`, height: `${s.rect.h * scale}px` }} />
              ))}
            {box && box.pageIndex === i && renderBox((k) => pageEls.current[k] ?? null)}
          </div>
        ))}
        {shown < pages.length && <p class="muted">{t('onlyFirst', { n: shown })}</p>}
      </div>
    </section>
  );
}
