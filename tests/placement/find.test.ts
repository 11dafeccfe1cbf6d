import { describe, expect, it } from 'vitest';
import { buildLines, type TextRun } from '../../shared/placement/text.ts';
import { findMarker, DEFAULT_MARKERS, allMarkerHits } from '../../shared/placement/markers.ts';
import { findDateGaps, findNumberGap } from '../../shared/placement/gaps.ts';
import { findSignerBlock } from '../../shared/placement/signer-block.ts';
import type { PageFrame } from '../../shared/placement/geometry.ts';

const A4: PageFrame = { cropBox: [0, 0, 595, 842], rotate: 0 };
const run = (str: string, x: number, yFromTop: number, size = 13, width = str.length * size * 0.5): TextRun => ({ str, transform: [size, 0, 0, size, x, 842 - yFromTop], width });

describe('markers', () => {
  it('finds a marker split over runs and inside a longer run, and not as the prefix of a longer marker', () => {
    const lines = buildLines(A4, 0, [run('Số: #So', 100, 118), run('KyHieuVanBan', 100 + 7 * 6.5, 118), run('#ChuKyLanhDao', 400, 600)]);
    expect(findMarker(lines, '#SoKyHieuVanBan')).toHaveLength(1);
    expect(findMarker(lines, '#So')).toHaveLength(0);
    const hit = findMarker(lines, '#ChuKyLanhDao')[0];
    expect(hit.rect.x).toBeCloseTo(400);
    expect(hit.rect.y).toBeLessThan(600);
    expect(hit.rect.y + hit.rect.h).toBeGreaterThan(600);
    expect(allMarkerHits(lines, DEFAULT_MARKERS).map((h) => h.marker).sort()).toEqual(['#ChuKyLanhDao', '#SoKyHieuVanBan']);
  });

  it('reads rotated pages in display orientation', () => {
    const f: PageFrame = { cropBox: [0, 0, 842, 595], rotate: 90 };
    // Upright on screen on a page turned 90°: the text runs along user +y.
    const lines = buildLines(f, 0, [{ str: '#ChuKyLanhDao', transform: [0, 13, -13, 0, 300, 100], width: 90 }]);
    const hit = findMarker(lines, '#ChuKyLanhDao')[0];
    expect(hit).toBeDefined();
    expect(hit.rect.x).toBeCloseTo(100); // display x = user y - 0
  });
});

describe('gaps', () => {
  it('finds the number gap between "Số:" and "/"', () => {
    const lines = buildLines(A4, 0, [run('Số:', 125, 118, 13, 20), run('/QĐ-UBND', 185, 118, 13, 60)]);
    const g = findNumberGap(lines)!;
    expect(g.rect.x).toBeCloseTo(145);
    expect(g.rect.x + g.rect.w).toBeCloseTo(185);
  });

  it('finds the day, month and year gaps of the date line', () => {
    const lines = buildLines(A4, 0, [run('Quảng Nam, ngày', 280, 118, 13, 95), run('tháng', 393, 118, 13, 30), run('năm', 452, 118, 13, 22)]);
    const g = findDateGaps(lines)!;
    expect(g.day.x).toBeCloseTo(375);
    expect(g.day.x + g.day.w).toBeCloseTo(393);
    expect(g.month.x).toBeCloseTo(423);
    expect(g.year).toBeDefined();
    const printed = buildLines(A4, 0, [run('Quảng Nam, ngày', 280, 118, 13, 95), run('tháng', 393, 118, 13, 30), run('năm 2026', 452, 118, 13, 50)]);
    expect(findDateGaps(printed)!.year).toBeUndefined();
    expect(findDateGaps(buildLines(A4, 0, [run('Quảng Nam, ngày 21 tháng 10 năm 2019', 280, 118)]))).toBeUndefined();
  });
});

describe('signer block', () => {
  it('puts the signature between the title and the name', () => {
    const lines = buildLines(A4, 0, [run('TM. ỦY BAN NHÂN DÂN', 350, 600, 13, 150), run('CHỦ TỊCH', 390, 617, 13, 60), run('Nguyễn Văn Thành', 370, 753, 13, 110), run('Nơi nhận:', 85, 600, 12, 50)]);
    const b = findSignerBlock([lines], [595])!;
    expect(b.title).toBe('CHỦ TỊCH');
    expect(b.name).toBe('Nguyễn Văn Thành');
    expect(b.area.y).toBeGreaterThan(617);
    expect(b.area.y + b.area.h).toBeLessThan(753);
  });
});
