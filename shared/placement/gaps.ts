// Documents without markers: the number goes in the gap of "Số:      /QĐ-UBND", the date in the gaps of
// "Quảng Nam, ngày      tháng      năm 20..", as Nghị định 30 lays them out.

import type { DisplayRect } from './geometry.ts';
import type { TextLine } from './text.ts';
import { spanRect } from './text.ts';

export interface NumberGap {
  pageIndex: number;
  /** Where the number goes: between "Số:" and "/". */
  rect: DisplayRect;
  baseline: number;
  fontSize: number;
}

const blank = (ch: string) => ch === ' ' || ch === '.' || ch === '…' || ch === '_' || ch === '\u00a0';

/** "Số:" then only blanks (spaces, dots, ellipses) then "/". */
export function findNumberGap(lines: TextLine[]): NumberGap | undefined {
  for (const line of lines) {
    const t = line.text.normalize('NFC');
    const m = /S[ốỐ]\s*:/iu.exec(t);
    if (!m) continue;
    let i = Array.from(t.slice(0, m.index + m[0].length)).length;
    const start = i;
    while (i < line.chars.length && blank(line.chars[i].ch)) i++;
    if (i >= line.chars.length || line.chars[i].ch !== '/' || i === start) continue;
    const left = line.chars[start - 1].x + line.chars[start - 1].w;
    const right = line.chars[i].x;
    if (right - left < 0.8 * line.fontSize) continue;
    const r = spanRect(line, start, i);
    return { pageIndex: line.pageIndex, rect: { x: left, y: r.y, w: right - left, h: r.h }, baseline: line.baseline, fontSize: line.fontSize };
  }
  return undefined;
}

export interface DateGaps {
  pageIndex: number;
  baseline: number;
  fontSize: number;
  day: DisplayRect;
  month: DisplayRect;
  /** Absent when the year is already printed. */
  year?: DisplayRect;
}

/** ", ngày … tháng … năm …" with blank gaps after "ngày" and "tháng" (and after "năm" when no year is printed). */
export function findDateGaps(lines: TextLine[]): DateGaps | undefined {
  for (const line of lines) {
    const chars = line.chars;
    const text = chars.map((c) => c.ch).join('').toLowerCase();
    const iNgay = text.indexOf('ngày');
    if (iNgay < 0) continue;
    const iThang = text.indexOf('tháng', iNgay);
    if (iThang < 0) continue;
    const iNam = text.indexOf('năm', iThang);
    if (iNam < 0) continue;
    const gap = (from: number, to: number): DisplayRect | undefined => {
      for (let k = from; k < to; k++) if (!blank(chars[k].ch)) return undefined;
      if (to <= from) return undefined;
      const left = chars[from - 1].x + chars[from - 1].w;
      const right = chars[to].x;
      if (right - left < 0.8 * line.fontSize) return undefined;
      const r = spanRect(line, from, to);
      return { x: left, y: r.y, w: right - left, h: r.h };
    };
    const day = gap(iNgay + 4, iThang);
    const month = gap(iThang + 5, iNam);
    if (!day || !month) continue;
    let year: DisplayRect | undefined;
    let k = iNam + 3;
    while (k < chars.length && blank(chars[k].ch)) k++;
    if (k >= chars.length || !/[0-9]/.test(chars[k].ch)) {
      const left = chars[iNam + 2].x + chars[iNam + 2].w;
      const fs = line.fontSize;
      const right = k < chars.length ? chars[k].x : Math.max(left + 2.2 * fs, chars[chars.length - 1].x + chars[chars.length - 1].w);
      year = { x: left, y: line.baseline - fs, w: Math.max(right - left, 2.2 * fs), h: 1.25 * fs };
    }
    return { pageIndex: line.pageIndex, baseline: line.baseline, fontSize: line.fontSize, day, month, year };
  }
  return undefined;
}
