// A reader for TrueType (glyf-outline) fonts: just what drawing text into a PDF and subsetting the font need.
// Tables: OpenType spec, chapters "head", "hhea", "hmtx", "maxp", "loca", "glyf", "cmap", "OS/2", "post", "name".

import { KysoError } from '../../protocol/errors.ts';
import { subsetTrueType } from './subset.ts';

export { glyphClosure } from './subset.ts';

export interface TableRecord {
  readonly tag: string;
  readonly checksum: number;
  readonly offset: number;
  readonly length: number;
}

/** FontDescriptor /Flags bits (ISO 32000-2 Table 121). */
export const FontFlags = {
  FixedPitch: 1 << 0,
  Serif: 1 << 1,
  Symbolic: 1 << 2,
  Script: 1 << 3,
  Nonsymbolic: 1 << 5,
  Italic: 1 << 6,
  ForceBold: 1 << 18,
} as const;

// Composite glyph component flags (glyf table).
const ARG_1_AND_2_ARE_WORDS = 0x0001;
const WE_HAVE_A_SCALE = 0x0008;
const MORE_COMPONENTS = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE = 0x0040;
const WE_HAVE_A_TWO_BY_TWO = 0x0080;

function fontError(detail: string, cause?: unknown): KysoError {
  return new KysoError('INTERNAL_ERROR', `Font: ${detail}`, undefined, cause === undefined ? undefined : { cause });
}

function hexCodePoint(cp: number): string {
  return 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
}

const parsedFonts = new WeakMap<Uint8Array, TrueTypeFont>();

export class TrueTypeFont {
  readonly bytes: Uint8Array;
  readonly tables: ReadonlyMap<string, TableRecord>;
  readonly numGlyphs: number;
  readonly unitsPerEm: number;
  /** head.xMin, yMin, xMax, yMax in font units. */
  readonly bbox: readonly [number, number, number, number];
  readonly indexToLocFormat: 0 | 1;
  readonly numberOfHMetrics: number;
  /**
   * Ascent and descent as Windows lays out lines (OS/2 usWinAscent/usWinDescent, else hhea), in font units; descent is
   * negative. For Liberation Serif, as for Times New Roman, 891 and -216 per 1000. The typographic values follow.
   */
  readonly ascent: number;
  readonly descent: number;
  /** hhea line gap: single line spacing is (ascent - descent + lineGap) / unitsPerEm (1.15 for Times New Roman). */
  readonly lineGap: number;
  readonly typoAscender: number;
  readonly typoDescender: number;
  readonly capHeight: number;
  /** OS/2 usWeightClass (400 regular, 700 bold). */
  readonly weight: number;
  /** post.italicAngle in degrees (negative leans right). */
  readonly italicAngle: number;
  readonly isFixedPitch: boolean;
  readonly isSerif: boolean;
  /** FontDescriptor /Flags for this font. */
  readonly flags: number;
  /** PostScript name (name id 6), reduced to characters safe in a PDF name. */
  readonly postScriptName: string;

  private readonly view: DataView;
  private readonly advances: Uint16Array;
  /** Glyph offsets into the font file: glyph g is bytes [glyphOffsets[g], glyphOffsets[g + 1]). */
  private readonly glyphOffsets: Uint32Array;
  private readonly cmap: Map<number, number>;
  private reverseCmap?: Map<number, number>;

  private constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.tables = this.readTableDirectory();

    const head = this.table('head', 54);
    this.unitsPerEm = this.u16(head + 18);
    if (this.unitsPerEm < 16 || this.unitsPerEm > 16384) throw fontError(`bad unitsPerEm ${this.unitsPerEm}`);
    this.bbox = [this.i16(head + 36), this.i16(head + 38), this.i16(head + 40), this.i16(head + 42)];
    const locFormat = this.i16(head + 50);
    if (locFormat !== 0 && locFormat !== 1) throw fontError(`bad indexToLocFormat ${locFormat}`);
    this.indexToLocFormat = locFormat;

