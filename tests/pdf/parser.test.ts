import { describe, expect, test } from 'vitest';
import { Lexer, TOK_EOF, TOK_KW, TOK_NUM } from '../../shared/pdf/lexer.ts';
import { parseIndirectObject, parseObjectAt, Parser, MAX_NESTING } from '../../shared/pdf/parser.ts';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfObject } from '../../shared/pdf/objects.ts';
import { KysoError } from '../../shared/protocol/errors.ts';

const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const parse = (s: string): PdfObject | undefined => parseObjectAt(enc(s), 0);
const str = (o: PdfObject | undefined) => {
  if (!(o instanceof PdfString)) throw new Error('not a string');
  return String.fromCharCode(...o.bytes);
};

describe('lexer', () => {
  test('numbers', () => {
    const lex = new Lexer(enc('-.5 4. +3 0 -0 123.456 00012 .0 1e3'));
    const out: number[] = [];
    while (lex.next() !== TOK_EOF) {
      expect(lex.type).toBe(TOK_NUM);
      out.push(lex.num);
    }
    expect(out).toEqual([-0.5, 4, 3, 0, -0, 123.456, 12, 0, 1000]);
  });

  test('garbage tokens are keywords, not numbers', () => {
    const lex = new Lexer(enc('1-2 -- . abc'));
    const toks: [number, string][] = [];
    while (lex.next() !== TOK_EOF) toks.push([lex.type, lex.str]);
    expect(toks.every(([t]) => t === TOK_KW)).toBe(true);
    expect(toks.map(([, s]) => s)).toEqual(['1-2', '--', '.', 'abc']);
  });

  test('comments are skipped, up to either EOL', () => {
    const lex = new Lexer(enc('% comment\r1 %another\n2%x'));
    lex.next();
    expect(lex.num).toBe(1);
    lex.next();
    expect(lex.num).toBe(2);
    expect(lex.next()).toBe(TOK_EOF);
  });
});

describe('strings', () => {
  test('nested parentheses and escapes', () => {
    expect(str(parse('(a(b(c)d)e)'))).toBe('a(b(c)d)e');
    expect(str(parse('(\\(\\)\\\\\\n\\r\\t\\b\\f)'))).toBe('()\\\n\r\t\b\f');
    expect(str(parse('(unknown \\q escape)'))).toBe('unknown q escape');
  });
  test('octal escapes: 1 to 3 digits, overflow wraps', () => {
    expect(str(parse('(\\101\\60\\7x\\0053)'))).toBe('A0\x07x\x053');
    expect(str(parse('(\\777)'))).toBe('\xff');
  });
  test('line continuation and EOL normalisation', () => {
    expect(str(parse('(ab\\\ncd\\\r\nef)'))).toBe('abcdef');
    expect(str(parse('(a\r\nb\rc\nd)'))).toBe('a\nb\nc\nd');
  });
  test('hex strings: whitespace, odd length, case', () => {
    const s = parse('<48 65 6C6c 6f7>');
    expect(s).toBeInstanceOf(PdfString);
    expect((s as PdfString).hex).toBe(true);
    expect(str(s)).toBe('Hello\x70');
    expect(str(parse('<>'))).toBe('');
    expect(str(parse('<4>'))).toBe('\x40');
  });
  test('unterminated string stops at the end of input', () => {
    expect(str(parse('(abc'))).toBe('abc');
    expect(str(parse('<41'))).toBe('A');
  });
});

describe('names', () => {
  test('# escapes', () => {
    expect(parse('/A#20B')).toBe(PdfName.of('A B'));
    expect(parse('/Lime#20Green')).toBe(PdfName.of('Lime Green'));
    expect(parse('/paired#28#29parentheses')).toBe(PdfName.of('paired()parentheses'));
    expect(parse('/The_Key_of_F#23_Minor')).toBe(PdfName.of('The_Key_of_F#_Minor'));
    // invalid escape: kept literally
    expect(parse('/A#zz')).toBe(PdfName.of('A#zz'));
    expect(parse('/A#2')).toBe(PdfName.of('A#2'));
  });
  test('empty name and names ended by delimiters', () => {
    const a = parse('[/ /A/B(x)/C<41>]') as PdfObject[];
    expect(a[0]).toBe(PdfName.of(''));
    expect(a[1]).toBe(PdfName.of('A'));
    expect(a[2]).toBe(PdfName.of('B'));
    expect(str(a[3])).toBe('x');
  });
});

