// What makes bytes a PDF, and how portals name their downloads. Shared by the probe (is this link a PDF?), the
// document fetch (the bytes the page signs) and the extension pages' direct fetch.

/** Readers accept "%PDF-" anywhere in the first 1024 bytes (some portals prepend a BOM or whitespace). */
export const PDF_HEADER_WINDOW = 1024;

export function hasPdfHeader(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, PDF_HEADER_WINDOW) - 5;
  for (let i = 0; i <= end; i++) {
    if (bytes[i] === 0x25 && bytes[i + 1] === 0x50 && bytes[i + 2] === 0x44 && bytes[i + 3] === 0x46 && bytes[i + 4] === 0x2d) return true;
  }
  return false;
}

export function isPdfContentType(ct: string | null | undefined): boolean {
  return !!ct && /^\s*application\/(x-)?pdf\b/i.test(ct);
}

/** The file name of a Content-Disposition header: filename*=UTF-8''… (RFC 5987) before filename="…". */
export function fileNameFromDisposition(h: string | null | undefined): string | undefined {
  if (!h) return undefined;
  const star = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(h);
  if (star) {
    try {
      const v = decodeURIComponent(star[2].trim().replace(/^"|"$/g, ''));
      if (v) return cleanFileName(v);
    } catch {
      // A badly encoded name: try the plain parameter.
    }
  }
  const plain = /filename\s*=\s*("((?:[^"\\]|\\.)*)"|[^;]+)/i.exec(h);
  if (plain) {
    const v = (plain[2] !== undefined ? plain[2].replace(/\\(.)/g, '$1') : plain[1]).trim();
    if (v) return cleanFileName(v);
  }
  return undefined;
}

/** The last path segment, or a query value that names a file (…?file=to-trinh.pdf), decoded. */
export function fileNameFromUrl(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  for (const v of u.searchParams.values()) if (/\.pdf$/i.test(v)) return cleanFileName(v.split(/[\\/]/).pop() ?? v);
  const seg = u.pathname.split('/').filter(Boolean).pop();
  if (!seg) return undefined;
  try {
    return cleanFileName(decodeURIComponent(seg));
  } catch {
    return cleanFileName(seg);
  }
}

/** No path separators or control characters; NFC so lengths count what the user sees. */
export function cleanFileName(name: string): string {
  return name
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(/[\\/]/g, '_')
    .trim();
}
