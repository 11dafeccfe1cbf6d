// Incremental update writer (ISO 32000-2 §7.5.6): the original bytes, unchanged, followed by new objects or new
// versions of existing ones, a cross-reference section and a trailer.
//
// - The xref section is of the same kind as the newest one in the file: a classic table after a table (hybrid
//   files included), an xref stream (FlateDecode, /W sized to fit) after an xref stream.
// - When the reader had to recover the xref (`reader.recovered`), the update carries a complete xref of every
//   live object (as recovered) plus the new ones, so that the new revision does not depend on the damaged one;
//   /Prev is kept only when startxref led to a readable section (reader.startxrefValid), else left out. A complete classic table cannot list objects inside object streams: if there are any, an xref
//   stream is written instead.
// - Offsets are written in the file's own convention (`reader.offsetBase`): for files with bytes before %PDF whose
//   offsets count from the header, new offsets count from the header as well (poppler, qpdf and pdf.js read them so).
// - Encrypted files (ISO 32000-2 §7.6) stay encrypted: the reader must have been opened with { decrypt: true }, so
//   every object it returns holds plaintext; every object written here (new ones and new versions of existing
//   ones alike) has its strings and stream data encrypted with its own object key. Not encrypted: PdfRaw bytes
//   (the signature placeholders: /Contents of a signature is never encrypted), the /Contents string of any
//   dictionary with /ByteRange, the cross-reference stream, the trailer (/ID), /Type /Metadata streams when
//   /EncryptMetadata is false and streams with an /Identity /Crypt filter. The trailer carries the file's /Encrypt
//   and its /ID unchanged (the first ID string is an input of the file key).

import { KysoError } from '../protocol/errors.ts';
import { encryptBytes, streamHasIdentityCrypt, type SecurityInfo } from './crypt.ts';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfObject } from './objects.ts';
import type { PdfReader } from './reader.ts';
import { ByteWriter, flateStream, writeObject, type Placeholder } from './serialize.ts';

export { flateStream };

/** Where new indirect objects go. */
export interface ObjectSink {
  alloc(): PdfRef;
  put(ref: PdfRef, obj: PdfObject): void;
}

export interface SaveResult {
  bytes: Uint8Array;
  /** PdfRaw positions by tag, as byte offsets in `bytes`. */
  placeholders: Map<string, Placeholder>;
}

type Row = { num: number; type: 1; offset: number; gen: number } | { num: number; type: 2; stream: number; index: number };

export class IncrementalWriter implements ObjectSink {
  private readonly objects = new Map<number, { ref: PdfRef; obj: PdfObject }>();
  private next: number;

  constructor(private readonly reader: PdfReader) {
    if (reader.encryption && !reader.decrypting) {
      throw new KysoError('PDF_ENCRYPTED', 'Incremental updates of encrypted files need a reader opened with { decrypt: true }.');
    }
    this.next = Math.max(1, reader.size);
  }

  /** The next unused object number (>= reader.size), generation 0. */
  alloc(): PdfRef {
    return new PdfRef(this.next++, 0);
  }

  /** Adds a new object, or a new version of an existing one (same number and generation). */
  put(ref: PdfRef, obj: PdfObject): void {
    if (!(ref instanceof PdfRef) || !Number.isInteger(ref.num) || ref.num <= 0 || !Number.isInteger(ref.gen) || ref.gen < 0 || ref.gen > 65535) {
      throw new KysoError('INVALID_ARGUMENT', `Bad object reference ${String(ref)}.`);
    }
    if (ref.num < this.reader.size) {
      const existing = this.reader.getObject(new PdfRef(ref.num, this.reader.generationOf(ref.num)));
      if (existing !== null && this.reader.generationOf(ref.num) !== ref.gen) {
        throw new KysoError('INVALID_ARGUMENT', `Object ${ref.num} has generation ${this.reader.generationOf(ref.num)}, not ${ref.gen}.`);
      }
    }
    this.objects.set(ref.num, { ref, obj });
    if (ref.num >= this.next) this.next = ref.num + 1;
  }

