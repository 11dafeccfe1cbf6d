import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { TrueTypeFont, glyphClosure } from '../../shared/pdf/font/truetype.ts';
import { embedType0Font, encodeText, encodeTextHex, subsetTag } from '../../shared/pdf/font/type0.ts';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString } from '../../shared/pdf/objects.ts';
import { isKysoError, KysoError } from '../../shared/protocol/errors.ts';
import { fontBytes, hasTool, MemorySink } from './helpers.ts';

const regular = TrueTypeFont.parse(fontBytes('Regular'));
const bold = TrueTypeFont.parse(fontBytes('Bold'));
const italic = TrueTypeFont.parse(fontBytes('Italic'));
const fonts = { regular, bold, italic };

const ALPHABET = 'a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y'.split(' ');
const VOWELS = 'a ă â e ê i o ô ơ u ư y'.split(' ');
/** Grave (huyền), hook above (hỏi), tilde (ngã), acute (sắc), dot below (nặng). */
const TONES = ['\u0300', '\u0309', '\u0303', '\u0301', '\u0323'];

/** Every Vietnamese letter, lower and upper case, with every tone on every vowel; each composed to one code point. */
function vietnameseLetters(): string[] {
  const lower = [...ALPHABET];
  for (const v of VOWELS) for (const t of TONES) lower.push((v + t).normalize('NFC'));
  return [...lower, ...lower.map((c) => c.toUpperCase())];
}

const MOTTO = 'Cộng hòa xã hội chủ nghĩa Việt Nam — Độc lập - Tự do - Hạnh phúc';

describe('TrueType parsing', () => {
  it('reads the Liberation Serif headers', () => {
    for (const [style, f] of Object.entries(fonts)) {
      expect(f.unitsPerEm, style).toBe(2048);
      expect(f.numGlyphs).toBeGreaterThan(2000);
      expect(f.postScriptName).toBe({ regular: 'LiberationSerif', bold: 'LiberationSerif-Bold', italic: 'LiberationSerif-Italic' }[style]);
      expect(f.weight).toBe(style === 'bold' ? 700 : 400);
      expect(f.isFixedPitch).toBe(false);
      expect(f.isSerif).toBe(true);
      if (style === 'italic') {
        expect(f.italicAngle).toBeCloseTo(-16.333, 3);
        expect(f.flags).toBe(2 | 32 | 64); // Serif, Nonsymbolic, Italic
      } else {
        expect(f.italicAngle).toBe(0);
        expect(f.flags).toBe(2 | 32); // Serif, Nonsymbolic
      }
      // Same line metrics as Times New Roman: 891 / -216 per 1000; cap height 655 (OS/2 sCapHeight 1341).
      expect(Math.round((f.ascent * 1000) / f.unitsPerEm)).toBe(891);
      expect(Math.round((f.descent * 1000) / f.unitsPerEm)).toBe(-216);
      expect(Math.round((f.capHeight * 1000) / f.unitsPerEm)).toBe(655);
      expect(f.bbox[0]).toBeLessThan(0);
      expect(f.bbox[3]).toBeGreaterThan(f.ascent);
    }
  });

  it('maps every Vietnamese letter, upper and lower case, all five tones, in every font', () => {
    const letters = vietnameseLetters();
    expect(letters.length).toBe(2 * (29 + 12 * 5));
    for (const ch of letters) {
      expect([...ch].length, `${ch} is precomposed`).toBe(1);
      for (const [style, f] of Object.entries(fonts)) expect(f.glyphId(ch.codePointAt(0)!), `${style} '${ch}'`).toBeGreaterThan(0);
    }
    expect(regular.missingCharacters(letters.join(''))).toEqual([]);
  });

  it('has Times New Roman advance widths', () => {
    // Times New Roman regular, bold and italic widths per 1000 em.
    const tnr: Record<string, [number, number, number]> = {
      ' ': [250, 250, 250],
      A: [722, 722, 611],
      a: [444, 500, 500],
      '0': [500, 500, 500],
      W: [944, 1000, 833],
      m: [778, 833, 722],
      i: [278, 278, 278],
      '.': [250, 250, 250],
    };
    for (const [ch, [r, b, it]] of Object.entries(tnr)) {
      expect(Math.round((regular.advance(regular.glyphId(ch.codePointAt(0)!)) * 1000) / regular.unitsPerEm), `regular ${ch}`).toBe(r);
      expect(regular.pdfWidth(regular.glyphId(ch.codePointAt(0)!))).toBe(r);
      expect(bold.pdfWidth(bold.glyphId(ch.codePointAt(0)!)), `bold ${ch}`).toBe(b);
      expect(italic.pdfWidth(italic.glyphId(ch.codePointAt(0)!)), `italic ${ch}`).toBe(it);
    }
    expect(regular.widthOf('Aa 0', 10)).toBeCloseTo((722 + 444 + 250 + 500) / 100, 10);
    expect(regular.widthOf('', 12)).toBe(0);
  });

  it('normalises to NFC before mapping', () => {
    const decomposed = MOTTO.normalize('NFD');
    expect(decomposed.length).toBeGreaterThan(MOTTO.length);
    expect(regular.layout(decomposed)).toEqual(regular.layout(MOTTO));
    expect(regular.widthOf(decomposed, 12)).toBe(regular.widthOf(MOTTO, 12));
    expect(regular.layout('Đ')).toEqual([regular.glyphId(0x110)]);
  });

  it('names the characters it cannot draw', () => {
    let err: unknown;
    try {
      regular.layout('Ký tên 中文 😀 中');
    } catch (e) {
      err = e;
    }
    expect(isKysoError(err, 'FONT_MISSING_GLYPH')).toBe(true);
    const k = err as KysoError;
    expect(k.message).toContain('中');
    expect(k.message).toContain('U+4E2D');
    expect(k.message).toContain('U+1F600');
    expect(k.details?.characters).toBe('中文😀');
    expect(() => regular.widthOf('\n', 12)).toThrow(KysoError);
    expect(() => encodeText(regular, 'x\u0000')).toThrow(/U\+0000/);
    expect(regular.missingCharacters('ab中c文')).toEqual(['中', '文']);
  });

  it('rejects what is not a TrueType font with a typed error', () => {
    expect(() => TrueTypeFont.parse(new Uint8Array([0x4f, 0x54, 0x54, 0x4f, 0, 0, 0, 0, 0, 0, 0, 0]))).toThrow(KysoError);
    expect(() => TrueTypeFont.parse(new Uint8Array(3))).toThrow(KysoError);
    const cut = fontBytes('Regular').slice(0, 20000);
    expect(() => TrueTypeFont.parse(cut)).toThrow(KysoError);
  });

  it('caches the parsed font per byte array', () => {
    const bytes = fontBytes('Regular');
    expect(TrueTypeFont.parse(bytes)).toBe(TrueTypeFont.parse(bytes));
  });
});

