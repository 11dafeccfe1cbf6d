// Cross-reference sections (ISO 32000-2 §7.5.4, §7.5.8): classic tables, xref streams and hybrid files.
// Offsets are kept as written in the file; the reader adds the file's offset base (see reader.ts).

import { decodeFilters } from './filters.ts';
import { Lexer, TOK_KW } from './lexer.ts';
import { PdfDict, PdfName, PdfRef, PdfStream, type PdfObject } from './objects.ts';
import { parseIndirectObject, Parser } from './parser.ts';

export const ENTRY_FREE = 0;
export const ENTRY_OFFSET = 1;
export const ENTRY_COMPRESSED = 2;

/** type 0: free (a = next free, b = gen); type 1: a = offset, b = gen; type 2: a = object stream number, b = index. */
export interface XrefEntry {
  type: 0 | 1 | 2;
  a: number;
  b: number;
}

export interface XrefSection {
  /** Offset of the section as written in the file (startxref or /Prev value). */
  offset: number;
  kind: 'table' | 'stream';
  trailer: PdfDict;
  entries: Map<number, XrefEntry>;
  /** Object number of the xref stream (kind 'stream'). */
  streamNum?: number;
  /** Highest object number + 1 that the section declares entries for. */
  maxNum: number;
  /** Object number of a hybrid file's /XRefStm stream. */
  hybridStreamNum?: number;
}

export class XrefError extends Error {}

const isWs = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;

/** Reads an unsigned decimal integer at p (no sign); returns [value, end] or null. */
function readUint(buf: Uint8Array, p: number, maxDigits = 12): [number, number] | null {
  let v = 0;
  let n = 0;
  while (p < buf.length && buf[p] >= 0x30 && buf[p] <= 0x39) {
    v = v * 10 + (buf[p] - 0x30);
    p++;
    if (++n > maxDigits) return null;
  }
  return n === 0 ? null : [v, p];
}

function skipWs(buf: Uint8Array, p: number): number {
  for (;;) {
    while (p < buf.length && isWs(buf[p])) p++;
    if (buf[p] === 0x25) {
      // comment
      while (p < buf.length && buf[p] !== 0x0a && buf[p] !== 0x0d) p++;
      continue;
    }
    return p;
  }
}

function startsWith(buf: Uint8Array, p: number, s: string): boolean {
  if (p + s.length > buf.length) return false;
  for (let i = 0; i < s.length; i++) if (buf[p + i] !== s.charCodeAt(i)) return false;
  return true;
}

/** True when a classic table ("xref") starts at p (after whitespace). */
export function isTableAt(buf: Uint8Array, p: number): boolean {
  return startsWith(buf, skipWs(buf, p), 'xref');
}

/**
 * Parses a classic xref table + trailer starting at absolute position `pos`. `offset` is the section's offset as
 * written; `base` is added to the offsets of in-file entries to make them positions in `buf`.
 */
export function readTable(buf: Uint8Array, pos: number, offset: number, base = 0): XrefSection {
  let p = skipWs(buf, pos);
  if (!startsWith(buf, p, 'xref')) throw new XrefError('no xref keyword');
  p += 4;
  const entries = new Map<number, XrefEntry>();
  let maxNum = 0;
  let firstSub = true;
  for (;;) {
    p = skipWs(buf, p);
    if (p >= buf.length) throw new XrefError('table truncated');
    if (startsWith(buf, p, 'trailer')) {
      p += 7;
      break;
    }
    const s = readUint(buf, p);
    if (!s) throw new XrefError('bad subsection header');
    p = skipWs(buf, s[1]);
    const c = readUint(buf, p);
    if (!c) throw new XrefError('bad subsection header');
    p = c[1];
    let start = s[0];
    const count = c[0];
    if (count > (buf.length - p) / 17 + 1) throw new XrefError('subsection count too large');
    for (let i = 0; i < count; i++) {
      p = skipWs(buf, p);
      const o = readUint(buf, p, 10);
      if (!o) throw new XrefError('bad entry offset');
      p = o[1];
      if (!isWs(buf[p])) throw new XrefError('bad entry');
      p = skipWs(buf, p);
      const g = readUint(buf, p, 5);
      if (!g) throw new XrefError('bad entry generation');
      p = g[1];
      if (!isWs(buf[p])) throw new XrefError('bad entry');
      p = skipWs(buf, p);
      const t = buf[p++];
      if (t !== 0x6e && t !== 0x66) throw new XrefError('bad entry type');
      if (p < buf.length && !isWs(buf[p])) throw new XrefError('bad entry');
      // Common writer bug: "xref 1 n" whose first entry is object 0's free entry.
      if (firstSub && i === 0 && start === 1 && t === 0x66 && g[0] === 65535 && o[0] === 0) start = 0;
      const num = start + i;
      if (!entries.has(num)) {
        entries.set(num, t === 0x6e ? { type: ENTRY_OFFSET, a: o[0] + base, b: g[0] } : { type: ENTRY_FREE, a: o[0], b: g[0] });
      }
      if (num + 1 > maxNum) maxNum = num + 1;
    }
    firstSub = false;
  }
  const lex = new Lexer(buf, p);
  const trailer = new Parser(lex).parse();
  if (!(trailer instanceof PdfDict)) throw new XrefError('trailer is not a dictionary');
  return { offset, kind: 'table', trailer, entries, maxNum };
}

