// A small content-stream writer: just the operators appearances need (ISO 32000-2 §8, §9.4).

export function num(n: number): string {
  if (!Number.isFinite(n)) throw new Error('non-finite number in content stream');
  const r = Math.round(n * 1000) / 1000;
  return Object.is(r, -0) ? '0' : String(r);
}

export class ContentBuilder {
  private readonly ops: string[] = [];

  fillRect(x: number, y: number, w: number, h: number, gray = 1): this {
    this.ops.push(`q ${num(gray)} g ${num(x)} ${num(y)} ${num(w)} ${num(h)} re f Q`);
    return this;
  }

  image(name: string, x: number, y: number, w: number, h: number): this {
    this.ops.push(`q ${num(w)} 0 0 ${num(h)} ${num(x)} ${num(y)} cm /${name} Do Q`);
    return this;
  }

  /** hex: the string's bytes already encoded for the font (2-byte glyph ids for our Type 0 fonts). */
  text(font: string, size: number, x: number, y: number, hex: string, rgb: [number, number, number] = [0, 0, 0]): this {
    this.ops.push(`BT ${rgb.map(num).join(' ')} rg /${font} ${num(size)} Tf ${num(x)} ${num(y)} Td <${hex}> Tj ET`);
    return this;
  }

  toBytes(): Uint8Array {
    return new TextEncoder().encode(this.ops.join('\n') + '\n');
  }
}
