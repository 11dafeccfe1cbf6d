// pdf.js in Node for text extraction (placement by markers and text gaps). Loaded only when a signing mode needs
// page text, because loading it costs more than the rest of signing put together.

import type { PdfjsDocument } from '@kyso/shared/placement/pdfjs-text';
import { pdfjsTextRuns } from '@kyso/shared/placement/pdfjs-text';
import type { TextSource } from '@kyso/shared/sign/document-view';

type PdfjsModule = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let loaded: Promise<PdfjsModule> | undefined;

async function loadPdfjs(): Promise<PdfjsModule> {
  loaded ??= (async () => {
    // @ts-expect-error pdf.js ships no types for its worker module
    const worker: unknown = await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
    // A worker in-process: pdf.js looks for it here before it tries to start a real one.
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = worker;
    return import('pdfjs-dist/legacy/build/pdf.mjs');
  })();
  return loaded;
}

/** A lazy text source: pdf.js opens the document the first time a page's text is asked for. */
export function pdfjsTextSource(bytes: Uint8Array): { text: TextSource; close(): Promise<void> } {
  let doc: Promise<PdfjsDocument & { destroy(): Promise<void> }> | undefined;
  const open = async () => {
    const pdfjs = await loadPdfjs();
    // pdf.js takes ownership of the buffer it is given: hand it a copy so the caller's bytes stay intact.
    const task = pdfjs.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0, stopAtErrors: false });
    return (await task.promise) as unknown as PdfjsDocument & { destroy(): Promise<void> };
  };
  return {
    text: async (pageIndex) => {
      doc ??= open();
      return pdfjsTextRuns(await doc, pageIndex);
    },
    close: async () => {
      if (doc) await (await doc).destroy().catch(() => undefined);
    },
  };
}
