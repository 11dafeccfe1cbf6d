// The PDF object model (ISO 32000-2 §7.3) shared by the reader, the incremental writer and everything built on them.

export class PdfName {
  private static readonly interned = new Map<string, PdfName>();
  private constructor(readonly name: string) {}
  /** Names are interned so they can be compared with ===. */
  static of(name: string): PdfName {
    let n = PdfName.interned.get(name);
    if (!n) {
      n = new PdfName(name);
      PdfName.interned.set(name, n);
    }
    return n;
  }
  toString(): string {
    return '/' + this.name;
  }
}

/** A string object; bytes as stored in the file (after decryption, if any). */
export class PdfString {
  constructor(
    readonly bytes: Uint8Array,
    readonly hex = false,
  ) {}
  static latin1(s: string): PdfString {
    const b = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
    return new PdfString(b);
  }
  /** Text string: PDFDocEncoding when ASCII, otherwise UTF-16BE with BOM (ISO 32000-2 §7.9.2.2). */
  static text(s: string): PdfString {
    if (/^[\x20-\x7e]*$/.test(s)) return PdfString.latin1(s);
    const b = new Uint8Array(2 + s.length * 2);
    b[0] = 0xfe;
    b[1] = 0xff;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      b[2 + 2 * i] = c >> 8;
      b[3 + 2 * i] = c & 0xff;
    }
    return new PdfString(b);
  }
  /** Decodes a text string (UTF-16BE/LE with BOM, UTF-8 with BOM, else PDFDocEncoding≈Latin-1). */
  decodeText(): string {
    const b = this.bytes;
    if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
      let s = '';
      for (let i = 2; i + 1 < b.length; i += 2) s += String.fromCharCode((b[i] << 8) | b[i + 1]);
      return s;
    }
    if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) {
      let s = '';
      for (let i = 2; i + 1 < b.length; i += 2) s += String.fromCharCode(b[i] | (b[i + 1] << 8));
      return s;
    }
    if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return new TextDecoder().decode(b.subarray(3));
    let s = '';
    for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
    return s;
  }
}

export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
  get key(): string {
    return `${this.num} ${this.gen}`;
  }
  toString(): string {
    return `${this.num} ${this.gen} R`;
  }
}

export class PdfDict {
  readonly map: Map<string, PdfObject>;
  constructor(entries?: Iterable<[string, PdfObject]> | Record<string, PdfObject>) {
    if (!entries) this.map = new Map();
    else if (Symbol.iterator in Object(entries)) this.map = new Map(entries as Iterable<[string, PdfObject]>);
    else this.map = new Map(Object.entries(entries as Record<string, PdfObject>));
  }
  get(key: string): PdfObject | undefined {
    return this.map.get(key);
  }
  set(key: string, value: PdfObject): this {
    this.map.set(key, value);
    return this;
  }
  has(key: string): boolean {
    return this.map.has(key);
  }
  delete(key: string): void {
    this.map.delete(key);
  }
  /** A shallow copy: the writer re-emits modified objects, never mutates what the reader returned. */
  clone(): PdfDict {
    return new PdfDict(this.map);
  }
  nameOf(key: string): string | undefined {
    const v = this.map.get(key);
    return v instanceof PdfName ? v.name : undefined;
  }
}

export class PdfStream {
  constructor(
    readonly dict: PdfDict,
    /** The stream's bytes as stored (still encoded by its /Filter). */
    readonly raw: Uint8Array,
  ) {}
}

/** A run of bytes written verbatim; used for placeholders whose offsets the writer reports. */
export class PdfRaw {
  constructor(
    readonly bytes: Uint8Array,
    readonly tag?: string,
  ) {}
}

export type PdfObject = null | boolean | number | PdfName | PdfString | PdfRef | PdfObject[] | PdfDict | PdfStream | PdfRaw;

export const name = PdfName.of;

export function isDict(o: unknown): o is PdfDict {
  return o instanceof PdfDict;
}
export function isRef(o: unknown): o is PdfRef {
  return o instanceof PdfRef;
}
export function isName(o: unknown, n?: string): o is PdfName {
  return o instanceof PdfName && (n === undefined || o.name === n);
}
export function isNumber(o: unknown): o is number {
  return typeof o === 'number' && Number.isFinite(o);
}
