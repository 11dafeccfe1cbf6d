// A PNG decoder (ISO/IEC 15948, W3C PNG 3rd edition) producing 8-bit samples ready for a PDF image XObject:
// colour (gray or RGB) and, when the image has any transparency, a separate alpha plane for the /SMask.

import { unzlibSync } from 'fflate';
import { KysoError } from '../../protocol/errors.ts';

export interface DecodedPng {
  width: number;
  height: number;
  /** 1 for gray (colour types 0 and 4), 3 for RGB (types 2, 3 and 6). */
  channels: 1 | 3;
  bitsPerComponent: 8;
  /** width × height × channels samples, row by row, top to bottom. */
  pixels: Uint8Array;
  /** width × height alpha samples (255 opaque); present only when some pixel is not fully opaque. */
  alpha?: Uint8Array;
  hasTransparency: boolean;
}

export interface PngInfo {
  width: number;
  height: number;
  bitDepth: number;
  /** 0 gray, 2 RGB, 3 palette, 4 gray + alpha, 6 RGBA. */
  colorType: number;
  interlaced: boolean;
  /** True when the file can hold transparency: an alpha channel (types 4 and 6) or a tRNS chunk. */
  canHaveAlpha: boolean;
}

/** Largest width or height accepted. */
export const PNG_MAX_DIMENSION = 8000;
/** Largest decompressed image data accepted (filter bytes included). */
export const PNG_MAX_DECOMPRESSED = 256 * 1024 * 1024;

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Samples per pixel, by colour type. */
const SAMPLES: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** Allowed bit depths, by colour type. */
const DEPTHS: Record<number, readonly number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

/** Adam7 passes: x start, y start, x step, y step. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;
const NO_INTERLACE = [[0, 0, 1, 1]] as const;

function invalid(detail: string, cause?: unknown): KysoError {
  return new KysoError('IMAGE_INVALID', detail, undefined, cause === undefined ? undefined : { cause });
}

let crcTable: Uint32Array | undefined;
function crc32(b: Uint8Array, start: number, end: number): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = crcTable[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function u32(b: Uint8Array, p: number): number {
  return ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
}

interface Header {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlaced: boolean;
}

function checkSignature(bytes: Uint8Array): void {
  if (!(bytes instanceof Uint8Array) || bytes.length < 8 || SIGNATURE.some((v, i) => bytes[i] !== v)) throw invalid('Not a PNG file (bad signature).');
}

function readHeader(bytes: Uint8Array): Header {
  checkSignature(bytes);
  if (bytes.length < 33 || u32(bytes, 8) !== 13 || String.fromCharCode(bytes[12], bytes[13], bytes[14], bytes[15]) !== 'IHDR')
    throw invalid('PNG does not start with an IHDR chunk.');
  if (crc32(bytes, 12, 29) !== u32(bytes, 29)) throw invalid('PNG IHDR chunk has a bad CRC.');
  const width = u32(bytes, 16);
  const height = u32(bytes, 20);
  const bitDepth = bytes[24];
  const colorType = bytes[25];
  if (width === 0 || height === 0) throw invalid('PNG has zero width or height.');
  if (width > PNG_MAX_DIMENSION || height > PNG_MAX_DIMENSION) throw invalid(`PNG is ${width}×${height}; the limit is ${PNG_MAX_DIMENSION}×${PNG_MAX_DIMENSION}.`);
  if (!DEPTHS[colorType]) throw invalid(`PNG has an unknown colour type ${colorType}.`);
  if (!DEPTHS[colorType].includes(bitDepth)) throw invalid(`PNG colour type ${colorType} cannot have bit depth ${bitDepth}.`);
  if (bytes[26] !== 0 || bytes[27] !== 0) throw invalid('PNG uses an unknown compression or filter method.');
  if (bytes[28] > 1) throw invalid('PNG uses an unknown interlace method.');
  return { width, height, bitDepth, colorType, interlaced: bytes[28] === 1 };
}

/** Reads the header (and looks for tRNS ahead of the image data) without decoding anything. */
export function pngInfo(bytes: Uint8Array): PngInfo {
  const h = readHeader(bytes);
  let canHaveAlpha = h.colorType === 4 || h.colorType === 6;
  for (let p = 33; !canHaveAlpha && p + 8 <= bytes.length; ) {
    const type = String.fromCharCode(bytes[p + 4], bytes[p + 5], bytes[p + 6], bytes[p + 7]);
    if (type === 'tRNS') canHaveAlpha = true;
    if (type === 'IDAT' || type === 'IEND') break;
    p += 12 + u32(bytes, p);
  }
  return { ...h, canHaveAlpha };
}