    const maxp = this.table('maxp', 6);
    this.numGlyphs = this.u16(maxp + 4);
    if (this.numGlyphs === 0) throw fontError('no glyphs');

    const hhea = this.table('hhea', 36);
    this.numberOfHMetrics = this.u16(hhea + 34);
    if (this.numberOfHMetrics === 0 || this.numberOfHMetrics > this.numGlyphs) throw fontError('bad numberOfHMetrics');
    this.advances = this.readAdvances();
    this.glyphOffsets = this.readLoca();
    this.cmap = this.readCmap();

    // OS/2 metrics, falling back on hhea when the table is missing or short.
    let ascent = this.i16(hhea + 4);
    let descent = this.i16(hhea + 6);
    let typoAscender = ascent;
    let typoDescender = descent;
    let capHeight = 0;
    let weight = 400;
    let familyClass = 0;
    let panoseFamily = 0;
    let panoseSerif = 0;
    const os2 = this.tables.get('OS/2');
    if (os2 && os2.length >= 78) {
      const o = os2.offset;
      weight = this.u16(o + 4) || 400;
      familyClass = this.u16(o + 30) >> 8;
      panoseFamily = this.u8(o + 32);
      panoseSerif = this.u8(o + 33);
      typoAscender = this.i16(o + 68);
      typoDescender = this.i16(o + 70);
      const winAscent = this.u16(o + 74);
      const winDescent = this.u16(o + 76);
      if (winAscent + winDescent > 0) {
        ascent = winAscent;
        descent = -winDescent;
      }
      if (this.u16(o) >= 2 && os2.length >= 90) capHeight = this.i16(o + 88);
    }
    if (capHeight <= 0) capHeight = this.capHeightFromGlyph() ?? Math.round(ascent * 0.7);
    this.ascent = ascent;
    this.descent = descent > 0 ? -descent : descent;
    this.lineGap = this.i16(hhea + 8);
    this.typoAscender = typoAscender;
    this.typoDescender = typoDescender;
    this.capHeight = capHeight;
    this.weight = weight;

