// The demo portal (`npm start`, the e2e tests): Q-Office-, VNPT-iOffice- and Kon Tum-like pages on 127.0.0.1 with
// a session cookie, documents made in memory, and uploads kept in memory (listed at /__demo/uploads). Once a file
// is uploaded for a document, the document's link serves the newest upload (the clerk then issues the file the
// leader signed). The DOM contract with the portal adapters: /work/notes/demo-portal.md.

import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { IOFFICE_DRAFTS, makeDemoFiles, type DemoFile } from './documents.ts';
import { messagePage } from './html.ts';
import { BadMultipartError, BodyTooLargeError, MAX_BODY_BYTES, boundaryOf, parseMultipart, readBody, textFields, type FormPart } from './multipart.ts';
import { genericPage } from './pages/generic.ts';
import { homePage } from './pages/home.ts';
import { iofficeFrame, iofficeShell } from './pages/ioffice.ts';
import { qofficePage } from './pages/qoffice.ts';
import { tthcPage } from './pages/tthc.ts';

export type PortalName = 'qoffice' | 'ioffice' | 'tthc';

export interface Upload {
  portal: PortalName;
  docId: string;
  fileName: string;
  bytes: Uint8Array;
  receivedAt: string;
  /** The form's other fields (Q-Office's number and date, the one-stop portal's book and number). */
  fields: Record<string, string>;
}

export interface DemoPortalOptions {
  /** 0 (default): any free port. */
  port?: number;
  /** When given, every upload is also written to <dataDir>/<n>-<portal>-<docId>-<name>. */
  dataDir?: string;
}

export interface DemoPortal {
  /** http://127.0.0.1:PORT */
  url: string;
  close(): Promise<void>;
  uploads(): Upload[];
}

export const SESSION_COOKIE = 'PORTALSESSION';
const SESSION_EXPIRED = 'Phiên đăng nhập đã hết hạn';
const PAGE_SIZE = 2;

function sessionOf(req: IncomingMessage): string | undefined {
  for (const c of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = c.trim().split('=');
    if (k === SESSION_COOKIE) return v.join('=');
  }
  return undefined;
}

function send(res: ServerResponse, status: number, type: string, body: string | Uint8Array, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...headers });
  res.end(body);
}

const html = (res: ServerResponse, body: string, status = 200) => send(res, status, 'text/html; charset=utf-8', body);
const json = (res: ServerResponse, body: unknown, status = 200) => send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));

