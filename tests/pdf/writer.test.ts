// Incremental writer: every plain corpus file gets an update (a new object, a new catalog version, a new version
// of page 1), checked with qpdf, poppler (pdfinfo), MuPDF (mutool), pdf.js and our own reader.
import { describe, expect, test } from 'vitest';
import { PdfReader } from '../../shared/pdf/reader.ts';
import { IncrementalWriter, flateStream } from '../../shared/pdf/writer.ts';
import { PdfDict, PdfName, PdfRaw, PdfRef, PdfStream, PdfString, type PdfObject } from '../../shared/pdf/objects.ts';
import { KysoError } from '../../shared/protocol/errors.ts';
import { buildPdf, corpusFiles, mutoolPages, pdfinfoPages, qpdfSeverity, readCorpus, run, tmpFile } from './helpers.ts';

const HAVE_TOOLS = ['qpdf', 'pdfinfo', 'mutool'].every((t) => run('sh', ['-c', `command -v ${t}`]).rc === 0);
const ENCRYPTED = new Set(['qpdf-enc-R2-RC4-40-empty-user-pw.pdf', 'qpdf-enc-R6-AES256-empty-user-pw.pdf', 'qpdf-enc-R3-user-pw-view.pdf', 'qpdf-leading-junk.pdf', 'dss-edition_protected_none.pdf', 'dss-edition_protected_signing_allowed_with_field.pdf']);

/**
 * Files where qpdf --check on the output may stay at the input's level for a reason outside the xref:
 * (none need more than "no worse"; listed here would be exceptions to that rule, with the reason).
 */
const QPDF_EXCEPTIONS: Record<string, string> = {};

function pdfjsPages(path: string): string {
  return run('node', ['tests/pdf/pdfjs-pages.mjs', path]).out.trim();
}

/** Object offsets listed in the last classic xref table of `text`. */
function tableOffsets(text: string): Map<number, number> {
  const lines = text.slice(text.lastIndexOf('\nxref\n') + 6).split('\n');
  const out = new Map<number, number>();
  for (let i = 0; i < lines.length && !lines[i].startsWith('trailer'); ) {
    const [start, count] = lines[i++].split(' ').map(Number);
    for (let k = 0; k < count; k++) out.set(start + k, parseInt(lines[i++].slice(0, 10), 10));
  }
  return out;
}

