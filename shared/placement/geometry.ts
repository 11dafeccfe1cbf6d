// Page geometry: what the user sees ("display space": points, origin at the top left of the CropBox as displayed,
// y down, after /Rotate) versus PDF user space (origin bottom left, y up, unrotated). Every placement decision is
// taken in display space, because that is where "top right of the page" and "below the title line" make sense.

export type Rotation = 0 | 90 | 180 | 270;

/** [x1, y1, x2, y2] with x1 < x2, y1 < y2, in PDF user space. */
export type Box = [number, number, number, number];

/** A rectangle in display space: left, top, width, height. */
export interface DisplayRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface PageFrame {
  cropBox: Box;
  rotate: Rotation;
}

export function normaliseRotation(r: number): Rotation {
  const n = (((Math.round(r / 90) * 90) % 360) + 360) % 360;
  return n as Rotation;
}

export function displaySize(p: PageFrame): { width: number; height: number } {
  const [x1, y1, x2, y2] = p.cropBox;
  const w = x2 - x1;
  const h = y2 - y1;
  return p.rotate === 90 || p.rotate === 270 ? { width: h, height: w } : { width: w, height: h };
}

/** User space point → display space point. */
export function toDisplay(p: PageFrame, x: number, y: number): [number, number] {
  const [x1, y1, x2, y2] = p.cropBox;
  switch (p.rotate) {
    case 0:
      return [x - x1, y2 - y];
    case 90:
      return [y - y1, x - x1];
    case 180:
      return [x2 - x, y - y1];
    case 270:
      return [y2 - y, x2 - x];
  }
}

/** Display space point → user space point. */
export function toUser(p: PageFrame, u: number, v: number): [number, number] {
  const [x1, y1, x2, y2] = p.cropBox;
  switch (p.rotate) {
    case 0:
      return [u + x1, y2 - v];
    case 90:
      return [v + x1, u + y1];
    case 180:
      return [x2 - u, v + y1];
    case 270:
      return [x2 - v, y2 - u];
  }
}

export function displayRectToUserBox(p: PageFrame, r: DisplayRect): Box {
  const a = toUser(p, r.x, r.y);
  const b = toUser(p, r.x + r.w, r.y + r.h);
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1])];
}

export function userBoxToDisplayRect(p: PageFrame, b: Box): DisplayRect {
  const a = toDisplay(p, b[0], b[1]);
  const c = toDisplay(p, b[2], b[3]);
  const x = Math.min(a[0], c[0]);
  const y = Math.min(a[1], c[1]);
  return { x, y, w: Math.abs(c[0] - a[0]), h: Math.abs(c[1] - a[1]) };
}

/**
 * The /Matrix of an appearance stream drawn upright in display orientation (BBox [0 0 w h] in display units):
 * annotations turn with the page, so the form is turned back by the page's rotation.
 */
export function uprightMatrix(rotate: Rotation): [number, number, number, number, number, number] {
  switch (rotate) {
    case 0:
      return [1, 0, 0, 1, 0, 0];
    case 90:
      return [0, 1, -1, 0, 0, 0];
    case 180:
      return [-1, 0, 0, -1, 0, 0];
    case 270:
      return [0, -1, 1, 0, 0, 0];
  }
}

export function unionRect(a: DisplayRect, b: DisplayRect): DisplayRect {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y };
}

/** Keeps a rectangle inside the page as displayed (moving it, shrinking only when it is larger than the page). */
export function clampToPage(p: PageFrame, r: DisplayRect): DisplayRect {
  const { width, height } = displaySize(p);
  const w = Math.min(r.w, width);
  const h = Math.min(r.h, height);
  return { x: Math.min(Math.max(r.x, 0), width - w), y: Math.min(Math.max(r.y, 0), height - h), w, h };
}