/** RFC 6266: an ASCII fallback plus the UTF-8 name. */
function disposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export async function startDemoPortal(opts: DemoPortalOptions = {}): Promise<DemoPortal> {
  const files = makeDemoFiles();
  const sessions = new Set<string>();
  const uploads: Upload[] = [];
  /** "<portal>:<docId>" → index of the newest upload for it. */
  const newest = new Map<string, number>();
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });

  const current = (key: string): DemoFile | undefined => {
    const original = files.get(key);
    const i = newest.get(key);
    if (i === undefined || !original) return original;
    return { fileName: original.fileName, contentType: 'application/pdf', bytes: uploads[i].bytes };
  };
  const isSigned = (key: string) => newest.has(key);

  function store(portal: PortalName, docId: string, part: FormPart, fields: Record<string, string>): Upload {
    const up: Upload = { portal, docId, fileName: part.fileName || 'tep-tai-len.pdf', bytes: new Uint8Array(part.data), receivedAt: new Date().toISOString(), fields };
    uploads.push(up);
    newest.set(`${portal}:${docId}`, uploads.length - 1);
    if (opts.dataDir) {
      const safe = up.fileName.replace(/[/\\\0]/g, '_');
      writeFileSync(join(opts.dataDir, `${uploads.length - 1}-${portal}-${docId}-${safe}`), up.bytes);
    }
    return up;
  }

  /** Reads a multipart form; answers 413 / 400 itself and returns null then. */
  async function readForm(req: IncomingMessage, res: ServerResponse): Promise<FormPart[] | null> {
    const boundary = boundaryOf(req.headers['content-type']);
    if (!boundary) {
      req.resume();
      html(res, messagePage('Lỗi tải lên', 'Biểu mẫu phải gửi dạng multipart/form-data.'), 400);
      return null;
    }
    try {
      return parseMultipart(await readBody(req, MAX_BODY_BYTES), boundary);
    } catch (e) {
      if (e instanceof BodyTooLargeError) {
        res.setHeader('Connection', 'close');
        html(res, messagePage('Tệp quá lớn', 'Dung lượng tối đa 50 MB mỗi tệp.'), 413);
      } else if (e instanceof BadMultipartError) html(res, messagePage('Lỗi tải lên', 'Dữ liệu tải lên không hợp lệ.'), 400);
      else throw e;
      return null;
    }
  }

  function serveFile(res: ServerResponse, key: string, kind: 'inline' | 'attachment'): void {
    const f = current(key);
    if (!f) return html(res, messagePage('Không tìm thấy', 'Tệp không tồn tại.'), 404);
    send(res, 200, f.contentType, f.bytes, { 'Content-Disposition': disposition(kind, f.fileName), 'Content-Length': String(f.bytes.length) });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const session = sessionOf(req);
    const loggedIn = session !== undefined && sessions.has(session);

    // Test hooks, outside the portal's session.
    if (path === '/__demo/uploads' && method === 'GET') {
      return json(res, uploads.map((u, index) => ({ index, portal: u.portal, docId: u.docId, name: u.fileName, size: u.bytes.length, receivedAt: u.receivedAt, fields: u.fields })));
    }
    const upMatch = /^\/__demo\/uploads\/(\d+)$/.exec(path);
    if (upMatch && method === 'GET') {
      const u = uploads[Number(upMatch[1])];
      if (!u) return json(res, { error: 'no such upload' }, 404);
      return send(res, 200, 'application/pdf', u.bytes, { 'Content-Disposition': disposition('attachment', u.fileName) });
    }
    if (path === '/favicon.ico') return send(res, 204, 'image/x-icon', '');

    // Auto-login: the start page opens a session for the demo user, then goes where it was asked to.
    if (path === '/' && method === 'GET') {
      if (!loggedIn) {
        const id = randomBytes(18).toString('base64url');
        sessions.add(id);
        res.setHeader('Set-Cookie', `${SESSION_COOKIE}=${id}; HttpOnly; SameSite=Lax; Path=/`);
      }
      const next = url.searchParams.get('next');
      if (next && next.startsWith('/') && !next.startsWith('//')) {
        res.writeHead(302, { Location: next, 'Cache-Control': 'no-store' });
        return void res.end();
      }
      return html(res, homePage());
    }

    const isPage = method === 'GET' && /^\/(qoffice\/van-ban-cho-ban-hanh\/1|ioffice\/?|ioffice\/vb-cho-duyet\.jsp|tthc\/ho-so\/1|khac\/tai-lieu)$/.test(path);
    if (!loggedIn) {
      req.resume();
      if (isPage) {
        // Like a portal sending an expired session to its login page, which here signs the demo user in again.
        res.writeHead(302, { Location: `/?next=${encodeURIComponent(path + url.search)}`, 'Cache-Control': 'no-store' });
        return void res.end();
      }
      if (path.startsWith('/ioffice/api/') || path === '/ioffice/upload.jsp') return json(res, { ok: false, error: SESSION_EXPIRED }, 403);
      return html(res, messagePage(SESSION_EXPIRED, 'Vui lòng đăng nhập lại.', { href: '/', label: 'Đăng nhập' }), 403);
    }

    // Q-Office
    if (method === 'GET' && path === '/qoffice/van-ban-cho-ban-hanh/1') {
      const i = newest.get('qoffice:1');
      return html(res, qofficePage({ signed: isSigned('qoffice:1'), uploadedName: i === undefined ? undefined : uploads[i].fileName }));
    }
    if (method === 'GET' && path === '/qoffice/files/1/du-thao-quyet-dinh.pdf') return serveFile(res, 'qoffice:1', 'inline');
    if (method === 'GET' && path === '/qoffice/files/1/kysocopy.docx') return serveFile(res, 'qoffice:1:docx', 'attachment');
    if (method === 'POST' && path === '/qoffice/van-ban-cho-ban-hanh/1/ban-hanh') {
      const parts = await readForm(req, res);
      if (!parts) return;
      const file = parts.find((p) => p.name === 'fileVanBanDi' && p.fileName && p.data.length > 0);
      const fields = textFields(parts);
      if (!file) return html(res, messagePage('Chưa đủ thông tin', 'Vui lòng đính kèm file văn bản đi.', { href: '/qoffice/van-ban-cho-ban-hanh/1', label: '< Quay lại' }), 400);
      const up = store('qoffice', '1', file, fields);
      const number = `${fields.soVanBan ?? ''}${fields.kyHieu ?? ''}`;
      return html(res, messagePage('Đã ban hành', `Văn bản ${number} đã được ban hành ngày ${fields.ngayBanHanh ?? ''}. File văn bản đi: ${up.fileName} (${Math.ceil(up.bytes.length / 1024)} KB).`, { href: '/qoffice/van-ban-cho-ban-hanh/1', label: 'Xem văn bản' }));
    }

    // VNPT-iOffice
    if (method === 'GET' && path === '/ioffice') {
      res.writeHead(301, { Location: '/ioffice/' });
      return void res.end();
    }
    if (method === 'GET' && path === '/ioffice/') return html(res, iofficeShell());
    if (method === 'GET' && path === '/ioffice/vb-cho-duyet.jsp') return html(res, iofficeFrame());
    if (method === 'GET' && path === '/ioffice/api/vb-cho-duyet') {
      const page = Math.max(1, Number(url.searchParams.get('page')) || 1);
      const pages = Math.max(...IOFFICE_DRAFTS.map((d) => d.page));
      const rows = IOFFICE_DRAFTS.filter((d) => d.page === page).map((d) => ({
        fileId: d.fileId,
        label: d.label,
        trichYeu: d.trichYeu,
        soKyHieu: d.soKyHieu,
        doKhan: d.doKhan,
        doKhanClass: { 'Bình thường': '', Khẩn: 'khan', 'Thượng khẩn': 'thuong-khan' }[d.doKhan],
        ngayNhan: d.ngayNhan,
        signed: isSigned(`ioffice:${d.fileId}`),
      }));
      return json(res, { page, pages, pageSize: PAGE_SIZE, total: IOFFICE_DRAFTS.length, rows });
    }
    if (method === 'GET' && path === '/ioffice/download.jsp') return serveFile(res, `ioffice:${url.searchParams.get('fileId') ?? ''}`, 'attachment');
    if (method === 'POST' && path === '/ioffice/upload.jsp') {
      const fileId = url.searchParams.get('fileId') ?? '';
      if (!files.has(`ioffice:${fileId}`)) {
        req.resume();
        return json(res, { ok: false, error: 'Không tìm thấy văn bản' }, 404);
      }
      const parts = await readForm(req, res);
      if (!parts) return;
      const file = parts.find((p) => p.name === 'file' && p.fileName !== undefined && p.data.length > 0);
      if (!file) return json(res, { ok: false, error: 'Thiếu tệp (trường file)' }, 400);
      const up = store('ioffice', fileId, file, textFields(parts));
      return json(res, { ok: true, fileId, name: up.fileName, size: up.bytes.length });
    }

    // One-stop (TTHC)
    if (method === 'GET' && path === '/tthc/ho-so/1') return html(res, tthcPage({ signed: isSigned('tthc:1') }));
    if (method === 'GET' && path === '/tthc/files/1/giay-khai-sinh.pdf') return serveFile(res, 'tthc:1', 'inline');
    if (method === 'POST' && path === '/tthc/ho-so/1/ket-qua') {
      const parts = await readForm(req, res);
      if (!parts) return;
      const file = parts.find((p) => p.name === 'fileKetQua' && p.fileName && p.data.length > 0);
      const fields = textFields(parts);
      if (!file) return html(res, messagePage('Chưa đủ thông tin', 'Vui lòng chọn tệp kết quả.', { href: '/tthc/ho-so/1', label: 'Quay lại' }), 400);
      const up = store('tthc', '1', file, fields);
      return html(res, messagePage('Đã áp dụng kết quả chứng thực', `Số chứng thực ${fields.soChungThuc ?? ''}, quyển số ${fields.quyenSo ?? ''}: ${up.fileName}.`, { href: '/tthc/ho-so/1', label: 'Quay lại hồ sơ' }));
    }

    // Generic page
    if (method === 'GET' && path === '/khac/tai-lieu') return html(res, genericPage());
    const generic = /^\/khac\/files\/([a-z0-9-]+\.pdf)$/.exec(path);
    if (method === 'GET' && generic) return serveFile(res, `khac:${generic[1]}`, 'inline');

    req.resume();
    html(res, messagePage('Không tìm thấy trang', path), 404);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) html(res, messagePage('Lỗi máy chủ', String(e)), 500);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    uploads: () => [...uploads],
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
