// The modes' view of a document, over the PDF reader and a text extractor (pdf.js in both the host and the
// extension: see shared/placement/pdfjs-text.ts).

import type { PdfReader } from '../pdf/reader.ts';
import type { DocView, ExistingSignature } from '../modes/doc-view.ts';
import type { PageFrame } from '../placement/geometry.ts';
import { normaliseRotation, userBoxToDisplayRect } from '../placement/geometry.ts';
import type { CharWidth, TextLine, TextRun } from '../placement/text.ts';
import { buildLines } from '../placement/text.ts';
import { signatureWidgets } from './fields.ts';

/** Text runs of a page (0-based), in user space. */
export type TextSource = (pageIndex: number) => Promise<TextRun[]>;

export class ReaderDocView implements DocView {
  private readonly lineCache = new Map<number, TextLine[]>();
  private sigs?: ExistingSignature[];

  constructor(
    private readonly reader: PdfReader,
    private readonly text: TextSource | undefined,
    private readonly charWidth?: CharWidth,
  ) {}

  get pageCount(): number {
    return this.reader.pageCount;
  }

  frame(pageIndex: number): PageFrame {
    const p = this.reader.getPage(pageIndex);
    return { cropBox: p.cropBox, rotate: normaliseRotation(p.rotate) };
  }

  async lines(pageIndex: number): Promise<TextLine[]> {
    let l = this.lineCache.get(pageIndex);
    if (!l) {
      const runs = this.text ? await this.text(pageIndex) : [];
      l = buildLines(this.frame(pageIndex), pageIndex, runs, this.charWidth);
      this.lineCache.set(pageIndex, l);
    }
    return l;
  }

  signatures(): ExistingSignature[] {
    if (this.sigs) return this.sigs;
    const widgets = signatureWidgets(this.reader);
    const pageOf = new Map<string, number>();
    if (widgets.length) for (let i = 0; i < this.reader.pageCount; i++) pageOf.set(this.reader.getPage(i).ref.key, i);
    this.sigs = [];
    for (const w of widgets) {
      const pageIndex = w.pageRef ? pageOf.get(w.pageRef.key) : undefined;
      if (pageIndex === undefined) continue;
      this.sigs.push({ fieldName: w.fieldName, pageIndex, rect: userBoxToDisplayRect(this.frame(pageIndex), w.rect), signed: w.signed });
    }
    return this.sigs;
  }
}
