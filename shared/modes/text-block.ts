// The text block of attachment and copy signatures: top right of the first page, no image, Times 10 pt black
// (Nghị định 30, Phụ lục I).

import type { DisplayRect } from '../placement/geometry.ts';
import { displaySize } from '../placement/geometry.ts';
import type { DocView, ModeInput } from './doc-view.ts';
import type { AppearancePlan, DrawItem } from './plan.ts';
import { MM, STAMP_SIZE } from './sizes.ts';

const LEADING = 1.25;

export function textBlockPlan(doc: DocView, input: ModeInput, lines: string[]): AppearancePlan {
  const size = STAMP_SIZE;
  const width = Math.max(...lines.map((l) => input.measure(l, size, 'regular')));
  const height = lines.length * size * LEADING;
  let pageIndex = 0;
  let box: DisplayRect;
  if (input.placement.kind === 'rect') {
    pageIndex = input.placement.pageIndex;
    box = input.placement.rect;
  } else {
    const page = displaySize(doc.frame(0));
    // In the top margin, 15 mm from the right edge.
    box = { x: page.width - 15 * MM - width, y: 5 * MM, w: width, h: height };
  }
  const items: DrawItem[] = lines.map((text, i) => ({ kind: 'text', text, x: box.x, baseline: box.y + (i + 1) * size * LEADING - size * 0.3, size, style: 'regular' }));
  return { widget: { pageIndex, items }, stamps: [], warnings: [] };
}
