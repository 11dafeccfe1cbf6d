import { describe, expect, test } from 'vitest';
import { formatNumber, serializeObject, flateStream } from '../../shared/pdf/serialize.ts';
import { parseObjectAt, parseIndirectObject } from '../../shared/pdf/parser.ts';
import { flateDecode } from '../../shared/pdf/filters.ts';
import { PdfDict, PdfName, PdfRaw, PdfRef, PdfStream, PdfString, type PdfObject } from '../../shared/pdf/objects.ts';
import { KysoError } from '../../shared/protocol/errors.ts';

const txt = (b: Uint8Array) => String.fromCharCode(...b);
const ser = (o: PdfObject) => txt(serializeObject(o));

describe('numbers', () => {
  test('integers and reals', () => {
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(42)).toBe('42');
    expect(formatNumber(-17)).toBe('-17');
    expect(formatNumber(0.5)).toBe('0.5');
    expect(formatNumber(-0.0000001)).toBe('0');
    expect(formatNumber(1 / 3)).toBe('0.333333');
    expect(formatNumber(1e-7)).toBe('0');
    expect(formatNumber(123456789.123)).toBe('123456789.123');
    expect(formatNumber(1e22)).toBe('10000000000000000000000');
    expect(formatNumber(595.2756)).toBe('595.2756');
    expect(formatNumber(2.5e-5)).toBe('0.000025');
    expect(() => formatNumber(NaN)).toThrow(KysoError);
    expect(() => formatNumber(Infinity)).toThrow(KysoError);
  });
});

describe('names and strings', () => {
  test('names are escaped with #xx', () => {
    expect(ser(PdfName.of('Type'))).toBe('/Type');
    expect(ser(PdfName.of('A B'))).toBe('/A#20B');
    expect(ser(PdfName.of('a#b/c(d)'))).toBe('/a#23b#2Fc#28d#29');
    expect(ser(PdfName.of(''))).toBe('/');
    // Parsed names hold one char per byte and are written back byte for byte; a name with characters
    // beyond U+00FF is written as UTF-8.
    expect(ser(PdfName.of('K\xfd'))).toBe('/K#FD');
    expect(ser(PdfName.of('Chữ'))).toBe('/Ch#E1#BB#AF');
  });
  test('literal strings escape \\ ( ) and control bytes', () => {
    expect(ser(PdfString.latin1('a(b)c\\d'))).toBe('(a\\(b\\)c\\\\d)');
    expect(ser(PdfString.latin1('l1\nl2\r\t\b\f'))).toBe('(l1\\nl2\\r\\t\\b\\f)');
    expect(ser(new PdfString(Uint8Array.of(0, 1, 0x1f, 0x7f, 0xff)))).toBe('(\\000\\001\\037\\177\xff)');
  });
  test('hex strings stay hex', () => {
    expect(ser(new PdfString(Uint8Array.of(0xde, 0xad, 0x01), true))).toBe('<DEAD01>');
  });
  test('round trip through the parser', () => {
    const samples: PdfObject[] = [
      PdfString.latin1('(nested (parens)) and \\ backslash\r\n'),
      new PdfString(Uint8Array.from({ length: 256 }, (_, i) => i)),
      PdfString.text('Chữ ký số'),
      PdfName.of('Name with spaces/and#hash'),
    ];
    for (const s of samples) {
      const back = parseObjectAt(serializeObject(s), 0);
      if (s instanceof PdfString) expect([...(back as PdfString).bytes]).toEqual([...s.bytes]);
      else expect(back).toBe(s);
    }
  });
});

describe('containers', () => {
  test('dict and array', () => {
    const d = new PdfDict({ Type: PdfName.of('Annot'), Rect: [0, 0.5, 100, -2.25], P: new PdfRef(3, 0), F: 4, B: true, N: null });
    expect(ser(d)).toBe('<</Type /Annot /Rect [0 0.5 100 -2.25] /P 3 0 R /F 4 /B true /N null>>');
    const back = parseObjectAt(serializeObject(d), 0) as PdfDict;
    expect(back.get('P')).toEqual(new PdfRef(3, 0));
    expect(back.get('Rect')).toEqual([0, 0.5, 100, -2.25]);
  });
  test('streams get /Length from their raw bytes and parse back', () => {
    const s = new PdfStream(new PdfDict({ Length: 999 }), Uint8Array.from([1, 2, 3, 0x0a, 0x0d]));
    const bytes = new Uint8Array([...new TextEncoder().encode('1 0 obj\n'), ...serializeObject(s), ...new TextEncoder().encode('\nendobj\n')]);
    const io = parseIndirectObject(bytes, 0)!;
    expect((io.obj as PdfStream).dict.get('Length')).toBe(5);
    expect([...(io.obj as PdfStream).raw]).toEqual([1, 2, 3, 0x0a, 0x0d]);
    expect(s.dict.get('Length')).toBe(999); // the caller's dict is not modified
  });
  test('a stream inside a dict is refused', () => {
    expect(() => serializeObject(new PdfDict({ S: new PdfStream(new PdfDict(), new Uint8Array()) }))).toThrow(KysoError);
  });
  test('flateStream compresses and sets /Filter', () => {
    const data = new TextEncoder().encode('q 1 0 0 1 0 0 cm Q\n'.repeat(100));
    const s = flateStream(new PdfDict({ Subtype: PdfName.of('Form'), DecodeParms: new PdfDict() }), data);
    expect(s.dict.get('Filter')).toBe(PdfName.of('FlateDecode'));
    expect(s.dict.has('DecodeParms')).toBe(false);
    expect(txt(flateDecode(s.raw))).toBe(txt(data));
  });
});

describe('placeholders', () => {
  test('PdfRaw offsets are reported relative to the base offset', () => {
    const placeholders = new Map<string, { offset: number; length: number }>();
    const contents = new PdfRaw(new TextEncoder().encode('<' + '0'.repeat(20) + '>'), 'contents');
    const br = new PdfRaw(new TextEncoder().encode('[0 ********** ********** **********]'), 'byterange');
    const d = new PdfDict({ Type: PdfName.of('Sig'), ByteRange: br, Contents: contents });
    const out = serializeObject(d, { placeholders, baseOffset: 1000 });
    const s = txt(out);
    const c = placeholders.get('contents')!;
    expect(s.substr(c.offset - 1000, c.length)).toBe('<' + '0'.repeat(20) + '>');
    const b = placeholders.get('byterange')!;
    expect(s.substr(b.offset - 1000, b.length)).toBe('[0 ********** ********** **********]');
  });
  test('duplicate tags are refused', () => {
    const r = () => new PdfRaw(new Uint8Array([0x30]), 'x');
    expect(() => serializeObject([r(), r()], { placeholders: new Map() })).toThrow(KysoError);
  });
});
