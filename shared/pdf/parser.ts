// Object parser (ISO 32000-2 §7.3): builds PdfObject values from Lexer tokens, and parses "N G obj ... endobj"
// indirect objects including stream bodies. Lenient on the damage seen in real files (missing endobj, wrong
// /Length, stray tokens inside dictionaries) but bounded: nesting depth is capped so hostile input cannot
// overflow the stack.

import { KysoError } from '../protocol/errors.ts';
import {
  Lexer,
  TOK_ARR_CLOSE,
  TOK_ARR_OPEN,
  TOK_DICT_CLOSE,
  TOK_DICT_OPEN,
  TOK_EOF,
  TOK_KW,
  TOK_NAME,
  TOK_NUM,
  TOK_STR,
} from './lexer.ts';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfObject } from './objects.ts';

/** Deepest nesting of arrays/dictionaries accepted. Real files stay far below; fuzzed ones go far above. */
export const MAX_NESTING = 256;

/** Keywords that end whatever object is being parsed (the object was left unterminated). */
const TERMINATORS = new Set(['endobj', 'stream', 'endstream', 'obj', 'xref', 'trailer', 'startxref']);

export class Parser {
  constructor(readonly lex: Lexer) {}

  /**
   * Parses the next object. Returns undefined at end of input or when the next token is a keyword that is not
   * a value (such as "endobj"); the lexer is then left before that token.
   */
  parse(depth = 0): PdfObject | undefined {
    this.lex.next();
    return this.fromCurrent(depth);
  }

  private fromCurrent(depth: number): PdfObject | undefined {
    const lex = this.lex;
    switch (lex.type) {
      case TOK_NUM: {
        const n = lex.num;
        if (Number.isInteger(n) && n >= 0) {
          // Look ahead for "N G R".
          const save = lex.pos;
          if (lex.next() === TOK_NUM && Number.isInteger(lex.num) && lex.num >= 0) {
            const g = lex.num;
            if (lex.next() === TOK_KW && lex.str === 'R') return new PdfRef(n, g);
          }
          lex.pos = save;
        }
        return n;
      }
      case TOK_NAME:
        return PdfName.of(lex.str);
      case TOK_STR:
        return new PdfString(lex.bytes, lex.hex);
      case TOK_ARR_OPEN:
        return this.parseArray(depth + 1);
      case TOK_DICT_OPEN:
        return this.parseDict(depth + 1);
      case TOK_KW:
        if (lex.str === 'true') return true;
        if (lex.str === 'false') return false;
        if (lex.str === 'null') return null;
        lex.pos = lex.tokStart;
        return undefined;
      case TOK_ARR_CLOSE:
      case TOK_DICT_CLOSE:
        lex.pos = lex.tokStart;
        return undefined;
      default:
        return undefined;
    }
  }

  private checkDepth(depth: number): void {
    if (depth > MAX_NESTING) throw new KysoError('PDF_INVALID', `Objects nested deeper than ${MAX_NESTING} levels.`);
  }

  private parseArray(depth: number): PdfObject[] {
    this.checkDepth(depth);
    const lex = this.lex;
    const out: PdfObject[] = [];
    for (;;) {
      const t = lex.next();
      if (t === TOK_ARR_CLOSE || t === TOK_EOF) return out;
      if (t === TOK_DICT_CLOSE) {
        lex.pos = lex.tokStart; // let the enclosing dictionary close
        return out;
      }
      if (t === TOK_KW && TERMINATORS.has(lex.str)) {
        lex.pos = lex.tokStart;
        return out;
      }
      const v = this.fromCurrent(depth);
      if (v === undefined) {
        lex.next(); // skip an unknown keyword
        continue;
      }
      out.push(v);
    }
  }

  private parseDict(depth: number): PdfDict {
    this.checkDepth(depth);
    const lex = this.lex;
    const d = new PdfDict();
    for (;;) {
      const t = lex.next();
      if (t === TOK_DICT_CLOSE || t === TOK_EOF) return d;
      if (t === TOK_KW && TERMINATORS.has(lex.str)) {
        lex.pos = lex.tokStart;
        return d;
      }
      if (t !== TOK_NAME) {
        if (t === TOK_ARR_CLOSE) continue;
        // Not a key: parse and drop whatever it is (keeps nesting in step), then go on.
        const junk = this.fromCurrent(depth);
        if (junk === undefined) lex.next();
        continue;
      }
      const key = lex.str;
      const vt = lex.next();
      const v = this.fromCurrent(depth);
      if (v === undefined) {
        if (vt === TOK_KW && TERMINATORS.has(lex.str)) return d;
        if (vt === TOK_KW) lex.next(); // unknown keyword as a value: skip it
        continue;
      }
      // A null value is equivalent to the key being absent (ISO 32000-2 §7.3.7).
      if (v !== null) d.set(key, v);
    }
  }
}

/** Finds `pat` in `buf` from `from` (inclusive) to `to` (exclusive end of the match); -1 if absent. */
export function indexOfBytes(buf: Uint8Array, pat: Uint8Array, from = 0, to = buf.length): number {
  const first = pat[0];
  const last = to - pat.length;
  let i = from;
  while (i <= last) {
    i = buf.indexOf(first, i);
    if (i < 0 || i > last) return -1;
    let k = 1;
    while (k < pat.length && buf[i + k] === pat[k]) k++;
    if (k === pat.length) return i;
    i++;
  }
  return -1;
}

/** Finds the last `pat` starting before `before`, not earlier than `notBefore`. */
export function lastIndexOfBytes(buf: Uint8Array, pat: Uint8Array, before = buf.length, notBefore = 0): number {
  const first = pat[0];
  let i = Math.min(before, buf.length - pat.length);
  while (i >= notBefore) {
    i = buf.lastIndexOf(first, i);
    if (i < notBefore) return -1;
    let k = 1;
    while (k < pat.length && buf[i + k] === pat[k]) k++;
    if (k === pat.length) return i;
    i--;
  }
  return -1;
}