describe('objects', () => {
  test('references, arrays, dictionaries', () => {
    const d = parse('<</Type/Page/Kids[1 0 R 2 0 R 3]/Count 3/N null/B true/F false>>') as PdfDict;
    expect(d).toBeInstanceOf(PdfDict);
    expect(d.get('Type')).toBe(PdfName.of('Page'));
    const kids = d.get('Kids') as PdfObject[];
    expect(kids[0]).toBeInstanceOf(PdfRef);
    expect((kids[1] as PdfRef).num).toBe(2);
    expect(kids[2]).toBe(3);
    expect(d.has('N')).toBe(false); // null value = absent
    expect(d.get('B')).toBe(true);
    expect(d.get('F')).toBe(false);
  });

  test('number sequences are not mistaken for references', () => {
    expect(parse('[1 2 3 4 R]')).toEqual([1, 2, new PdfRef(3, 4)]);
    expect(parse('[0 0 612 792]')).toEqual([0, 0, 612, 792]);
    expect(parse('[1 -2 R]')).toEqual([1, -2]); // a negative generation is no reference; the stray R is skipped
  });

  test('compact syntax without whitespace', () => {
    const d = parse('<</A[1 2]/B<</C(x)>>/D<414243>/E 1.5/F/G>>') as PdfDict;
    expect(d.get('A')).toEqual([1, 2]);
    expect(str((d.get('B') as PdfDict).get('C'))).toBe('x');
    expect(str(d.get('D'))).toBe('ABC');
    expect(d.get('E')).toBe(1.5);
    expect(d.get('F')).toBe(PdfName.of('G'));
  });

  test('garbage inside a dictionary is skipped', () => {
    const d = parse('<</A 1 junk /B 2 ] /C 3>>') as PdfDict;
    expect(d.get('A')).toBe(1);
    expect(d.get('B')).toBe(2);
    expect(d.get('C')).toBe(3);
  });

  test('unterminated dictionary ends at endobj', () => {
    const io = parseIndirectObject(enc('5 0 obj\n<</A 1 /B [2\nendobj\n6 0 obj'), 0)!;
    expect(io.num).toBe(5);
    const d = io.obj as PdfDict;
    expect(d.get('A')).toBe(1);
    expect(d.get('B')).toEqual([2]);
  });

  test('missing endobj', () => {
    const buf = enc('7 0 obj\n(abc)\n8 0 obj\n42\nendobj');
    const io = parseIndirectObject(buf, 0)!;
    expect(str(io.obj)).toBe('abc');
    expect(parseIndirectObject(buf, io.end)!.obj).toBe(42);
  });

  test('empty object is null; no header is null', () => {
    expect(parseIndirectObject(enc('1 0 obj endobj'), 0)!.obj).toBe(null);
    expect(parseIndirectObject(enc('garbage'), 0)).toBe(null);
    expect(parseIndirectObject(enc('1 0 R'), 0)).toBe(null);
  });

  test('nesting bomb raises PDF_INVALID, not a stack overflow', () => {
    const deep = '['.repeat(100000);
    let err: unknown;
    try {
      parse(deep);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KysoError);
    expect((err as KysoError).code).toBe('PDF_INVALID');
    expect(() => parse('['.repeat(MAX_NESTING - 1))).not.toThrow();
  });

  test('keywords end values', () => {
    const p = new Parser(new Lexer(enc('endobj')));
    expect(p.parse()).toBe(undefined);
  });
});

describe('streams', () => {
  test('correct /Length', () => {
    const io = parseIndirectObject(enc('1 0 obj\n<</Length 5>>\nstream\r\nHELLO\r\nendstream\nendobj'), 0)!;
    expect(io.obj).toBeInstanceOf(PdfStream);
    expect(String.fromCharCode(...(io.obj as PdfStream).raw)).toBe('HELLO');
  });
  test('wrong /Length falls back to searching endstream', () => {
    for (const len of ['2', '500', '-1', '(x)', '']) {
      const io = parseIndirectObject(enc(`1 0 obj\n<</Length ${len}>>\nstream\nHELLO WORLD\nendstream\nendobj`), 0)!;
      expect(String.fromCharCode(...(io.obj as PdfStream).raw)).toBe('HELLO WORLD');
    }
  });
  test('indirect /Length through the resolver; unresolvable falls back', () => {
    const buf = enc('1 0 obj\n<</Length 9 0 R>>\nstream\nHELLOendstream\nendobj');
    const a = parseIndirectObject(buf, 0, { resolveLength: () => 5 })!;
    expect(String.fromCharCode(...(a.obj as PdfStream).raw)).toBe('HELLO');
    const b = parseIndirectObject(buf, 0, { resolveLength: () => undefined })!;
    expect(String.fromCharCode(...(b.obj as PdfStream).raw)).toBe('HELLO');
  });
  test('stream without endstream runs to endobj or the end', () => {
    const io = parseIndirectObject(enc('1 0 obj\n<<>>\nstream\nABC'), 0)!;
    expect(String.fromCharCode(...(io.obj as PdfStream).raw)).toBe('ABC');
  });
  test('stream data is a view of the input, not a copy', () => {
    const buf = enc('1 0 obj\n<</Length 3>>\nstream\nXYZ\nendstream endobj');
    const s = parseIndirectObject(buf, 0)!.obj as PdfStream;
    expect(s.raw.buffer).toBe(buf.buffer);
  });
});
