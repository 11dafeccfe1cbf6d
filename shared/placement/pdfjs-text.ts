// Text runs from pdf.js (the same engine the extension previews with), so the host and the signing page place
// signatures by the same rules. The caller loads pdf.js for its environment and hands over the document.

import type { TextRun } from './text.ts';

/** The part of pdf.js's PDFDocumentProxy used here. */
export interface PdfjsDocument {
  numPages: number;
  getPage(pageNumber: number): Promise<{
    getTextContent(): Promise<{ items: unknown[] }>;
    cleanup?(): void;
  }>;
}

function isRunItem(o: unknown): o is { str: string; transform: number[]; width: number } {
  if (typeof o !== 'object' || o === null) return false;
  const r = o as Record<string, unknown>;
  return typeof r.str === 'string' && Array.isArray(r.transform) && r.transform.length === 6 && typeof r.width === 'number';
}

export async function pdfjsTextRuns(doc: PdfjsDocument, pageIndex: number): Promise<TextRun[]> {
  if (pageIndex < 0 || pageIndex >= doc.numPages) return [];
  const page = await doc.getPage(pageIndex + 1);
  const content = await page.getTextContent();
  const runs: TextRun[] = [];
  for (const it of content.items) {
    if (!isRunItem(it) || !it.str.trim()) continue;
    const t = it.transform;
    runs.push({ str: it.str, transform: [t[0], t[1], t[2], t[3], t[4], t[5]], width: it.width });
  }
  page.cleanup?.();
  return runs;
}