/** Reads an sfnt table directory and checks checksums, alignment and head.checkSumAdjustment. */
function checkSfnt(b: Uint8Array): Map<string, { offset: number; length: number }> {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const sum = (start: number, len: number) => {
    let s = 0;
    for (let p = start; p < start + len; p += 4) {
      let w = 0;
      for (let k = 0; k < 4; k++) w = w * 256 + (p + k < start + len ? b[p + k] : 0);
      s = (s + w) % 2 ** 32;
    }
    return s;
  };
  expect(b.length % 4).toBe(0);
  const n = dv.getUint16(4);
  const tables = new Map<string, { offset: number; length: number }>();
  let prevTag = '';
  for (let i = 0; i < n; i++) {
    const r = 12 + 16 * i;
    const tag = String.fromCharCode(...b.subarray(r, r + 4));
    expect(tag > prevTag, 'tags sorted').toBe(true);
    prevTag = tag;
    const offset = dv.getUint32(r + 8);
    const length = dv.getUint32(r + 12);
    expect(offset % 4).toBe(0);
    let s = sum(offset, length);
    if (tag === 'head') s = (s - dv.getUint32(offset + 8) + 2 ** 32) % 2 ** 32;
    expect(s, `checksum of ${tag}`).toBe(dv.getUint32(r + 4));
    tables.set(tag, { offset, length });
  }
  expect(dv.getUint16(6)).toBe(16 * 2 ** Math.floor(Math.log2(n)));
  expect(sum(0, b.length)).toBe(0xb1b0afba);
  return tables;
}

