import { describe, expect, it } from 'vitest';
import { displayRectToUserBox, displaySize, toDisplay, toUser, uprightMatrix, userBoxToDisplayRect, type PageFrame, type Rotation } from '../../shared/placement/geometry.ts';
import { dayText, findVnDate, isoVietnam, monthText, parseCivilDate, pdfDateVietnam, placeDateLine } from '../../shared/modes/vn-time.ts';

const frames: PageFrame[] = ([0, 90, 180, 270] as Rotation[]).map((rotate) => ({ cropBox: [100, 200, 695, 1042], rotate }));

describe('page geometry', () => {
  it('round-trips points between user and display space on every rotation', () => {
    for (const f of frames)
      for (const [x, y] of [
        [100, 200],
        [300, 700],
        [695, 1042],
      ]) {
        const [u, v] = toDisplay(f, x, y);
        const [x2, y2] = toUser(f, u, v);
        expect(x2).toBeCloseTo(x);
        expect(y2).toBeCloseTo(y);
      }
  });

  it('puts the display origin at the top left of the page as shown', () => {
    expect(toDisplay(frames[0], 100, 1042)).toEqual([0, 0]);
    expect(toDisplay(frames[1], 100, 200)).toEqual([0, 0]); // rotated 90° clockwise: user bottom-left shows top-left
    expect(toDisplay(frames[2], 695, 200)).toEqual([0, 0]);
    expect(toDisplay(frames[3], 695, 1042)).toEqual([0, 0]);
    expect(displaySize(frames[1])).toEqual({ width: 842, height: 595 });
  });

  it('maps display rectangles to user boxes and back', () => {
    for (const f of frames) {
      const r = { x: 10, y: 20, w: 120, h: 60 };
      const back = userBoxToDisplayRect(f, displayRectToUserBox(f, r));
      expect(back.x).toBeCloseTo(r.x);
      expect(back.y).toBeCloseTo(r.y);
      expect(back.w).toBeCloseTo(r.w);
      expect(back.h).toBeCloseTo(r.h);
    }
  });

  it('turns appearance streams back against the page rotation', () => {
    // The form's x axis must point to the display's right: apply the matrix to (1,0) and look at it on screen.
    for (const f of frames) {
      const [a, b] = uprightMatrix(f.rotate);
      const o = toDisplay(f, 300, 500);
      const p = toDisplay(f, 300 + a, 500 + b);
      expect(p[0] - o[0]).toBeCloseTo(1);
      expect(p[1] - o[1]).toBeCloseTo(0);
    }
  });
});

describe('Vietnam time and dates', () => {
  it('prints ISO 8601 with +07:00 and PDF dates in Vietnam time', () => {
    const d = new Date('2026-11-21T03:18:00Z');
    expect(isoVietnam(d)).toBe('2026-11-21T10:18:00+07:00');
    expect(pdfDateVietnam(d)).toBe("D:20261121101800+07'00'");
    expect(isoVietnam(new Date('2026-12-31T20:00:00Z'))).toBe('2027-01-01T03:00:00+07:00');
  });

  it('writes days below 10 and months 1 and 2 with a leading zero (Nghị định 30)', () => {
    expect(dayText(5)).toBe('05');
    expect(dayText(21)).toBe('21');
    expect(monthText(2)).toBe('02');
    expect(monthText(3)).toBe('3');
    expect(placeDateLine('Quảng Nam', { year: 2026, month: 1, day: 9 })).toBe('Quảng Nam, ngày 09 tháng 01 năm 2026');
  });

  it('rejects dates that do not exist', () => {
    expect(parseCivilDate('2026-02-30')).toBeUndefined();
    expect(parseCivilDate('26-2-3')).toBeUndefined();
    expect(parseCivilDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
  });

  it('reads the dd/mm/yyyy dates portals write, inside other text, and only real days', () => {
    expect(findVnDate('16:27 21/11/2026')).toEqual({ year: 2026, month: 11, day: 21 });
    expect(findVnDate('5/2/2026')).toEqual({ year: 2026, month: 2, day: 5 });
    expect(findVnDate('30/02/2026')).toBeUndefined();
    expect(findVnDate('21-11-2026')).toBeUndefined();
  });
});
