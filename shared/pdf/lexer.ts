// Tokenizer for PDF syntax (ISO 32000-2 §7.2, §7.3). Works on a Uint8Array window without copying it;
// the parser reads the current token from the lexer's fields to avoid one allocation per token.

export const TOK_EOF = 0;
export const TOK_NUM = 1;
export const TOK_NAME = 2;
export const TOK_STR = 3;
export const TOK_KW = 4;
export const TOK_ARR_OPEN = 5;
export const TOK_ARR_CLOSE = 6;
export const TOK_DICT_OPEN = 7;
export const TOK_DICT_CLOSE = 8;
export type TokenType = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

/** Character classes: 0 regular, 1 whitespace, 2 delimiter. */
const CLASS = new Uint8Array(256);
for (const c of [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]) CLASS[c] = 1;
for (const c of '()<>[]{}/%') CLASS[c.charCodeAt(0)] = 2;

export function isWhite(c: number): boolean {
  return CLASS[c] === 1;
}
export function isDelim(c: number): boolean {
  return CLASS[c] === 2;
}
export function isRegular(c: number): boolean {
  return CLASS[c] === 0;
}

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** Bytes -> string with one char per byte (Latin-1), used for names and keywords so they round-trip exactly. */
export function latin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let s = '';
  const CHUNK = 8192;
  for (let i = start; i < end; i += CHUNK) {
    s += String.fromCharCode.apply(null, Array.from(bytes.subarray(i, Math.min(end, i + CHUNK))));
  }
  return s;
}

/** Parses a run of regular characters as a PDF number; returns NaN when it is not one. Lenient: "4.", "-.5", "+3", "1e5". */
export function parseNumberToken(b: Uint8Array, start: number, end: number): number {
  let i = start;
  let neg = false;
  if (i < end && (b[i] === 0x2b || b[i] === 0x2d)) {
    neg = b[i] === 0x2d;
    i++;
  }
  let int = 0;
  let digits = 0;
  while (i < end && b[i] >= 0x30 && b[i] <= 0x39) {
    int = int * 10 + (b[i] - 0x30);
    i++;
    digits++;
  }
  let value = int;
  if (i < end && b[i] === 0x2e) {
    i++;
    let scale = 1;
    let frac = 0;
    while (i < end && b[i] >= 0x30 && b[i] <= 0x39) {
      if (scale < 1e15) {
        frac = frac * 10 + (b[i] - 0x30);
        scale *= 10;
      }
      i++;
      digits++;
    }
    value = int + frac / scale;
  }
  if (digits === 0) return NaN;
  if (i < end && (b[i] === 0x65 || b[i] === 0x45)) {
    // Scientific notation is not PDF syntax, but some producers write it; accept it.
    const m = /^[eE][+-]?\d+$/.exec(latin1(b, i, end));
    if (!m) return NaN;
    value = value * Math.pow(10, parseInt(m[0].slice(1), 10));
    i = end;
  }
  if (i !== end) return NaN;
  return neg ? -value : value;
}

export class Lexer {
  pos: number;
  /** Current token. */
  type: TokenType = TOK_EOF;
  num = 0;
  /** Name (without '/') or keyword text, one char per byte. */
  str = '';
  bytes: Uint8Array = new Uint8Array(0);
  hex = false;
  /** Offset where the current token starts. */
  tokStart = 0;

  constructor(
    readonly buf: Uint8Array,
    pos = 0,
    readonly end = buf.length,
  ) {
    this.pos = pos;
  }

  /** Skips whitespace and comments; returns the position of the next byte. */
  skipWhite(): number {
    const b = this.buf;
    let p = this.pos;
    const end = this.end;
    while (p < end) {
      const c = b[p];
      if (CLASS[c] === 1) {
        p++;
      } else if (c === 0x25) {
        while (p < end && b[p] !== 0x0a && b[p] !== 0x0d) p++;
      } else break;
    }
    this.pos = p;
    return p;
  }