/** Decodes a PNG into 8-bit gray or RGB samples plus an optional alpha plane. Anything wrong: IMAGE_INVALID. */
export function decodePng(bytes: Uint8Array): DecodedPng {
  try {
    return decode(bytes);
  } catch (e) {
    if (e instanceof KysoError) throw e;
    throw invalid('PNG data is corrupt.', e);
  }
}

function decode(bytes: Uint8Array): DecodedPng {
  const { width, height, bitDepth, colorType, interlaced } = readHeader(bytes);

  // Chunks.
  let palette: Uint8Array | undefined;
  let trns: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  let idatLength = 0;
  let ended = false;
  for (let p = 8; !ended; ) {
    if (p + 12 > bytes.length) throw invalid('PNG is truncated (no IEND chunk).');
    const length = u32(bytes, p);
    if (length > 0x7fffffff || p + 12 + length > bytes.length) throw invalid('PNG is truncated or a chunk length is wrong.');
    const t0 = bytes[p + 4];
    const type = String.fromCharCode(t0, bytes[p + 5], bytes[p + 6], bytes[p + 7]);
    if (!/^[A-Za-z]{4}$/.test(type)) throw invalid('PNG has a malformed chunk type.');
    const dataStart = p + 8;
    const dataEnd = dataStart + length;
    if (crc32(bytes, p + 4, dataEnd) !== u32(bytes, dataEnd)) throw invalid(`PNG chunk ${type} has a bad CRC.`);
    const data = bytes.subarray(dataStart, dataEnd);
    switch (type) {
      case 'IHDR':
        if (p !== 8) throw invalid('PNG has a second IHDR chunk.');
        break;
      case 'PLTE':
        if (idat.length) throw invalid('PNG PLTE chunk comes after the image data.');
        if (length === 0 || length % 3 !== 0 || length > 768) throw invalid('PNG PLTE chunk has a bad length.');
        palette = data;
        break;
      case 'tRNS':
        if (idat.length) throw invalid('PNG tRNS chunk comes after the image data.');
        trns = data;
        break;
      case 'IDAT':
        idat.push(data);
        idatLength += length;
        break;
      case 'IEND':
        ended = true;
        break;
      default:
        // Unknown ancillary chunks (lowercase first letter) are skipped; unknown critical ones make the image unreadable.
        if (!(t0 & 0x20)) throw invalid(`PNG has an unsupported critical chunk ${type}.`);
    }
    p = dataEnd + 4;
  }
  if (!idat.length || idatLength === 0) throw invalid('PNG has no image data.');
  if (colorType === 3 && !palette) throw invalid('Palette PNG has no PLTE chunk.');

  // Size checks before inflating anything.
  const spp = SAMPLES[colorType];
  const bitsPerPixel = spp * bitDepth;
  const bpp = Math.max(1, bitsPerPixel >> 3);
  const passes = (interlaced ? ADAM7 : NO_INTERLACE).map(([x0, y0, dx, dy]) => {
    const pw = width > x0 ? Math.ceil((width - x0) / dx) : 0;
    const ph = height > y0 ? Math.ceil((height - y0) / dy) : 0;
    return { x0, y0, dx, dy, pw, ph, rowBytes: Math.ceil((pw * bitsPerPixel) / 8) };
  });
  let expected = 0;
  for (const ps of passes) if (ps.pw && ps.ph) expected += ps.ph * (1 + ps.rowBytes);
  if (expected > PNG_MAX_DECOMPRESSED) throw invalid(`PNG image data would take ${expected} bytes; the limit is ${PNG_MAX_DECOMPRESSED}.`);

  let compressed: Uint8Array;
  if (idat.length === 1) compressed = idat[0];
  else {
    compressed = new Uint8Array(idatLength);
    let at = 0;
    for (const c of idat) {
      compressed.set(c, at);
      at += c.length;
    }
  }
  let raw: Uint8Array;
  try {
    raw = unzlibSync(compressed, { out: new Uint8Array(expected) });
  } catch (e) {
    throw invalid('PNG image data does not decompress.', e);
  }
  if (raw.length < expected) throw invalid('PNG image data is truncated.');

  // Output planes.
  const channels: 1 | 3 = colorType === 0 || colorType === 4 ? 1 : 3;
  const pixels = new Uint8Array(width * height * channels);
  const mayHaveAlpha = colorType === 4 || colorType === 6 || trns !== undefined;
  const alpha = mayHaveAlpha ? new Uint8Array(width * height).fill(255) : undefined;

  // tRNS: a key colour for gray and RGB (raw sample values), alpha per palette entry.
  let keyGray = -1;
  let keyR = -1;
  let keyG = -1;
  let keyB = -1;
  const palAlpha = new Uint8Array(256).fill(255);
  if (trns) {
    if (colorType === 0 && trns.length >= 2) keyGray = (trns[0] << 8) | trns[1];
    else if (colorType === 2 && trns.length >= 6) {
      keyR = (trns[0] << 8) | trns[1];
      keyG = (trns[2] << 8) | trns[3];
      keyB = (trns[4] << 8) | trns[5];
    } else if (colorType === 3) palAlpha.set(trns.subarray(0, 256));
  }
  const palR = new Uint8Array(256);
  const palG = new Uint8Array(256);
  const palB = new Uint8Array(256);
  if (palette) {
    // Entries past the palette's end stay black, as most decoders draw them.
    for (let i = 0; i * 3 < palette.length; i++) {
      palR[i] = palette[3 * i];
      palG[i] = palette[3 * i + 1];
      palB[i] = palette[3 * i + 2];
    }
  }

  // Raw sample value -> 8 bits: v * mul >> shift.
  const mul = bitDepth === 1 ? 255 : bitDepth === 2 ? 85 : bitDepth === 4 ? 17 : 1;
  const shift = bitDepth === 16 ? 8 : 0;
  const unpacked = bitDepth === 8 ? undefined : new Uint16Array(width * spp);

  let offset = 0;
  for (const ps of passes) {
    if (!ps.pw || !ps.ph) continue;
    const { rowBytes, pw, x0, dx } = ps;
    for (let r = 0; r < ps.ph; r++) {
      const filter = raw[offset];
      const cur = offset + 1;
      unfilterRow(raw, filter, cur, r === 0 ? -1 : cur - 1 - rowBytes, rowBytes, bpp);
      offset = cur + rowBytes;

      // The row's raw sample values.
      let s: Samples;
      if (!unpacked) s = raw.subarray(cur, cur + rowBytes);
      else if (bitDepth === 16) {
        for (let i = 0, n = pw * spp; i < n; i++) unpacked[i] = (raw[cur + 2 * i] << 8) | raw[cur + 2 * i + 1];
        s = unpacked;
      } else {
        const mask = (1 << bitDepth) - 1;
        const perByte = 8 / bitDepth;
        for (let i = 0; i < pw; i++) {
          const byte = raw[cur + Math.floor(i / perByte)];
          unpacked[i] = (byte >> (8 - bitDepth * (1 + (i % perByte)))) & mask;
        }
        s = unpacked;
      }

      const px = (ps.y0 + r * ps.dy) * width + x0; // first pixel of the row
      switch (colorType) {
        case 0:
          grayRow(s, pw, pixels, alpha, px, dx, mul, shift, keyGray);
          break;
        case 2:
          rgbRow(s, pw, pixels, alpha, px, dx, shift, keyR, keyG, keyB);
          break;
        case 3:
          paletteRow(s, pw, pixels, alpha, px, dx, palR, palG, palB, palAlpha);
          break;
        case 4:
          grayAlphaRow(s, pw, pixels, alpha!, px, dx, shift);
          break;
        case 6:
          rgbaRow(s, pw, pixels, alpha!, px, dx, shift);
          break;
      }
    }
  }

  let transparent = false;
  if (alpha) {
    for (let i = 0; i < alpha.length; i++) {
      if (alpha[i] !== 255) {
        transparent = true;
        break;
      }
    }
  }
  const out: DecodedPng = { width, height, channels, bitsPerComponent: 8, pixels, hasTransparency: transparent };
  if (transparent) out.alpha = alpha;
  return out;
}

