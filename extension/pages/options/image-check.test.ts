// The options page's verdict on a picked image, on real PNG bytes: the demo signature and seal (transparent, at
// the recommended sizes), PNGs drawn here (opaque, other sizes, an opaque border), a damaged PNG, non-PNG files.

import { describe, expect, it } from 'vitest';
import { ERROR_TEXTS } from '@kyso/shared/protocol/errors';
import { encodeRgbaPng, makeSealPng, makeSignaturePng } from '../../../scripts/samples/images.ts';
import { MAX_IMAGE_BYTES, NO_TRANSPARENCY_VI, OPAQUE_BORDER_VI, checkImage, checkImageSize, formatBytes, type ImageCheck } from './image-check.ts';

const SIGNATURE = { width: 780, height: 424 };
const SEAL = { width: 1229, height: 1221 };

/** w×h RGBA: `fill(x, y)` gives the pixel. */
function png(w: number, h: number, fill: (x: number, y: number) => [number, number, number, number]): Uint8Array {
  const px = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) px.set(fill(x, y), (y * w + x) * 4);
  return encodeRgbaPng(w, h, px);
}

const ink = (x: number, y: number, w: number, h: number) => Math.abs(x - w / 2) < w / 4 && Math.abs(y - h / 2) < h / 6;
/** Blue strokes in the middle on a transparent background. */
const transparent = (w: number, h: number) => png(w, h, (x, y) => (ink(x, y, w, h) ? [16, 48, 170, 255] : [0, 0, 0, 0]));
/** The same strokes on white paper, every pixel opaque (a scan). */
const opaque = (w: number, h: number) => png(w, h, (x, y) => (ink(x, y, w, h) ? [16, 48, 170, 255] : [255, 255, 255, 255]));

function report(c: ImageCheck) {
  if (!c.ok) throw new Error(`refused: ${c.error.messageVi}`);
  return c.report;
}
function refused(c: ImageCheck) {
  if (c.ok) throw new Error(`accepted: ${c.report.sizeVi}`);
  return c.error;
}

describe('checkImage', () => {
  it('accepts the demo signature at 780×424 with a transparent background and no warning', () => {
    const bytes = makeSignaturePng();
    const r = report(checkImage(bytes, SIGNATURE));
    expect(r).toMatchObject({ width: 780, height: 424, bytes: bytes.length, transparency: 'background', warningsVi: [] });
    expect(r.sizeVi).toBe(`780×424 điểm ảnh (khuyến nghị 780×424), ${formatBytes(bytes.length)}`);
  });

  it('accepts the demo seal at 1229×1221 with no warning', () => {
    expect(report(checkImage(makeSealPng(), SEAL))).toMatchObject({ width: 1229, height: 1221, transparency: 'background', warningsVi: [] });
  });

  it('warns, without refusing, when the size differs: same proportions, or other proportions kept when scaled', () => {
    const half = report(checkImage(transparent(390, 212), SIGNATURE));
    expect(half.sizeVi).toMatch(/^390×212 điểm ảnh \(khuyến nghị 780×424\)/);
    expect(half.warningsVi).toEqual([expect.stringContaining('cùng tỉ lệ')]);
    const square = report(checkImage(transparent(400, 400), SIGNATURE));
    expect(square.warningsVi).toEqual([expect.stringContaining('giữ nguyên tỉ lệ')]);
    // The signature's size is not the seal's.
    expect(report(checkImage(makeSignaturePng(), SEAL)).warningsVi).toHaveLength(1);
  });

  it('warns about an opaque background (a scan on white paper)', () => {
    const r = report(checkImage(opaque(780, 424), SIGNATURE));
    expect(r.transparency).toBe('none');
    expect(r.warningsVi).toEqual([NO_TRANSPARENCY_VI]);
    expect(NO_TRANSPARENCY_VI).toBe('Ảnh không có nền trong suốt: khi đóng dấu sẽ che chữ bên dưới');
  });

  it('warns about an opaque border around a transparent middle', () => {
    const framed = png(780, 424, (x, y) => (x < 40 || y < 40 || x >= 740 || y >= 384 ? [255, 255, 255, 255] : [0, 0, 0, 0]));
    const r = report(checkImage(framed, SIGNATURE));
    expect(r.transparency).toBe('partial');
    expect(r.warningsVi).toEqual([OPAQUE_BORDER_VI]);
  });

  it('counts nearly opaque pixels as opaque: an alpha channel alone is not transparency', () => {
    const r = report(checkImage(png(780, 424, () => [255, 255, 255, 250]), SIGNATURE));
    expect(r.transparency).toBe('none');
    expect(r.warningsVi).toEqual([NO_TRANSPARENCY_VI]);
  });

  const pdf = new TextEncoder().encode('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n');
  const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
  for (const [what, bytes] of [
    ['a PDF', pdf],
    ['a JPEG', jpeg],
    ['an empty file', new Uint8Array()],
  ] as const) {
    it(`refuses ${what} with IMAGE_INVALID's Vietnamese text: not a PNG`, () => {
      const e = refused(checkImage(bytes, SIGNATURE));
      expect(e.code).toBe('IMAGE_INVALID');
      expect(e.messageVi).toContain(ERROR_TEXTS.IMAGE_INVALID.vi);
      expect(e.messageVi).toContain('không phải ảnh PNG');
    });
  }

  it('refuses a damaged PNG: a changed byte in the image data, a truncated file', () => {
    const good = makeSignaturePng();
    const flipped = good.slice();
    flipped[good.length - 40] ^= 0xff; // inside the IDAT data: its CRC no longer matches
    const truncated = good.subarray(0, Math.floor(good.length / 2));
    for (const bad of [flipped, truncated]) {
      const e = refused(checkImage(bad, SIGNATURE));
      expect(e.code).toBe('IMAGE_INVALID');
      expect(e.messageVi).toBe(`${ERROR_TEXTS.IMAGE_INVALID.vi} Tệp PNG bị hỏng hoặc không đọc được, hãy xuất lại ảnh.`);
      expect(e.message).toMatch(/CRC|truncated/);
    }
  });

  it('refuses files over 2 MB by their size alone, naming both sizes', () => {
    expect(checkImageSize(MAX_IMAGE_BYTES)).toBeNull();
    const e = refused(checkImageSize(MAX_IMAGE_BYTES + 1)!);
    expect(e.code).toBe('IMAGE_INVALID');
    expect(e.messageVi).toContain('vượt quá giới hạn 2,0 MB');
    const big = new Uint8Array(3 * 1024 * 1024);
    big.set(makeSignaturePng().subarray(0, 8));
    expect(refused(checkImage(big, SIGNATURE)).messageVi).toContain('Tệp nặng 3,0 MB');
  });
});
