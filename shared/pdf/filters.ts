// Stream filters (ISO 32000-2 §7.4). Decoded here: FlateDecode (fflate), LZWDecode, ASCIIHexDecode, ASCII85Decode,
// RunLengthDecode, with PNG and TIFF predictors. Image codecs (DCTDecode, JPXDecode, JBIG2Decode, CCITTFaxDecode)
// are not decoded: decoding stops in front of the first of them and the still-encoded bytes are returned,
// with the filters left to apply reported by decodeFilters(). A /Crypt filter other than /Identity cannot be
// applied here (no keys) and raises PDF_INVALID, as does corrupt data or an unknown filter name.

import { Inflate } from 'fflate';
import { KysoError } from '../protocol/errors.ts';
import { PdfDict, PdfName, type PdfObject } from './objects.ts';

/** Decoded output larger than this is refused (decompression bombs). */
export const MAX_DECODED_BYTES = 512 * 1024 * 1024;

const IMAGE_FILTERS = new Set(['DCTDecode', 'DCT', 'JPXDecode', 'JBIG2Decode', 'CCITTFaxDecode', 'CCF']);

export interface DecodeResult {
  data: Uint8Array;
  /** Filters not applied (an image codec and whatever follows it); empty when fully decoded. */
  remaining: string[];
}

export interface DecodeOptions {
  /** Keep whatever could be decoded from damaged Flate data instead of failing (used for xref/object streams). */
  lenient?: boolean;
  /** Resolves indirect /DecodeParms or /Filter entries. */
  resolve?: (o: PdfObject | undefined) => PdfObject | undefined;
  maxBytes?: number;
}

function invalid(msg: string): KysoError {
  return new KysoError('PDF_INVALID', msg);
}

/** Applies the filters named in `dict` (/Filter, /DecodeParms) to `raw`. */
export function decodeFilters(dict: PdfDict, raw: Uint8Array, opts: DecodeOptions = {}): DecodeResult {
  const res = opts.resolve ?? ((o: PdfObject | undefined) => o);
  const f = res(dict.get('Filter'));
  const p = res(dict.get('DecodeParms') ?? dict.get('DP'));
  const names: string[] = [];
  const parms: (PdfDict | undefined)[] = [];
  if (f instanceof PdfName) {
    names.push(f.name);
    const pp = Array.isArray(p) ? res(p[0]) : p;
    parms.push(pp instanceof PdfDict ? pp : undefined);
  } else if (Array.isArray(f)) {
    f.forEach((x, i) => {
      const n = res(x);
      if (!(n instanceof PdfName)) throw invalid('Filter array holds a non-name.');
      names.push(n.name);
      const pp = Array.isArray(p) ? res(p[i]) : undefined;
      parms.push(pp instanceof PdfDict ? pp : undefined);
    });
  } else if (f !== undefined && f !== null) {
    throw invalid('Bad /Filter entry.');
  }
  let data = raw;
  const max = opts.maxBytes ?? MAX_DECODED_BYTES;
  for (let i = 0; i < names.length; i++) {
    const n = names[i];
    if (IMAGE_FILTERS.has(n)) return { data, remaining: names.slice(i) };
    data = applyFilter(n, data, parms[i], res, max, opts.lenient ?? false);
  }
  return { data, remaining: [] };
}

function applyFilter(
  name: string,
  data: Uint8Array,
  parms: PdfDict | undefined,
  res: (o: PdfObject | undefined) => PdfObject | undefined,
  max: number,
  lenient: boolean,
): Uint8Array {
  switch (name) {
    case 'FlateDecode':
    case 'Fl':
      return applyPredictor(flateDecode(data, max, lenient), parms, res);
    case 'LZWDecode':
    case 'LZW': {
      const ec = parms ? res(parms.get('EarlyChange')) : undefined;
      return applyPredictor(lzwDecode(data, ec === 0 ? 0 : 1, max), parms, res);
    }
    case 'ASCIIHexDecode':
    case 'AHx':
      return asciiHexDecode(data);
    case 'ASCII85Decode':
    case 'A85':
      return ascii85Decode(data);
    case 'RunLengthDecode':
    case 'RL':
      return runLengthDecode(data, max);
    case 'Crypt': {
      const n = parms ? res(parms.get('Name')) : undefined;
      if (n === undefined || (n instanceof PdfName && n.name === 'Identity')) return data;
      throw invalid('Crypt filter other than Identity.');
    }
    default:
      throw invalid(`Unsupported filter /${name}.`);
  }
}

