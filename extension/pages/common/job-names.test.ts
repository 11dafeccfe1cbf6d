// The signed file's name, the warnings for portals' name rules, and what a download may be called.

import { describe, expect, it } from 'vitest';
import { downloadFileName, fileNameWarnings, nameLength, signedFileName } from './job-names.ts';

describe('signed file names', () => {
  it('"<name without .pdf>.signed.pdf"', () => {
    expect(signedFileName('du-thao-quyet-dinh.pdf')).toBe('du-thao-quyet-dinh.signed.pdf');
    expect(signedFileName('Tờ trình.PDF')).toBe('Tờ trình.signed.pdf');
    expect(signedFileName('bao-cao')).toBe('bao-cao.signed.pdf');
    expect(signedFileName('  ')).toBe('van-ban.signed.pdf');
  });

  it('lengths count what the user sees (NFC code points), whether the name came decomposed or not', () => {
    expect(nameLength('Tờ trình.pdf')).toBe(12);
    expect(nameLength('Tờ trình.pdf'.normalize('NFD'))).toBe(12);
  });

  it('a name over the portal\'s limit gives a Vietnamese warning; within it, none; no rule, none', () => {
    const long = signedFileName('Du thao thong bao ket luan.pdf'); // 37 characters
    const w = fileNameWarnings(long, { maxLength: 30 });
    expect(w).toHaveLength(1);
    expect(w[0]).toContain('dài 37 ký tự, vượt quá 30 ký tự');
    expect(w[0]).toContain(long);
    expect(fileNameWarnings('to-trinh.signed.pdf', { maxLength: 30 })).toEqual([]);
    expect(fileNameWarnings('x'.repeat(26) + '.pdf', { maxLength: 30 })).toEqual([]);
    expect(fileNameWarnings('x'.repeat(27) + '.pdf', { maxLength: 30 })).toHaveLength(1);
    expect(fileNameWarnings(long, undefined)).toEqual([]);
  });

  it('downloads: no path separators or reserved characters, Vietnamese kept', () => {
    expect(downloadFileName('Tờ trình: số 7/2026?.signed.pdf')).toBe('Tờ trình_ số 7_2026_.signed.pdf');
    expect(downloadFileName('../x.signed.pdf')).toBe('_x.signed.pdf');
    expect(downloadFileName('')).toBe('van-ban.signed.pdf');
  });
});
