// PDF object serialisation (ISO 32000-2 §7.3). Deterministic output: names with # escapes, literal strings with
// \ ( ) and control bytes escaped (hex strings stay hex), reals with at most 6 decimals and no exponent, streams
// with /Length set from their raw bytes. PdfRaw values are copied verbatim and their positions reported, so the
// signature code can find its /ByteRange and /Contents placeholders in the final file.

import { zlibSync } from 'fflate';
import { KysoError } from '../protocol/errors.ts';
import { PdfDict, PdfName, PdfRaw, PdfRef, PdfStream, PdfString, type PdfObject } from './objects.ts';

/** A growable byte buffer. */
export class ByteWriter {
  private buf: Uint8Array;
  length = 0;
  constructor(capacity = 4096) {
    this.buf = new Uint8Array(capacity);
  }
  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.length + n) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf.subarray(0, this.length));
    this.buf = nb;
  }
  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }
  byte(c: number): this {
    this.ensure(1);
    this.buf[this.length++] = c;
    return this;
  }
  /** Writes a string of chars 0-255 as bytes (callers only pass ASCII). */
  ascii(s: string): this {
    this.ensure(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.length++] = s.charCodeAt(i) & 0xff;
    return this;
  }
  toBytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
  /** A view of what was written (no copy; invalid after further writes). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

export interface Placeholder {
  offset: number;
  length: number;
}

export interface SerializeContext {
  /** Collects PdfRaw positions by tag. */
  placeholders?: Map<string, Placeholder>;
  /** Added to positions in the writer to give positions in the final file. */
  baseOffset?: number;
}

const HEX = '0123456789ABCDEF';

/** Formats a number: integers as is, reals with up to 6 decimals, never an exponent or "-0". */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw new KysoError('INVALID_ARGUMENT', `Cannot write the number ${n} in a PDF.`);
  if (Number.isInteger(n)) {
    if (Object.is(n, -0)) return '0';
    if (Math.abs(n) < 1e21) return String(n);
    return BigInt(n).toString();
  }
  if (Math.abs(n) >= 1e21) return BigInt(Math.round(n)).toString();
  let s = n.toFixed(6);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  if (s === '-0' || s === '') s = '0';
  return s;
}

function isNameRegular(c: number): boolean {
  if (c < 0x21 || c > 0x7e) return false;
  switch (c) {
    case 0x23: // #
    case 0x28:
    case 0x29:
    case 0x3c:
    case 0x3e:
    case 0x5b:
    case 0x5d:
    case 0x7b:
    case 0x7d:
    case 0x2f:
    case 0x25:
      return false;
  }
  return true;
}

/** Bytes of a name: one byte per char when all chars are 0-255 (how the parser stores them), else UTF-8. */
function nameBytes(name: string): Uint8Array {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\xff]*$/.test(name)) {
    const b = new Uint8Array(name.length);
    for (let i = 0; i < name.length; i++) b[i] = name.charCodeAt(i);
    return b;
  }
  return new TextEncoder().encode(name);
}

export function writeName(w: ByteWriter, name: string): void {
  w.byte(0x2f);
  const b = nameBytes(name);
  for (const c of b) {
    if (isNameRegular(c)) w.byte(c);
    else w.byte(0x23).byte(HEX.charCodeAt(c >> 4)).byte(HEX.charCodeAt(c & 15));
  }
}

export function writeString(w: ByteWriter, s: PdfString): void {
  const b = s.bytes;
  if (s.hex) {
    w.byte(0x3c);
    for (const c of b) w.byte(HEX.charCodeAt(c >> 4)).byte(HEX.charCodeAt(c & 15));
    w.byte(0x3e);
    return;
  }
  w.byte(0x28);
  for (const c of b) {
    switch (c) {
      case 0x5c: w.ascii('\\\\'); break;
      case 0x28: w.ascii('\\('); break;
      case 0x29: w.ascii('\\)'); break;
      case 0x0a: w.ascii('\\n'); break;
      case 0x0d: w.ascii('\\r'); break;
      case 0x09: w.ascii('\\t'); break;
      case 0x08: w.ascii('\\b'); break;
      case 0x0c: w.ascii('\\f'); break;
      default:
        if (c < 0x20 || c === 0x7f) w.ascii('\\' + c.toString(8).padStart(3, '0'));
        else w.byte(c);
    }
  }
  w.byte(0x29);
}