  save(): SaveResult {
    const reader = this.reader;
    const orig = reader.bytes;
    const base = reader.offsetBase;
    const w = new ByteWriter(64 * 1024);
    const placeholders = new Map<string, Placeholder>();
    const last = orig[orig.length - 1];
    if (orig.length > 0 && last !== 0x0a && last !== 0x0d) w.byte(0x0a);
    const at = () => orig.length + w.length; // absolute position in the output

    const rows: Row[] = [];
    const nums = [...this.objects.keys()].sort((a, b) => a - b);
    for (const num of nums) {
      const { ref, obj } = this.objects.get(num)!;
      rows.push({ num, type: 1, offset: at() - base, gen: ref.gen });
      w.ascii(`${num} ${ref.gen} obj\n`);
      const enc = reader.encryption;
      writeObject(w, enc ? encryptObject(enc, obj, ref.num, ref.gen, 0) : obj, { placeholders, baseOffset: orig.length });
      w.ascii('\nendobj\n');
    }

    const complete = reader.recovered;
    if (complete) {
      for (const e of reader.liveEntries()) {
        if (this.objects.has(e.num)) continue;
        rows.push(e.type === 'offset' ? { num: e.num, type: 1, offset: e.offset, gen: e.gen } : { num: e.num, type: 2, stream: e.stream, index: e.index });
      }
    }
    let kind = reader.xrefKind;
    if (complete && kind === 'table' && rows.some((r) => r.type === 2)) kind = 'stream';

    const trailer = new PdfDict();
    const root = reader.trailer.get('Root');
    if (root === undefined) throw new KysoError('PDF_INVALID', 'The trailer has no /Root.');
    trailer.set('Root', root);
    const info = reader.trailer.get('Info');
    if (info !== undefined && info !== null) trailer.set('Info', info);
    const id = this.fileId();
    if (id !== undefined) trailer.set('ID', id);
    const encrypt = reader.trailer.get('Encrypt');
    if (reader.encryption && encrypt !== undefined) trailer.set('Encrypt', encrypt);
    // After a recovery the section is complete; /Prev still links the revisions when the old chain starts at a
    // readable section (revision walkers need it), and is left out when the xref had to be rebuilt by scanning.
    if (reader.startxrefValid) trailer.set('Prev', reader.startxref);

    let startxref: number;
    if (kind === 'table') {
      const size = Math.max(reader.size, this.next, ...rows.map((r) => r.num + 1));
      startxref = at() - base;
      w.ascii('xref\n');
      if (complete) w.ascii('0 1\n0000000000 65535 f \n');
      rows.sort((a, b) => a.num - b.num);
      for (const run of runs(rows)) {
        w.ascii(`${run[0].num} ${run.length}\n`);
        for (const r of run) {
          if (r.type !== 1) throw new KysoError('INTERNAL_ERROR', 'Compressed entry in a classic xref table.');
          w.ascii(`${String(r.offset).padStart(10, '0')} ${String(r.gen).padStart(5, '0')} n \n`);
        }
      }
      trailer.set('Size', size);
      const t = new PdfDict([['Size', size] as [string, PdfObject], ...[...trailer.map].filter(([k]) => k !== 'Size')]);
      w.ascii('trailer\n');
      writeObject(w, t);
      w.ascii('\n');
    } else {
      const xnum = this.next++;
      const xoff = at() - base;
      rows.push({ num: xnum, type: 1, offset: xoff, gen: 0 });
      rows.sort((a, b) => a.num - b.num);
      const size = Math.max(reader.size, this.next, ...rows.map((r) => r.num + 1));
      let max2 = 0;
      let max3 = 0;
      for (const r of rows) {
        max2 = Math.max(max2, r.type === 1 ? r.offset : r.stream);
        max3 = Math.max(max3, r.type === 1 ? r.gen : r.index);
      }
      const w2 = bytesFor(max2);
      const w3 = Math.max(1, bytesFor(max3));
      const rowLen = 1 + w2 + w3;
      const data = new Uint8Array(rows.length * rowLen);
      const index: number[] = [];
      let p = 0;
      for (const run of runs(rows)) {
        index.push(run[0].num, run.length);
        for (const r of run) {
          data[p++] = r.type;
          putInt(data, p, w2, r.type === 1 ? r.offset : r.stream);
          p += w2;
          putInt(data, p, w3, r.type === 1 ? r.gen : r.index);
          p += w3;
        }
      }
      const d = new PdfDict([
        ['Type', PdfName.of('XRef')],
        ['Size', size],
        ['W', [1, w2, w3]],
        ['Index', index],
      ]);
      for (const [k, v] of trailer.map) d.set(k, v);
      const stream = flateStream(d, data);
      w.ascii(`${xnum} 0 obj\n`);
      writeObject(w, stream);
      w.ascii('\nendobj\n');
      startxref = xoff;
    }
    w.ascii(`startxref\n${startxref}\n%%EOF\n`);

    const out = new Uint8Array(orig.length + w.length);
    out.set(orig, 0);
    out.set(w.view(), orig.length);
    return { bytes: out, placeholders };
  }