function intOf(o: PdfObject | undefined): number | undefined {
  return typeof o === 'number' && Number.isInteger(o) ? o : undefined;
}

/** Parses an xref stream object at absolute position `pos`. */
export function readXrefStream(buf: Uint8Array, pos: number, offset: number, base = 0, resolveLength?: (r: PdfRef) => number | undefined): XrefSection {
  const io = parseIndirectObject(buf, pos, { resolveLength });
  if (!io || !(io.obj instanceof PdfStream)) throw new XrefError('no xref stream');
  return xrefStreamSection(io.obj, io.num, offset, base);
}

export function xrefStreamSection(stream: PdfStream, num: number, offset: number, base = 0): XrefSection {
  const dict = stream.dict;
  const type = dict.get('Type');
  if (!(type instanceof PdfName && type.name === 'XRef') && !Array.isArray(dict.get('W'))) throw new XrefError('not an xref stream');
  const w = dict.get('W');
  if (!Array.isArray(w) || w.length < 3) throw new XrefError('bad /W');
  const ws = w.slice(0, 3).map(intOf);
  if (ws.some((x) => x === undefined || x < 0 || x > 8)) throw new XrefError('bad /W');
  const [w0, w1, w2] = ws as number[];
  const rowLen = w0 + w1 + w2;
  if (rowLen === 0) throw new XrefError('bad /W');
  const size = intOf(dict.get('Size'));
  let index: number[] = [];
  const idx = dict.get('Index');
  if (Array.isArray(idx)) {
    for (const x of idx) {
      const v = intOf(x);
      if (v === undefined || v < 0) throw new XrefError('bad /Index');
      index.push(v);
    }
    if (index.length % 2) index.pop();
  } else {
    if (size === undefined || size < 0) throw new XrefError('bad /Size');
    index = [0, size];
  }
  let data: Uint8Array;
  try {
    data = decodeFilters(dict, stream.raw, { lenient: true }).data;
  } catch (e) {
    throw new XrefError('xref stream does not decode: ' + (e instanceof Error ? e.message : String(e)));
  }
  const entries = new Map<number, XrefEntry>();
  let maxNum = 0;
  let p = 0;
  outer: for (let i = 0; i < index.length; i += 2) {
    const start = index[i];
    const count = index[i + 1];
    for (let j = 0; j < count; j++) {
      if (p + rowLen > data.length) break outer;
      let t = w0 === 0 ? 1 : 0;
      for (let k = 0; k < w0; k++) t = t * 256 + data[p++];
      let a = 0;
      for (let k = 0; k < w1; k++) a = a * 256 + data[p++];
      let b = 0;
      for (let k = 0; k < w2; k++) b = b * 256 + data[p++];
      const num = start + j;
      if (t === 0 || t === 1 || t === 2) {
        if (!entries.has(num)) entries.set(num, { type: t, a: t === 1 ? a + base : a, b });
      }
      // Other types are to be ignored (ISO 32000-2 §7.5.8.3): "null" references.
      if (num + 1 > maxNum) maxNum = num + 1;
    }
  }
  return { offset, kind: 'stream', trailer: dict, entries, streamNum: num, maxNum };
}

/** Reads "startxref N" backwards from the end of the file. Returns N and the keyword's position, or null. */
export function findStartxref(buf: Uint8Array): { value: number; at: number } | null {
  const KW = 'startxref';
  const search = (from: number, to: number): { value: number; at: number } | null => {
    for (let i = to - KW.length; i >= from; i--) {
      if (buf[i] === 0x73 && startsWith(buf, i, KW)) {
        const p = skipWs(buf, i + KW.length);
        const v = readUint(buf, p, 15);
        if (v) return { value: v[0], at: i };
      }
    }
    return null;
  };
  const tail = Math.max(0, buf.length - 2048);
  return search(tail, buf.length) ?? (tail > 0 ? search(0, tail + KW.length) : null);
}

/** True when the token at `pos` (after whitespace) is the keyword `kw`. */
export function keywordAt(buf: Uint8Array, pos: number, kw: string): boolean {
  const lex = new Lexer(buf, pos);
  return lex.next() === TOK_KW && lex.str === kw;
}
