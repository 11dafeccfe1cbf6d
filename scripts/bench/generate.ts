// Deterministic benchmark inputs, written with a small generator of our own (the object classes and serializer of
// shared/pdf, no third-party PDF library):
//   large-200p.pdf   200 A4 pages, each with a text content stream and a ~100 KB RGB image XObject of noise
//                    (even pages unfiltered, odd pages FlateDecode), one classic xref table. About 21 MB.
//   pages-3000p.pdf  3000 small text pages in a two-level page tree; page dictionaries, tree nodes, catalog and
//                    font in object streams, one xref stream. About 1.7 MB.
// Same bytes on every run (fixed PRNG seed, fixed /ID, no dates), so figures from different runs compare.

import { zlibSync } from 'fflate';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfObject } from '../../shared/pdf/objects.ts';
import { serializeObject } from '../../shared/pdf/serialize.ts';

const n = PdfName.of;
const enc = new TextEncoder();

/** xorshift32: fast and deterministic. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

function noise(rnd: () => number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const words = new Uint32Array(out.buffer, 0, length >>> 2);
  for (let i = 0; i < words.length; i++) words[i] = rnd();
  for (let i = words.length * 4; i < length; i++) out[i] = rnd() & 0xff;
  return out;
}

function flate(dict: Record<string, PdfObject>, data: Uint8Array): PdfStream {
  return new PdfStream(new PdfDict({ ...dict, Filter: n('FlateDecode') }), zlibSync(data, { level: 6 }));
}

type XrefRow = { type: 1; offset: number } | { type: 2; stream: number; index: number };

/** Appends indirect objects to a growing file; objects can go straight into the file or into object streams. */
class PdfFileBuilder {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;
  private next = 1;
  private readonly rows = new Map<number, XrefRow>();
  private pending: { num: number; bytes: Uint8Array }[] = [];

  constructor(
    version: string,
    private readonly objStmSize = 0,
  ) {
    // the binary comment must be bytes >= 128, not UTF-8
    this.push(latin1(`%PDF-${version}\n%\xe2\xe3\xcf\xd3\n`));
  }

  private push(b: Uint8Array): void {
    this.chunks.push(b);
    this.size += b.length;
  }

  alloc(): PdfRef {
    return new PdfRef(this.next++, 0);
  }

  /** Writes an object directly (streams always go here). */
  put(ref: PdfRef, obj: PdfObject): void {
    this.rows.set(ref.num, { type: 1, offset: this.size });
    this.push(enc.encode(`${ref.num} 0 obj\n`));
    this.push(serializeObject(obj));
    this.push(enc.encode('\nendobj\n'));
  }

  /** Puts a non-stream object into the current object stream (or directly when object streams are off). */
  putCompressed(ref: PdfRef, obj: PdfObject): void {
    if (!this.objStmSize || obj instanceof PdfStream) return this.put(ref, obj);
    this.pending.push({ num: ref.num, bytes: serializeObject(obj) });
    if (this.pending.length >= this.objStmSize) this.flushObjStm();
  }

  private flushObjStm(): void {
    if (!this.pending.length) return;
    const ref = this.alloc();
    let header = '';
    let offset = 0;
    const bodies: Uint8Array[] = [];
    this.pending.forEach((p, index) => {
      header += `${p.num} ${offset} `;
      this.rows.set(p.num, { type: 2, stream: ref.num, index });
      bodies.push(p.bytes, enc.encode('\n'));
      offset += p.bytes.length + 1;
    });
    const head = enc.encode(header.trimEnd() + '\n');
    const data = concat([head, ...bodies]);
    this.put(ref, flate({ Type: n('ObjStm'), N: this.pending.length, First: head.length }, data));
    this.pending = [];
  }

  /** Classic xref table and trailer. */
  finishTable(trailer: Record<string, PdfObject>): Uint8Array {
    this.flushObjStm();
    const count = this.next;
    const xref = this.size;
    let s = `xref\n0 ${count}\n0000000000 65535 f \n`;
    for (let i = 1; i < count; i++) {
      const r = this.rows.get(i);
      if (!r || r.type !== 1) throw new Error(`object ${i} missing or compressed in a table file`);
      s += `${String(r.offset).padStart(10, '0')} 00000 n \n`;
    }
    this.push(enc.encode(s + 'trailer\n'));
    this.push(serializeObject(new PdfDict({ Size: count, ...trailer })));
    this.push(enc.encode(`\nstartxref\n${xref}\n%%EOF\n`));
    return concat(this.chunks);
  }

  /** Cross-reference stream (W [1 4 2]) holding the trailer entries. */
  finishXrefStream(trailer: Record<string, PdfObject>): Uint8Array {
    this.flushObjStm();
    const ref = this.alloc();
    const offset = this.size;
    this.rows.set(ref.num, { type: 1, offset });
    const count = this.next;
    const data = new Uint8Array(count * 7);
    for (let i = 0; i < count; i++) {
      const r = this.rows.get(i);
      const p = i * 7;
      if (!r) {
        data[p] = 0;
        data[p + 5] = 0xff; // gen 65535 for object 0
        data[p + 6] = 0xff;
        continue;
      }
      data[p] = r.type;
      const a = r.type === 1 ? r.offset : r.stream;
      const b = r.type === 1 ? 0 : r.index;
      data[p + 1] = (a >>> 24) & 0xff;
      data[p + 2] = (a >>> 16) & 0xff;
      data[p + 3] = (a >>> 8) & 0xff;
      data[p + 4] = a & 0xff;
      data[p + 5] = (b >>> 8) & 0xff;
      data[p + 6] = b & 0xff;
    }
    this.put(ref, flate({ Type: n('XRef'), Size: count, W: [1, 4, 2], ...trailer }, data));
    this.push(enc.encode(`startxref\n${offset}\n%%EOF\n`));
    return concat(this.chunks);
  }
}

