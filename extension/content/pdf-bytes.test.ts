// What counts as a PDF and how names come out of Content-Disposition headers and URLs.

import { describe, expect, it } from 'vitest';
import { cleanFileName, fileNameFromDisposition, fileNameFromUrl, hasPdfHeader, isPdfContentType } from './pdf-bytes.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describe('pdf-bytes', () => {
  it('%PDF- within the first 1024 bytes, not later', () => {
    expect(hasPdfHeader(enc('%PDF-1.7\n'))).toBe(true);
    expect(hasPdfHeader(enc(`\ufeff  \r\n%PDF-1.4`))).toBe(true);
    expect(hasPdfHeader(enc(`${' '.repeat(1019)}%PDF-`))).toBe(true);
    expect(hasPdfHeader(enc(`${' '.repeat(1020)}%PDF-`))).toBe(false);
    expect(hasPdfHeader(enc('<html>%PDF'))).toBe(false);
    expect(hasPdfHeader(new Uint8Array())).toBe(false);
  });

  it('PDF content types', () => {
    expect(isPdfContentType('application/pdf')).toBe(true);
    expect(isPdfContentType('Application/PDF; charset=binary')).toBe(true);
    expect(isPdfContentType('application/x-pdf')).toBe(true);
    expect(isPdfContentType('application/octet-stream')).toBe(false);
    expect(isPdfContentType('application/pdfx')).toBe(false);
    expect(isPdfContentType(null)).toBe(false);
  });

  it('Content-Disposition: RFC 5987 names first, quoted and bare names, no paths', () => {
    expect(fileNameFromDisposition(`attachment; filename="a.pdf"; filename*=UTF-8''${encodeURIComponent('Tờ trình số 7.pdf')}`)).toBe('Tờ trình số 7.pdf');
    expect(fileNameFromDisposition('attachment; filename="Bao cao \\"quy\\" 3.pdf"')).toBe('Bao cao "quy" 3.pdf');
    expect(fileNameFromDisposition('inline; filename=to-trinh.pdf')).toBe('to-trinh.pdf');
    expect(fileNameFromDisposition('attachment; filename="../../etc/x.pdf"')).toBe('.._.._etc_x.pdf');
    expect(fileNameFromDisposition('attachment')).toBeUndefined();
    expect(fileNameFromDisposition(null)).toBeUndefined();
  });

  it('URL names: a query value naming a .pdf, else the decoded last segment', () => {
    expect(fileNameFromUrl('https://p/GetFile.ashx?path=2026/11/to-trinh.pdf')).toBe('to-trinh.pdf');
    expect(fileNameFromUrl('https://p/files/D%E1%BB%B1%20th%E1%BA%A3o.pdf')).toBe('Dự thảo.pdf');
    expect(fileNameFromUrl('https://p/')).toBeUndefined();
    expect(cleanFileName(' a\u0000b/c.pdf ')).toBe('ab_c.pdf');
  });
});
