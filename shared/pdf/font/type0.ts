// Embeds a TrueType font as a composite (Type 0) font: Identity-H encoding, one CIDFontType2 descendant with
// CID = GID (/CIDToGIDMap /Identity), the subset program as /FontFile2 and a /ToUnicode CMap (ISO 32000-2 §9.7, §9.10.3).

import { zlibSync } from 'fflate';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfObject } from '../objects.ts';
import type { TrueTypeFont } from './truetype.ts';

/** Where new indirect objects go; the incremental writer implements it. */
export interface ObjectSink {
  alloc(): PdfRef;
  put(ref: PdfRef, obj: PdfObject): void;
}

const n = PdfName.of;

/**
 * Adds the font objects for drawing `usedText` and returns the Type 0 font's reference (for a /Font resource).
 * Throws FONT_MISSING_GLYPH, before adding anything, when the font cannot draw some character.
 * @param fontBytes a font program to embed instead of a fresh subset: either `font.bytes` (the whole font,
 *   e.g. for form fields a viewer will fill in) or a subset of the same font made earlier for at least these glyphs.
 */
export function embedType0Font(sink: ObjectSink, font: TrueTypeFont, fontBytes: Uint8Array | undefined, usedText: string[]): PdfRef {
  // gid -> the text it stands for (the first character seen with that glyph).
  const toText = new Map<number, string>();
  for (const text of usedText) {
    const nfc = text.normalize('NFC');
    const gids = font.layout(nfc);
    let i = 0;
    for (const ch of nfc) {
      const g = gids[i++];
      if (!toText.has(g)) toText.set(g, ch);
    }
  }
  const gids = [...toText.keys()].sort((a, b) => a - b);

  const program = fontBytes ?? font.subset(gids);
  const whole = program === font.bytes;
  const baseFont = whole ? font.postScriptName : `${subsetTag(font, gids)}+${font.postScriptName}`;
  const scale = (v: number) => Math.round((v * 1000) / font.unitsPerEm);

  const fileRef = sink.alloc();
  const descriptorRef = sink.alloc();
  const cidFontRef = sink.alloc();
  const toUnicodeRef = sink.alloc();
  const fontRef = sink.alloc();

  sink.put(fileRef, flateStream(program, { Length1: program.length }));

  sink.put(
    descriptorRef,
    new PdfDict({
      Type: n('FontDescriptor'),
      FontName: n(baseFont),
      Flags: font.flags,
      FontBBox: font.bbox.map(scale),
      ItalicAngle: font.italicAngle,
      Ascent: scale(font.ascent),
      Descent: scale(font.descent),
      CapHeight: scale(font.capHeight),
      StemV: stemV(font.weight),
      FontFile2: fileRef,
    }),
  );

  sink.put(
    cidFontRef,
    new PdfDict({
      Type: n('Font'),
      Subtype: n('CIDFontType2'),
      BaseFont: n(baseFont),
      CIDSystemInfo: new PdfDict({ Registry: PdfString.latin1('Adobe'), Ordering: PdfString.latin1('Identity'), Supplement: 0 }),
      FontDescriptor: descriptorRef,
      DW: 1000,
      W: widthsArray(font, gids),
      CIDToGIDMap: n('Identity'),
    }),
  );

  sink.put(toUnicodeRef, flateStream(new TextEncoder().encode(toUnicodeCMap(toText))));

  sink.put(
    fontRef,
    new PdfDict({
      Type: n('Font'),
      Subtype: n('Type0'),
      BaseFont: n(baseFont),
      Encoding: n('Identity-H'),
      DescendantFonts: [cidFontRef],
      ToUnicode: toUnicodeRef,
    }),
  );
  return fontRef;
}

/** The text as 2-byte big-endian glyph ids (Identity-H codes), for a content stream's `<...> Tj`. */
export function encodeText(font: TrueTypeFont, text: string): Uint8Array {
  const gids = font.layout(text);
  const out = new Uint8Array(gids.length * 2);
  for (let i = 0; i < gids.length; i++) {
    out[2 * i] = gids[i] >> 8;
    out[2 * i + 1] = gids[i] & 0xff;
  }
  return out;
}