const MAX_DEPTH = 256;

/**
 * Writes one object. A PdfStream is only allowed at the top level (streams are always indirect objects);
 * its /Length is set to the length of its raw bytes.
 */
export function writeObject(w: ByteWriter, obj: PdfObject, ctx: SerializeContext = {}, depth = 0): void {
  if (depth > MAX_DEPTH) throw new KysoError('INVALID_ARGUMENT', 'Object nested too deeply to write.');
  if (obj === null) {
    w.ascii('null');
  } else if (typeof obj === 'boolean') {
    w.ascii(obj ? 'true' : 'false');
  } else if (typeof obj === 'number') {
    w.ascii(formatNumber(obj));
  } else if (obj instanceof PdfName) {
    writeName(w, obj.name);
  } else if (obj instanceof PdfString) {
    writeString(w, obj);
  } else if (obj instanceof PdfRef) {
    w.ascii(`${obj.num} ${obj.gen} R`);
  } else if (Array.isArray(obj)) {
    w.byte(0x5b);
    obj.forEach((v, i) => {
      if (i > 0) w.byte(0x20);
      writeObject(w, v, ctx, depth + 1);
    });
    w.byte(0x5d);
  } else if (obj instanceof PdfDict) {
    writeDict(w, obj, ctx, depth);
  } else if (obj instanceof PdfStream) {
    if (depth > 0) throw new KysoError('INVALID_ARGUMENT', 'A stream can only be written as an indirect object.');
    const d = obj.dict.clone();
    d.set('Length', obj.raw.length);
    writeDict(w, d, ctx, depth);
    w.ascii('\nstream\n');
    w.bytes(obj.raw);
    w.ascii('\nendstream');
  } else if (obj instanceof PdfRaw) {
    if (obj.tag !== undefined && ctx.placeholders) {
      if (ctx.placeholders.has(obj.tag)) throw new KysoError('INVALID_ARGUMENT', `Placeholder tag "${obj.tag}" used twice.`);
      ctx.placeholders.set(obj.tag, { offset: (ctx.baseOffset ?? 0) + w.length, length: obj.bytes.length });
    }
    w.bytes(obj.bytes);
  } else {
    throw new KysoError('INVALID_ARGUMENT', 'Not a PDF object.');
  }
}

function writeDict(w: ByteWriter, d: PdfDict, ctx: SerializeContext, depth: number): void {
  w.ascii('<<');
  let first = true;
  for (const [k, v] of d.map) {
    if (v === undefined) continue;
    if (!first) w.byte(0x20);
    first = false;
    writeName(w, k);
    w.byte(0x20);
    writeObject(w, v, ctx, depth + 1);
  }
  w.ascii('>>');
}

/** The bytes of one object (a stream included), without "N G obj" / "endobj". */
export function serializeObject(obj: PdfObject, ctx: SerializeContext = {}): Uint8Array {
  const w = new ByteWriter(256);
  writeObject(w, obj, ctx);
  return w.toBytes();
}

/** A new stream holding `data` compressed with FlateDecode (/Filter set, /DecodeParms removed). */
export function flateStream(dict: PdfDict, data: Uint8Array): PdfStream {
  const d = dict.clone();
  d.set('Filter', PdfName.of('FlateDecode'));
  d.delete('DecodeParms');
  const raw = zlibSync(data, { level: 6 });
  d.set('Length', raw.length);
  return new PdfStream(d, raw);
}
