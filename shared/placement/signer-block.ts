// Without a marker, the leader's signature goes in the signer block: the space between the signer's title line
// ("TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH") and the signer's name, on the right half of the last page that has one.

import type { DisplayRect } from './geometry.ts';
import type { TextLine } from './text.ts';

const TITLE = /^(TM\.|KT\.|TL\.|TUQ\.|Q\.|CHỦ TỊCH|PHÓ CHỦ TỊCH|GIÁM ĐỐC|PHÓ GIÁM ĐỐC|BỘ TRƯỞNG|THỨ TRƯỞNG|CHÁNH VĂN PHÒNG|PHÓ CHÁNH VĂN PHÒNG|TRƯỞNG|PHÓ TRƯỞNG|HIỆU TRƯỞNG|TỔNG GIÁM ĐỐC|BÍ THƯ|CHỦ NHIỆM|VIỆN TRƯỞNG|CỤC TRƯỞNG|VỤ TRƯỞNG|THỦ TRƯỞNG|NGƯỜI KÝ)/u;

export interface SignerBlock {
  pageIndex: number;
  /** The free space where the handwritten signature image goes. */
  area: DisplayRect;
  /** Centre line of the block (title and name are centred on it). */
  centerX: number;
  title: string;
  name?: string;
}

function lineBox(l: TextLine): { left: number; right: number } {
  const first = l.chars.find((c) => c.ch !== ' ') ?? l.chars[0];
  const rev = [...l.chars].reverse();
  const last = rev.find((c) => c.ch !== ' ') ?? l.chars[l.chars.length - 1];
  return { left: first.x, right: last.x + last.w };
}

/** Splits lines at wide gaps: "Nơi nhận:" on the left and the signer's title on the right share a baseline. */
export function columnSegments(lines: TextLine[], gapEm = 4): TextLine[] {
  const out: TextLine[] = [];
  for (const l of lines) {
    let start = 0;
    for (let i = 1; i <= l.chars.length; i++) {
      const prev = l.chars[i - 1];
      const cur = l.chars[i];
      const wide = cur && prev.ch === ' ' && prev.w > gapEm * l.fontSize;
      if (i === l.chars.length || wide) {
        const chars = l.chars.slice(start, wide ? i - 1 : i);
        if (chars.length) out.push({ ...l, chars, text: chars.map((c) => c.ch).join('') });
        start = i;
      }
    }
  }
  return out;
}

export function findSignerBlock(linesByPage: TextLine[][], pageWidths: number[]): SignerBlock | undefined {
  for (let p = linesByPage.length - 1; p >= 0; p--) {
    const lines = columnSegments(linesByPage[p]);
    const width = pageWidths[p];
    const right = lines.filter((l) => {
      const b = lineBox(l);
      return (b.left + b.right) / 2 > width * 0.5 && l.text.trim().length > 0;
    });
    // The lowest title line wins: "TM. ỦY BAN NHÂN DÂN" is followed by "CHỦ TỊCH".
    let titleIdx = -1;
    for (let i = 0; i < right.length; i++) {
      const t = right[i].text.trim();
      if (TITLE.test(t) && t === t.toUpperCase()) titleIdx = i;
    }
    if (titleIdx < 0) continue;
    const title = right[titleIdx];
    const tb = lineBox(title);
    const centerX = (tb.left + tb.right) / 2;
    const fs = title.fontSize;
    // The name: the next line in the column after a gap of at least two lines.
    const below = right.slice(titleIdx + 1).filter((l) => {
      const b = lineBox(l);
      return Math.abs((b.left + b.right) / 2 - centerX) < width * 0.2;
    });
    const name = below.find((l) => l.baseline - title.baseline > 2.5 * fs);
    const top = title.baseline + 0.4 * fs;
    const bottom = name ? name.baseline - 1.1 * name.fontSize : title.baseline + 5 * fs;
    const h = Math.max(bottom - top, 2 * fs);
    const w = Math.max(tb.right - tb.left, 8 * fs);
    return { pageIndex: p, area: { x: centerX - w / 2, y: top, w, h }, centerX, title: title.text.trim(), name: name?.text.trim() };
  }
  return undefined;
}