// ---------------------------------------------------------------------------------------------------- Flate

export function flateDecode(data: Uint8Array, max = MAX_DECODED_BYTES, lenient = false): Uint8Array {
  let body = data;
  // zlib wrapper (RFC 1950): CMF/FLG, optional dictionary id; the Adler-32 trailer is ignored by raw inflate.
  if (data.length >= 2 && (data[0] & 0x0f) === 8 && ((data[0] << 8) | data[1]) % 31 === 0) {
    body = data.subarray(data[1] & 0x20 ? 6 : 2);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  let tooBig = false;
  const inf = new Inflate((chunk) => {
    total += chunk.length;
    if (total > max) tooBig = true;
    else chunks.push(chunk);
  });
  const STEP = 1 << 16;
  try {
    if (body.length === 0) inf.push(body, true);
    for (let i = 0; i < body.length && !tooBig; i += STEP) {
      inf.push(body.subarray(i, Math.min(body.length, i + STEP)), i + STEP >= body.length);
    }
  } catch (e) {
    if (!lenient || chunks.length === 0) {
      throw new KysoError('PDF_INVALID', `Corrupt FlateDecode data (${e instanceof Error ? e.message : String(e)}).`, undefined, { cause: e });
    }
  }
  if (tooBig) throw new KysoError('PDF_TOO_LARGE', `A stream decodes to more than ${max} bytes.`);
  return concat(chunks, Math.min(total, max));
}

export function concat(chunks: Uint8Array[], total?: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const n = total ?? chunks.reduce((a, c) => a + c.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const c of chunks) {
    out.set(c.subarray(0, Math.min(c.length, n - o)), o);
    o += c.length;
    if (o >= n) break;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------- Predictors

function intParm(parms: PdfDict | undefined, key: string, dflt: number, res: (o: PdfObject | undefined) => PdfObject | undefined): number {
  const v = parms ? res(parms.get(key)) : undefined;
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : dflt;
}

export function applyPredictor(data: Uint8Array, parms: PdfDict | undefined, res: (o: PdfObject | undefined) => PdfObject | undefined = (o) => o): Uint8Array {
  if (!parms) return data;
  const predictor = intParm(parms, 'Predictor', 1, res);
  if (predictor === 1) return data;
  const colors = intParm(parms, 'Colors', 1, res);
  const bpc = intParm(parms, 'BitsPerComponent', 8, res);
  const columns = intParm(parms, 'Columns', 1, res);
  if (colors > 32 || ![1, 2, 4, 8, 16].includes(bpc) || columns > 1 << 24) throw invalid('Bad predictor parameters.');
  const rowBytes = Math.ceil((colors * bpc * columns) / 8);
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8));
  if (predictor === 2) return tiffPredictor(data, rowBytes, colors, bpc, columns);
  if (predictor >= 10 && predictor <= 15) return pngPredictor(data, rowBytes, bpp);
  throw invalid(`Unknown predictor ${predictor}.`);
}

function pngPredictor(data: Uint8Array, rowBytes: number, bpp: number): Uint8Array {
  const rows = Math.ceil(data.length / (rowBytes + 1));
  const out = new Uint8Array(rows * rowBytes);
  let prev = new Uint8Array(rowBytes);
  let o = 0;
  for (let r = 0, i = 0; r < rows; r++) {
    const type = data[i++];
    const n = Math.min(rowBytes, data.length - i);
    const row = out.subarray(o, o + rowBytes);
    for (let k = 0; k < n; k++) {
      const x = data[i + k];
      const a = k >= bpp ? row[k - bpp] : 0;
      const b = prev[k];
      const c = k >= bpp ? prev[k - bpp] : 0;
      let v: number;
      switch (type) {
        case 0: v = x; break;
        case 1: v = x + a; break;
        case 2: v = x + b; break;
        case 3: v = x + ((a + b) >> 1); break;
        case 4: {
          const pa = Math.abs(b - c);
          const pb = Math.abs(a - c);
          const pc = Math.abs(a + b - 2 * c);
          v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default:
          throw invalid(`Bad PNG predictor row type ${type}.`);
      }
      row[k] = v & 0xff;
    }
    i += n;
    o += n;
    prev = row;
    if (n < rowBytes) break;
  }
  return out.subarray(0, o);
}

function tiffPredictor(data: Uint8Array, rowBytes: number, colors: number, bpc: number, columns: number): Uint8Array {
  const out = data.slice();
  for (let r = 0; r * rowBytes < out.length; r++) {
    const row = out.subarray(r * rowBytes, Math.min(out.length, (r + 1) * rowBytes));
    if (bpc === 8) {
      for (let k = colors; k < row.length; k++) row[k] = (row[k] + row[k - colors]) & 0xff;
    } else if (bpc === 16) {
      for (let k = 2 * colors; k + 1 < row.length; k += 2) {
        const v = ((row[k] << 8) | row[k + 1]) + ((row[k - 2 * colors] << 8) | row[k - 2 * colors + 1]);
        row[k] = (v >> 8) & 0xff;
        row[k + 1] = v & 0xff;
      }
    } else {
      // 1, 2 or 4 bits per component: unpack, accumulate per component, repack.
      const mask = (1 << bpc) - 1;
      const n = colors * columns;
      const get = (i: number) => (row[(i * bpc) >> 3] >> (8 - bpc - ((i * bpc) & 7))) & mask;
      const set = (i: number, v: number) => {
        const byte = (i * bpc) >> 3;
        const shift = 8 - bpc - ((i * bpc) & 7);
        row[byte] = (row[byte] & ~(mask << shift)) | ((v & mask) << shift);
      };
      for (let i = colors; i < n && ((i * bpc) >> 3) < row.length; i++) set(i, get(i) + get(i - colors));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------- Others

export function lzwDecode(data: Uint8Array, earlyChange: 0 | 1, max = MAX_DECODED_BYTES): Uint8Array {
  let buf = new Uint8Array(Math.max(1024, data.length * 3));
  let o = 0;
  const emit = (bytes: Uint8Array) => {
    if (o + bytes.length > buf.length) {
      if (o + bytes.length > max) throw new KysoError('PDF_TOO_LARGE', `A stream decodes to more than ${max} bytes.`);
      const nb = new Uint8Array(Math.max(buf.length * 2, o + bytes.length));
      nb.set(buf.subarray(0, o));
      buf = nb;
    }
    buf.set(bytes, o);
    o += bytes.length;
  };
  let table: Uint8Array[] = [];
  const reset = () => {
    table = [];
    for (let i = 0; i < 256; i++) table.push(Uint8Array.of(i));
    table.push(new Uint8Array(0), new Uint8Array(0)); // 256 clear, 257 EOD
  };
  reset();
  let codeLen = 9;
  let bitBuf = 0;
  let bits = 0;
  let prev: Uint8Array | null = null;
  for (let i = 0; i < data.length; ) {
    while (bits < codeLen && i < data.length) {
      bitBuf = ((bitBuf << 8) | data[i++]) >>> 0;
      bits += 8;
    }
    if (bits < codeLen) break;
    const code = (bitBuf >>> (bits - codeLen)) & ((1 << codeLen) - 1);
    bits -= codeLen;
    bitBuf &= (1 << bits) - 1;
    if (code === 256) {
      reset();
      codeLen = 9;
      prev = null;
      continue;
    }
    if (code === 257) break;
    let entry: Uint8Array;
    if (code < table.length) {
      entry = table[code];
      if (prev && table.length < 4096) {
        const e = new Uint8Array(prev.length + 1);
        e.set(prev);
        e[prev.length] = entry[0];
        table.push(e);
      }
    } else if (code === table.length && prev && table.length < 4096) {
      entry = new Uint8Array(prev.length + 1);
      entry.set(prev);
      entry[prev.length] = prev[0];
      table.push(entry);
    } else {
      throw invalid('Corrupt LZWDecode data.');
    }
    emit(entry);
    prev = entry;
    const next = table.length + earlyChange;
    if (next >= 2048) codeLen = 12;
    else if (next >= 1024) codeLen = 11;
    else if (next >= 512) codeLen = 10;
  }
  return buf.subarray(0, o);
}

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

const isWs = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;

export function asciiHexDecode(data: Uint8Array): Uint8Array {
  const out = new Uint8Array((data.length >> 1) + 1);
  let n = 0;
  let hi = -1;
  for (let i = 0; i < data.length; i++) {
    const c = data[i];
    if (c === 0x3e) break;
    if (isWs(c)) continue;
    const v = hexVal(c);
    if (v < 0) throw invalid('Bad ASCIIHexDecode data.');
    if (hi < 0) hi = v;
    else {
      out[n++] = (hi << 4) | v;
      hi = -1;
    }
  }
  if (hi >= 0) out[n++] = hi << 4;
  return out.slice(0, n);
}

export function ascii85Decode(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil((data.length * 4) / 5) + 4 + data.length * 4);
  let n = 0;
  const group: number[] = [];
  let i = 0;
  // An optional "<~" prefix is tolerated.
  while (i < data.length && isWs(data[i])) i++;
  if (data[i] === 0x3c && data[i + 1] === 0x7e) i += 2;
  for (; i < data.length; i++) {
    const c = data[i];
    if (isWs(c)) continue;
    if (c === 0x7e) break; // "~>"
    if (c === 0x7a && group.length === 0) {
      out[n++] = 0;
      out[n++] = 0;
      out[n++] = 0;
      out[n++] = 0;
      continue;
    }
    if (c < 0x21 || c > 0x75) throw invalid('Bad ASCII85Decode data.');
    group.push(c - 0x21);
    if (group.length === 5) {
      let v = 0;
      for (const g of group) v = v * 85 + g;
      if (v > 0xffffffff) throw invalid('Bad ASCII85Decode group.');
      out[n++] = (v >>> 24) & 0xff;
      out[n++] = (v >>> 16) & 0xff;
      out[n++] = (v >>> 8) & 0xff;
      out[n++] = v & 0xff;
      group.length = 0;
    }
  }
  if (group.length === 1) throw invalid('Bad final ASCII85Decode group.');
  if (group.length > 1) {
    const k = group.length;
    while (group.length < 5) group.push(84);
    let v = 0;
    for (const g of group) v = v * 85 + g;
    for (let j = 0; j < k - 1; j++) out[n++] = (v >>> (24 - 8 * j)) & 0xff;
  }
  return out.slice(0, n);
}

export function runLengthDecode(data: Uint8Array, max = MAX_DECODED_BYTES): Uint8Array {
  let i = 0;
  const out: Uint8Array[] = [];
  let total = 0;
  while (i < data.length) {
    const len = data[i++];
    if (len === 128) break;
    if (len < 128) {
      const seg = data.subarray(i, Math.min(data.length, i + len + 1));
      out.push(seg);
      total += seg.length;
      i += len + 1;
    } else {
      if (i >= data.length) break;
      const seg = new Uint8Array(257 - len).fill(data[i++]);
      out.push(seg);
      total += seg.length;
    }
    if (total > max) throw new KysoError('PDF_TOO_LARGE', `A stream decodes to more than ${max} bytes.`);
  }
  return concat(out, total);
}
