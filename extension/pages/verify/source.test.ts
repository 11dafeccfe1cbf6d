// Where the verification page gets its PDF: query parsing, file names, the PDF check, and fetching with the
// reasons people can act on (file:// access, HTTP status, not a PDF).

import { describe, expect, it } from 'vitest';
import { KysoError } from '@kyso/shared/protocol/errors';
import { FILE_URL_HINT_VI, fetchPdfUrl, fileNameFromDisposition, fileNameFromUrl, sourceFromQuery } from './source.ts';
import { hasPdfHeader as looksLikePdf } from '../../content/pdf-bytes.ts';

const PDF = new TextEncoder().encode('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n');

function fakeFetch(body: Uint8Array | Error, init: { status?: number; headers?: Record<string, string>; url?: string } = {}) {
  const calls: { url: string; credentials?: string }[] = [];
  const f = (async (url: string, opts?: RequestInit) => {
    calls.push({ url, credentials: opts?.credentials });
    if (body instanceof Error) throw body;
    const r = new Response(body as Uint8Array<ArrayBuffer>, { status: init.status ?? 200, headers: init.headers });
    Object.defineProperty(r, 'url', { value: init.url ?? url });
    return r;
  }) as unknown as typeof fetch;
  return { f, calls };
}

async function rejection(p: Promise<unknown>): Promise<KysoError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof KysoError) return e;
    throw e;
  }
  throw new Error('no rejection');
}

describe('source of the page', () => {
  it('job first, then url, else the file chooser', () => {
    expect(sourceFromQuery('?job=abc&url=https%3A%2F%2Fx%2Fa.pdf')).toEqual({ kind: 'job', id: 'abc' });
    expect(sourceFromQuery('?url=https%3A%2F%2Fx%2Fa.pdf')).toEqual({ kind: 'url', url: 'https://x/a.pdf' });
    expect(sourceFromQuery('')).toEqual({ kind: 'choose' });
  });

  it('file names from the URL and from Content-Disposition (UTF-8 first)', () => {
    expect(fileNameFromUrl('https://qlvb.example.gov.vn/files/C%C3%B4ng%20v%C4%83n%2012.pdf?x=1')).toBe('Công văn 12.pdf');
    expect(fileNameFromUrl('https://x/')).toBe('van-ban.pdf');
    expect(fileNameFromDisposition(`attachment; filename="cv.pdf"; filename*=UTF-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh.pdf`)).toBe('Quyết định.pdf');
    expect(fileNameFromDisposition('inline; filename="cv 12.pdf"')).toBe('cv 12.pdf');
    expect(fileNameFromDisposition(null)).toBeUndefined();
  });

  it('a PDF starts with %PDF- within 1024 bytes', () => {
    expect(looksLikePdf(PDF)).toBe(true);
    expect(looksLikePdf(new TextEncoder().encode('<html><body>Đăng nhập</body></html>'))).toBe(false);
  });
});

describe('fetchPdfUrl', () => {
  it('fetches with the site cookies and names the file from the answer', async () => {
    const { f, calls } = fakeFetch(PDF, { headers: { 'content-disposition': 'attachment; filename="to-trinh.pdf"' } });
    const got = await fetchPdfUrl('https://portal.example.gov.vn/download?id=7', f);
    expect(calls).toEqual([{ url: 'https://portal.example.gov.vn/download?id=7', credentials: 'include' }]);
    expect(got.name).toBe('to-trinh.pdf');
    expect(got.bytes).toEqual(PDF);
  });

  it('a file:// URL the browser does not let us read: the hint about "Cho phép truy cập URL tệp"', async () => {
    const { f } = fakeFetch(new TypeError('Failed to fetch'));
    const e = await rejection(fetchPdfUrl('file:///home/canbo/cv.pdf', f));
    expect(e.code).toBe('DOCUMENT_FETCH_FAILED');
    expect(e.messageVi).toBe(FILE_URL_HINT_VI);
    expect(e.messageVi).toContain('Cho phép truy cập URL tệp');
  });

  it('HTTP errors, HTML login pages and other schemes are typed errors', async () => {
    expect((await rejection(fetchPdfUrl('https://x/a.pdf', fakeFetch(PDF, { status: 403 }).f))).code).toBe('DOCUMENT_FETCH_FAILED');
    const html = await rejection(fetchPdfUrl('https://x/a.pdf', fakeFetch(new TextEncoder().encode('<html>login</html>')).f));
    expect(html.code).toBe('NOT_A_PDF');
    expect((await rejection(fetchPdfUrl('ftp://x/a.pdf', fakeFetch(PDF).f))).code).toBe('NETWORK_URL_FORBIDDEN');
  });
});
