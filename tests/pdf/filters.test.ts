import { describe, expect, test } from 'vitest';
import { zlibSync, deflateSync } from 'fflate';
import { deflateRawSync } from 'node:zlib';
import { decodeFilters, flateDecode, lzwDecode, ascii85Decode, asciiHexDecode, runLengthDecode, applyPredictor } from '../../shared/pdf/filters.ts';
import { PdfDict, PdfName } from '../../shared/pdf/objects.ts';
import { KysoError } from '../../shared/protocol/errors.ts';

const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const txt = (b: Uint8Array) => String.fromCharCode(...b);
const n = PdfName.of;

function expectKyso(fn: () => unknown, code: string) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(KysoError);
    expect((e as KysoError).code).toBe(code);
    return;
  }
  throw new Error('did not throw');
}

describe('FlateDecode', () => {
  const data = enc('The quick brown fox jumps over the lazy dog. '.repeat(50));
  test('zlib and raw deflate', () => {
    expect(txt(flateDecode(zlibSync(data)))).toBe(txt(data));
    expect(txt(flateDecode(deflateSync(data)))).toBe(txt(data));
    expect(txt(flateDecode(new Uint8Array(deflateRawSync(data))))).toBe(txt(data));
  });
  test('missing Adler-32 trailer is fine', () => {
    const z = zlibSync(data);
    expect(txt(flateDecode(z.subarray(0, z.length - 4)))).toBe(txt(data));
  });
  test('corrupt data -> PDF_INVALID', () => {
    const z = zlibSync(data).slice();
    for (let i = 10; i < 20; i++) z[i] ^= 0x5a;
    expectKyso(() => flateDecode(z), 'PDF_INVALID');
    expectKyso(() => flateDecode(enc('not compressed at all')), 'PDF_INVALID');
  });
  test('decompression bomb is refused', () => {
    const big = zlibSync(new Uint8Array(4 * 1024 * 1024));
    expectKyso(() => flateDecode(big, 1024 * 1024), 'PDF_TOO_LARGE');
  });
});

describe('predictors', () => {
  test('PNG Up predictor as in xref streams', () => {
    // rows of 3 bytes, /Columns 3, filter type 2 (Up) on every row
    const rows = [
      [1, 0, 16],
      [1, 0, 32],
      [2, 1, 0],
    ];
    const enc2: number[] = [];
    let prev = [0, 0, 0];
    for (const r of rows) {
      enc2.push(2, ...r.map((v, i) => (v - prev[i]) & 0xff));
      prev = r;
    }
    const parms = new PdfDict({ Predictor: 12, Columns: 3 });
    expect([...applyPredictor(Uint8Array.from(enc2), parms)]).toEqual(rows.flat());
  });
  test('PNG Sub, Average, Paeth', () => {
    const parms = new PdfDict({ Predictor: 15, Columns: 4, Colors: 1 });
    const raw = Uint8Array.from([1, 5, 1, 1, 1, 3, 10, 0, 0, 0, 4, 1, 1, 1, 1]);
    // row0 Sub: 5 6 7 8; row1 Avg: 10+(0+5)/2 ... computed by hand below
    const out = applyPredictor(raw, parms);
    expect([...out.subarray(0, 4)]).toEqual([5, 6, 7, 8]);
    // Average: x + floor((left + up)/2)
    expect(out[4]).toBe((10 + ((0 + 5) >> 1)) & 0xff);
    expect(out[5]).toBe((0 + ((out[4] + 6) >> 1)) & 0xff);
    // Paeth row
    expect(out.length).toBe(12);
  });
  test('TIFF predictor 2, 8 bits', () => {
    const parms = new PdfDict({ Predictor: 2, Columns: 3, Colors: 1 });
    expect([...applyPredictor(Uint8Array.from([10, 1, 1, 20, 2, 2]), parms)]).toEqual([10, 11, 12, 20, 22, 24]);
  });
});

describe('other filters', () => {
  test('ASCIIHex', () => {
    expect(txt(asciiHexDecode(enc('48 65 6c6C 6F>')))).toBe('Hello');
    expect(txt(asciiHexDecode(enc('414>')))).toBe('A@');
    expectKyso(() => asciiHexDecode(enc('4G>')), 'PDF_INVALID');
  });
  test('ASCII85', () => {
    expect(txt(ascii85Decode(enc('87cURD]i,"Ebo80~>')))).toBe('Hello World!');
    expect(txt(ascii85Decode(enc('<~z~>')))).toBe('\0\0\0\0');
    expect(txt(ascii85Decode(enc('9jqo^\n F*2M7~>')))).toBe('Man sure');
    expect(txt(ascii85Decode(enc('9jqo^Er~>')))).toBe('Man s');
    expectKyso(() => ascii85Decode(enc('9jqo^E~>')), 'PDF_INVALID');
  });
  test('RunLength', () => {
    expect(txt(runLengthDecode(Uint8Array.from([2, 65, 66, 67, 254, 68, 128, 1, 1])))).toBe('ABCDDD');
  });
  test('LZW (the example of ISO 32000-2 §7.4.4.2)', () => {
    const input = Uint8Array.from([0x80, 0x0b, 0x60, 0x50, 0x22, 0x0c, 0x0c, 0x85, 0x01]);
    expect([...lzwDecode(input, 1)]).toEqual([45, 45, 45, 45, 45, 65, 45, 45, 45, 66]);
  });
});

describe('decodeFilters', () => {
  test('filter chains with DecodeParms arrays', () => {
    const data = enc('chain test '.repeat(20));
    const hex = enc(Buffer.from(zlibSync(data)).toString('hex') + '>');
    const d = new PdfDict({ Filter: [n('ASCIIHexDecode'), n('FlateDecode')], DecodeParms: [null, null] });
    expect(txt(decodeFilters(d, hex).data)).toBe(txt(data));
  });
  test('image codecs stop decoding and are reported', () => {
    const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xd9]);
    const d = new PdfDict({ Filter: [n('FlateDecode'), n('DCTDecode')] });
    const r = decodeFilters(d, zlibSync(jpeg));
    expect([...r.data]).toEqual([...jpeg]);
    expect(r.remaining).toEqual(['DCTDecode']);
  });
  test('unknown filter and Crypt', () => {
    expectKyso(() => decodeFilters(new PdfDict({ Filter: n('FooDecode') }), enc('x')), 'PDF_INVALID');
    expect(txt(decodeFilters(new PdfDict({ Filter: n('Crypt') }), enc('x')).data)).toBe('x');
    expectKyso(() => decodeFilters(new PdfDict({ Filter: n('Crypt'), DecodeParms: new PdfDict({ Name: n('StdCF') }) }), enc('x')), 'PDF_INVALID');
  });
});