describe('subsetting', () => {
  const gids = regular.layout(MOTTO + ' Ký số: Nguyễn Văn Ánh, Giám đốc Sở Tài chính 0123456789/,.:()');

  it('keeps used glyphs and their components under their ids, empties the rest', () => {
    const sub = regular.subset(gids);
    const tables = checkSfnt(sub);
    expect([...tables.keys()].sort()).toEqual(['OS/2', 'cmap', 'cvt ', 'fpgm', 'glyf', 'head', 'hhea', 'hmtx', 'loca', 'maxp', 'name', 'post', 'prep'].sort());
    const s = TrueTypeFont.parse(sub);
    const keep = glyphClosure(regular, gids);
    // Vietnamese letters in Liberation are composites: their components must come along.
    const composite = regular.glyphId('ộ'.codePointAt(0)!);
    expect(regular.componentGlyphs(composite).length).toBeGreaterThan(1);
    for (const c of regular.componentGlyphs(composite)) expect(keep.has(c)).toBe(true);
    expect(keep.size).toBeGreaterThan(new Set(gids).size);
    expect(s.numGlyphs).toBe(Math.max(...keep) + 1);
    for (let g = 0; g < s.numGlyphs; g++) {
      const want = keep.has(g) ? regular.glyphData(g) : new Uint8Array(0);
      const got = s.glyphData(g);
      expect(Buffer.from(got.subarray(0, want.length)).equals(Buffer.from(want)), `glyph ${g}`).toBe(true);
      expect(got.length - want.length).toBeLessThan(4);
      if (keep.has(g)) expect(s.advance(g)).toBe(regular.advance(g));
    }
    // The subset's own cmap still maps the text, to the same glyph ids; same metrics and names.
    expect(s.layout(MOTTO)).toEqual(regular.layout(MOTTO));
    expect(s.postScriptName).toBe('LiberationSerif');
    expect(s.unitsPerEm).toBe(2048);
    expect(s.ascent).toBe(regular.ascent);
  });

  it('is small (timings printed, not asserted: speed lives in npm run bench)', () => {
    const set = new Set(gids);
    expect(set.size).toBeGreaterThanOrEqual(55);
    const times: number[] = [];
    let sub: Uint8Array = new Uint8Array(0);
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      sub = regular.subset(set);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log(`subset of ${set.size} glyphs: ${sub.length} B (font ${regular.bytes.length} B), median ${times[5].toFixed(2)} ms, first ${times[9].toFixed(2)} ms`);
    expect(sub.length).toBeLessThan(40_000);
  });

  it('passes FreeType (fc-query)', { skip: !hasTool('fc-query') }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-font-'));
    for (const [style, f] of Object.entries(fonts)) {
      const file = join(dir, `${style}.ttf`);
      writeFileSync(file, f.subset(f.layout(MOTTO)));
      const r = spawnSync('fc-query', [file], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain('Liberation Serif');
      expect(r.stdout).toContain('outline: True');
    }
  });

  it('handles the empty glyph set (only .notdef)', () => {
    const sub = regular.subset([]);
    checkSfnt(sub);
    const s = TrueTypeFont.parse(sub);
    expect(s.numGlyphs).toBe(1);
    expect(s.glyphData(0)).toEqual(regular.glyphData(0)); // empty in Liberation Serif
    const sink = new MemorySink();
    const ref = embedType0Font(sink, regular, undefined, []);
    expect((sink.get(ref) as PdfDict).nameOf('Subtype')).toBe('Type0');
  });

  it('names subsets with six letters from the glyph set', () => {
    const a = subsetTag(regular, [3, 4, 5]);
    expect(a).toMatch(/^[A-Z]{6}$/);
    expect(subsetTag(regular, [5, 4, 3])).toBe(a);
    expect(subsetTag(regular, [3, 4, 6])).not.toBe(a);
    expect(subsetTag(bold, [3, 4, 5])).not.toBe(a);
  });
});

