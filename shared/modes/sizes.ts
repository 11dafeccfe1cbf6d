// Sizes on paper, in points (1 mm = 72/25.4 pt).

import type { DisplayRect } from '../placement/geometry.ts';

export const MM = 72 / 25.4;
/** The handwritten signature image as printed (Q-Office's 780×424 px image lands at about 39×21 mm). */
export const SIGNATURE_WIDTH = 39 * MM;
/** A round seal of the organisation at its real size (35–40 mm across). */
export const SEAL_WIDTH = 36 * MM;
export const BODY_SIZE = 13;
export const STAMP_SIZE = 10;

/** Centres a w×h box on a point. */
export function centred(cx: number, cy: number, w: number, h: number): DisplayRect {
  return { x: cx - w / 2, y: cy - h / 2, w, h };
}

/** The largest box of the given aspect (w/h) that fits in r, centred in it. */
export function fitInto(r: DisplayRect, aspect: number): DisplayRect {
  let w = r.w;
  let h = w / aspect;
  if (h > r.h) {
    h = r.h;
    w = h * aspect;
  }
  return centred(r.x + r.w / 2, r.y + r.h / 2, w, h);
}

export function pad(r: DisplayRect, by: number): DisplayRect {
  return { x: r.x - by, y: r.y - by, w: r.w + 2 * by, h: r.h + 2 * by };
}
