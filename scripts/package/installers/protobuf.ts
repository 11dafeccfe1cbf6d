// The few protocol buffer pieces a CRX3 header needs: length-delimited fields (wire type 2) and varints, written
// and read back. No generated code and no dependency for three tiny messages.

export function varint(n: number): Buffer {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`varint out of range: ${n}`);
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return Buffer.from(out);
}

/** One length-delimited field: tag (field << 3 | 2), length, bytes. */
export function bytesField(field: number, value: Uint8Array): Buffer {
  return Buffer.concat([varint(field * 8 + 2), varint(value.length), value]);
}

export interface Field {
  field: number;
  wireType: number;
  /** Length-delimited fields: the bytes; varints: undefined (value in `number`). */
  bytes?: Buffer;
  number?: number;
}

function readVarint(buf: Buffer, pos: number): [number, number] {
  let n = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw new Error('protobuf: truncated varint');
    const b = buf[pos++];
    n += (b & 0x7f) * mul;
    if (b < 0x80) return [n, pos];
    mul *= 0x80;
  }
  throw new Error('protobuf: varint too long');
}

/** Every top-level field of a message, in order; only wire types 0 and 2 (all a CRX header uses). */
export function readFields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [tag, p1] = readVarint(buf, pos);
    const field = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (wireType === 0) {
      const [n, p2] = readVarint(buf, p1);
      out.push({ field, wireType, number: n });
      pos = p2;
    } else if (wireType === 2) {
      const [len, p2] = readVarint(buf, p1);
      if (p2 + len > buf.length) throw new Error(`protobuf: field ${field} runs past the end`);
      out.push({ field, wireType, bytes: buf.subarray(p2, p2 + len) });
      pos = p2 + len;
    } else {
      throw new Error(`protobuf: unsupported wire type ${wireType} (field ${field})`);
    }
  }
  return out;
}