describe('Type 0 embedding', () => {
  it('writes Type0 / CIDFontType2 / descriptor / FontFile2 / ToUnicode', () => {
    const sink = new MemorySink();
    const ref = embedType0Font(sink, regular, undefined, [MOTTO, 'Ký bởi: Trần Thị Bích Ngọc']);
    const type0 = sink.get(ref) as PdfDict;
    expect(type0.nameOf('Subtype')).toBe('Type0');
    expect(type0.nameOf('Encoding')).toBe('Identity-H');
    const baseFont = type0.nameOf('BaseFont')!;
    expect(baseFont).toMatch(/^[A-Z]{6}\+LiberationSerif$/);
    const cid = sink.get((type0.get('DescendantFonts') as PdfRef[])[0]) as PdfDict;
    expect(cid.nameOf('Subtype')).toBe('CIDFontType2');
    expect(cid.nameOf('CIDToGIDMap')).toBe('Identity');
    expect(cid.nameOf('BaseFont')).toBe(baseFont);
    const info = cid.get('CIDSystemInfo') as PdfDict;
    expect((info.get('Registry') as PdfString).decodeText()).toBe('Adobe');
    expect((info.get('Ordering') as PdfString).decodeText()).toBe('Identity');
    expect(info.get('Supplement')).toBe(0);

    // /W: runs of consecutive ids, each width right.
    const w = cid.get('W') as (number | number[])[];
    const widths = new Map<number, number>();
    for (let i = 0; i < w.length; i += 2) (w[i + 1] as number[]).forEach((v, k) => widths.set((w[i] as number) + k, v));
    const used = new Set([...regular.layout(MOTTO), ...regular.layout('Ký bởi: Trần Thị Bích Ngọc')]);
    expect([...widths.keys()].sort((a, b) => a - b)).toEqual([...used].sort((a, b) => a - b));
    for (const [g, v] of widths) expect(v).toBe(regular.pdfWidth(g));

    const desc = sink.get(cid.get('FontDescriptor') as PdfRef) as PdfDict;
    expect(desc.nameOf('FontName')).toBe(baseFont);
    expect(desc.get('Ascent')).toBe(891);
    expect(desc.get('Descent')).toBe(-216);
    expect(desc.get('Flags')).toBe(34);
    const file = sink.get(desc.get('FontFile2') as PdfRef) as PdfStream;
    expect(file.dict.nameOf('Filter')).toBe('FlateDecode');
    const program = unzlibSync(file.raw);
    expect(file.dict.get('Length1')).toBe(program.length);
    checkSfnt(program);

    const cmap = new TextDecoder().decode(unzlibSync((sink.get(type0.get('ToUnicode') as PdfRef) as PdfStream).raw));
    expect(cmap).toContain('begincmap');
    expect(cmap).toContain('<0000> <FFFF>');
    const toUnicode = parseToUnicode(cmap);
    for (const text of [MOTTO, 'Ký bởi: Trần Thị Bích Ngọc']) {
      const nfc = text.normalize('NFC');
      const decoded = regular.layout(nfc).map((g) => toUnicode.get(g)).join('');
      expect(decoded).toBe(nfc);
    }
  });

  it('embeds the whole font, without a subset tag, when given its bytes', () => {
    const sink = new MemorySink();
    const ref = embedType0Font(sink, bold, bold.bytes, ['Việt Nam']);
    const type0 = sink.get(ref) as PdfDict;
    expect(type0.nameOf('BaseFont')).toBe('LiberationSerif-Bold');
    const cid = sink.get((type0.get('DescendantFonts') as PdfRef[])[0]) as PdfDict;
    const desc = sink.get(cid.get('FontDescriptor') as PdfRef) as PdfDict;
    expect((sink.get(desc.get('FontFile2') as PdfRef) as PdfStream).dict.get('Length1')).toBe(bold.bytes.length);
  });

  it('throws FONT_MISSING_GLYPH before adding any object', () => {
    const sink = new MemorySink();
    expect(() => embedType0Font(sink, regular, undefined, ['Hà Nội', '北京'])).toThrow(expect.objectContaining({ code: 'FONT_MISSING_GLYPH' }));
    expect(sink.objects.size).toBe(0);
  });

  it('encodes text as 2-byte glyph ids', () => {
    const bytes = encodeText(regular, 'Aộ');
    const a = regular.glyphId(0x41);
    const o = regular.glyphId(0x1ed9);
    expect(Array.from(bytes)).toEqual([a >> 8, a & 255, o >> 8, o & 255]);
    expect(encodeTextHex(regular, 'Aộ')).toBe([a, o].map((g) => g.toString(16).toUpperCase().padStart(4, '0')).join(''));
    expect(encodeText(regular, 'ộ'.normalize('NFD'))).toEqual(encodeText(regular, 'ộ'));
    expect(PdfName.of('x')).toBe(PdfName.of('x'));
  });
});

/** A small reader for the bfchar/bfrange CMaps written by toUnicodeCMap. */
function parseToUnicode(cmap: string): Map<number, string> {
  const out = new Map<number, string>();
  const utf16 = (h: string) => String.fromCharCode(...(h.match(/.{4}/g) ?? []).map((x) => parseInt(x, 16)));
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const m of block[1].matchAll(/<([0-9A-F]+)>\s*<([0-9A-F]+)>/g)) out.set(parseInt(m[1], 16), utf16(m[2]));
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g))
    for (const m of block[1].matchAll(/<([0-9A-F]+)>\s*<([0-9A-F]+)>\s*<([0-9A-F]+)>/g)) {
      const first = parseInt(m[1], 16);
      const last = parseInt(m[2], 16);
      const base = parseInt(m[3], 16);
      for (let c = first; c <= last; c++) out.set(c, String.fromCharCode(base + c - first));
    }
  return out;
}
