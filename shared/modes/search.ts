// Page-by-page searches used by the modes; text is asked for lazily, so a 3000-page file is only read as far as needed.

import type { MarkerHit } from '../placement/markers.ts';
import { findMarker, findRole } from '../placement/markers.ts';
import type { TextLine } from '../placement/text.ts';
import type { DocView } from './doc-view.ts';

export function pageOrder(doc: DocView, from: 'first' | 'last'): number[] {
  const order = Array.from({ length: doc.pageCount }, (_, i) => i);
  return from === 'first' ? order : order.reverse();
}

export async function findFirst<T>(doc: DocView, from: 'first' | 'last', fn: (lines: TextLine[], pageIndex: number) => T | undefined): Promise<T | undefined> {
  for (const p of pageOrder(doc, from)) {
    const hit = fn(await doc.lines(p), p);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

export function findMarkerIn(doc: DocView, markers: string[], from: 'first' | 'last'): Promise<MarkerHit | undefined> {
  return findFirst(doc, from, (lines) => findRole(lines, markers));
}

export async function findAllMarkers(doc: DocView, markers: string[], pages: number[]): Promise<MarkerHit[]> {
  const out: MarkerHit[] = [];
  for (const p of pages) {
    const lines = await doc.lines(p);
    for (const m of new Set(markers)) out.push(...findMarker(lines, m));
  }
  return out;
}