  /**
   * The file identifier: copied when the file has a well-formed one, otherwise 2 x 16 random bytes. An encrypted
   * file keeps whatever it has (the first string is an input of the file key), or none.
   */
  private fileId(): PdfObject | undefined {
    const id = this.reader.resolve(this.reader.trailer.get('ID'));
    if (this.reader.encryption) {
      if (!Array.isArray(id)) return undefined;
      return id.map((x) => {
        const v = this.reader.resolve(x);
        return v instanceof PdfString ? new PdfString(v.bytes, true) : v;
      });
    }
    if (Array.isArray(id) && id.length === 2) {
      const a = this.reader.resolve(id[0]);
      const b = this.reader.resolve(id[1]);
      if (a instanceof PdfString && b instanceof PdfString && a.bytes.length > 0 && b.bytes.length > 0) {
        return [new PdfString(a.bytes, true), new PdfString(b.bytes, true)];
      }
    }
    const r = new Uint8Array(32);
    globalThis.crypto.getRandomValues(r);
    return [new PdfString(r.slice(0, 16), true), new PdfString(r.slice(16), true)];
  }
}

/** A copy of `o`, to be written as object num/gen of an encrypted file, with its strings and stream data encrypted. */
function encryptObject(enc: SecurityInfo, o: PdfObject, num: number, gen: number, depth: number): PdfObject {
  if (depth > 256) throw new KysoError('INVALID_ARGUMENT', 'Object nested too deeply to write.');
  if (o instanceof PdfString) return new PdfString(encryptBytes(enc, 'string', num, gen, o.bytes), true);
  if (Array.isArray(o)) return o.map((v) => encryptObject(enc, v, num, gen, depth + 1));
  if (o instanceof PdfDict) {
    const isSig = o.has('ByteRange');
    const d = new PdfDict();
    for (const [k, v] of o.map) d.set(k, isSig && k === 'Contents' ? v : encryptObject(enc, v, num, gen, depth + 1));
    return d;
  }
  if (o instanceof PdfStream) {
    const type = o.dict.get('Type');
    if (type instanceof PdfName && type.name === 'XRef') throw new KysoError('INVALID_ARGUMENT', 'Cross-reference streams are written by the writer itself.');
    const dict = encryptObject(enc, o.dict, num, gen, depth + 1) as PdfDict;
    let clear = streamHasIdentityCrypt(o.dict);
    if (type instanceof PdfName && type.name === 'Metadata' && !enc.encryptMetadata) clear = true;
    return new PdfStream(dict, clear ? o.raw : encryptBytes(enc, 'stream', num, gen, o.raw));
  }
  return o;
}

/** Groups rows sorted by number into runs of consecutive numbers. */
function runs(rows: Row[]): Row[][] {
  const out: Row[][] = [];
  for (const r of rows) {
    const cur = out[out.length - 1];
    if (cur && cur[cur.length - 1].num + 1 === r.num) cur.push(r);
    else out.push([r]);
  }
  return out;
}

function bytesFor(n: number): number {
  let b = 1;
  while (n >= 2 ** (8 * b)) b++;
  return b;
}

function putInt(buf: Uint8Array, pos: number, width: number, v: number): void {
  for (let i = width - 1; i >= 0; i--) {
    buf[pos + i] = v % 256;
    v = Math.floor(v / 256);
  }
}
