// Reader behaviour on small hand-made files: inheritance, page tree damage, offsets, revisions.
import { describe, expect, test } from 'vitest';
import { PdfReader } from '../../shared/pdf/reader.ts';
import { PdfName, PdfRef, PdfStream } from '../../shared/pdf/objects.ts';
import { KysoError } from '../../shared/protocol/errors.ts';
import { buildPdf } from './helpers.ts';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof KysoError) return e.code;
    throw e;
  }
  return undefined;
}

const catalog = '<< /Type /Catalog /Pages 2 0 R >>';

describe('page attributes', () => {
  test('MediaBox, CropBox, Rotate and Resources are inherited; boxes are normalised', () => {
    const r = PdfReader.open(
      buildPdf([
        catalog,
        '<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 /Rotate -90 /MediaBox [612 792 0 0] /Resources << /Font << >> >> >>',
        '<< /Type /Page /Parent 2 0 R >>',
        '<< /Type /Page /Parent 2 0 R /Rotate 450 /CropBox [-50 10 300 900] /MediaBox 5 0 R >>',
        '[0 0 595 842]',
      ]),
    );
    const a = r.getPage(0);
    expect(a.mediaBox).toEqual([0, 0, 612, 792]);
    expect(a.cropBox).toEqual([0, 0, 612, 792]);
    expect(a.rotate).toBe(270);
    expect(a.resources!.has('Font')).toBe(true);
    const b = r.getPage(1);
    expect(b.mediaBox).toEqual([0, 0, 595, 842]);
    expect(b.cropBox).toEqual([0, 10, 300, 842]); // intersected with the MediaBox
    expect(b.rotate).toBe(90);
  });
  test('missing or broken boxes fall back to US Letter; odd rotations to 0', () => {
    const r = PdfReader.open(buildPdf([catalog, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /MediaBox [0 0 0 0] /CropBox [1 2 3] /Rotate 45 >>']));
    const p = r.getPage(0);
    expect(p.mediaBox).toEqual([0, 0, 612, 792]);
    expect(p.cropBox).toEqual([0, 0, 612, 792]);
    expect(p.rotate).toBe(0);
  });
});

describe('page tree', () => {
  test('nested tree: /Count skips subtrees', () => {
    const objs = [catalog, '<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 5 >>', '<< /Type /Pages /Kids [5 0 R 6 0 R] /Count 2 >>', '<< /Type /Pages /Kids [7 0 R 8 0 R 9 0 R] /Count 3 >>'];
    for (let i = 0; i < 5; i++) objs.push(`<< /Type /Page /Parent ${i < 2 ? 3 : 4} 0 R /Label (${i}) >>`);
    const r = PdfReader.open(buildPdf(objs));
    expect(r.pageCount).toBe(5);
    for (let i = 0; i < 5; i++) expect(r.getPage(i).ref.num).toBe(5 + i);
  });
  test('a /Count that lies is not trusted', () => {
    const r = PdfReader.open(buildPdf([catalog, '<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 7 >>', '<< /Type /Page >>', '<< /Type /Page >>']));
    expect(r.pageCount).toBe(2);
    expect(r.getPage(1).ref.num).toBe(4);
    const huge = PdfReader.open(buildPdf([catalog, '<< /Type /Pages /Kids [3 0 R] /Count 9999999999 >>', '<< /Type /Page >>']));
    expect(huge.pageCount).toBe(1);
  });
  test('flat-node shortcut is not fooled by an intermediate node with a compensating count', () => {
    // Kids: an empty node, a page, a node with 2 pages: Count 3 == kids.length, but kids[1] is page 0.
    const r = PdfReader.open(
      buildPdf([
        catalog,
        '<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 >>',
        '<< /Type /Pages /Kids [] /Count 0 /Parent 2 0 R >>',
        '<< /Type /Page /Parent 2 0 R >>',
        '<< /Type /Pages /Kids [6 0 R 7 0 R] /Count 2 /Parent 2 0 R >>',
        '<< /Type /Page /Parent 5 0 R >>',
        '<< /Type /Page /Parent 5 0 R >>',
      ]),
    );
    expect(r.pageCount).toBe(3);
    expect(r.getPage(0).ref.num).toBe(4);
    expect(r.getPage(1).ref.num).toBe(6);
    expect(r.getPage(2).ref.num).toBe(7);
  });
  test('a loop in the page tree is PDF_INVALID, not a hang', () => {
    const r = PdfReader.open(buildPdf([catalog, '<< /Type /Pages /Kids [3 0 R] /Count 2 >>', '<< /Type /Pages /Kids [2 0 R 4 0 R] /Count 2 >>', '<< /Type /Page >>']));
    expect(codeOf(() => r.pageCount)).toBe('PDF_INVALID');
  });
  test('no /Pages: zero pages; getPage is out of range', () => {
    const r = PdfReader.open(buildPdf(['<< /Type /Catalog >>']));
    expect(r.pageCount).toBe(0);
    expect(codeOf(() => r.getPage(0))).toBe('PDF_PAGE_OUT_OF_RANGE');
  });
});

describe('objects', () => {
  test('reference cycles and self-referencing /Length terminate', () => {
    const r = PdfReader.open(buildPdf([catalog, '<< /Type /Pages /Kids [] /Count 0 >>', '4 0 R', '3 0 R', '<< /Length 5 0 R >>\nstream\nabc\nendstream']));
    expect(r.resolve(new PdfRef(3, 0))).toBe(null);
    const s = r.getObject(new PdfRef(5, 0));
    expect(s).toBeInstanceOf(PdfStream);
    expect(String.fromCharCode(...(s as PdfStream).raw)).toBe('abc');
  });
  test('wrong generation or free object reads as null', () => {
    const r = PdfReader.open(buildPdf([catalog, '<< /Type /Pages /Kids [] /Count 0 >>', '42']));
    expect(r.getObject(new PdfRef(3, 0))).toBe(42);
    expect(r.getObject(new PdfRef(3, 1))).toBe(null);
    expect(r.getObject(new PdfRef(99, 0))).toBe(null);
    expect(r.getObject(new PdfRef(0, 65535))).toBe(null);
  });
  test('resolve helpers', () => {
    const r = PdfReader.open(buildPdf([catalog, '<< /Type /Pages /Kids [] /Count 0 /N 4 0 R /A [1 2] >>', '[1 2 3]', '/Foo']));
    const pages = r.resolveDict(r.catalog.get('Pages'))!;
    expect(r.resolveName(pages.get('N'))).toBe('Foo');
    expect(r.resolveArray(pages.get('A'))).toEqual([1, 2]);
    expect(r.resolveNumber(pages.get('Count'))).toBe(0);
    expect(r.resolveDict(pages.get('A'))).toBeUndefined();
    expect(r.catalogRef).toEqual(new PdfRef(1, 0));
  });
});

describe('offsets and recovery', () => {
  const objs = [catalog, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /MediaBox [0 0 100 100] >>'];
  test('leading junk with header-relative offsets', () => {
    const r = PdfReader.open(buildPdf(objs, { junk: 'JUNK JUNK\n' }));
    expect(r.headerOffset).toBe(10);
    expect(r.offsetBase).toBe(10);
    expect(r.recovered).toBe(false);
    expect(r.getPage(0).mediaBox).toEqual([0, 0, 100, 100]);
  });
  test('leading junk with file-relative offsets', () => {
    const r = PdfReader.open(buildPdf(objs, { junk: 'JUNK JUNK\n', absoluteOffsets: true }));
    expect(r.offsetBase).toBe(0);
    expect(r.recovered).toBe(false);
    expect(r.pageCount).toBe(1);
  });
  test('more than 1024 bytes of junk', () => {
    const r = PdfReader.open(buildPdf(objs, { junk: 'x'.repeat(5000) + '\n' }));
    expect(r.headerOffset).toBe(5001);
    expect(r.pageCount).toBe(1);
  });
  test('no startxref at all: rebuilt by scanning', () => {
    const b = buildPdf(objs);
    const s = String.fromCharCode(...b);
    const cut = Uint8Array.from(s.slice(0, s.indexOf('xref')), (c) => c.charCodeAt(0));
    const r = PdfReader.open(cut);
    expect(r.recovered).toBe(true);
    expect(r.startxrefValid).toBe(false);
    expect(r.pageCount).toBe(1);
  });
  test('a /Prev loop is detected', () => {
    const b = buildPdf(objs);
    const s = String.fromCharCode(...b).replace('/Root 1 0 R', '/Root 1 0 R /Prev ' + String.fromCharCode(...b).match(/startxref\n(\d+)/)![1]);
    const r = PdfReader.open(Uint8Array.from(s, (c) => c.charCodeAt(0)));
    expect(r.pageCount).toBe(1);
    expect(r.recovered).toBe(true);
  });
  test('nothing but garbage', () => {
    expect(codeOf(() => PdfReader.open(new Uint8Array(1000).fill(0x41)))).toBe('PDF_INVALID');
    expect(codeOf(() => PdfReader.open(Uint8Array.from('%PDF-1.4\n', (c) => c.charCodeAt(0))))).toBe('PDF_INVALID');
    expect(codeOf(() => PdfReader.open(new Uint8Array(0)))).toBe('PDF_EMPTY');
  });
  test('catalog typed /Catalog is found when the trailer is missing', () => {
    const s = String.fromCharCode(...buildPdf(objs)).replace(/trailer[\s\S]*$/, '');
    const r = PdfReader.open(Uint8Array.from(s, (c) => c.charCodeAt(0)));
    expect(r.catalog.get('Type')).toBe(PdfName.of('Catalog'));
    expect(r.pageCount).toBe(1);
  });
});

describe('object streams', async () => {
  const { buildObjStmPdf } = await import('./helpers.ts');
  const objs = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /MediaBox [0 0 10 20] >>'];
  test('objects inside an object stream', () => {
    const r = PdfReader.open(buildObjStmPdf(objs));
    expect(r.xrefKind).toBe('stream');
    expect(r.recovered).toBe(false);
    expect(r.getPage(0).mediaBox).toEqual([0, 0, 10, 20]);
  });
  test('an object stream said to be inside itself reads as null, and the file is rebuilt', () => {
    // object 4 (the object stream) listed as compressed in object stream 4
    const bytes = buildObjStmPdf(objs, { entries: { 4: [2, 4, 0] } });
    const r = PdfReader.open(bytes);
    expect(r.pageCount).toBe(1);
    expect(r.recovered).toBe(true);
  });
  test('an object stream inside another object stream is refused', () => {
    const bytes = buildObjStmPdf(objs, { entries: { 1: [2, 5, 0] }, extraDirect: ['42'] });
    // object 1 said to be in "object stream" 5, which is a number: catalog unreadable, rebuilt by scanning
    const r = PdfReader.open(bytes);
    expect(r.recovered).toBe(true);
    expect(r.pageCount).toBe(1);
  });
  test('/Length of a stream stored in an object stream', () => {
    const bytes = buildObjStmPdf([...objs, '7'], { extraDirect: ['<< /Length 4 0 R >>\nstream\nABCDEFG\nendstream'] });
    const r = PdfReader.open(bytes);
    const s = r.resolveStream(new PdfRef(6, 0))!;
    expect(String.fromCharCode(...s.raw)).toBe('ABCDEFG');
  });
});
