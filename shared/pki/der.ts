// Small DER helpers shared by the certificate reader and the CMS builder.
//
// Reading goes through asn1js (it keeps, for every element, the exact bytes it was decoded from).
// Writing assembles TLVs by hand around bytes that must stay exactly as they are: certificates as the token gave
// them, the issuer name and serial number as they appear in the certificate, the signed attributes exactly as they
// were signed. Re-encoding those through an object model could change a byte and break a signature.
// OBJECT IDENTIFIERs are encoded by asn1js.

import * as asn1js from 'asn1js';

export type Asn1 = asn1js.AsnType;

// ---------- bytes ----------

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const HEX = '0123456789ABCDEF';

/** Uppercase hex, no separators. */
export function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i] >> 4] + HEX[b[i] & 15];
  return s;
}

export function fromHex(hex: string): Uint8Array {
  const h = hex.replace(/[\s:]/g, '');
  if (h.length % 2 !== 0 || /[^0-9a-fA-F]/.test(h)) throw new Error('Invalid hex string');
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** X.690 §11.6 order of the encodings in a SET OF: octet-wise, the shorter one padded with trailing zero octets. */
export function compareDer(a: Uint8Array, b: Uint8Array): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = i < a.length ? a[i] : 0;
    const y = i < b.length ? b[i] : 0;
    if (x !== y) return x - y;
  }
  return 0;
}

// ---------- writing ----------

export function encodeLength(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError('Invalid DER length');
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Uint8Array.from([0x80 | bytes.length, ...bytes]);
}

/** One TLV with a single-octet identifier (universal tags and context tags [0]..[30]) around encoded contents. */
export function tlv(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const body = concatBytes(...contents);
  return concatBytes(Uint8Array.of(tag), encodeLength(body.length), body);
}

export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
  SET: 0x31,
  /** [n] IMPLICIT/EXPLICIT, constructed */
  context: (n: number) => 0xa0 | n,
  /** [n] IMPLICIT, primitive */
  contextPrimitive: (n: number) => 0x80 | n,
} as const;

export const derSequence = (...contents: Uint8Array[]): Uint8Array => tlv(TAG.SEQUENCE, ...contents);

/** SET OF with its elements in DER order (X.690 §11.6). */
export function derSetOf(elements: Uint8Array[]): Uint8Array {
  return tlv(TAG.SET, ...[...elements].sort(compareDer));
}

export const derNull = (): Uint8Array => Uint8Array.of(TAG.NULL, 0);

export const derOctetString = (b: Uint8Array): Uint8Array => tlv(TAG.OCTET_STRING, b);

export function derOid(dotted: string): Uint8Array {
  const o = new asn1js.ObjectIdentifier({ value: dotted });
  const ber = o.toBER(false);
  if (o.error || o.valueBlock.error || ber.byteLength === 0) throw new Error(`Invalid OID ${dotted}`);
  return new Uint8Array(ber);
}

/** INTEGER from an unsigned big-endian magnitude: leading zeros dropped, a 0x00 added when the high bit is set. */
export function derUnsignedInteger(magnitude: Uint8Array): Uint8Array {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
  let body = magnitude.subarray(i);
  if (body.length === 0) body = Uint8Array.of(0);
  if (body[0] & 0x80) body = concatBytes(Uint8Array.of(0), body);
  return tlv(TAG.INTEGER, body);
}

export function derSmallInteger(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > 0x7fffffff) throw new RangeError('Integer out of range');
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return derUnsignedInteger(Uint8Array.from(bytes));
}

// ---------- reading ----------

/** Decodes one element; throws on malformed input. Trailing bytes after the element are allowed only when `allowTrailing`. */
export function readDer(bytes: Uint8Array, allowTrailing = false): Asn1 {
  const r = asn1js.fromBER(bytes);
  if (r.offset === -1 || r.result.error) throw new Error(`Malformed ASN.1: ${r.result.error || 'decoding failed'}`);
  if (!allowTrailing && r.offset !== bytes.length) throw new Error('Trailing bytes after the ASN.1 element');
  return r.result;
}

/** The exact bytes an element was decoded from (a copy). */
export function rawOf(b: Asn1): Uint8Array {
  return b.valueBeforeDecodeView.slice();
}

export function isUniversal(b: Asn1, tagNumber: number): boolean {
  return b.idBlock.tagClass === 1 && b.idBlock.tagNumber === tagNumber;
}

export function isContext(b: Asn1, tagNumber: number): boolean {
  return b.idBlock.tagClass === 3 && b.idBlock.tagNumber === tagNumber;
}

/** Children of a constructed element ([] for a primitive one). */
export function childrenOf(b: Asn1): Asn1[] {
  const v = (b.valueBlock as { value?: unknown }).value;
  return Array.isArray(v) ? (v as Asn1[]) : [];
}

/** Contents octets of a primitive element. */
export function contentOf(b: Asn1): Uint8Array {
  const v = (b.valueBlock as { valueHexView?: Uint8Array }).valueHexView;
  return v ? v.slice() : new Uint8Array(0);
}

export function expectChild(b: Asn1, index: number, what: string): Asn1 {
  const c = childrenOf(b)[index];
  if (!c) throw new Error(`Missing ${what}`);
  return c;
}

export function oidOf(b: Asn1): string {
  if (!(b instanceof asn1js.ObjectIdentifier)) throw new Error('Expected an OBJECT IDENTIFIER');
  return b.valueBlock.toString();
}

/** Contents octets of an [n] IMPLICIT element re-tagged as `universalTag` (e.g. signed attributes [0] → SET 0x31). */
export function retag(raw: Uint8Array, tag: number): Uint8Array {
  const out = raw.slice();
  out[0] = tag;
  return out;
}

// base64 lives in its own module (no asn1js) so the portal script can use it; re-exported for the callers here.
export { fromBase64, toBase64 } from './base64.ts';
