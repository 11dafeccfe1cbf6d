// Where the leader's signature image is (or goes): a marker, or the signer block's free space.

import { KysoError } from '../protocol/errors.ts';
import type { DisplayRect } from '../placement/geometry.ts';
import { clampToPage } from '../placement/geometry.ts';
import type { MarkerHit } from '../placement/markers.ts';
import { findSignerBlock } from '../placement/signer-block.ts';
import { displaySize } from '../placement/geometry.ts';
import type { DocView, ModeInput } from './doc-view.ts';
import { findMarkerIn, pageOrder } from './search.ts';
import { centred, fitInto, SIGNATURE_WIDTH } from './sizes.ts';

export interface LeaderSpot {
  pageIndex: number;
  image: DisplayRect;
  /** The marker that was found there, to be covered. */
  marker?: MarkerHit;
}

/** The image centred on the marker, at its printed size. */
export function imageAtMarker(doc: DocView, hit: MarkerHit, aspect: number): DisplayRect {
  const cx = hit.rect.x + hit.rect.w / 2;
  const cy = hit.rect.y + hit.rect.h / 2;
  return clampToPage(doc.frame(hit.pageIndex), centred(cx, cy, SIGNATURE_WIDTH, SIGNATURE_WIDTH / aspect));
}

export async function findLeaderSpot(doc: DocView, input: ModeInput, aspect: number): Promise<LeaderSpot> {
  const markers = input.placement.kind === 'marker' ? [input.placement.marker] : input.markers.signature;
  const hit = await findMarkerIn(doc, markers, 'last');
  if (hit) return { pageIndex: hit.pageIndex, image: imageAtMarker(doc, hit, aspect), marker: hit };
  if (input.placement.kind === 'marker') throw new KysoError('MARKER_NOT_FOUND', `Marker ${input.placement.marker} not found.`, { marker: input.placement.marker }, { vi: `Không tìm thấy ký hiệu ${input.placement.marker} trong văn bản. Hãy chọn vị trí bằng tay.` });
  // The signer block: lines of every page, last page first, stopping at the first page that has one.
  for (const p of pageOrder(doc, 'last')) {
    const block = findSignerBlock([await doc.lines(p)], [displaySize(doc.frame(p)).width]);
    if (block) {
      // Centred in the free space between the title and the name, at the printed size when it fits.
      const h = Math.min(block.area.h, SIGNATURE_WIDTH / aspect);
      const box = fitInto({ x: block.centerX - SIGNATURE_WIDTH / 2, y: block.area.y + (block.area.h - h) / 2, w: SIGNATURE_WIDTH, h }, aspect);
      return { pageIndex: p, image: box };
    }
  }
  throw new KysoError('MARKER_NOT_FOUND', 'No signature marker and no signer block found.');
}
