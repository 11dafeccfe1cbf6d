// Browser classes pdf.js expects, for the single executable (installed by pdfjs-polyfills.ts). DOMMatrix2D is
// the 2D part of the DOM Geometry interface (a b c d e f), enough for what pdf.js computes outside a canvas;
// ImageDataRecord is the plain record; NoPath2D refuses to be drawn with.

type Init = ArrayLike<number> | { a: number; b: number; c: number; d: number; e: number; f: number } | string | undefined;

export class DOMMatrix2D {
  a = 1;
  b = 0;
  c = 0;
  d = 1;
  e = 0;
  f = 0;

  constructor(init?: Init) {
    if (init === undefined || init === null) return;
    if (typeof init === 'string') {
      if (init.trim() === '' || init.trim() === 'none') return;
      throw new TypeError('DOMMatrix: CSS transform strings are not supported here');
    }
    if ('a' in init) {
      this.setAll(init.a, init.b, init.c, init.d, init.e, init.f);
    } else if (init.length === 6) {
      this.setAll(init[0], init[1], init[2], init[3], init[4], init[5]);
    } else if (init.length === 16) {
      this.setAll(init[0], init[1], init[4], init[5], init[12], init[13]);
    } else {
      throw new TypeError('DOMMatrix: expected 6 or 16 numbers');
    }
  }

  get is2D(): boolean {
    return true;
  }
  get isIdentity(): boolean {
    return this.a === 1 && this.b === 0 && this.c === 0 && this.d === 1 && this.e === 0 && this.f === 0;
  }
  get m11(): number { return this.a; }
  get m12(): number { return this.b; }
  get m21(): number { return this.c; }
  get m22(): number { return this.d; }
  get m41(): number { return this.e; }
  get m42(): number { return this.f; }

  private setAll(a: number, b: number, c: number, d: number, e: number, f: number): this {
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    this.e = e;
    this.f = f;
    return this;
  }

  /** this = this × m (m applied first). */
  multiplySelf(m?: Init): this {
    const o = new DOMMatrix2D(m);
    return this.setAll(
      this.a * o.a + this.c * o.b,
      this.b * o.a + this.d * o.b,
      this.a * o.c + this.c * o.d,
      this.b * o.c + this.d * o.d,
      this.a * o.e + this.c * o.f + this.e,
      this.b * o.e + this.d * o.f + this.f,
    );
  }
  /** this = m × this. */
  preMultiplySelf(m?: Init): this {
    const o = new DOMMatrix2D(m);
    const t = new DOMMatrix2D(this);
    return this.setAll(o.a, o.b, o.c, o.d, o.e, o.f).multiplySelf(t);
  }
  translateSelf(tx = 0, ty = 0): this {
    return this.multiplySelf([1, 0, 0, 1, tx, ty]);
  }
  scaleSelf(sx = 1, sy = sx): this {
    return this.multiplySelf([sx, 0, 0, sy, 0, 0]);
  }
  invertSelf(): this {
    const det = this.a * this.d - this.b * this.c;
    if (det === 0 || !Number.isFinite(det)) return this.setAll(NaN, NaN, NaN, NaN, NaN, NaN);
    const { a, b, c, d, e, f } = this;
    return this.setAll(d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det);
  }
  multiply(m?: Init): DOMMatrix2D {
    return new DOMMatrix2D(this).multiplySelf(m);
  }
  translate(tx?: number, ty?: number): DOMMatrix2D {
    return new DOMMatrix2D(this).translateSelf(tx, ty);
  }
  scale(sx?: number, sy?: number): DOMMatrix2D {
    return new DOMMatrix2D(this).scaleSelf(sx, sy);
  }
  inverse(): DOMMatrix2D {
    return new DOMMatrix2D(this).invertSelf();
  }
  transformPoint(p: { x?: number; y?: number } = {}): { x: number; y: number; z: number; w: number } {
    const x = p.x ?? 0;
    const y = p.y ?? 0;
    return { x: this.a * x + this.c * y + this.e, y: this.b * x + this.d * y + this.f, z: 0, w: 1 };
  }
  toFloat64Array(): Float64Array {
    return new Float64Array([this.a, this.b, 0, 0, this.c, this.d, 0, 0, 0, 0, 1, 0, this.e, this.f, 0, 1]);
  }
}

export class ImageDataRecord {
  readonly data: Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
  readonly colorSpace = 'srgb';
  constructor(dataOrWidth: Uint8ClampedArray | number, width: number, height?: number) {
    if (typeof dataOrWidth === 'number') {
      this.width = dataOrWidth;
      this.height = width;
      this.data = new Uint8ClampedArray(this.width * this.height * 4);
    } else {
      this.data = dataOrWidth;
      this.width = width;
      this.height = height ?? dataOrWidth.length / 4 / width;
    }
  }
}

export class NoPath2D {
  constructor() {
    throw new Error('Drawing pages is not available in the kyso executable (no canvas).');
  }
}
