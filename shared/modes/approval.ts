// Ký duyệt: the leader's handwritten signature image (blue, transparent PNG) at the leader's place.

import { KysoError } from '../protocol/errors.ts';
import type { DocView, ModeInput } from './doc-view.ts';
import { findLeaderSpot } from './leader-image.ts';
import { findMarkerIn } from './search.ts';
import type { AppearancePlan, DrawItem } from './plan.ts';
import { fitInto, pad } from './sizes.ts';

export async function planApproval(doc: DocView, input: ModeInput): Promise<AppearancePlan> {
  const aspect = input.signatureAspect;
  if (!aspect) throw new KysoError('INVALID_ARGUMENT', 'The approval signature needs the signature image.', undefined, { vi: 'Ký duyệt cần ảnh chữ ký của lãnh đạo. Hãy chọn ảnh chữ ký (PNG nền trong suốt).' });
  if (input.placement.kind === 'rect') {
    const { pageIndex, rect } = input.placement;
    // The box was moved away from the marker: the marker's text must still not show in the signed document.
    const marker = await findMarkerIn(doc, input.markers.signature, 'last');
    const stamps = marker ? [{ pageIndex: marker.pageIndex, items: [{ kind: 'cover' as const, rect: pad(marker.rect, 0.5) }] }] : [];
    return { widget: { pageIndex, items: [{ kind: 'image', image: 'signature', rect: fitInto(rect, aspect) }] }, stamps, warnings: [] };
  }
  const spot = await findLeaderSpot(doc, input, aspect);
  const items: DrawItem[] = [];
  if (spot.marker) items.push({ kind: 'cover', rect: pad(spot.marker.rect, 0.5) });
  items.push({ kind: 'image', image: 'signature', rect: spot.image });
  return { widget: { pageIndex: spot.pageIndex, items }, stamps: [], warnings: [] };
}