/** `encodeText` as hex digits for a PDF hex string, without the angle brackets: `<${encodeTextHex(f, s)}> Tj`. */
export function encodeTextHex(font: TrueTypeFont, text: string): string {
  return hex(encodeText(font, text));
}

/** Six uppercase letters naming the glyph set (ISO 32000-2 §9.9.2), derived from a hash of the font and glyph ids. */
export function subsetTag(font: TrueTypeFont, gids: Iterable<number>): string {
  let h = 0x811c9dc5;
  const mix = (byte: number) => {
    h ^= byte & 0xff;
    h = Math.imul(h, 0x01000193);
  };
  for (let i = 0; i < font.postScriptName.length; i++) mix(font.postScriptName.charCodeAt(i));
  for (const g of [...gids].sort((a, b) => a - b)) {
    mix(g >> 8);
    mix(g);
  }
  // Final avalanche so nearby glyph sets get unrelated tags.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  h >>>= 0;
  let tag = '';
  for (let i = 0; i < 6; i++) {
    tag += String.fromCharCode(65 + (h % 26));
    h = Math.floor(h / 26);
  }
  return tag;
}

/** A rough stem width from the weight class; viewers use it only when they substitute a font. */
function stemV(weight: number): number {
  return Math.round(50 + (weight / 65) ** 2);
}

/** /W in its compact form: `first [w1 w2 ...]` for each run of consecutive glyph ids. */
function widthsArray(font: TrueTypeFont, gids: number[]): PdfObject[] {
  const out: PdfObject[] = [];
  let run: number[] | undefined;
  let prev = -2;
  for (const g of gids) {
    if (g !== prev + 1 || !run) {
      run = [];
      out.push(g, run);
    }
    run.push(font.pdfWidth(g));
    prev = g;
  }
  return out;
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).toUpperCase().padStart(2, '0');
  return s;
}

function hex4(v: number): string {
  return v.toString(16).toUpperCase().padStart(4, '0');
}

function utf16Hex(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += hex4(s.charCodeAt(i));
  return out;
}

/** A ToUnicode CMap mapping each 2-byte code (glyph id) to its text, as bfrange runs where possible. */
export function toUnicodeCMap(toText: Map<number, string>): string {
  const gids = [...toText.keys()].sort((a, b) => a - b);
  const ranges: { first: number; last: number; unit: number }[] = [];
  const singles: [number, string][] = [];
  for (let i = 0; i < gids.length; ) {
    const g = gids[i];
    const t = toText.get(g)!;
    let j = i + 1;
    if (t.length === 1) {
      const u = t.charCodeAt(0);
      // A bfrange may only vary the last byte of source and destination.
      while (
        j < gids.length &&
        gids[j] === g + (j - i) &&
        gids[j] >> 8 === g >> 8 &&
        toText.get(gids[j])!.length === 1 &&
        toText.get(gids[j])!.charCodeAt(0) === u + (j - i) &&
        (u + (j - i)) >> 8 === u >> 8
      )
        j++;
    }
    if (j - i >= 2) ranges.push({ first: g, last: gids[j - 1], unit: t.charCodeAt(0) });
    else singles.push([g, t]);
    i = j;
  }

  const lines: string[] = [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000> <FFFF>',
    'endcodespacerange',
  ];
  for (let i = 0; i < singles.length; i += 100) {
    const block = singles.slice(i, i + 100);
    lines.push(`${block.length} beginbfchar`);
    for (const [g, t] of block) lines.push(`<${hex4(g)}> <${utf16Hex(t)}>`);
    lines.push('endbfchar');
  }
  for (let i = 0; i < ranges.length; i += 100) {
    const block = ranges.slice(i, i + 100);
    lines.push(`${block.length} beginbfrange`);
    for (const r of block) lines.push(`<${hex4(r.first)}> <${hex4(r.last)}> <${hex4(r.unit)}>`);
    lines.push('endbfrange');
  }
  lines.push('endcmap', 'CMapName currentdict /CMap defineresource pop', 'end', 'end', '');
  return lines.join('\n');
}

function flateStream(data: Uint8Array, extra: Record<string, PdfObject> = {}): PdfStream {
  const raw = zlibSync(data, { level: 9 });
  return new PdfStream(new PdfDict({ ...extra, Filter: n('FlateDecode'), Length: raw.length }), raw);
}