  next(): TokenType {
    const b = this.buf;
    const end = this.end;
    let p = this.skipWhite();
    this.tokStart = p;
    if (p >= end) return (this.type = TOK_EOF);
    const c = b[p];
    switch (c) {
      case 0x5b: // [
        this.pos = p + 1;
        return (this.type = TOK_ARR_OPEN);
      case 0x5d: // ]
        this.pos = p + 1;
        return (this.type = TOK_ARR_CLOSE);
      case 0x3c: // <
        if (p + 1 < end && b[p + 1] === 0x3c) {
          this.pos = p + 2;
          return (this.type = TOK_DICT_OPEN);
        }
        return this.readHexString(p + 1);
      case 0x3e: // >
        if (p + 1 < end && b[p + 1] === 0x3e) {
          this.pos = p + 2;
          return (this.type = TOK_DICT_CLOSE);
        }
        this.pos = p + 1;
        this.str = '>';
        return (this.type = TOK_KW);
      case 0x28: // (
        return this.readLiteralString(p + 1);
      case 0x2f: // /
        return this.readName(p + 1);
      case 0x29: // stray ) { }
      case 0x7b:
      case 0x7d:
        this.pos = p + 1;
        this.str = String.fromCharCode(c);
        return (this.type = TOK_KW);
    }
    // Regular characters up to the next whitespace or delimiter.
    let q = p;
    while (q < end && CLASS[b[q]] === 0) q++;
    this.pos = q;
    const first = b[p];
    if ((first >= 0x30 && first <= 0x39) || first === 0x2b || first === 0x2d || first === 0x2e) {
      const v = parseNumberToken(b, p, q);
      if (!Number.isNaN(v)) {
        this.num = v;
        return (this.type = TOK_NUM);
      }
    }
    this.str = latin1(b, p, q);
    return (this.type = TOK_KW);
  }

  private readName(p: number): TokenType {
    const b = this.buf;
    const end = this.end;
    let q = p;
    let hasHash = false;
    while (q < end && CLASS[b[q]] === 0) {
      if (b[q] === 0x23) hasHash = true;
      q++;
    }
    this.pos = q;
    if (!hasHash) {
      this.str = latin1(b, p, q);
    } else {
      let s = '';
      for (let i = p; i < q; i++) {
        if (b[i] === 0x23 && i + 2 < q) {
          const h = hexVal(b[i + 1]);
          const l = hexVal(b[i + 2]);
          if (h >= 0 && l >= 0) {
            s += String.fromCharCode((h << 4) | l);
            i += 2;
            continue;
          }
        }
        s += String.fromCharCode(b[i]);
      }
      this.str = s;
    }
    return (this.type = TOK_NAME);
  }

  private readHexString(p: number): TokenType {
    const b = this.buf;
    const end = this.end;
    let close = b.indexOf(0x3e, p);
    if (close < 0 || close > end) close = end;
    const out = new Uint8Array(((close - p) >> 1) + 1);
    let n = 0;
    let hi = -1;
    while (p < end) {
      const c = b[p++];
      if (c === 0x3e) break;
      const v = hexVal(c);
      if (v < 0) continue; // whitespace or junk inside a hex string is skipped
      if (hi < 0) hi = v;
      else {
        out[n++] = (hi << 4) | v;
        hi = -1;
      }
    }
    if (hi >= 0) out[n++] = hi << 4; // odd number of digits: the last one is followed by 0
    this.pos = p;
    this.bytes = out.slice(0, n);
    this.hex = true;
    return (this.type = TOK_STR);
  }

  private readLiteralString(p: number): TokenType {
    const b = this.buf;
    const end = this.end;
    let out = new Uint8Array(64);
    let n = 0;
    const push = (v: number) => {
      if (n === out.length) {
        const o = new Uint8Array(out.length * 2);
        o.set(out);
        out = o;
      }
      out[n++] = v;
    };
    let depth = 1;
    while (p < end) {
      const c = b[p++];
      if (c === 0x28) {
        depth++;
        push(c);
      } else if (c === 0x29) {
        if (--depth === 0) break;
        push(c);
      } else if (c === 0x5c) {
        if (p >= end) break;
        const e = b[p++];
        switch (e) {
          case 0x6e: push(0x0a); break; // \n
          case 0x72: push(0x0d); break; // \r
          case 0x74: push(0x09); break; // \t
          case 0x62: push(0x08); break; // \b
          case 0x66: push(0x0c); break; // \f
          case 0x0d: // backslash + EOL: line continuation
            if (p < end && b[p] === 0x0a) p++;
            break;
          case 0x0a:
            break;
          default:
            if (e >= 0x30 && e <= 0x37) {
              let v = e - 0x30;
              for (let k = 0; k < 2 && p < end && b[p] >= 0x30 && b[p] <= 0x37; k++) v = v * 8 + (b[p++] - 0x30);
              push(v & 0xff);
            } else push(e); // \( \) \\ and unknown escapes: the byte itself
        }
      } else if (c === 0x0d) {
        // An unescaped EOL (CR, LF or CRLF) in a literal string reads as LF.
        if (p < end && b[p] === 0x0a) p++;
        push(0x0a);
      } else push(c);
    }
    this.pos = p;
    this.bytes = out.slice(0, n);
    this.hex = false;
    return (this.type = TOK_STR);
  }
}
