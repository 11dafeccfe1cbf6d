// Test helpers: a PNG encoder, a PDF object serialiser with an in-memory ObjectSink, and external tool runners.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { zlibSync } from 'fflate';
import { PdfDict, PdfName, PdfRaw, PdfRef, PdfStream, PdfString, type PdfObject } from '../../shared/pdf/objects.ts';
import type { ObjectSink } from '../../shared/pdf/font/type0.ts';

export const FONT_DIR = fileURLToPath(new URL('../../shared/assets/fonts/', import.meta.url));
export function fontBytes(style: 'Regular' | 'Bold' | 'Italic'): Uint8Array {
  return new Uint8Array(readFileSync(FONT_DIR + `LiberationSerif-${style}.ttf`));
}

// ---------------------------------------------------------------------------------------------------------------
// PNG encoder (test side, written independently of the decoder).

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  dv.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export const PNG_SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const SPP: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

export interface PngSource {
  width: number;
  height: number;
  colorType: 0 | 2 | 3 | 4 | 6;
  bitDepth: 1 | 2 | 4 | 8 | 16;
  /** Raw sample values at the bit depth (palette indices for type 3), width × height × samples-per-pixel. */
  samples: number[];
  interlace?: boolean;
  palette?: [number, number, number][];
  trns?: Uint8Array;
  /** Filter type per row: a fixed one, or 'cycle' for row % 5. Default 'cycle'. */
  filter?: number | 'cycle';
  /** Split the zlib stream into IDAT chunks of this size. */
  idatSize?: number;
  extraChunks?: Uint8Array[];
}