type Samples = Uint8Array | Uint16Array;

// Row converters: raw samples of one (pass) row -> output planes, starting at pixel px and stepping dx pixels.
// Small separate functions so the engine optimises each one after a few rows.

function grayRow(s: Samples, pw: number, pixels: Uint8Array, alpha: Uint8Array | undefined, px: number, dx: number, mul: number, shift: number, key: number): void {
  for (let i = 0; i < pw; i++, px += dx) {
    const v = s[i];
    pixels[px] = (v * mul) >> shift;
    if (v === key) alpha![px] = 0;
  }
}

function rgbRow(s: Samples, pw: number, pixels: Uint8Array, alpha: Uint8Array | undefined, px: number, dx: number, shift: number, kr: number, kg: number, kb: number): void {
  for (let i = 0, k = 0; i < pw; i++, k += 3, px += dx) {
    const vr = s[k];
    const vg = s[k + 1];
    const vb = s[k + 2];
    const o = px * 3;
    pixels[o] = vr >> shift;
    pixels[o + 1] = vg >> shift;
    pixels[o + 2] = vb >> shift;
    if (vr === kr && vg === kg && vb === kb) alpha![px] = 0;
  }
}

function paletteRow(
  s: Samples,
  pw: number,
  pixels: Uint8Array,
  alpha: Uint8Array | undefined,
  px: number,
  dx: number,
  r: Uint8Array,
  g: Uint8Array,
  b: Uint8Array,
  a: Uint8Array,
): void {
  for (let i = 0; i < pw; i++, px += dx) {
    const v = s[i];
    const o = px * 3;
    pixels[o] = r[v];
    pixels[o + 1] = g[v];
    pixels[o + 2] = b[v];
    if (alpha) alpha[px] = a[v];
  }
}

