// Xref reconstruction for damaged files: scan the bytes for "N G obj" headers and "trailer" dictionaries.
// The reader (reader.ts) turns the result into xref entries, adds the content of object streams, and picks
// the trailer whose /Root resolves.

import { Lexer, TOK_DICT_OPEN, isDelim, isWhite } from './lexer.ts';
import { PdfDict, PdfName } from './objects.ts';
import { ascii, indexOfBytes, Parser, readObjHeader } from './parser.ts';

export interface ScannedObject {
  num: number;
  gen: number;
  /** Absolute offset of the "N G obj" header. */
  offset: number;
  /** /Type of the object when it is a dictionary or stream with a name /Type (XRef, ObjStm, Catalog, ...). */
  type?: string;
  /** The dictionary at the start of the object (for XRef streams: a trailer candidate). */
  dict?: PdfDict;
}

export interface ScanResult {
  /** Every header found, in file order (later ones supersede earlier ones with the same number). */
  objects: ScannedObject[];
  /** Trailer dictionaries after "trailer" keywords, in file order, with their absolute offsets. */
  trailers: { offset: number; dict: PdfDict }[];
}

const OBJ = ascii('obj');
const TRAILER = ascii('trailer');

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/** Scans `buf` from `from` for object headers and trailers. Linear in the file size. */
export function scanFile(buf: Uint8Array, from = 0): ScanResult {
  const objects: ScannedObject[] = [];
  const trailers: { offset: number; dict: PdfDict }[] = [];
  let i = from;
  for (;;) {
    i = indexOfBytes(buf, OBJ, i);
    if (i < 0) break;
    const after = buf[i + 3];
    if (i + 3 < buf.length && !isWhite(after) && !isDelim(after)) {
      i += 3;
      continue;
    }
    // Walk back over: whitespace, gen digits, whitespace, num digits.
    let p = i - 1;
    if (p < from || !isWhite(buf[p])) {
      i += 3;
      continue;
    }
    while (p >= from && isWhite(buf[p])) p--;
    let d = 0;
    while (p >= from && isDigit(buf[p])) {
      p--;
      d++;
    }
    if (d === 0 || d > 5 || p < from || !isWhite(buf[p])) {
      i += 3;
      continue;
    }
    while (p >= from && isWhite(buf[p])) p--;
    d = 0;
    while (p >= from && isDigit(buf[p])) {
      p--;
      d++;
    }
    if (d === 0 || d > 10 || (p >= from && !isWhite(buf[p]) && !isDelim(buf[p]))) {
      i += 3;
      continue;
    }
    const start = p + 1;
    const hdr = readObjHeader(buf, start);
    if (hdr) {
      const o: ScannedObject = { num: hdr[0], gen: hdr[1], offset: start };
      const lex = new Lexer(buf, hdr[2]);
      if (lex.next() === TOK_DICT_OPEN) {
        lex.pos = lex.tokStart;
        try {
          const dict = new Parser(lex).parse();
          if (dict instanceof PdfDict) {
            o.dict = dict;
            const t = dict.get('Type');
            if (t instanceof PdfName) o.type = t.name;
          }
        } catch {
          // too deeply nested: keep the header only
        }
      }
      objects.push(o);
    }
    i += 3;
  }
  i = from;
  for (;;) {
    i = indexOfBytes(buf, TRAILER, i);
    if (i < 0) break;
    try {
      const dict = new Parser(new Lexer(buf, i + TRAILER.length)).parse();
      if (dict instanceof PdfDict) trailers.push({ offset: i, dict });
    } catch {
      // ignore
    }
    i += TRAILER.length;
  }
  return { objects, trailers };
}