    let italicAngle = 0;
    let fixed = false;
    const post = this.tables.get('post');
    if (post && post.length >= 16) {
      italicAngle = this.i32(post.offset + 4) / 65536;
      fixed = this.u32(post.offset + 12) !== 0;
    }
    this.italicAngle = italicAngle;
    this.isFixedPitch = fixed;
    // sFamilyClass 1-5 and 7 are the serif classes; else PANOSE (Latin text, serif styles 2-10).
    this.isSerif = [1, 2, 3, 4, 5, 7].includes(familyClass) || (familyClass === 0 && panoseFamily === 2 && panoseSerif >= 2 && panoseSerif <= 10);
    let flags = FontFlags.Nonsymbolic;
    if (fixed) flags |= FontFlags.FixedPitch;
    if (this.isSerif) flags |= FontFlags.Serif;
    if (italicAngle !== 0) flags |= FontFlags.Italic;
    this.flags = flags;
    this.postScriptName = this.readPostScriptName();
  }

  /** Parses a TrueType font; the result for the same byte array is cached. */
  static parse(bytes: Uint8Array): TrueTypeFont {
    let font = parsedFonts.get(bytes);
    if (!font) {
      try {
        font = new TrueTypeFont(bytes);
      } catch (e) {
        if (e instanceof KysoError) throw e;
        throw fontError('damaged font file', e);
      }
      parsedFonts.set(bytes, font);
    }
    return font;
  }

  /** The glyph for a Unicode code point, 0 (.notdef) when the font has none. */
  glyphId(codePoint: number): number {
    return this.cmap.get(codePoint) ?? 0;
  }

  /** Advance width of a glyph, in font units. */
  advance(gid: number): number {
    if (gid < 0 || gid >= this.numGlyphs) return 0;
    return this.advances[gid];
  }

  /** Advance width in thousandths of the text size, rounded: the value written in the PDF /W array. */
  pdfWidth(gid: number): number {
    return Math.round((this.advance(gid) * 1000) / this.unitsPerEm);
  }

  /** Width in points of the text set at `size` points, as a PDF viewer positions it (uses the /W values). */
  widthOf(text: string, size: number): number {
    let w = 0;
    for (const gid of this.layout(text)) w += this.pdfWidth(gid);
    return (w * size) / 1000;
  }

  /** Glyph ids for the text (NFC-normalised, one glyph per code point); throws FONT_MISSING_GLYPH for characters the font lacks. */
  layout(text: string): number[] {
    const gids: number[] = [];
    let missing: number[] | undefined;
    for (const ch of text.normalize('NFC')) {
      const cp = ch.codePointAt(0)!;
      const gid = this.cmap.get(cp) ?? 0;
      if (gid === 0) {
        missing ??= [];
        if (!missing.includes(cp)) missing.push(cp);
      }
      gids.push(gid);
    }
    if (missing) {
      const list = missing.map((cp) => `'${String.fromCodePoint(cp)}' (${hexCodePoint(cp)})`).join(', ');
      throw new KysoError('FONT_MISSING_GLYPH', `${this.postScriptName} has no glyph for ${list}.`, {
        characters: missing.map((cp) => String.fromCodePoint(cp)).join(''),
        codePoints: missing.map(hexCodePoint).join(' '),
        font: this.postScriptName,
      });
    }
    return gids;
  }

  /** The characters of the text (after NFC) that the font cannot draw; empty when it can draw it all. */
  missingCharacters(text: string): string[] {
    const out: string[] = [];
    for (const ch of text.normalize('NFC')) if (!this.cmap.has(ch.codePointAt(0)!) && !out.includes(ch)) out.push(ch);
    return out;
  }

  /** The code point the font maps to a glyph (the lowest one when several do), or undefined. */
  codePointOf(gid: number): number | undefined {
    if (!this.reverseCmap) {
      const rev = new Map<number, number>();
      for (const [cp, g] of this.cmap) {
        const prev = rev.get(g);
        if (prev === undefined || cp < prev) rev.set(g, cp);
      }
      this.reverseCmap = rev;
    }
    return this.reverseCmap.get(gid);
  }

  /** Every (code point, glyph id) pair of the font's Unicode cmap. */
  mappings(): IterableIterator<[number, number]> {
    return this.cmap.entries();
  }

  /** The glyph's outline bytes (empty for glyphs without an outline, such as the space). */
  glyphData(gid: number): Uint8Array {
    if (gid < 0 || gid >= this.numGlyphs) return new Uint8Array(0);
    return this.bytes.subarray(this.glyphOffsets[gid], this.glyphOffsets[gid + 1]);
  }

  /** Glyph ids a composite glyph is built from (direct components only); empty for simple glyphs. */
  componentGlyphs(gid: number): number[] {
    const g = this.glyphData(gid);
    if (g.length < 10) return [];
    const dv = new DataView(g.buffer, g.byteOffset, g.byteLength);
    if (dv.getInt16(0) >= 0) return [];
    const out: number[] = [];
    let p = 10;
    for (;;) {
      if (p + 4 > g.length) throw fontError(`composite glyph ${gid} is truncated`);
      const flags = dv.getUint16(p);
      out.push(dv.getUint16(p + 2));
      p += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
      if (flags & WE_HAVE_A_SCALE) p += 2;
      else if (flags & WE_HAVE_AN_X_AND_Y_SCALE) p += 4;
      else if (flags & WE_HAVE_A_TWO_BY_TWO) p += 8;
      if (!(flags & MORE_COMPONENTS)) break;
    }
    return out;
  }

  /** A copy of the font keeping only the given glyphs (and their components); glyph ids are unchanged. */
  subset(gids: Iterable<number>): Uint8Array {
    return subsetTrueType(this, gids);
  }

  /** Offset of a table (whose length is at least minLength); throws when it is missing. */
  table(tag: string, minLength = 0): number {
    const t = this.tables.get(tag);
    if (!t) throw fontError(`missing '${tag}' table`);
    if (t.length < minLength) throw fontError(`'${tag}' table is too short`);
    return t.offset;
  }

  /** The bytes of a table, or undefined when the font lacks it. */
  tableBytes(tag: string): Uint8Array | undefined {
    const t = this.tables.get(tag);
    return t ? this.bytes.subarray(t.offset, t.offset + t.length) : undefined;
  }

  private u8(p: number): number {
    return this.view.getUint8(p);
  }
  private u16(p: number): number {
    return this.view.getUint16(p);
  }
  private i16(p: number): number {
    return this.view.getInt16(p);
  }
  private u32(p: number): number {
    return this.view.getUint32(p);
  }
  private i32(p: number): number {
    return this.view.getInt32(p);
  }

  private readTableDirectory(): Map<string, TableRecord> {
    if (this.bytes.length < 12) throw fontError('file too short');
    const version = this.u32(0);
    if (version === 0x4f54544f) throw fontError('CFF-based OpenType fonts are not supported; use a TrueType font');
    if (version !== 0x00010000 && version !== 0x74727565) throw fontError('not a TrueType font');
    const count = this.u16(4);
    const tables = new Map<string, TableRecord>();
    for (let i = 0; i < count; i++) {
      const p = 12 + 16 * i;
      if (p + 16 > this.bytes.length) throw fontError('table directory is truncated');
      const tag = String.fromCharCode(this.u8(p), this.u8(p + 1), this.u8(p + 2), this.u8(p + 3));
      const offset = this.u32(p + 8);
      const length = this.u32(p + 12);
      if (offset + length > this.bytes.length) throw fontError(`'${tag}' table lies outside the file`);
      tables.set(tag, { tag, checksum: this.u32(p + 4), offset, length });
    }
    return tables;
  }

  private readAdvances(): Uint16Array {
    const hmtx = this.table('hmtx', this.numberOfHMetrics * 4);
    const adv = new Uint16Array(this.numGlyphs);
    for (let g = 0; g < this.numberOfHMetrics; g++) adv[g] = this.u16(hmtx + 4 * g);
    adv.fill(adv[this.numberOfHMetrics - 1], this.numberOfHMetrics);
    return adv;
  }

  private readLoca(): Uint32Array {
    const n = this.numGlyphs;
    const loca = this.table('loca', (n + 1) * (this.indexToLocFormat ? 4 : 2));
    const glyf = this.tables.get('glyf');
    if (!glyf) throw fontError("missing 'glyf' table (only TrueType outlines are supported)");
    const offsets = new Uint32Array(n + 1);
    for (let g = 0; g <= n; g++) {
      const o = this.indexToLocFormat ? this.u32(loca + 4 * g) : this.u16(loca + 2 * g) * 2;
      offsets[g] = glyf.offset + Math.min(o, glyf.length);
    }
    for (let g = 0; g < n; g++) if (offsets[g + 1] < offsets[g]) throw fontError(`loca entry ${g} goes backwards`);
    return offsets;
  }

  private readCmap(): Map<number, number> {
    const cmap = this.table('cmap', 4);
    const count = this.u16(cmap + 2);
    // Preference: Windows UCS-4 (format 12), Windows BMP (format 4), then the Unicode platform.
    const rank = (platform: number, encoding: number, format: number): number => {
      if (format !== 4 && format !== 12) return 0;
      if (platform === 3 && encoding === 10) return 5;
      if (platform === 3 && encoding === 1) return 4;
      if (platform === 0) return format === 12 ? 3 : 2;
      return 0;
    };
    let best = 0;
    let bestOffset = -1;
    for (let i = 0; i < count; i++) {
      const rec = cmap + 4 + 8 * i;
      const platform = this.u16(rec);
      const encoding = this.u16(rec + 2);
      const offset = cmap + this.u32(rec + 4);
      if (offset + 2 > this.bytes.length) continue;
      const r = rank(platform, encoding, this.u16(offset));
      if (r > best) {
        best = r;
        bestOffset = offset;
      }
    }
    if (bestOffset < 0) throw fontError('no Unicode cmap (format 4 or 12)');
    return this.u16(bestOffset) === 4 ? this.readCmap4(bestOffset) : this.readCmap12(bestOffset);
  }

  private readCmap4(p: number): Map<number, number> {
    const map = new Map<number, number>();
    const segCount = this.u16(p + 6) >> 1;
    const ends = p + 14;
    const starts = ends + 2 * segCount + 2;
    const deltas = starts + 2 * segCount;
    const rangeOffsets = deltas + 2 * segCount;
    for (let s = 0; s < segCount; s++) {
      const end = this.u16(ends + 2 * s);
      const start = this.u16(starts + 2 * s);
      const delta = this.u16(deltas + 2 * s);
      const ro = this.u16(rangeOffsets + 2 * s);
      for (let c = start; c <= end && c !== 0xffff; c++) {
        let g: number;
        if (ro === 0) g = (c + delta) & 0xffff;
        else {
          const at = rangeOffsets + 2 * s + ro + 2 * (c - start);
          if (at + 2 > this.bytes.length) break;
          g = this.u16(at);
          if (g !== 0) g = (g + delta) & 0xffff;
        }
        if (g !== 0 && g < this.numGlyphs) map.set(c, g);
      }
    }
    return map;
  }

  private readCmap12(p: number): Map<number, number> {
    const map = new Map<number, number>();
    const groups = this.u32(p + 12);
    for (let i = 0; i < groups; i++) {
      const q = p + 16 + 12 * i;
      const start = this.u32(q);
      const end = Math.min(this.u32(q + 4), 0x10ffff);
      const startGid = this.u32(q + 8);
      for (let c = start; c <= end; c++) {
        const g = startGid + (c - start);
        if (g >= this.numGlyphs) break;
        if (g !== 0) map.set(c, g);
      }
    }
    return map;
  }

  private readPostScriptName(): string {
    const t = this.tables.get('name');
    let raw = '';
    if (t && t.length >= 6) {
      const count = this.u16(t.offset + 2);
      const strings = t.offset + this.u16(t.offset + 4);
      let mac = '';
      for (let i = 0; i < count; i++) {
        const r = t.offset + 6 + 12 * i;
        if (r + 12 > t.offset + t.length) break;
        const platform = this.u16(r);
        const encoding = this.u16(r + 2);
        const nameId = this.u16(r + 6);
        const len = this.u16(r + 8);
        const at = strings + this.u16(r + 10);
        if (nameId !== 6 || at + len > this.bytes.length) continue;
        if (platform === 3 && (encoding === 1 || encoding === 0)) {
          for (let k = 0; k + 1 < len; k += 2) raw += String.fromCharCode(this.u16(at + k));
          break;
        }
        if (platform === 1 && encoding === 0 && !mac) for (let k = 0; k < len; k++) mac += String.fromCharCode(this.u8(at + k));
      }
      if (!raw) raw = mac;
    }
    // PDF names cannot hold delimiters or whitespace; PostScript names never should.
    const clean = raw.replace(/[^\x21-\x7e]|[()<>[\]{}/%#]/g, '').slice(0, 63);
    return clean || 'Font';
  }

  /** Height of 'H' from its bounding box, for fonts whose OS/2 table lacks sCapHeight. */
  private capHeightFromGlyph(): number | undefined {
    const g = this.glyphData(this.glyphId(0x48));
    if (g.length < 10) return undefined;
    return new DataView(g.buffer, g.byteOffset, g.byteLength).getInt16(8);
  }
}
