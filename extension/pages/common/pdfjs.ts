// pdf.js for the extension's pages (signing preview, verification's "view the signed revision"): the same engine
// the host uses for page text, so placement agrees. Everything it loads comes from the extension itself: the
// worker (bundled), character maps, standard fonts and the JPX/JBIG2 decoders (copied into dist/pdfjs/ by
// vite.config.ts), never a CDN. No eval (the pages' CSP forbids it); WebAssembly is allowed ('wasm-unsafe-eval').

import { GlobalWorkerOptions, getDocument, type PDFDocumentProxy, type PDFPageProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { KysoError } from '@kyso/shared/protocol/errors';

export type { PDFDocumentProxy, PDFPageProxy };

GlobalWorkerOptions.workerSrc = workerUrl;

/** Where vite.config.ts copies pdf.js's data files (relative to the extension's root). */
export const PDFJS_ASSET_DIR = 'pdfjs';

function assetUrl(dir: string): string {
  return new URL(`/${PDFJS_ASSET_DIR}/${dir}/`, location.href).href;
}

/**
 * Opens a PDF. pdf.js transfers the buffer to its worker: pass a copy when the caller keeps the bytes.
 * A file pdf.js cannot read at all is PDF_INVALID; one it needs a password for, PDF_PASSWORD_REQUIRED.
 */
export async function openPdf(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  const task = getDocument({
    data: bytes,
    isEvalSupported: false,
    cMapUrl: assetUrl('cmaps'),
    cMapPacked: true,
    standardFontDataUrl: assetUrl('standard_fonts'),
    wasmUrl: assetUrl('wasm'),
    useSystemFonts: false,
    stopAtErrors: false,
    verbosity: 0,
  });
  try {
    return await task.promise;
  } catch (e) {
    const name = (e as { name?: string })?.name;
    const msg = e instanceof Error ? e.message : String(e);
    if (name === 'PasswordException') throw new KysoError('PDF_PASSWORD_REQUIRED', msg);
    throw new KysoError('PDF_INVALID', msg, undefined, { cause: e });
  }
}

/**
 * Draws one page into a canvas at `scale` (1 = 72 dpi, i.e. one CSS pixel per point), sharp on high-density
 * screens. Takes the page, or the document and a 0-based page index. Aborting `signal` cancels the drawing (a new
 * drawing into the same canvas must wait for that: pdf.js refuses two at once).
 */
export async function renderPage(page: PDFPageProxy, canvas: HTMLCanvasElement, scale: number, signal?: AbortSignal): Promise<void>;
export async function renderPage(doc: PDFDocumentProxy, pageIndex: number, canvas: HTMLCanvasElement, scale: number, signal?: AbortSignal): Promise<void>;
export async function renderPage(a: PDFPageProxy | PDFDocumentProxy, b: number | HTMLCanvasElement, c: HTMLCanvasElement | number, d?: number | AbortSignal, e?: AbortSignal): Promise<void> {
  const byIndex = typeof b === 'number';
  const page = byIndex ? await (a as PDFDocumentProxy).getPage(b + 1) : (a as PDFPageProxy);
  const canvas = (byIndex ? c : b) as HTMLCanvasElement;
  const scale = (byIndex ? d : c) as number;
  const signal = (byIndex ? e : d) as AbortSignal | undefined;
  if (signal?.aborted) return;
  const viewport = page.getViewport({ scale });
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.floor(viewport.width * ratio);
  canvas.height = Math.floor(viewport.height * ratio);
  canvas.style.width = `${Math.floor(viewport.width)}px`;
  canvas.style.height = `${Math.floor(viewport.height)}px`;
  const task = page.render({ canvas, viewport, transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0] });
  const cancel = () => task.cancel();
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    await task.promise;
  } catch (err) {
    if ((err as { name?: string })?.name !== 'RenderingCancelledException') throw err;
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
}
