// Demo signature and seal images drawn procedurally (no real person's signature, no real seal): a blue
// handwritten-like stroke at Q-Office's 780×424 and a red round seal at 1229×1221, both on transparent backgrounds.

import { zlibSync } from 'fflate';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(parts: Uint8Array[]): number {
  let c = 0xffffffff;
  for (const p of parts) for (let i = 0; i < p.length; i++) c = CRC_TABLE[(c ^ p[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, data.length);
  const t = new TextEncoder().encode(type);
  out.set(t, 4);
  out.set(data, 8);
  dv.setUint32(8 + data.length, crc32([t, data]));
  return out;
}

/** RGBA 8-bit, filter 0 on every row. */
export function encodeRgbaPng(width: number, height: number, rgba: Uint8Array): Uint8Array {
  const raw = new Uint8Array(height * (1 + width * 4));
  for (let y = 0; y < height; y++) raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (1 + width * 4) + 1);
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const parts = [new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', zlibSync(raw, { level: 6 })), chunk('IEND', new Uint8Array())];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function canvas(w: number, h: number) {
  const px = new Uint8Array(w * h * 4);
  const dot = (cx: number, cy: number, r: number, rgb: [number, number, number]) => {
    for (let y = Math.max(0, Math.floor(cy - r)); y <= Math.min(h - 1, Math.ceil(cy + r)); y++)
      for (let x = Math.max(0, Math.floor(cx - r)); x <= Math.min(w - 1, Math.ceil(cx + r)); x++) {
        const d = Math.hypot(x - cx, y - cy);
        if (d > r) continue;
        const a = Math.min(1, r - d + 0.5);
        const i = (y * w + x) * 4;
        const alpha = Math.max(px[i + 3], Math.round(a * 255));
        px.set([...rgb, alpha], i);
      }
  };
  return { px, dot };
}

export const SIGNATURE_BLUE: [number, number, number] = [16, 48, 170];
export const SEAL_RED: [number, number, number] = [220, 20, 30];

export function makeSignaturePng(): Uint8Array {
  const w = 780;
  const h = 424;
  const { px, dot } = canvas(w, h);
  // A looping flourish and an underline.
  for (let t = 0; t <= 1; t += 0.0004) {
    const x = 90 + 600 * t + 40 * Math.sin(t * 26);
    const y = 210 - 110 * Math.sin(t * Math.PI * 3) * (1 - t * 0.5) + 30 * Math.cos(t * 26);
    dot(x, y, 7, SIGNATURE_BLUE);
  }
  for (let t = 0; t <= 1; t += 0.001) dot(120 + 540 * t, 330 - 25 * Math.sin(t * Math.PI), 5, SIGNATURE_BLUE);
  return encodeRgbaPng(w, h, px);
}

export function makeSealPng(): Uint8Array {
  const w = 1229;
  const h = 1221;
  const { px, dot } = canvas(w, h);
  const cx = w / 2;
  const cy = h / 2;
  for (let a = 0; a < Math.PI * 2; a += 0.0015) {
    dot(cx + 585 * Math.cos(a), cy + 585 * Math.sin(a), 18, SEAL_RED);
    dot(cx + 400 * Math.cos(a), cy + 400 * Math.sin(a), 9, SEAL_RED);
  }
  // A five-pointed star in the middle, filled.
  const star: [number, number][] = [];
  for (let k = 0; k < 10; k++) {
    const r = k % 2 ? 90 : 220;
    const ang = -Math.PI / 2 + (k * Math.PI) / 5;
    star.push([cx + r * Math.cos(ang), cy + r * Math.sin(ang)]);
  }
  for (let y = Math.floor(cy - 230); y < cy + 230; y++)
    for (let x = Math.floor(cx - 230); x < cx + 230; x++) {
      let inside = false;
      for (let i = 0, j = star.length - 1; i < star.length; j = i++) {
        const [xi, yi] = star[i];
        const [xj, yj] = star[j];
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
      if (inside) px.set([...SEAL_RED, 255], (y * w + x) * 4);
    }
  // Ring of dots standing for the lettering.
  for (let k = 0; k < 48; k++) {
    const a = (k / 48) * Math.PI * 2;
    dot(cx + 490 * Math.cos(a), cy + 490 * Math.sin(a), 30, SEAL_RED);
  }
  return encodeRgbaPng(w, h, px);
}
