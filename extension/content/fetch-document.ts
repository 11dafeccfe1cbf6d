// fetchDocument: the document's bytes, fetched in the portal's frame so the portal's session cookies go with it.
// A login page or an HTTP error is DOCUMENT_FETCH_FAILED (the user logs in again); anything else that is not a PDF
// is NOT_A_PDF.

import { KysoError } from '@kyso/shared/protocol/errors';
import { toBase64 } from '@kyso/shared/pki/base64';
import type { FetchLike } from './find-pdfs.ts';
import { fileNameFromDisposition, fileNameFromUrl, hasPdfHeader } from './pdf-bytes.ts';

export interface FetchedDocument {
  name: string;
  contentType: string;
  bytes: Uint8Array;
}

const LOGIN_URL = /(login|dang-?nhap|signin|sso|cas\/|auth)/i;

export async function fetchPdf(url: string, fetchFn: FetchLike = (i, init) => fetch(i, init)): Promise<FetchedDocument> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new KysoError('BAD_MESSAGE', `Not a URL: ${url}.`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new KysoError('BAD_MESSAGE', `Not an http(s) URL: ${url}.`);
  let res: Response;
  try {
    res = await fetchFn(u.href, { credentials: 'include', redirect: 'follow', cache: 'no-store' });
  } catch (e) {
    // Also what a cross-origin document looks like from a content script (CORS): the page may try it directly.
    throw new KysoError('DOCUMENT_FETCH_FAILED', `Network error for ${u.href}: ${(e as Error).message}.`, { network: true });
  }
  if (!res.ok) throw new KysoError('DOCUMENT_FETCH_FAILED', `HTTP ${res.status} for ${u.href}.`);
  const contentType = res.headers.get('content-type') ?? '';
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (!hasPdfHeader(bytes)) {
    // Portals answer an expired session with their login page (200, text/html), often after a redirect.
    const loginPage = /html/i.test(contentType) && (res.redirected ? LOGIN_URL.test(res.url) : true);
    if (loginPage) throw new KysoError('DOCUMENT_FETCH_FAILED', `${u.href} answered ${contentType} (a login page?) instead of a PDF.`);
    throw new KysoError('NOT_A_PDF', `${u.href} answered ${contentType || 'no type'}, ${bytes.length} bytes without %PDF-.`);
  }
  const fromUrl = fileNameFromUrl(res.url || u.href);
  const name = fileNameFromDisposition(res.headers.get('content-disposition')) ?? (fromUrl && /\.pdf$/i.test(fromUrl) ? fromUrl : 'van-ban.pdf');
  return { name, contentType, bytes };
}

export async function fetchDocumentMessage(url: string, fetchFn?: FetchLike): Promise<{ name: string; contentType: string; data: string }> {
  const d = await fetchPdf(url, fetchFn);
  return { name: d.name, contentType: d.contentType, data: toBase64(d.bytes) };
}
