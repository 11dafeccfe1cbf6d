// Text markers that portals put in drafts (#ChuKyLanhDao, #SoKyHieuVanBan, ...) and where they sit.

import type { DisplayRect } from './geometry.ts';
import type { TextLine } from './text.ts';
import { findInLine, spanRect } from './text.ts';

/** The markers of each role; the set is configurable (options page, policy `markers`). */
export interface MarkerSet {
  signature: string[];
  number: string[];
  placeDate: string[];
  place: string[];
  date: string[];
  seal: string[];
}

export const DEFAULT_MARKERS: MarkerSet = {
  signature: ['#ChuKyLanhDao'],
  number: ['#SoKyHieuVanBan', '#SoVB', '#So', '#KyHieu'],
  placeDate: ['#DiaDiemNgayBanHanh'],
  place: ['#DiaDiemBanHanh'],
  date: ['#NgayBanHanh'],
  seal: ['#ChuKyCoDau', '#ChuKyNhay'],
};

export interface MarkerHit {
  marker: string;
  pageIndex: number;
  /** The marker's glyph box, to be covered so its text never shows. */
  rect: DisplayRect;
  baseline: number;
  fontSize: number;
}

const markerTail = /[A-Za-z0-9_]/;

/**
 * Finds a marker in the lines. A marker must not be the prefix of a longer marker ("#So" inside "#SoVB"), so a
 * hit followed by another marker character is skipped.
 */
export function findMarker(lines: TextLine[], marker: string): MarkerHit[] {
  const hits: MarkerHit[] = [];
  const len = Array.from(marker).length;
  for (const line of lines) {
    for (const i of findInLine(line, marker, true)) {
      const next = line.chars[i + len]?.ch;
      if (next && markerTail.test(next)) continue;
      hits.push({ marker, pageIndex: line.pageIndex, rect: spanRect(line, i, i + len), baseline: line.baseline, fontSize: line.fontSize });
    }
  }
  return hits;
}

/** First hit of any marker of a role, in the order the role lists them. */
export function findRole(lines: TextLine[], markers: string[]): MarkerHit | undefined {
  for (const m of markers) {
    const h = findMarker(lines, m);
    if (h.length) return h[0];
  }
  return undefined;
}

/** Every marker hit of every role on the lines: all of them get covered when the document is signed. */
export function allMarkerHits(lines: TextLine[], set: MarkerSet): MarkerHit[] {
  const all = new Set([...set.signature, ...set.number, ...set.placeDate, ...set.place, ...set.date, ...set.seal]);
  const out: MarkerHit[] = [];
  for (const m of all) out.push(...findMarker(lines, m));
  return out;
}