function latin1(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const WORDS = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua quyet dinh ve viec ban hanh quy che to chuc va hoat dong cua uy ban nhan dan tinh'.split(' ');

/** A page of text lines in Helvetica (escaped for a literal string), plus optional extra operators. */
function textContent(rnd: () => number, pageNo: number, lines: number, extra = ''): Uint8Array {
  let s = `BT /F1 14 Tf 72 790 Td (Trang ${pageNo} - benchmark KySo) Tj ET\nBT /F1 10 Tf 12 TL 72 770 Td\n`;
  for (let i = 0; i < lines; i++) {
    let line = '';
    while (line.length < 80) line += WORDS[rnd() % WORDS.length] + ' ';
    s += `(${line.trimEnd()}) '\n`;
  }
  s += 'ET\n' + extra;
  return enc.encode(s);
}

function fileId(tag: string): PdfObject {
  const b = new Uint8Array(16);
  for (let i = 0; i < 16; i++) b[i] = tag.charCodeAt(i % tag.length) ^ (i * 37);
  return [new PdfString(b, true), new PdfString(b, true)];
}

const A4: PdfObject = [0, 0, 595, 842];

/** ~21 MB, 200 pages, text plus a ~100 KB noise image per page, classic xref table. */
export function makeLargeImagePdf(pages = 200): Uint8Array {
  const rnd = prng(0x4b79536f);
  const f = new PdfFileBuilder('1.4');
  const catalog = f.alloc();
  const root = f.alloc();
  const font = f.alloc();
  const info = f.alloc();
  f.put(catalog, new PdfDict({ Type: n('Catalog'), Pages: root }));
  f.put(font, new PdfDict({ Type: n('Font'), Subtype: n('Type1'), BaseFont: n('Helvetica'), Encoding: n('WinAnsiEncoding') }));
  f.put(info, new PdfDict({ Producer: PdfString.latin1('KySo bench generator'), Title: PdfString.latin1('Benchmark: 200 pages with images') }));
  const kids: PdfRef[] = [];
  const W = 256;
  const H = 136; // 256 x 136 x 3 = 104,448 bytes per image
  for (let i = 0; i < pages; i++) {
    const page = f.alloc();
    const content = f.alloc();
    const image = f.alloc();
    kids.push(page);
    const pixels = noise(rnd, W * H * 3);
    const imgDict = { Type: n('XObject'), Subtype: n('Image'), Width: W, Height: H, ColorSpace: n('DeviceRGB'), BitsPerComponent: 8 };
    f.put(image, i % 2 === 0 ? new PdfStream(new PdfDict(imgDict), pixels) : flate(imgDict, pixels));
    f.put(content, flate({}, textContent(rnd, i + 1, 30, 'q 451 0 0 240 72 60 cm /Im1 Do Q\n')));
    f.put(page, new PdfDict({ Type: n('Page'), Parent: root, MediaBox: A4, Resources: new PdfDict({ Font: new PdfDict({ F1: font }), XObject: new PdfDict({ Im1: image }) }), Contents: content }));
  }
  f.put(root, new PdfDict({ Type: n('Pages'), Kids: kids, Count: pages }));
  return f.finishTable({ Root: catalog, Info: info, ID: fileId('kyso-bench-large') });
}

/** ~1.7 MB, 3000 small text pages, two-level page tree, object streams and an xref stream. */
export function makeManyPagesPdf(pages = 3000, fanout = 100): Uint8Array {
  const rnd = prng(0x33303030);
  const f = new PdfFileBuilder('1.7', 100);
  const catalog = f.alloc();
  const root = f.alloc();
  const font = f.alloc();
  const info = f.alloc();
  f.putCompressed(catalog, new PdfDict({ Type: n('Catalog'), Pages: root }));
  f.putCompressed(font, new PdfDict({ Type: n('Font'), Subtype: n('Type1'), BaseFont: n('Helvetica'), Encoding: n('WinAnsiEncoding') }));
  f.putCompressed(info, new PdfDict({ Producer: PdfString.latin1('KySo bench generator'), Title: PdfString.latin1('Benchmark: 3000 text pages') }));
  const resources = new PdfDict({ Font: new PdfDict({ F1: font }) });
  const nodes: PdfRef[] = [];
  for (let start = 0; start < pages; start += fanout) {
    const node = f.alloc();
    nodes.push(node);
    const kids: PdfRef[] = [];
    for (let i = start; i < Math.min(pages, start + fanout); i++) {
      const page = f.alloc();
      const content = f.alloc();
      kids.push(page);
      f.put(content, flate({}, textContent(rnd, i + 1, 12)));
      f.putCompressed(page, new PdfDict({ Type: n('Page'), Parent: node, Resources: resources, Contents: content }));
    }
    f.putCompressed(node, new PdfDict({ Type: n('Pages'), Parent: root, Kids: kids, Count: kids.length }));
  }
  f.putCompressed(root, new PdfDict({ Type: n('Pages'), Kids: nodes, Count: pages, MediaBox: A4 }));
  return f.finishXrefStream({ Root: catalog, Info: info, ID: fileId('kyso-bench-3000p') });
}
