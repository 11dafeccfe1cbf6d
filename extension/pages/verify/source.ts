// Where the verification page gets its PDF: a portal job (?job=ID, the "Kiểm tra" button an adapter added), a URL
// (?url=…, the toolbar button or the context menu on a tab or link showing a PDF), or the user's own file.

import { KysoError } from '@kyso/shared/protocol/errors';
import { fileNameFromDisposition, fileNameFromUrl as urlFileName, hasPdfHeader } from '../../content/pdf-bytes.ts';

export { fileNameFromDisposition };

export type VerifySource = { kind: 'job'; id: string } | { kind: 'url'; url: string } | { kind: 'choose' };

/** Files larger than this are refused before they are read whole into the page. */
export const MAX_PDF_BYTES = 200 * 1024 * 1024;

export function sourceFromQuery(search: string): VerifySource {
  const q = new URLSearchParams(search);
  const job = q.get('job');
  if (job) return { kind: 'job', id: job };
  const url = q.get('url');
  if (url) return { kind: 'url', url };
  return { kind: 'choose' };
}

/** The file name a URL shows (pdf-bytes: last path segment or a ?file= value, decoded); "van-ban.pdf" when it has none. */
export function fileNameFromUrl(url: string): string {
  return urlFileName(url) ?? 'van-ban.pdf';
}

export const FILE_URL_HINT_VI =
  'Không đọc được tệp trên máy. Để kiểm tra tệp mở trực tiếp từ máy (địa chỉ file://), hãy mở trang quản lý tiện ích (chrome://extensions hoặc edge://extensions), bấm "Chi tiết" ở KýSố và bật "Cho phép truy cập URL tệp", rồi thử lại. Hoặc chọn tệp bằng nút "Chọn tệp PDF" bên dưới.';

/**
 * Fetches the PDF a tab shows, with the site's cookies (credentials 'include': a portal's download endpoint needs
 * the user's session; the extension's host permissions let the page read the answer).
 */
export async function fetchPdfUrl(url: string, fetchImpl: typeof fetch = fetch): Promise<{ name: string; bytes: Uint8Array }> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new KysoError('INVALID_ARGUMENT', `Not a URL: ${url}`, undefined, { vi: 'Địa chỉ văn bản cần kiểm tra không hợp lệ.' });
  }
  const isFile = u.protocol === 'file:';
  if (!isFile && u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new KysoError('NETWORK_URL_FORBIDDEN', url, undefined, { vi: `Không tải được văn bản từ địa chỉ ${u.protocol}; chỉ dùng http, https hoặc tệp trên máy.` });
  }
  let res: Response;
  try {
    res = await fetchImpl(u.href, { credentials: 'include', redirect: 'follow' });
  } catch (e) {
    if (isFile) throw new KysoError('DOCUMENT_FETCH_FAILED', `${url}: ${(e as Error).message}`, { fileUrl: true }, { cause: e, vi: FILE_URL_HINT_VI });
    throw new KysoError('DOCUMENT_FETCH_FAILED', `${url}: ${(e as Error).message}`, undefined, { cause: e, vi: 'Không tải được văn bản (mất mạng hoặc trang không cho phép). Hãy tải tệp về máy rồi chọn tệp để kiểm tra.' });
  }
  // file: answers have status 0 in some versions; http must be 2xx.
  if (!isFile && !res.ok) {
    throw new KysoError('DOCUMENT_FETCH_FAILED', `${url}: HTTP ${res.status}`, { status: res.status }, { vi: `Không tải được văn bản (máy chủ trả lời mã ${res.status}; có thể phiên đăng nhập đã hết hạn). Hãy tải lại trang rồi thử lại.` });
  }
  const len = Number(res.headers.get('content-length') ?? NaN);
  if (len > MAX_PDF_BYTES) throw new KysoError('PDF_TOO_LARGE', `${len} bytes`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes.length > MAX_PDF_BYTES) throw new KysoError('PDF_TOO_LARGE', `${bytes.length} bytes`);
  if (!hasPdfHeader(bytes)) {
    throw new KysoError('NOT_A_PDF', url, undefined, { vi: 'Địa chỉ này không trả về tệp PDF. Hãy mở chính tệp PDF (hoặc tải về máy) rồi kiểm tra.' });
  }
  const name = fileNameFromDisposition(res.headers.get('content-disposition')) ?? fileNameFromUrl(res.url || u.href);
  return { name, bytes };
}

/** The user's own file (file chooser or drop). */
export async function readChosenFile(file: File): Promise<{ name: string; bytes: Uint8Array }> {
  if (file.size > MAX_PDF_BYTES) throw new KysoError('PDF_TOO_LARGE', `${file.size} bytes`);
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (!hasPdfHeader(bytes)) throw new KysoError('PDF_INVALID', file.name, undefined, { vi: `Tệp "${file.name}" không phải là tệp PDF.` });
  return { name: file.name, bytes };
}
