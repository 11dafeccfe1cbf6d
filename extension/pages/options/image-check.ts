// What the options page says about a signature or seal image the user picks: refused (not a PNG, damaged, too
// large) with IMAGE_INVALID, or accepted with its size against the recommended one and warnings about the
// background. The signing engine decodes the same way (shared/pdf/image/png.ts), so what is accepted here signs.

import { KysoError, ERROR_TEXTS, type ErrorPayload } from '@kyso/shared/protocol/errors';
import { decodePng, isMostlyTransparentBackground } from '@kyso/shared/pdf/image/png';
import type { ImageKind } from '../../shared/images.ts';

/** Larger files are refused before they are read: storage.local holds both images (as base64) in 10 MB. */
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

export const NO_TRANSPARENCY_VI = 'Ảnh không có nền trong suốt: khi đóng dấu sẽ che chữ bên dưới';
export const OPAQUE_BORDER_VI = 'Viền ảnh không trong suốt: phần nền quanh nét chữ ký hoặc con dấu sẽ che chữ bên dưới.';
export const NO_TRANSPARENCY_EN = 'The image has no transparent background: when stamped it will hide the text under it.';
export const OPAQUE_BORDER_EN = 'The image\'s border is not transparent: the background around the signature or seal will hide the text under it.';

/** Whether the image can show the page through it. */
export type Transparency = 'background' | 'partial' | 'none';

export interface ImageReport {
  width: number;
  height: number;
  bytes: number;
  transparency: Transparency;
  /** "780×424 điểm ảnh (khuyến nghị 780×424)". */
  sizeVi: string;
  /** Nothing here stops the image from being used. */
  warningsVi: string[];
  /** The same in English. */
  sizeEn: string;
  warningsEn: string[];
}

export type ImageCheck = { ok: true; report: ImageReport } | { ok: false; error: ErrorPayload };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** "1,5 MB", "320 KB": Vietnamese decimal comma. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1).replace('.', ',')} MB`;
  return `${Math.max(1, Math.round(n / 1024))} KB`;
}

function refuse(en: string, viReason: string): ImageCheck {
  return { ok: false, error: new KysoError('IMAGE_INVALID', en, undefined, { vi: `${ERROR_TEXTS.IMAGE_INVALID.vi} ${viReason}` }).toPayload() };
}

/** Refuses a file by its size alone, before reading it. */
export function checkImageSize(size: number): ImageCheck | null {
  if (size <= MAX_IMAGE_BYTES) return null;
  return refuse(`${size} bytes; the limit is ${MAX_IMAGE_BYTES}.`, `Tệp nặng ${formatBytes(size)}, vượt quá giới hạn ${formatBytes(MAX_IMAGE_BYTES)}: hãy lưu lại ảnh ở kích thước nhỏ hơn (khuyến nghị dưới 1 MB).`);
}

export function isPngSignature(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && PNG_SIGNATURE.every((v, i) => bytes[i] === v);
}

/** Same proportions as the recommended size, within 2%: then scaling alone makes it fit exactly. */
function sameAspect(w: number, h: number, rw: number, rh: number): boolean {
  return Math.abs(w / h / (rw / rh) - 1) <= 0.02;
}

export interface Size {
  width: number;
  height: number;
}

/** `recommended`: RECOMMENDED_SIZE[kind] from extension/shared/images.ts (passed in: that module needs a browser). */
export function checkImage(bytes: Uint8Array, recommended: Size): ImageCheck {
  const tooLarge = checkImageSize(bytes.length);
  if (tooLarge) return tooLarge;
  if (!isPngSignature(bytes)) return refuse('Not a PNG file (bad signature).', 'Tệp đã chọn không phải ảnh PNG (JPG, PDF hoặc ảnh chụp màn hình dạng khác cần được lưu lại thành PNG).');
  let png;
  try {
    png = decodePng(bytes);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return refuse(why, 'Tệp PNG bị hỏng hoặc không đọc được, hãy xuất lại ảnh.');
  }
  const rec = recommended;
  const warningsVi: string[] = [];
  const warningsEn: string[] = [];
  if (png.width !== rec.width || png.height !== rec.height) {
    const same = sameAspect(png.width, png.height, rec.width, rec.height);
    warningsVi.push(
      same
        ? `Kích thước khác khuyến nghị ${rec.width}×${rec.height} nhưng cùng tỉ lệ: ảnh vẫn dùng được, khi ký sẽ được co giãn cho vừa ô.`
        : `Kích thước khác khuyến nghị ${rec.width}×${rec.height} và khác tỉ lệ: ảnh vẫn dùng được, khi ký sẽ được co giãn giữ nguyên tỉ lệ nên có thể không lấp đầy ô chữ ký.`,
    );
    warningsEn.push(
      same
        ? `Not the recommended ${rec.width}×${rec.height} but the same proportions: the image can be used and is scaled to fit the box.`
        : `Not the recommended ${rec.width}×${rec.height} and other proportions: the image can be used, scaled with its proportions kept, so it may not fill the signature box.`,
    );
  }
  let transparency: Transparency = 'none';
  if (png.alpha && png.alpha.some((a) => a <= 63)) transparency = isMostlyTransparentBackground(png) ? 'background' : 'partial';
  if (transparency === 'none') {
    warningsVi.push(NO_TRANSPARENCY_VI);
    warningsEn.push(NO_TRANSPARENCY_EN);
  } else if (transparency === 'partial') {
    warningsVi.push(OPAQUE_BORDER_VI);
    warningsEn.push(OPAQUE_BORDER_EN);
  }
  return {
    ok: true,
    report: {
      width: png.width,
      height: png.height,
      bytes: bytes.length,
      transparency,
      sizeVi: `${png.width}×${png.height} điểm ảnh (khuyến nghị ${rec.width}×${rec.height}), ${formatBytes(bytes.length)}`,
      warningsVi,
      sizeEn: `${png.width}×${png.height} pixels (recommended ${rec.width}×${rec.height}), ${formatBytes(bytes.length).replace(',', '.')}`,
      warningsEn,
    },
  };
}