export const ascii = (s: string): Uint8Array => {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
};

const ENDSTREAM = ascii('endstream');
const ENDOBJ = ascii('endobj');

export interface IndirectObject {
  num: number;
  gen: number;
  obj: PdfObject;
  /** Offset just after the object (after "endobj" when present). */
  end: number;
}

export interface IndirectOptions {
  /** Resolves an indirect /Length; undefined when it cannot be resolved. */
  resolveLength?: (ref: PdfRef) => number | undefined;
}

/** Reads "N G obj" at `offset` (after optional whitespace). Returns [num, gen, position after "obj"] or null. */
export function readObjHeader(buf: Uint8Array, offset: number): [number, number, number] | null {
  if (offset < 0 || offset >= buf.length) return null;
  const lex = new Lexer(buf, offset);
  if (lex.next() !== TOK_NUM || !Number.isInteger(lex.num) || lex.num < 0) return null;
  const num = lex.num;
  if (lex.next() !== TOK_NUM || !Number.isInteger(lex.num) || lex.num < 0) return null;
  const gen = lex.num;
  if (lex.next() !== TOK_KW) return null;
  if (lex.str === 'obj') return [num, gen, lex.pos];
  // Some writers glue the next token to "obj" ("obj<<"), which the lexer splits fine; anything else is no header.
  return null;
}

/**
 * Parses the indirect object whose header starts at `offset`. Returns null when there is no "N G obj" header
 * there. Stream data is a subarray of `buf` (not copied).
 */
export function parseIndirectObject(buf: Uint8Array, offset: number, opts: IndirectOptions = {}): IndirectObject | null {
  const hdr = readObjHeader(buf, offset);
  if (!hdr) return null;
  const [num, gen, bodyStart] = hdr;
  const lex = new Lexer(buf, bodyStart);
  const parser = new Parser(lex);
  let obj = parser.parse();
  if (obj === undefined) obj = null; // "N G obj endobj" is a null object
  if (obj instanceof PdfDict) {
    const save = lex.pos;
    if (lex.next() === TOK_KW && lex.str === 'stream') {
      const s = readStreamBody(buf, lex.pos, obj, opts);
      return { num, gen, obj: s.stream, end: afterEndobj(buf, s.end) };
    }
    lex.pos = save;
  }
  return { num, gen, obj, end: afterEndobj(buf, lex.pos) };
}

function afterEndobj(buf: Uint8Array, pos: number): number {
  const lex = new Lexer(buf, pos);
  if (lex.next() === TOK_KW && lex.str === 'endobj') return lex.pos;
  return pos;
}

function readStreamBody(buf: Uint8Array, afterKeyword: number, dict: PdfDict, opts: IndirectOptions): { stream: PdfStream; end: number } {
  let start = afterKeyword;
  // "stream" is followed by CRLF or LF (a lone CR or trailing spaces are tolerated).
  let p = start;
  while (p < buf.length && (buf[p] === 0x20 || buf[p] === 0x09)) p++;
  if (buf[p] === 0x0d && buf[p + 1] === 0x0a) start = p + 2;
  else if (buf[p] === 0x0a || buf[p] === 0x0d) start = p + 1;

  let length: number | undefined;
  const lv = dict.get('Length');
  if (typeof lv === 'number') length = lv;
  else if (lv instanceof PdfRef && opts.resolveLength) length = opts.resolveLength(lv);

  let dataEnd = -1;
  if (length !== undefined && Number.isInteger(length) && length >= 0 && start + length <= buf.length) {
    // Trust /Length only if "endstream" (or at least "endobj") follows it after optional whitespace.
    let q = start + length;
    while (q < buf.length && (buf[q] === 0x0a || buf[q] === 0x0d || buf[q] === 0x20 || buf[q] === 0x09 || buf[q] === 0x0c || buf[q] === 0)) q++;
    if (matchAt(buf, q, ENDSTREAM) || matchAt(buf, q, ENDOBJ) || q >= buf.length) dataEnd = start + length;
  }
  let end: number;
  if (dataEnd >= 0) {
    end = dataEnd;
    const lex = new Lexer(buf, dataEnd);
    if (lex.next() === TOK_KW && lex.str === 'endstream') end = lex.pos;
  } else {
    // /Length missing, indirect and unresolvable, or wrong: search for "endstream".
    const es = indexOfBytes(buf, ENDSTREAM, start);
    if (es >= 0) {
      dataEnd = es;
      if (dataEnd > start && buf[dataEnd - 1] === 0x0a) dataEnd--;
      if (dataEnd > start && buf[dataEnd - 1] === 0x0d) dataEnd--;
      end = es + ENDSTREAM.length;
    } else {
      const eo = indexOfBytes(buf, ENDOBJ, start);
      dataEnd = eo >= 0 ? eo : buf.length;
      end = dataEnd;
    }
  }
  return { stream: new PdfStream(dict, buf.subarray(start, dataEnd)), end };
}

function matchAt(buf: Uint8Array, pos: number, pat: Uint8Array): boolean {
  if (pos + pat.length > buf.length) return false;
  for (let k = 0; k < pat.length; k++) if (buf[pos + k] !== pat[k]) return false;
  return true;
}

/** Parses one object from `buf` (e.g. a trailer dictionary or an object inside an object stream). */
export function parseObjectAt(buf: Uint8Array, offset: number, end = buf.length): PdfObject | undefined {
  return new Parser(new Lexer(buf, offset, end)).parse();
}
