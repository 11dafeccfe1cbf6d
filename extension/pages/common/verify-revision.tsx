// "Xem bản đã ký": the revision a signature covers (the file up to the end of its byte range), rendered page by page
// with pdf.js, so the user sees what the signer saw, whatever was added after.

import { useEffect, useRef, useState } from 'preact/hooks';
import { openPdf, renderPage } from './pdfjs.ts';
import { useLanguage, useTexts } from '../../shared/i18n.ts';
import { VERIFY_TEXTS } from './texts.ts';

/** Enough for any official document; a 500-page annex is not drawn whole into one panel. */
const MAX_PAGES = 30;
const WIDTH_PX = 680;

type State = { kind: 'loading' } | { kind: 'ready'; pages: number; shown: number } | { kind: 'error'; message: string };

export function RevisionView({ bytes, label }: { bytes: Uint8Array; label: string }) {
  const host = useRef<HTMLDivElement>(null);
  const lang = useLanguage();
  const t = useTexts(VERIFY_TEXTS);
  const [state, setState] = useState<State>({ kind: 'loading' });

  useEffect(() => {
    let live = true;
    let destroy: (() => void) | undefined;
    void (async () => {
      try {
        // pdf.js takes the buffer it is given (transfers it to its worker): give it a copy, the panel keeps the file.
        const doc = await openPdf(bytes.slice());
        destroy = () => void doc.destroy();
        if (!live) return destroy();
        const shown = Math.min(doc.numPages, MAX_PAGES);
        const box = host.current;
        if (!box) return;
        box.replaceChildren();
        for (let n = 1; n <= shown && live; n++) {
          const canvas = document.createElement('canvas');
          canvas.dataset.testid = `revision-page-${n}`;
          canvas.className = 'revision-page';
          box.append(canvas);
          const page = await doc.getPage(n);
          const scale = WIDTH_PX / page.getViewport({ scale: 1 }).width;
          await renderPage(page, canvas, scale);
        }
        if (live) setState({ kind: 'ready', pages: doc.numPages, shown });
      } catch (e) {
        if (live) setState({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
      }
    })();
    return () => {
      live = false;
      destroy?.();
    };
  }, [bytes]);

  return (
    <div class="revision-view" data-testid="revision-view" data-state={state.kind}>
      <p class="muted">
        {t('revisionHead', { label, bytes: bytes.length.toLocaleString(lang === 'en' ? 'en-GB' : 'vi-VN') })}
        {state.kind === 'ready' && state.shown < state.pages ? t('revisionShown', { shown: state.shown, pages: state.pages }) : ''}
        {state.kind === 'loading' ? t('revisionLoading') : ''}
      </p>
      {state.kind === 'error' && (
        <div class="status error" role="alert">
          {t('revisionFailed')} <code>{state.message}</code>
        </div>
      )}
      <div ref={host} class="revision-pages" />
    </div>
  );
}
