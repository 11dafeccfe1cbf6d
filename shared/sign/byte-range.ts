// The signature dictionary's /ByteRange and /Contents: placeholders written by the incremental writer, filled in
// once the file's final layout is known (ISO 32000-2 §12.8.1).

import { PdfRaw } from '../pdf/objects.ts';
import { KysoError } from '../protocol/errors.ts';

export const BYTE_RANGE_TAG = 'kyso:byterange';
export const CONTENTS_TAG = 'kyso:contents';
const BYTE_RANGE_WIDTH = 48;

export function byteRangePlaceholder(): PdfRaw {
  return new PdfRaw(new TextEncoder().encode('[' + ' '.repeat(BYTE_RANGE_WIDTH - 2) + ']'), BYTE_RANGE_TAG);
}

/** A hex string of `bytes` zero bytes: "<" + 2·bytes hex digits + ">". */
export function contentsPlaceholder(bytes: number): PdfRaw {
  const s = '<' + '0'.repeat(bytes * 2) + '>';
  return new PdfRaw(new TextEncoder().encode(s), CONTENTS_TAG);
}

export type ByteRange = [number, number, number, number];

/** Writes the byte range around the /Contents hex string (delimiters included in the gap) into the file. */
export function fillByteRange(file: Uint8Array, byteRangeAt: { offset: number; length: number }, contentsAt: { offset: number; length: number }): ByteRange {
  const range: ByteRange = [0, contentsAt.offset, contentsAt.offset + contentsAt.length, file.length - (contentsAt.offset + contentsAt.length)];
  const text = `[${range.join(' ')}]`;
  if (text.length > byteRangeAt.length) throw new KysoError('INTERNAL_ERROR', 'ByteRange placeholder too small.');
  const padded = text + ' '.repeat(byteRangeAt.length - text.length);
  for (let i = 0; i < padded.length; i++) file[byteRangeAt.offset + i] = padded.charCodeAt(i);
  return range;
}

/** The bytes a signature covers, in one buffer. */
export function signedBytes(file: Uint8Array, r: ByteRange): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(r[1] + r[3]);
  out.set(file.subarray(r[0], r[0] + r[1]), 0);
  out.set(file.subarray(r[2], r[2] + r[3]), r[1]);
  return out;
}

const HEX = '0123456789ABCDEF';

/** Writes the DER signature into the /Contents placeholder (zero padded). */
export function fillContents(file: Uint8Array, contentsAt: { offset: number; length: number }, der: Uint8Array): void {
  const capacity = (contentsAt.length - 2) / 2;
  if (der.length > capacity) throw new KysoError('SIGNATURE_TOO_LARGE', `${der.length} bytes > ${capacity} reserved.`);
  let o = contentsAt.offset + 1;
  for (const b of der) {
    file[o++] = HEX.charCodeAt(b >> 4);
    file[o++] = HEX.charCodeAt(b & 15);
  }
}