function packRow(src: PngSource, xs: number[], y: number): Uint8Array {
  const spp = SPP[src.colorType];
  const bd = src.bitDepth;
  const out = new Uint8Array(Math.ceil((xs.length * spp * bd) / 8));
  let bit = 0;
  for (const x of xs) {
    for (let c = 0; c < spp; c++) {
      const v = src.samples[(y * src.width + x) * spp + c];
      if (bd === 16) {
        out[bit >> 3] = v >> 8;
        out[(bit >> 3) + 1] = v & 0xff;
      } else if (bd === 8) out[bit >> 3] = v;
      else out[bit >> 3] |= v << (8 - bd - (bit & 7));
      bit += bd;
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

function filterRow(type: number, row: Uint8Array, prev: Uint8Array | undefined, bpp: number): Uint8Array {
  const out = new Uint8Array(row.length + 1);
  out[0] = type;
  for (let i = 0; i < row.length; i++) {
    const a = i >= bpp ? row[i - bpp] : 0;
    const b = prev ? prev[i] : 0;
    const c = prev && i >= bpp ? prev[i - bpp] : 0;
    const pred = type === 0 ? 0 : type === 1 ? a : type === 2 ? b : type === 3 ? (a + b) >> 1 : paeth(a, b, c);
    out[i + 1] = (row[i] - pred) & 0xff;
  }
  return out;
}

const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
];

/** Encodes a PNG from raw samples; every row filter type is exercised unless `filter` says otherwise. */
export function encodePng(src: PngSource): Uint8Array {
  const spp = SPP[src.colorType];
  const bpp = Math.max(1, (spp * src.bitDepth) >> 3);
  const passes = src.interlace ? ADAM7 : [[0, 0, 1, 1]];
  const rows: Uint8Array[] = [];
  let rowNo = 0;
  for (const [x0, y0, dx, dy] of passes) {
    const xs: number[] = [];
    for (let x = x0; x < src.width; x += dx) xs.push(x);
    if (!xs.length) continue;
    let prev: Uint8Array | undefined;
    for (let y = y0; y < src.height; y += dy) {
      const row = packRow(src, xs, y);
      const f = src.filter === undefined || src.filter === 'cycle' ? rowNo % 5 : src.filter;
      rows.push(filterRow(f, row, prev, bpp));
      prev = row;
      rowNo++;
    }
  }
  const z = zlibSync(concat(rows), { level: 6 });
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, src.width);
  dv.setUint32(4, src.height);
  ihdr[8] = src.bitDepth;
  ihdr[9] = src.colorType;
  ihdr[12] = src.interlace ? 1 : 0;
  const parts = [PNG_SIGNATURE, chunk('IHDR', ihdr)];
  if (src.palette) parts.push(chunk('PLTE', new Uint8Array(src.palette.flat())));
  if (src.trns) parts.push(chunk('tRNS', src.trns));
  for (const c of src.extraChunks ?? []) parts.push(c);
  const size = src.idatSize ?? z.length;
  for (let i = 0; i < z.length; i += size) parts.push(chunk('IDAT', z.subarray(i, i + size)));
  parts.push(chunk('IEND', new Uint8Array(0)));
  return concat(parts);
}

/** Deterministic PRNG (mulberry32) so failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// A minimal PDF writer for tests: objects numbered in allocation order, classic xref table.

export class MemorySink implements ObjectSink {
  private next = 1;
  readonly objects = new Map<number, PdfObject>();
  alloc(): PdfRef {
    return new PdfRef(this.next++, 0);
  }
  put(ref: PdfRef, obj: PdfObject): void {
    this.objects.set(ref.num, obj);
  }
  get(ref: PdfRef): PdfObject | undefined {
    return this.objects.get(ref.num);
  }
  /** Serialises every object into a complete PDF whose catalog is `root`. */
  toPdf(root: PdfRef): Uint8Array {
    const parts: Uint8Array[] = [];
    let length = 0;
    const push = (b: Uint8Array | string) => {
      const bytes = typeof b === 'string' ? latin1(b) : b;
      parts.push(bytes);
      length += bytes.length;
    };
    push('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
    const offsets: number[] = [];
    const max = this.next - 1;
    for (let num = 1; num <= max; num++) {
      const obj = this.objects.get(num);
      if (obj === undefined) throw new Error(`object ${num} allocated but never put`);
      offsets[num] = length;
      push(`${num} 0 obj\n`);
      for (const p of serialise(obj)) push(p);
      push('\nendobj\n');
    }
    const xref = length;
    push(`xref\n0 ${max + 1}\n0000000000 65535 f \n`);
    for (let num = 1; num <= max; num++) push(`${String(offsets[num]).padStart(10, '0')} 00000 n \n`);
    push(`trailer\n<< /Size ${max + 1} /Root ${root} >>\nstartxref\n${xref}\n%%EOF\n`);
    return concat(parts);
  }
}

function latin1(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

function num(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return v.toFixed(4).replace(/0+$/, '').replace(/\.$/, '');
}

function nameToken(n: PdfName): string {
  let s = '/';
  for (const ch of n.name) {
    const c = ch.charCodeAt(0);
    s += c < 0x21 || c > 0x7e || '()<>[]{}/%#'.includes(ch) ? '#' + c.toString(16).padStart(2, '0') : ch;
  }
  return s;
}

function* serialise(o: PdfObject): Generator<Uint8Array | string> {
  if (o === null) yield 'null';
  else if (typeof o === 'boolean') yield String(o);
  else if (typeof o === 'number') yield num(o);
  else if (o instanceof PdfName) yield nameToken(o);
  else if (o instanceof PdfRef) yield o.toString();
  else if (o instanceof PdfString) {
    let h = '<';
    for (const b of o.bytes) h += b.toString(16).padStart(2, '0');
    yield h + '>';
  } else if (o instanceof PdfRaw) yield o.bytes;
  else if (Array.isArray(o)) {
    yield '[';
    let first = true;
    for (const x of o) {
      if (!first) yield ' ';
      first = false;
      yield* serialise(x);
    }
    yield ']';
  } else if (o instanceof PdfStream) {
    const d = o.dict.clone();
    d.set('Length', o.raw.length);
    yield* serialise(d);
    yield '\nstream\n';
    yield o.raw;
    yield '\nendstream';
  } else if (o instanceof PdfDict) {
    yield '<<';
    for (const [k, v] of o.map) {
      yield nameToken(PdfName.of(k)) + ' ';
      yield* serialise(v);
      yield '\n';
    }
    yield '>>';
  } else throw new Error('unknown object');
}

// ---------------------------------------------------------------------------------------------------------------
// External tools.

export function hasTool(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
}

export function run(cmd: string, args: string[]): RunResult {
  const r = spawnSync(cmd, args, { maxBuffer: 256 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8'), stdoutBytes: r.stdout };
}

/** Parses a binary PPM (P6) as written by pdftoppm. */
export function readPpm(b: Uint8Array): { width: number; height: number; rgb: Uint8Array } {
  const head = new TextDecoder('latin1').decode(b.subarray(0, 64));
  const m = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(head);
  if (!m) throw new Error('not a P6 PPM');
  const width = Number(m[1]);
  const height = Number(m[2]);
  return { width, height, rgb: b.subarray(m[0].length, m[0].length + width * height * 3) };
}
