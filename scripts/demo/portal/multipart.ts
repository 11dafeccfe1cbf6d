// A small multipart/form-data reader for the demo portal: the whole body is read into memory (bounded, the way a
// portal limits uploads to 50 MB), then split at the boundary. Enough for browsers' form posts and FormData.

import type { IncomingMessage } from 'node:http';

/** iOffice's "Tối đa 50Mb/file"; a body above it is refused before it is read to the end. */
export const MAX_BODY_BYTES = 50 * 1024 * 1024;

export interface FormPart {
  name: string;
  /** Present for file fields (possibly '' when the user chose no file). */
  fileName?: string;
  contentType?: string;
  data: Buffer;
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Request body larger than ${limit} bytes`);
  }
}

export class BadMultipartError extends Error {}

/** Reads the request body, failing as soon as it passes `limit` (also when Content-Length says so up front). */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > limit) {
      req.resume();
      reject(new BodyTooLargeError(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        chunks.length = 0;
        // Keep draining so the client can read our 413 instead of a reset connection.
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (e) => {
      if (!failed) reject(e);
    });
  });
}

/** The boundary of a multipart/form-data Content-Type, or null. */
export function boundaryOf(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/form-data\b/i.test(contentType)) return null;
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const b = m?.[1] ?? m?.[2];
  return b && b.length <= 200 ? b : null;
}

/** Reads `name="…"` and `filename="…"` (or RFC 5987 filename*=UTF-8''…) from a Content-Disposition header. */
function dispositionParams(value: string): { name?: string; fileName?: string } {
  const out: { name?: string; fileName?: string } = {};
  const re = /;\s*([a-z*]+)=(?:"((?:[^"\\]|\\.)*)"|([^;]*))/gi;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    const key = m[1].toLowerCase();
    const raw = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3].trim();
    if (key === 'name') out.name = raw;
    else if (key === 'filename' && out.fileName === undefined) out.fileName = raw;
    else if (key === 'filename*') {
      const ext = /^UTF-8''(.*)$/i.exec(raw);
      if (ext) {
        try {
          out.fileName = decodeURIComponent(ext[1]);
        } catch {
          // Keep the plain filename.
        }
      }
    }
  }
  return out;
}

/** Splits a multipart/form-data body into its parts. Header bytes are read as UTF-8 (what browsers send). */
export function parseMultipart(body: Buffer, boundary: string): FormPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: FormPart[] = [];
  let at = body.indexOf(delimiter);
  if (at < 0) throw new BadMultipartError('No boundary in the body');
  for (;;) {
    at += delimiter.length;
    // "--" after a delimiter ends the body.
    if (body[at] === 0x2d && body[at + 1] === 0x2d) return parts;
    if (body[at] === 0x0d && body[at + 1] === 0x0a) at += 2;
    else throw new BadMultipartError('Malformed boundary line');
    const headerEnd = body.indexOf('\r\n\r\n', at);
    if (headerEnd < 0) throw new BadMultipartError('Part without headers end');
    const headers = body.subarray(at, headerEnd).toString('utf8').split('\r\n');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) throw new BadMultipartError('Part without closing boundary');
    const part: FormPart = { name: '', data: body.subarray(headerEnd + 4, next) };
    for (const h of headers) {
      const colon = h.indexOf(':');
      if (colon < 0) continue;
      const key = h.slice(0, colon).trim().toLowerCase();
      const value = h.slice(colon + 1).trim();
      if (key === 'content-disposition') {
        const p = dispositionParams(value);
        part.name = p.name ?? '';
        if (p.fileName !== undefined) part.fileName = p.fileName;
      } else if (key === 'content-type') part.contentType = value;
    }
    if (!part.name) throw new BadMultipartError('Part without a name');
    parts.push(part);
    at = next + 2;
  }
}

/** The text fields of a form (last value wins). */
export function textFields(parts: FormPart[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of parts) if (p.fileName === undefined) out[p.name] = p.data.toString('utf8');
  return out;
}
