// Chứng thực bản sao điện tử từ bản chính (Nghị định 23/2015, Thông tư 01/2020): the certification statement with
// its number and register book on the last page, the certifier's signature and name, the office's seal over about
// two thirds of the name. Number and book come from the portal or the clerk; they are never invented here.

import { KysoError } from '../protocol/errors.ts';
import type { DisplayRect } from '../placement/geometry.ts';
import { displaySize } from '../placement/geometry.ts';
import type { DocView, ModeInput } from './doc-view.ts';
import type { AppearancePlan, DrawItem } from './plan.ts';
import { centred, fitInto, MM, SEAL_WIDTH, SIGNATURE_WIDTH } from './sizes.ts';
import { civilDateVietnam, placeDateLine } from './vn-time.ts';

const SIZE = 12;
const LEAD = SIZE * 1.35;
const BLOCK_W = 80 * MM;
const SIG_H = 22 * MM;

export function certifyBlockHeight(): number {
  return 5 * LEAD + SIG_H + LEAD;
}

export async function planCertify(doc: DocView, input: ModeInput): Promise<AppearancePlan> {
  if (!input.certNumber || !input.book)
    throw new KysoError('INVALID_ARGUMENT', 'Certification needs the certification number and the register book.', undefined, { vi: 'Chứng thực bản sao cần số chứng thực và quyển số (lấy từ sổ chứng thực); KýSố không tự đặt các số này.' });
  const last = doc.pageCount - 1;
  let pageIndex = last;
  let top: number;
  let left: number;
  const h = certifyBlockHeight();
  if (input.placement.kind === 'rect') {
    pageIndex = input.placement.pageIndex;
    top = input.placement.rect.y;
    left = input.placement.rect.x;
  } else {
    const page = displaySize(doc.frame(last));
    const lines = await doc.lines(last);
    const lowest = lines.reduce((m, l) => Math.max(m, l.baseline + 0.3 * l.fontSize), 0);
    left = page.width - 20 * MM - BLOCK_W;
    top = lowest + SIZE + h <= page.height - 15 * MM ? lowest + SIZE : page.height - 15 * MM - h;
  }
  const cx = left + BLOCK_W / 2;
  const date = input.date ?? civilDateVietnam(input.signingTime);
  const items: DrawItem[] = [];
  const line = (i: number) => top + (i + 1) * LEAD - SIZE * 0.3;
  items.push({ kind: 'text', text: 'Chứng thực bản sao đúng với bản chính.', x: left, baseline: line(0), size: SIZE, style: 'regular' });
  items.push({ kind: 'text', text: `Số chứng thực: ${input.certNumber.trim()}`, x: left, baseline: line(1), size: SIZE, style: 'regular' });
  items.push({ kind: 'text', text: `Quyển số: ${input.book.trim()}`, x: left, baseline: line(2), size: SIZE, style: 'regular' });
  items.push({ kind: 'text', text: placeDateLine(input.place, date), x: left, baseline: line(3), size: SIZE, style: 'italic' });
  items.push({ kind: 'text', text: 'NGƯỜI THỰC HIỆN CHỨNG THỰC', x: cx, baseline: line(4), size: SIZE, style: 'bold', align: 'center' });
  const sigArea: DisplayRect = { x: cx - SIGNATURE_WIDTH / 2, y: top + 5 * LEAD, w: SIGNATURE_WIDTH, h: SIG_H };
  if (input.signatureAspect) items.push({ kind: 'image', image: 'signature', rect: fitInto(sigArea, input.signatureAspect) });
  const nameBaseline = sigArea.y + SIG_H + LEAD - SIZE * 0.3;
  items.push({ kind: 'text', text: input.signerName, x: cx, baseline: nameBaseline, size: SIZE, style: 'bold', align: 'center' });
  if (input.sealAspect) {
    const nameW = input.measure(input.signerName, SIZE, 'bold');
    const nameLeft = cx - nameW / 2;
    const right = nameLeft + (2 / 3) * nameW;
    const sh = SEAL_WIDTH / input.sealAspect;
    const c = centred(right - SEAL_WIDTH / 2, sigArea.y + SIG_H / 2 + SIZE / 2, SEAL_WIDTH, sh);
    items.push({ kind: 'image', image: 'seal', rect: c });
  }
  return { widget: { pageIndex, items }, stamps: [], warnings: [] };
}