function startsWithBytes(out: Uint8Array, prefix: Uint8Array): boolean {
  if (out.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (out[i] !== prefix[i]) return false;
  return true;
}

/** The standard test update: a new object, /KysoTest in the catalog, /Annots (or a marker) on page 1. */
function update(r: PdfReader, tag: string): { bytes: Uint8Array; newRef: PdfRef; placeholders: Map<string, { offset: number; length: number }> } {
  const w = new IncrementalWriter(r);
  const newRef = w.alloc();
  expect(newRef.num).toBeGreaterThanOrEqual(r.size);
  w.put(newRef, new PdfDict({ Type: PdfName.of('KysoTestObject'), Tag: PdfString.latin1(tag), Raw: new PdfRaw(new TextEncoder().encode('<00000000>'), 'raw') }));
  const cat = r.catalog.clone();
  cat.set('KysoTest', newRef);
  w.put(r.catalogRef, cat);
  if (r.pageCount > 0) {
    const p = r.getPage(0);
    const pd = p.dict.clone();
    if (!pd.has('Annots')) pd.set('Annots', []);
    pd.set('KysoPage', PdfString.latin1(tag));
    w.put(p.ref, pd);
  }
  const saved = w.save();
  return { ...saved, newRef };
}

function checkReopen(out: Uint8Array, newRef: PdfRef, tag: string): PdfReader {
  const r2 = PdfReader.open(out);
  expect(r2.catalog.get('KysoTest')).toEqual(newRef);
  const o = r2.getObject(newRef) as PdfDict;
  expect(o).toBeInstanceOf(PdfDict);
  expect(String.fromCharCode(...(o.get('Tag') as PdfString).bytes)).toBe(tag);
  if (r2.pageCount > 0) expect(String.fromCharCode(...(r2.resolve(r2.getPage(0).dict.get('KysoPage')) as PdfString).bytes)).toBe(tag);
  return r2;
}

describe.skipIf(!HAVE_TOOLS)('incremental update of every plain corpus file', () => {
  for (const f of corpusFiles('plain')) {
    if (ENCRYPTED.has(f)) continue;
    test(f, () => {
      const input = readCorpus('plain', f);
      const r = PdfReader.open(input);
      const { bytes: out, newRef, placeholders } = update(r, 'first');
      expect(startsWithBytes(out, input)).toBe(true);
      // the placeholder offset is exact in the final bytes
      const ph = placeholders.get('raw')!;
      expect(String.fromCharCode(...out.subarray(ph.offset, ph.offset + ph.length))).toBe('<00000000>');
      const r2 = checkReopen(out, newRef, 'first');
      expect(r2.pageCount).toBe(r.pageCount);
      expect(r2.recovered).toBe(false);
      expect(r2.xrefKind).toBe(r.recovered && r.xrefKind === 'table' && r.liveEntries().some((e) => e.type === 'compressed') ? 'stream' : r.xrefKind);
      expect(r2.revisions().length).toBe(r.revisions().length + 1);
      expect(r2.revisions().at(-1)!.eofOffset).toBe(out.length);

      const inPath = tmpFile(`in-${f}`, input);
      const outPath = tmpFile(`out-${f}`, out);
      const qIn = run('qpdf', ['--check', inPath]).rc;
      const q = run('qpdf', ['--check', outPath]);
      if (!QPDF_EXCEPTIONS[f]) expect(qpdfSeverity(q.rc), q.out).toBeLessThanOrEqual(qpdfSeverity(qIn));
      // qpdf sees the new catalog entry (it reads our xref, not a reconstruction, when the input was clean)
      if (q.rc !== 2) expect(run('qpdf', ['--show-object=' + r.catalogRef.num, outPath]).out).toContain('/KysoTest');
      const pIn = pdfinfoPages(inPath);
      expect(pdfinfoPages(outPath)).toBe(pIn ?? r.pageCount);
      expect(mutoolPages(outPath)).toBe(mutoolPages(inPath) ?? r.pageCount);
      expect(pdfjsPages(outPath)).toBe(String(r.pageCount));
    });
  }
});

describe.skipIf(!HAVE_TOOLS)('successive updates', () => {
  for (const f of ['pyhanko-minimal.pdf', 'pyhanko-minimal-xref.pdf', 'pdflib-with_update_sections.pdf', 'pypdf-libreoffice-writer.pdf', 'qpdf-hybrid-xref.pdf', 'qpdf-minimal-linearized.pdf', 'pypdf-pdflatex-4-pages.pdf', 'qpdf-bad-xref-entry.pdf', 'pdf20ex-pdf-2.0-with-offset-start.pdf']) {
    test(f, () => {
      const input = readCorpus('plain', f);
      const r1 = PdfReader.open(input);
      const a = update(r1, 'one');
      const r2 = checkReopen(a.bytes, a.newRef, 'one');
      const b = update(r2, 'two');
      expect(startsWithBytes(b.bytes, a.bytes)).toBe(true);
      const r3 = checkReopen(b.bytes, b.newRef, 'two');
      // the first update's object is still there, and the /Prev chain links all revisions
      expect((r3.getObject(a.newRef) as PdfDict).get('Type')).toBe(PdfName.of('KysoTestObject'));
      expect(r3.revisions().length).toBe(r1.revisions().length + 2);
      expect(r3.xrefKind).toBe(r2.xrefKind);
      expect(r3.trailer.get('ID')).toEqual(r2.trailer.get('ID'));
      const p = tmpFile(`twice-${f}`, b.bytes);
      expect(run('qpdf', ['--check', p]).rc).toBe(0);
      expect(pdfinfoPages(p)).toBe(r1.pageCount);
      expect(mutoolPages(p)).toBe(r1.pageCount);
      expect(pdfjsPages(p)).toBe(String(r1.pageCount));
    });
  }
});

describe('writer details', () => {
  const objs = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /MediaBox [0 0 100 100] >>'];

  test('xref table layout, trailer and a created /ID', () => {
    const input = buildPdf(objs);
    const r = PdfReader.open(input);
    expect(r.trailer.has('ID')).toBe(false);
    const w = new IncrementalWriter(r);
    const ref = w.alloc();
    expect(ref).toEqual(new PdfRef(4, 0));
    expect(w.alloc()).toEqual(new PdfRef(5, 0));
    w.put(ref, 123);
    const out = w.save().bytes;
    const tail = String.fromCharCode(...out.subarray(input.length));
    expect(tail).toMatch(/^4 0 obj\n123\nendobj\nxref\n4 1\n\d{10} 00000 n \ntrailer\n<<\/Size 6 \/Root 1 0 R \/ID \[<[0-9A-F]{32}> <[0-9A-F]{32}>\] \/Prev \d+>>\nstartxref\n\d+\n%%EOF\n$/);
    const r2 = PdfReader.open(out);
    expect(r2.getObject(ref)).toBe(123);
    expect(r2.size).toBe(6);
  });

  test('an input without a final EOL gets one before the update', () => {
    const input = buildPdf(objs).slice(0, -1); // drop the "\n" after %%EOF
    const out = new IncrementalWriter(PdfReader.open(input)).save().bytes;
    expect(out[input.length]).toBe(0x0a);
    expect(String.fromCharCode(...out.subarray(input.length + 1, input.length + 5))).toBe('xref');
    expect(PdfReader.open(out).pageCount).toBe(1);
  });

  test('xref stream files get an xref stream with /W sized to fit', () => {
    const input = readCorpus('plain', 'pyhanko-minimal-xref.pdf');
    const r = PdfReader.open(input);
    const w = new IncrementalWriter(r);
    const big = w.alloc();
    w.put(big, flateStream(new PdfDict(), new Uint8Array(70000).fill(0x20)));
    const out = w.save().bytes;
    const r2 = PdfReader.open(out);
    expect(r2.xrefKind).toBe('stream');
    expect(r2.decodeStream(r2.getObject(big) as PdfStream).length).toBe(70000);
    const xs = r2.getObject(new PdfRef(r2.size - 1, 0));
    expect(xs).toBeInstanceOf(PdfStream);
    const d = (xs as PdfStream).dict;
    expect(d.get('Type')).toBe(PdfName.of('XRef'));
    expect(d.get('Prev')).toBe(r.startxref);
    expect(d.get('Filter')).toBe(PdfName.of('FlateDecode'));
    expect((d.get('W') as number[])[0]).toBe(1);
  });

  test('placeholders are exact byte offsets in the saved file', () => {
    const input = buildPdf(objs);
    const r = PdfReader.open(input);
    const w = new IncrementalWriter(r);
    const sig = w.alloc();
    const contents = '<' + '0'.repeat(16384) + '>';
    const byteRange = '[0 /********** /********** /**********]';
    w.put(sig, new PdfDict({ Type: PdfName.of('Sig'), ByteRange: new PdfRaw(new TextEncoder().encode(byteRange), 'br'), Contents: new PdfRaw(new TextEncoder().encode(contents), 'ct') }));
    const { bytes, placeholders } = w.save();
    const ct = placeholders.get('ct')!;
    const br = placeholders.get('br')!;
    expect(ct.length).toBe(contents.length);
    expect(String.fromCharCode(...bytes.subarray(ct.offset, ct.offset + ct.length))).toBe(contents);
    expect(String.fromCharCode(...bytes.subarray(br.offset, br.offset + br.length))).toBe(byteRange);
    expect(ct.offset).toBeGreaterThan(input.length);
  });

  test('put checks references', () => {
    const r = PdfReader.open(buildPdf(objs));
    const w = new IncrementalWriter(r);
    expect(() => w.put(new PdfRef(1, 1), null)).toThrow(KysoError);
    expect(() => w.put(new PdfRef(0, 0), null)).toThrow(KysoError);
    expect(() => w.put(new PdfRef(-1, 0), null)).toThrow(KysoError);
    w.put(new PdfRef(10, 0), true); // beyond /Size: allowed, later allocations skip past it
    expect(w.alloc().num).toBe(11);
  });

  test('encrypted files are refused', () => {
    const r = PdfReader.open(readCorpus('plain', 'qpdf-enc-R2-RC4-40-empty-user-pw.pdf'), { allowEncrypted: true });
    expect(() => new IncrementalWriter(r)).toThrow(KysoError);
  });

  test.skipIf(!HAVE_TOOLS)('a recovered file gets a complete xref that needs nothing before it', () => {
    const input = readCorpus('plain', 'qpdf-bad-xref-entry.pdf');
    const r = PdfReader.open(input);
    expect(r.recovered).toBe(true);
    const { bytes } = update(r, 'rec');
    const r2 = PdfReader.open(bytes);
    expect(r2.recovered).toBe(false);
    // every live object is in the new section
    const tail = String.fromCharCode(...bytes.subarray(input.length));
    const entries = [...tail.matchAll(/^(\d{10}) (\d{5}) n \n/gm)].length;
    expect(entries).toBe(r.liveEntries().length + 1);
    const p = tmpFile('rec-out.pdf', bytes);
    expect(run('qpdf', ['--check', p]).rc).toBe(0);
  });

  test.skipIf(!HAVE_TOOLS)('a file rebuilt by scanning: no /Prev, complete xref, tools read the update', () => {
    const s = String.fromCharCode(...buildPdf(objs)).replace(/xref[\s\S]*$/, '');
    const input = Uint8Array.from(s, (c) => c.charCodeAt(0));
    const r = PdfReader.open(input);
    expect(r.startxrefValid).toBe(false);
    const { bytes, newRef } = update(r, 'scan');
    expect(String.fromCharCode(...bytes.subarray(input.length))).not.toContain('/Prev');
    checkReopen(bytes, newRef, 'scan');
    const p = tmpFile('scan-out.pdf', bytes);
    expect(run('qpdf', ['--check', p]).rc).toBe(0);
    expect(run('qpdf', ['--show-object=1', p]).out).toContain('/KysoTest');
    expect(pdfinfoPages(p)).toBe(1);
    expect(pdfjsPages(p)).toBe('1');
  });

  test.skipIf(!HAVE_TOOLS)('leading junk: the update keeps the file\'s offset convention', () => {
    for (const absoluteOffsets of [false, true]) {
      const input = buildPdf(objs, { junk: 'Content-Type: application/pdf\r\n\r\n', absoluteOffsets });
      const r = PdfReader.open(input);
      expect(r.offsetBase).toBe(absoluteOffsets ? 0 : r.headerOffset);
      const { bytes, newRef } = update(r, 'junk');
      checkReopen(bytes, newRef, 'junk');
      const tail = String.fromCharCode(...bytes.subarray(input.length));
      const newObjAt = bytes.length - tail.length + tail.indexOf(`${newRef.num} 0 obj`);
      expect(tableOffsets(tail).get(newRef.num)).toBe(newObjAt - r.offsetBase);
      const pin = tmpFile(`junk-${absoluteOffsets}-in.pdf`, input);
      const p = tmpFile(`junk-${absoluteOffsets}-out.pdf`, bytes);
      // Header-relative files are clean for qpdf before and after; file-relative ones need its reconstruction
      // before and after (qpdf, poppler and pdf.js count offsets from the header).
      expect(qpdfSeverity(run('qpdf', ['--check', p]).rc)).toBeLessThanOrEqual(qpdfSeverity(run('qpdf', ['--check', pin]).rc));
      if (!absoluteOffsets) expect(run('qpdf', ['--check', p]).rc).toBe(0);
      expect(run('qpdf', ['--show-object=1', p]).out).toContain('/KysoTest');
      expect(pdfinfoPages(p)).toBe(1);
      expect(mutoolPages(p)).toBe(1); // MuPDF refuses junk before the header and repairs by scanning
      expect(run('mutool', ['show', p, '1']).out).toContain('/KysoTest');
      expect(pdfjsPages(p)).toBe('1');
    }
  });

  test('objects written by the writer parse back identically', () => {
    const r = PdfReader.open(buildPdf(objs));
    const w = new IncrementalWriter(r);
    const values: PdfObject[] = [
      new PdfDict({ A: [1, -2.5, 0.000001, true, false, null], B: PdfName.of('with space'), C: PdfString.text('Tiếng Việt'), D: new PdfString(Uint8Array.of(0, 255, 40, 41, 92), false) }),
      [new PdfRef(1, 0), PdfString.latin1('x')],
    ];
    const refs = values.map((v) => {
      const ref = w.alloc();
      w.put(ref, v);
      return ref;
    });
    const r2 = PdfReader.open(w.save().bytes);
    const d = r2.getObject(refs[0]) as PdfDict;
    expect(d.get('A')).toEqual([1, -2.5, 0.000001, true, false, null]);
    expect(d.get('B')).toBe(PdfName.of('with space'));
    expect((d.get('C') as PdfString).decodeText()).toBe('Tiếng Việt');
    expect([...(d.get('D') as PdfString).bytes]).toEqual([0, 255, 40, 41, 92]);
    expect(r2.getObject(refs[1])).toEqual([new PdfRef(1, 0), PdfString.latin1('x')]);
  });
});
