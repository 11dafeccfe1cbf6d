// Ký ban hành: the organisation's signature. The seal covers the left third of the leader's signature image; the
// number and the place and date are written where the draft keeps room for them, in the same update.

import { KysoError } from '../protocol/errors.ts';
import type { DisplayRect } from '../placement/geometry.ts';
import { clampToPage } from '../placement/geometry.ts';
import { findDateGaps, findNumberGap } from '../placement/gaps.ts';
import { findRole } from '../placement/markers.ts';
import type { DocView, ModeInput } from './doc-view.ts';
import { findLeaderSpot } from './leader-image.ts';
import type { AnnotationPlan, AppearancePlan, DrawItem } from './plan.ts';
import { findAllMarkers, findFirst } from './search.ts';
import { fitInto, pad, SEAL_WIDTH } from './sizes.ts';
import { civilDateVietnam, dayText, monthText, placeDateLine } from './vn-time.ts';

/** The seal at real size, its right edge one third into the leader's image, centred on it vertically. */
export function sealOverLeftThird(leader: DisplayRect, aspect: number): DisplayRect {
  const w = SEAL_WIDTH;
  const h = w / aspect;
  const right = leader.x + leader.w / 3;
  return { x: right - w, y: leader.y + leader.h / 2 - h / 2, w, h };
}

async function leaderImage(doc: DocView, input: ModeInput): Promise<{ pageIndex: number; rect: DisplayRect }> {
  const signed = doc.signatures().filter((s) => s.signed && s.rect.w > 2 && s.rect.h > 2);
  const last = signed[signed.length - 1];
  if (last) return { pageIndex: last.pageIndex, rect: last.rect };
  const spot = await findLeaderSpot(doc, input, 780 / 424);
  return { pageIndex: spot.pageIndex, rect: spot.image };
}

function overlaps(a: DisplayRect, b: DisplayRect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

const textSize = (fs: number) => Math.min(Math.max(fs, 10), 14);

export async function planIssue(doc: DocView, input: ModeInput): Promise<AppearancePlan> {
  const aspect = input.sealAspect;
  if (!aspect) throw new KysoError('INVALID_ARGUMENT', 'The issuing signature needs the seal image.', undefined, { vi: 'Ký ban hành cần ảnh con dấu của cơ quan. Hãy chọn ảnh con dấu (PNG nền trong suốt).' });
  const warnings: string[] = [];
  let widget: AnnotationPlan;
  if (input.placement.kind === 'rect') {
    widget = { pageIndex: input.placement.pageIndex, items: [{ kind: 'image', image: 'seal', rect: fitInto(input.placement.rect, aspect) }] };
  } else {
    const leader = await leaderImage(doc, input);
    const seal = clampToPage(doc.frame(leader.pageIndex), sealOverLeftThird(leader.rect, aspect));
    widget = { pageIndex: leader.pageIndex, items: [{ kind: 'image', image: 'seal', rect: seal }] };
  }

  const stamps: AnnotationPlan[] = [];
  const covered: DisplayRect[] = [];

  if (input.docNumber) {
    const number = input.docNumber.trim();
    const placed = await findFirst(doc, 'first', (lines, p): AnnotationPlan | undefined => {
      const hit = findRole(lines, input.markers.number);
      if (hit) {
        covered.push(hit.rect);
        return { pageIndex: p, items: [{ kind: 'cover', rect: pad(hit.rect, 0.5) }, { kind: 'text', text: number, x: hit.rect.x, baseline: hit.baseline, size: textSize(hit.fontSize), style: 'regular' }] };
      }
      const gap = findNumberGap(lines);
      if (gap) {
        const n = number.split('/')[0].trim();
        const size = textSize(gap.fontSize);
        return { pageIndex: p, items: [{ kind: 'cover', rect: gap.rect }, { kind: 'text', text: n, x: gap.rect.x + gap.rect.w / 2, baseline: gap.baseline, size, style: 'regular', align: 'center' }] };
      }
      return undefined;
    });
    if (!placed) throw new KysoError('MARKER_NOT_FOUND', 'No place for the document number (no number marker, no "Số: /" gap).', { what: 'number' }, { vi: 'Không tìm thấy chỗ ghi số văn bản (ký hiệu #SoKyHieuVanBan hoặc dòng "Số:  /"). Hãy thêm ký hiệu vào dự thảo.' });
    stamps.push(placed);
  }

  const date = input.date ?? civilDateVietnam(input.signingTime);
  const datePlan = await findFirst(doc, 'first', (lines, p): AnnotationPlan | undefined => {
    const pd = findRole(lines, input.markers.placeDate);
    if (pd) {
      covered.push(pd.rect);
      return { pageIndex: p, items: [{ kind: 'cover', rect: pad(pd.rect, 0.5) }, { kind: 'text', text: placeDateLine(input.place, date), x: pd.rect.x, baseline: pd.baseline, size: textSize(pd.fontSize), style: 'italic' }] };
    }
    const d = findRole(lines, input.markers.date);
    if (d) {
      const items: DrawItem[] = [{ kind: 'cover', rect: pad(d.rect, 0.5) }, { kind: 'text', text: placeDateLine(undefined, date), x: d.rect.x, baseline: d.baseline, size: textSize(d.fontSize), style: 'italic' }];
      covered.push(d.rect);
      const pl = findRole(lines, input.markers.place);
      if (pl && input.place) {
        covered.push(pl.rect);
        items.push({ kind: 'cover', rect: pad(pl.rect, 0.5) }, { kind: 'text', text: input.place, x: pl.rect.x, baseline: pl.baseline, size: textSize(pl.fontSize), style: 'italic' });
      }
      return { pageIndex: p, items };
    }
    const gaps = findDateGaps(lines);
    if (gaps) {
      const size = textSize(gaps.fontSize);
      const items: DrawItem[] = [];
      const fill = (r: DisplayRect, text: string) => {
        items.push({ kind: 'cover', rect: r }, { kind: 'text', text, x: r.x + r.w / 2, baseline: gaps.baseline, size, style: 'italic', align: 'center' });
      };
      fill(gaps.day, dayText(date.day));
      fill(gaps.month, monthText(date.month));
      if (gaps.year) fill(gaps.year, String(date.year));
      return { pageIndex: p, items };
    }
    return undefined;
  });
  if (datePlan) stamps.push(datePlan);
  else warnings.push('Không tìm thấy chỗ ghi địa danh, ngày tháng năm ban hành; văn bản được ký mà không điền ngày.');

  // Whatever marker is left on the pages we read must not show in the issued document.
  const pages = doc.pageCount <= 50 ? Array.from({ length: doc.pageCount }, (_, i) => i) : [0, doc.pageCount - 1];
  const all = Object.values(input.markers).flat();
  // Markers under an existing signature (the leader's #ChuKyLanhDao) are hidden by it already, and a white cover
  // drawn later would paint over the leader's image.
  const existing = doc.signatures();
  const rest = (await findAllMarkers(doc, all, pages)).filter(
    (h) => !covered.some((c) => overlaps(c, h.rect)) && !existing.some((s) => s.pageIndex === h.pageIndex && overlaps(s.rect, h.rect)),
  );
  for (const h of rest) {
    stamps.push({ pageIndex: h.pageIndex, items: [{ kind: 'cover', rect: pad(h.rect, 0.5) }] });
  }
  return { widget, stamps, warnings };
}
