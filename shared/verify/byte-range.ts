// /ByteRange sanity: the signed bytes are the file from its first byte to the end of one revision (just after a
// %%EOF), except exactly the /Contents hex string of this very signature dictionary. Anything else — a gap wider
// than the string, a range ending before or after a %%EOF, a range past the end of the file, a /Contents that is
// not the string in the gap (signature wrapping), overlapping ranges — is MALFORMED.

import { PdfString, type PdfObject } from '../pdf/objects.ts';

export interface ByteRangeCheck {
  problems: string[];
  byteRange?: [number, number, number, number];
  /** c + d: where the covered revision ends. */
  end: number;
  /** Index into reader.revisions() of the covered revision, or -1. */
  revisionIndex: number;
  coversWholeDocument: boolean;
}

const isHex = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const isEol = (c: number | undefined) => c === 0x0a || c === 0x0d;

function hexDecode(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length >> 1);
  const v = (c: number) => (c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57);
  for (let i = 0; i < out.length; i++) out[i] = (v(b[2 * i]) << 4) | v(b[2 * i + 1]);
  return out;
}

export function checkByteRange(
  bytes: Uint8Array,
  brObj: PdfObject[] | undefined,
  contents: PdfObject,
  revisions: { startxref: number; eofOffset: number }[],
): ByteRangeCheck {
  const problems: string[] = [];
  const fail = (p: string): ByteRangeCheck => ({ problems: [...problems, p], end: -1, revisionIndex: -1, coversWholeDocument: false });
  if (!brObj || brObj.length !== 4 || !brObj.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0)) return fail('/ByteRange is not four non-negative integers');
  const [a, b, c, d] = brObj as number[];
  const byteRange: [number, number, number, number] = [a, b, c, d];
  if (a !== 0) return { ...fail('/ByteRange does not start at the first byte of the file'), byteRange };
  if (!(b > 0) || c <= b) return { ...fail('/ByteRange ranges are empty, out of order or overlap'), byteRange };
  const end = c + d;
  if (end > bytes.length) return { ...fail(`/ByteRange ends at ${end}, past the end of the file (${bytes.length} bytes)`), byteRange };
  if (!(contents instanceof PdfString)) return { ...fail('/Contents is not a string'), byteRange };
  // The gap: exactly "<hex…>".
  if (bytes[b] !== 0x3c || bytes[c - 1] !== 0x3e) problems.push('the bytes left out of /ByteRange are not exactly one hex string (<…>)');
  else {
    let bad = false;
    for (let i = b + 1; i < c - 1; i++) {
      if (!isHex(bytes[i])) {
        bad = true;
        break;
      }
    }
    if (bad || (c - b - 2) % 2 !== 0) problems.push('the bytes left out of /ByteRange hold more than the hex digits of /Contents');
    else {
      const gap = hexDecode(bytes.subarray(b + 1, c - 1));
      const cb = contents.bytes;
      let same = gap.length === cb.length;
      for (let i = 0; same && i < cb.length; i++) if (gap[i] !== cb[i]) same = false;
      if (!same) problems.push('the signature dictionary\'s /Contents is not the string left out of /ByteRange (signature wrapping)');
    }
  }
  // The end must be a revision end: just after a %%EOF, with or without its end-of-line.
  let revisionIndex = -1;
  revisions.forEach((r, i) => {
    let bare = r.eofOffset;
    while (bare > 0 && isEol(bytes[bare - 1])) bare--;
    if (end === r.eofOffset || end === bare || (end > bare && end <= r.eofOffset)) revisionIndex = i;
  });
  if (revisionIndex < 0) problems.push('/ByteRange does not end at the end of a revision (%%EOF): part of the file is neither signed nor a later update');
  let tail = end;
  while (tail < bytes.length && (isEol(bytes[tail]) || bytes[tail] === 0x20 || bytes[tail] === 0x00)) tail++;
  return { problems, byteRange, end, revisionIndex, coversWholeDocument: tail >= bytes.length };
}