function grayAlphaRow(s: Samples, pw: number, pixels: Uint8Array, alpha: Uint8Array, px: number, dx: number, shift: number): void {
  for (let i = 0, k = 0; i < pw; i++, k += 2, px += dx) {
    pixels[px] = s[k] >> shift;
    alpha[px] = s[k + 1] >> shift;
  }
}

function rgbaRow(s: Samples, pw: number, pixels: Uint8Array, alpha: Uint8Array, px: number, dx: number, shift: number): void {
  for (let i = 0, k = 0; i < pw; i++, k += 4, px += dx) {
    const o = px * 3;
    pixels[o] = s[k] >> shift;
    pixels[o + 1] = s[k + 1] >> shift;
    pixels[o + 2] = s[k + 2] >> shift;
    alpha[px] = s[k + 3] >> shift;
  }
}

/** Undoes one row's filter in place. `prev` is the previous row's first byte in the same pass, or -1. */
function unfilterRow(b: Uint8Array, filter: number, cur: number, prev: number, n: number, bpp: number): void {
  switch (filter) {
    case 0:
      return;
    case 1:
      for (let i = bpp; i < n; i++) b[cur + i] += b[cur + i - bpp];
      return;
    case 2:
      if (prev >= 0) for (let i = 0; i < n; i++) b[cur + i] += b[prev + i];
      return;
    case 3:
      if (prev >= 0) {
        for (let i = 0; i < bpp && i < n; i++) b[cur + i] += b[prev + i] >> 1;
        for (let i = bpp; i < n; i++) b[cur + i] += (b[cur + i - bpp] + b[prev + i]) >> 1;
      } else for (let i = bpp; i < n; i++) b[cur + i] += b[cur + i - bpp] >> 1;
      return;
    case 4:
      if (prev >= 0) {
        for (let i = 0; i < bpp && i < n; i++) b[cur + i] += b[prev + i];
        for (let i = bpp; i < n; i++) {
          const a = b[cur + i - bpp];
          const up = b[prev + i];
          const c = b[prev + i - bpp];
          const pa = Math.abs(up - c);
          const pb = Math.abs(a - c);
          const pc = Math.abs(a + up - 2 * c);
          b[cur + i] += pa <= pb && pa <= pc ? a : pb <= pc ? up : c;
        }
      } else for (let i = bpp; i < n; i++) b[cur + i] += b[cur + i - bpp];
      return;
    default:
      throw invalid(`PNG row has an unknown filter type ${filter}.`);
  }
}

/** Alpha at or below this counts as transparent when judging the background. */
const TRANSPARENT_ALPHA = 63;

/**
 * True when the image's background looks transparent: all four corners and at least 90% of the border pixels are
 * (nearly) transparent. A scan on white paper saved without transparency gives false.
 */
export function isMostlyTransparentBackground(png: DecodedPng): boolean {
  const { width: w, height: h, alpha } = png;
  if (!alpha) return false;
  const at = (x: number, y: number) => alpha[y * w + x] <= TRANSPARENT_ALPHA;
  if (!at(0, 0) || !at(w - 1, 0) || !at(0, h - 1) || !at(w - 1, h - 1)) return false;
  let total = 0;
  let clear = 0;
  for (let x = 0; x < w; x++) {
    total += h > 1 ? 2 : 1;
    clear += +at(x, 0) + (h > 1 ? +at(x, h - 1) : 0);
  }
  for (let y = 1; y < h - 1; y++) {
    total += w > 1 ? 2 : 1;
    clear += +at(0, y) + (w > 1 ? +at(w - 1, y) : 0);
  }
  return clear >= 0.9 * total;
}
