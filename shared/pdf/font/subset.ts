// TrueType subsetting for PDF embedding. Glyph ids are kept as they are (the PDF maps CID = GID through
// /CIDToGIDMap /Identity); glyphs nobody uses become empty, and the tail of unused glyphs is cut off.

import type { TrueTypeFont } from './truetype.ts';

/** Tables copied unchanged when present; everything not listed here or rebuilt below is dropped. */
const COPIED_TABLES = ['OS/2', 'cvt ', 'fpgm', 'prep'];

/** Glyph ids of the glyphs plus every glyph their composites use, recursively; always includes .notdef (0). */
export function glyphClosure(font: TrueTypeFont, gids: Iterable<number>): Set<number> {
  const keep = new Set<number>([0]);
  const stack: number[] = [0];
  for (const g of gids) {
    if (Number.isInteger(g) && g >= 0 && g < font.numGlyphs && !keep.has(g)) {
      keep.add(g);
      stack.push(g);
    }
  }
  while (stack.length) {
    for (const c of font.componentGlyphs(stack.pop()!)) {
      if (c < font.numGlyphs && !keep.has(c)) {
        keep.add(c);
        stack.push(c);
      }
    }
  }
  return keep;
}

/** Builds the subset font program: the given glyphs, their components and .notdef keep their outlines and ids. */
export function subsetTrueType(font: TrueTypeFont, gids: Iterable<number>): Uint8Array {
  const keep = glyphClosure(font, gids);
  let maxGid = 0;
  for (const g of keep) if (g > maxGid) maxGid = g;
  const numGlyphs = maxGid + 1;

  // glyf and loca: kept glyphs copied and padded to 4 bytes, the others empty.
  let glyfLength = 0;
  for (const g of keep) glyfLength += pad4(font.glyphData(g).length);
  const glyf = new Uint8Array(glyfLength);
  const offsets = new Uint32Array(numGlyphs + 1);
  let at = 0;
  for (let g = 0; g < numGlyphs; g++) {
    offsets[g] = at;
    if (keep.has(g)) {
      const data = font.glyphData(g);
      glyf.set(data, at);
      at += pad4(data.length);
    }
  }
  offsets[numGlyphs] = at;
  const shortLoca = at <= 0x1fffe;
  const loca = new Uint8Array((numGlyphs + 1) * (shortLoca ? 2 : 4));
  const locaView = new DataView(loca.buffer);
  for (let g = 0; g <= numGlyphs; g++) {
    if (shortLoca) locaView.setUint16(2 * g, offsets[g] >> 1);
    else locaView.setUint32(4 * g, offsets[g]);
  }

  // hmtx: one long metric per glyph; unused glyphs get zeros (they compress to nothing).
  const hmtxIn = font.tableBytes('hmtx')!;
  const hmtxInView = view(hmtxIn);
  const nhm = font.numberOfHMetrics;
  const hmtx = new Uint8Array(numGlyphs * 4);
  const hmtxView = new DataView(hmtx.buffer);
  for (const g of keep) {
    const lsbAt = g < nhm ? 4 * g + 2 : 4 * nhm + 2 * (g - nhm);
    hmtxView.setUint16(4 * g, font.advance(g));
    hmtxView.setInt16(4 * g + 2, lsbAt + 2 <= hmtxIn.length ? hmtxInView.getInt16(lsbAt) : 0);
  }

  const head = copy(font.tableBytes('head')!, 54);
  view(head).setUint32(8, 0); // checkSumAdjustment, set once the file is assembled
  view(head).setInt16(50, shortLoca ? 0 : 1);

  const hhea = copy(font.tableBytes('hhea')!, 36);
  view(hhea).setUint16(34, numGlyphs);

  const maxp = copy(font.tableBytes('maxp')!, 6);
  view(maxp).setUint16(4, numGlyphs);

  // post version 3.0: the header only, no glyph names.
  const post = new Uint8Array(32);
  const postIn = font.tableBytes('post');
  if (postIn) post.set(postIn.subarray(0, 32));
  view(post).setUint32(0, 0x00030000);

  const tables = new Map<string, Uint8Array>([
    ['head', head],
    ['hhea', hhea],
    ['maxp', maxp],
    ['hmtx', hmtx],
    ['loca', loca],
    ['glyf', glyf],
    ['post', post],
    ['cmap', buildCmap(font, keep)],
  ]);
  for (const tag of COPIED_TABLES) {
    const t = font.tableBytes(tag);
    if (t) tables.set(tag, t);
  }
  const names = buildName(font);
  if (names) tables.set('name', names);
  return assemble(tables);
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** A copy of a table, zero-extended to at least minLength bytes. */
function copy(src: Uint8Array, minLength: number): Uint8Array {
  const out = new Uint8Array(Math.max(src.length, minLength));
  out.set(src);
  return out;
}

/** A (3,1) format 4 cmap for the kept glyphs' BMP code points, plus (3,10) format 12 when any lie beyond the BMP. */
function buildCmap(font: TrueTypeFont, keep: Set<number>): Uint8Array {
  const pairs: [number, number][] = [];
  for (const [cp, gid] of font.mappings()) if (keep.has(gid)) pairs.push([cp, gid]);
  pairs.sort((a, b) => a[0] - b[0]);

  // Runs of consecutive code points mapped to consecutive glyphs.
  const runs: { start: number; end: number; gid: number }[] = [];
  for (const [cp, gid] of pairs) {
    const last = runs[runs.length - 1];
    if (last && cp === last.end + 1 && gid === last.gid + (cp - last.start)) last.end = cp;
    else runs.push({ start: cp, end: cp, gid });
  }

  const bmp = runs.filter((r) => r.end < 0xffff);
  bmp.push({ start: 0xffff, end: 0xffff, gid: 0 });
  const segCount = bmp.length;
  const f4 = new Uint8Array(16 + 8 * segCount);
  const d4 = view(f4);
  const searchRange = 2 * 2 ** Math.floor(Math.log2(segCount));
  d4.setUint16(0, 4);
  d4.setUint16(2, f4.length);
  d4.setUint16(6, 2 * segCount);
  d4.setUint16(8, searchRange);
  d4.setUint16(10, Math.log2(searchRange / 2));
  d4.setUint16(12, 2 * segCount - searchRange);
  bmp.forEach((r, i) => {
    d4.setUint16(14 + 2 * i, r.end);
    d4.setUint16(16 + 2 * segCount + 2 * i, r.start);
    d4.setUint16(16 + 4 * segCount + 2 * i, r.start === 0xffff ? 1 : (r.gid - r.start) & 0xffff);
    // idRangeOffset stays 0: every segment is a delta segment.
  });

  const wide = runs.some((r) => r.end > 0xffff);
  let f12: Uint8Array | undefined;
  if (wide) {
    f12 = new Uint8Array(16 + 12 * runs.length);
    const d = view(f12);
    d.setUint16(0, 12);
    d.setUint32(4, f12.length);
    d.setUint32(12, runs.length);
    runs.forEach((r, i) => {
      d.setUint32(16 + 12 * i, r.start);
      d.setUint32(20 + 12 * i, r.end);
      d.setUint32(24 + 12 * i, r.gid);
    });
  }

  const subtables = f12 ? [f4, f12] : [f4];
  const headerLength = 4 + 8 * subtables.length;
  const out = new Uint8Array(headerLength + f4.length + (f12?.length ?? 0));
  const d = view(out);
  d.setUint16(2, subtables.length);
  let offset = headerLength;
  subtables.forEach((st, i) => {
    d.setUint16(4 + 8 * i, 3);
    d.setUint16(6 + 8 * i, i === 0 ? 1 : 10);
    d.setUint32(8 + 8 * i, offset);
    out.set(st, offset);
    offset += st.length;
  });
  return out;
}

/** A small name table: the Windows-platform English names 0-6 (copyright, family, style, ids, PostScript name). */
function buildName(font: TrueTypeFont): Uint8Array | undefined {
  const src = font.tableBytes('name');
  if (!src || src.length < 6) return undefined;
  const d = view(src);
  const count = d.getUint16(2);
  const strings = d.getUint16(4);
  const records: { platform: number; encoding: number; language: number; nameId: number; data: Uint8Array }[] = [];
  for (let i = 0; i < count; i++) {
    const r = 6 + 12 * i;
    if (r + 12 > src.length) break;
    const platform = d.getUint16(r);
    const encoding = d.getUint16(r + 2);
    const language = d.getUint16(r + 4);
    const nameId = d.getUint16(r + 6);
    const len = d.getUint16(r + 8);
    const at = strings + d.getUint16(r + 10);
    if (platform !== 3 || encoding !== 1 || language !== 0x409 || nameId > 6 || at + len > src.length) continue;
    records.push({ platform, encoding, language, nameId, data: src.subarray(at, at + len) });
  }
  if (!records.length) return undefined;
  records.sort((a, b) => a.nameId - b.nameId);
  const headerLength = 6 + 12 * records.length;
  const total = headerLength + records.reduce((n, r) => n + r.data.length, 0);
  const out = new Uint8Array(total);
  const o = view(out);
  o.setUint16(2, records.length);
  o.setUint16(4, headerLength);
  let at = 0;
  records.forEach((r, i) => {
    const p = 6 + 12 * i;
    o.setUint16(p, r.platform);
    o.setUint16(p + 2, r.encoding);
    o.setUint16(p + 4, r.language);
    o.setUint16(p + 6, r.nameId);
    o.setUint16(p + 8, r.data.length);
    o.setUint16(p + 10, at);
    out.set(r.data, headerLength + at);
    at += r.data.length;
  });
  return out;
}

function checksum(b: Uint8Array, start: number, length: number): number {
  const d = view(b);
  let sum = 0;
  const end = start + length;
  let p = start;
  for (; p + 4 <= end; p += 4) sum = (sum + d.getUint32(p)) >>> 0;
  if (p < end) {
    let last = 0;
    for (let k = 0; k < 4; k++) last = (last << 8) | (p + k < end ? b[p + k] : 0);
    sum = (sum + (last >>> 0)) >>> 0;
  }
  return sum;
}

/** Writes the sfnt: table directory sorted by tag, each table 4-byte aligned, checksums and head.checkSumAdjustment. */
function assemble(tables: Map<string, Uint8Array>): Uint8Array {
  const tags = [...tables.keys()].sort();
  const n = tags.length;
  const dirLength = 12 + 16 * n;
  let total = dirLength;
  for (const t of tags) total += pad4(tables.get(t)!.length);
  const out = new Uint8Array(total);
  const d = view(out);
  const pow = 2 ** Math.floor(Math.log2(n));
  d.setUint32(0, 0x00010000);
  d.setUint16(4, n);
  d.setUint16(6, pow * 16);
  d.setUint16(8, Math.log2(pow));
  d.setUint16(10, n * 16 - pow * 16);
  let offset = dirLength;
  let headOffset = -1;
  tags.forEach((tag, i) => {
    const data = tables.get(tag)!;
    out.set(data, offset);
    const r = 12 + 16 * i;
    for (let k = 0; k < 4; k++) out[r + k] = tag.charCodeAt(k);
    d.setUint32(r + 4, checksum(out, offset, data.length));
    d.setUint32(r + 8, offset);
    d.setUint32(r + 12, data.length);
    if (tag === 'head') headOffset = offset;
    offset += pad4(data.length);
  });
  if (headOffset >= 0) d.setUint32(headOffset + 8, (0xb1b0afba - checksum(out, 0, out.length)) >>> 0);
  return out;
}
