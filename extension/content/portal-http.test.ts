// The content script's requests against a real HTTP server on 127.0.0.1: the probe (HEAD, then a ranged GET when
// HEAD is refused or says nothing; one request per URL), the document fetch (session cookie required, login pages
// and other files refused with the right code) and the upload POST (multipart, the adapter's field name).

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isKysoError } from '@kyso/shared/protocol/errors';
import { toBase64 } from '@kyso/shared/pki/base64';
import { deliverSigned } from './deliver.ts';
import { fetchPdf } from './fetch-document.ts';
import { PdfProbe } from './find-pdfs.ts';

const PDF = Buffer.from('%PDF-1.7\n% test document\n%%EOF\n');
interface Seen {
  method: string;
  path: string;
  range?: string;
  cookie?: string;
}
interface Upload {
  path: string;
  field: string;
  name: string;
  type: string;
  bytes: Buffer;
  extra: Record<string, string>;
}

let server: Server;
let origin = '';
const seen: Seen[] = [];
const uploads: Upload[] = [];

async function body(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    seen.push({ method: req.method ?? '', path: url.pathname + url.search, range: req.headers.range, cookie: req.headers.cookie });
    const p = url.pathname;
    if (p === '/download.jsp') {
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent('Dự thảo.pdf')}` });
      return res.end(req.method === 'HEAD' ? undefined : PDF);
    }
    if (p === '/no-head.jsp') {
      // Old servlets: HEAD not allowed; octet-stream for every file.
      if (req.method === 'HEAD') return res.writeHead(405).end();
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      return res.end(Buffer.concat([PDF, Buffer.alloc(200_000)]));
    }
    if (p === '/octet.jsp') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      return res.end(req.method === 'HEAD' ? undefined : Buffer.from('PK\u0003\u0004 a zip file'));
    }
    if (p === '/page.jsp') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end('<html></html>');
    }
    if (p === '/doc.pdf') {
      if (!(req.headers.cookie ?? '').includes('SESSION=1')) {
        res.writeHead(403, { 'content-type': 'text/html; charset=utf-8' });
        return res.end('Phiên đăng nhập đã hết hạn');
      }
      res.writeHead(200, { 'content-type': 'application/pdf' });
      return res.end(PDF);
    }
    if (p === '/expired.pdf') {
      res.writeHead(302, { location: '/dang-nhap?next=/expired.pdf' });
      return res.end();
    }
    if (p === '/dang-nhap') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end('<form>Đăng nhập</form>');
    }
    if (p === '/image.png') {
      res.writeHead(200, { 'content-type': 'image/png' });
      return res.end(Buffer.from('\x89PNG....'));
    }
    if (p === '/upload.jsp' && req.method === 'POST') {
      const raw = await body(req);
      const form = await new Request('http://x/', { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? '' }, body: new Uint8Array(raw) }).formData();
      const extra: Record<string, string> = {};
      for (const [k, v] of form.entries()) {
        if (typeof v === 'string') extra[k] = v;
        else uploads.push({ path: p + url.search, field: k, name: v.name, type: v.type, bytes: Buffer.from(await v.arrayBuffer()), extra });
      }
      const ok = url.searchParams.get('fileId') !== 'bad';
      res.writeHead(ok ? 200 : 500, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ ok }));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
});

const fetchWith = (cookie?: string) => (input: string, init?: RequestInit) =>
  fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...(cookie ? { cookie } : {}) } });

const countFor = (path: string) => seen.filter((s) => s.path === path).length;

describe('PdfProbe', () => {
  it('HEAD answering application/pdf is enough; the name comes from Content-Disposition; asked once per URL', async () => {
    const probe = new PdfProbe(fetchWith());
    const r1 = await probe.check(`${origin}/download.jsp?fileId=1`);
    const r2 = await probe.check(`${origin}/download.jsp?fileId=1`);
    expect(r1).toEqual({ pdf: true, fileName: 'Dự thảo.pdf' });
    expect(r2).toBe(r1);
    expect(seen.filter((s) => s.path === '/download.jsp?fileId=1').map((s) => s.method)).toEqual(['HEAD']);
  });

  it('HEAD refused: a GET of the first 1024 bytes decides by %PDF-', async () => {
    const probe = new PdfProbe(fetchWith());
    expect(await probe.check(`${origin}/no-head.jsp?id=2`)).toEqual({ pdf: true, fileName: undefined });
    const get = seen.find((s) => s.path === '/no-head.jsp?id=2' && s.method === 'GET');
    expect(get?.range).toBe('bytes=0-1023');
  });

  it('at most maxInFlight requests at a time, every URL answered', async () => {
    let inFlight = 0;
    let most = 0;
    const counting = async (input: string, init?: RequestInit) => {
      inFlight++;
      most = Math.max(most, inFlight);
      try {
        await new Promise((r) => setTimeout(r, 20));
        return await fetch(input, init);
      } finally {
        inFlight--;
      }
    };
    const probe = new PdfProbe(counting, 3);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => probe.check(`${origin}/download.jsp?fileId=${100 + i}`)));
    expect(results.every((r) => r.pdf)).toBe(true);
    expect(most).toBe(3);
  });

  it('octet-stream that is not a PDF, an HTML page, a 404: not PDFs', async () => {
    const probe = new PdfProbe(fetchWith());
    expect((await probe.check(`${origin}/octet.jsp?id=3`)).pdf).toBe(false);
    expect((await probe.check(`${origin}/page.jsp`)).pdf).toBe(false);
    expect(countFor('/page.jsp')).toBe(1); // text/html from HEAD: no GET
    expect((await probe.check(`${origin}/missing.jsp`)).pdf).toBe(false);
    expect((await probe.check('http://127.0.0.1:1/refused')).pdf).toBe(false);
  });
});

describe('fetchPdf (fetchDocument)', () => {
  it('the PDF with the session cookie; its name from the URL', async () => {
    const d = await fetchPdf(`${origin}/doc.pdf`, fetchWith('SESSION=1'));
    expect(Buffer.from(d.bytes).equals(PDF)).toBe(true);
    expect(d.name).toBe('doc.pdf');
    expect(d.contentType).toBe('application/pdf');
  });

  it('HTTP 403 (no session) and a redirect to the login page: DOCUMENT_FETCH_FAILED', async () => {
    await expect(fetchPdf(`${origin}/doc.pdf`, fetchWith())).rejects.toSatisfy((e) => isKysoError(e, 'DOCUMENT_FETCH_FAILED') && /403/.test((e as Error).message));
    await expect(fetchPdf(`${origin}/expired.pdf`, fetchWith())).rejects.toSatisfy((e) => isKysoError(e, 'DOCUMENT_FETCH_FAILED'));
  });

  it('something else than a PDF: NOT_A_PDF; no server: DOCUMENT_FETCH_FAILED; not http(s): BAD_MESSAGE', async () => {
    await expect(fetchPdf(`${origin}/image.png`, fetchWith())).rejects.toSatisfy((e) => isKysoError(e, 'NOT_A_PDF'));
    // A network error is marked: the extension page then tries the document itself (a CORS refusal looks the same).
    await expect(fetchPdf('http://127.0.0.1:1/x.pdf', fetchWith())).rejects.toSatisfy((e) => isKysoError(e, 'DOCUMENT_FETCH_FAILED') && e.details?.network === true);
    await expect(fetchPdf(`${origin}/doc.pdf`, fetchWith())).rejects.toSatisfy((e) => isKysoError(e, 'DOCUMENT_FETCH_FAILED') && e.details?.network === undefined);
    await expect(fetchPdf('file:///etc/passwd', fetchWith())).rejects.toSatisfy((e) => isKysoError(e, 'BAD_MESSAGE'));
  });
});

describe('deliverSigned to an upload URL', () => {
  const doc = () => ({ baseURI: `${origin}/ioffice/vb-cho-duyet.jsp`, querySelector: () => null }) as unknown as Document;
  const signed = Buffer.from('%PDF-1.7 signed bytes');

  it('multipart POST with the adapter\'s field name, the file\'s name and type, the extra fields', async () => {
    const r = await deliverSigned(
      { name: 'Du thao.signed.pdf', data: toBase64(signed), target: { kind: 'url', url: `${origin}/upload.jsp?fileId=101`, field: 'file', extra: { loai: 'ky-so' } } },
      { doc: doc(), fetchFn: fetchWith('SESSION=1') },
    );
    expect(r.how).toBe('url');
    expect(r.detail).toContain('Du thao.signed.pdf');
    const up = uploads.find((u) => u.path === '/upload.jsp?fileId=101');
    expect(up).toMatchObject({ field: 'file', name: 'Du thao.signed.pdf', type: 'application/pdf', extra: { loai: 'ky-so' } });
    expect(up!.bytes.equals(signed)).toBe(true);
    expect(seen.find((s) => s.path === '/upload.jsp?fileId=101')?.cookie).toBe('SESSION=1');
  });

  it('a failing upload or another origin: UPLOAD_FAILED; no target: how none', async () => {
    const data = toBase64(signed);
    await expect(deliverSigned({ name: 'a.signed.pdf', data, target: { kind: 'url', url: `${origin}/upload.jsp?fileId=bad`, field: 'file' } }, { doc: doc(), fetchFn: fetchWith() })).rejects.toSatisfy(
      (e) => isKysoError(e, 'UPLOAD_FAILED') && /500/.test((e as Error).message),
    );
    await expect(deliverSigned({ name: 'a.signed.pdf', data, target: { kind: 'url', url: 'https://elsewhere.example/upload', field: 'file' } }, { doc: doc(), fetchFn: fetchWith() })).rejects.toSatisfy(
      (e) => isKysoError(e, 'UPLOAD_FAILED'),
    );
    expect(seen.some((s) => s.path.includes('elsewhere'))).toBe(false);
    expect(await deliverSigned({ name: 'a.signed.pdf', data, target: { kind: 'none' } }, { doc: doc() })).toMatchObject({ how: 'none' });
  });
});
