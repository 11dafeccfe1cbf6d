// The demo portal over HTTP: the session cookie guards every document, iOffice's download.jsp answers like the real
// one (PDF as an attachment, the name only in Content-Disposition), uploads round-trip and become what the
// document's link serves, bodies above 50 MB are refused, and the server listens on 127.0.0.1 only.

import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseMultipart } from '../../scripts/demo/portal/multipart.ts';
import { startDemoPortal, type DemoPortal } from '../../scripts/demo/portal/server.ts';

let portal: DemoPortal;
beforeEach(async () => {
  portal = await startDemoPortal();
});
afterEach(async () => {
  await portal.close();
});

async function login(): Promise<string> {
  const r = await fetch(`${portal.url}/`);
  const set = r.headers.get('set-cookie') ?? '';
  expect(set).toMatch(/^PORTALSESSION=[\w-]{16,}; HttpOnly; SameSite=Lax; Path=\/$/);
  return set.split(';')[0];
}

const bytesOf = async (r: Response) => new Uint8Array(await r.arrayBuffer());
const ascii = (b: Uint8Array, n = 5) => Buffer.from(b.subarray(0, n)).toString('latin1');

function form(field: string, name: string, data: Uint8Array, extra: Record<string, string> = {}): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(extra)) f.append(k, v);
  f.append(field, new Blob([data.slice().buffer as ArrayBuffer], { type: 'application/pdf' }), name);
  return f;
}

describe('demo portal', () => {
  it('answers 403 "Phiên đăng nhập đã hết hạn" for documents and uploads without the session cookie', async () => {
    for (const path of ['/qoffice/files/1/du-thao-quyet-dinh.pdf', '/ioffice/download.jsp?fileId=101', '/tthc/files/1/giay-khai-sinh.pdf', '/khac/files/bao-cao.pdf']) {
      const r = await fetch(portal.url + path);
      expect(r.status, path).toBe(403);
      expect(r.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await r.text()).toContain('Phiên đăng nhập đã hết hạn');
    }
    // A made-up cookie is no session either.
    const forged = await fetch(`${portal.url}/qoffice/files/1/du-thao-quyet-dinh.pdf`, { headers: { cookie: 'PORTALSESSION=abc' } });
    expect(forged.status).toBe(403);
    const up = await fetch(`${portal.url}/ioffice/upload.jsp?fileId=101`, { method: 'POST', body: form('file', 'x.pdf', new Uint8Array([1])) });
    expect(up.status).toBe(403);
    expect(portal.uploads()).toHaveLength(0);

    const cookie = await login();
    const ok = await fetch(`${portal.url}/qoffice/files/1/du-thao-quyet-dinh.pdf`, { headers: { cookie } });
    expect(ok.status).toBe(200);
    expect(ascii(await bytesOf(ok))).toBe('%PDF-');
  });

  it('sends pages without a session through the start page (auto-login) and back', async () => {
    const r = await fetch(`${portal.url}/qoffice/van-ban-cho-ban-hanh/1`, { redirect: 'manual' });
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe('/?next=%2Fqoffice%2Fvan-ban-cho-ban-hanh%2F1');
    const back = await fetch(`${portal.url}${r.headers.get('location')}`, { redirect: 'manual' });
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toBe('/qoffice/van-ban-cho-ban-hanh/1');
    expect(back.headers.get('set-cookie')).toMatch(/^PORTALSESSION=/);
  });

  it('serves the pages of the DOM contract', async () => {
    const cookie = await login();
    const get = async (p: string) => (await fetch(portal.url + p, { headers: { cookie } })).text();
    const q = await get('/qoffice/van-ban-cho-ban-hanh/1');
    expect(q).toContain('Chi tiết văn bản chờ ban hành');
    expect(q).toContain('<a class="file-link" href="/qoffice/files/1/du-thao-quyet-dinh.pdf">du-thao-quyet-dinh.pdf</a>');
    expect(q).toContain('<form id="frmBanHanh" method="post" action="/qoffice/van-ban-cho-ban-hanh/1/ban-hanh" enctype="multipart/form-data">');
    expect(q).toContain('<input type="file" name="fileVanBanDi" id="fileVanBanDi" accept=".pdf,.docx,.doc">');
    expect(q).toContain('<input name="soVanBan" value="125">');
    expect(q).toContain('<option selected>/QĐ-UBND</option>');
    expect(q).toContain('@2019 - QOffice - Hệ thống Quản lý văn bản điều hành Tỉnh Quảng Nam');
    expect(await get('/ioffice/')).toContain('<iframe id="mainFrame" name="mainFrame" src="/ioffice/vb-cho-duyet.jsp"');
    // iOffice's rows come by script: the frame's HTML has none.
    const frame = await get('/ioffice/vb-cho-duyet.jsp');
    expect(frame).toContain('id="tblVbChoDuyet"');
    expect(frame).toContain('id="btnTrangSau"');
    expect(frame).not.toMatch(/download\.jsp\?fileId=\d/);
    const p1 = JSON.parse(await get('/ioffice/api/vb-cho-duyet?page=1')) as { rows: { fileId: string }[]; pages: number };
    const p2 = JSON.parse(await get('/ioffice/api/vb-cho-duyet?page=2')) as { rows: { fileId: string }[] };
    expect(p1.rows.map((r) => r.fileId)).toEqual(['101', '102']);
    expect(p2.rows.map((r) => r.fileId)).toEqual(['103']);
    const t = await get('/tthc/ho-so/1');
    expect(t).toContain('HỆ THỐNG THÔNG TIN GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TỈNH KON TUM');
    expect(t).toMatch(/<div id="popupChungThuc" hidden>/);
    expect(t).toContain('<input name="soChungThuc" value="125">');
    expect(t).toContain('<button type="button" class="btn-chung-thuc">Chứng thực điện tử</button>');
    expect(await get('/khac/tai-lieu')).toContain('<embed type="application/pdf" src="/khac/files/phu-luc.pdf">');
  });

  it("download.jsp answers application/pdf as an attachment named only in Content-Disposition", async () => {
    const cookie = await login();
    const r = await fetch(`${portal.url}/ioffice/download.jsp?fileId=101`, { headers: { cookie } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/pdf');
    expect(r.headers.get('content-disposition')).toBe(`attachment; filename="Du thao thong bao ket luan.pdf"; filename*=UTF-8''Du%20thao%20thong%20bao%20ket%20luan.pdf`);
    expect(r.headers.get('cache-control')).toBe('no-store');
    const pdf = await bytesOf(r);
    expect(ascii(pdf)).toBe('%PDF-');
    expect(Number(r.headers.get('content-length'))).toBe(pdf.length);
    expect((await fetch(`${portal.url}/ioffice/download.jsp?fileId=999`, { headers: { cookie } })).status).toBe(404);
  });

  it('keeps uploads (bytes, name, form fields) and lists them at /__demo/uploads', async () => {
    const cookie = await login();
    const signed = new Uint8Array([...Buffer.from('%PDF-1.7\n'), 0, 13, 10, 255, ...Buffer.from('\r\n--tail')]);
    const r = await fetch(`${portal.url}/qoffice/van-ban-cho-ban-hanh/1/ban-hanh`, {
      method: 'POST',
      headers: { cookie },
      body: form('fileVanBanDi', 'du-thao-quyet-dinh.signed.pdf', signed, { soVanBan: '125', kyHieu: '/QĐ-UBND', diaDiem: 'Quảng Nam' }),
    });
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('Đã ban hành');
    const r2 = await fetch(`${portal.url}/ioffice/upload.jsp?fileId=102`, { method: 'POST', headers: { cookie }, body: form('file', 'VV don doc.pdf', new Uint8Array([7, 8, 9])) });
    expect(await r2.json()).toEqual({ ok: true, fileId: '102', name: 'VV don doc.pdf', size: 3 });

    const list = (await (await fetch(`${portal.url}/__demo/uploads`)).json()) as { index: number; portal: string; docId: string; name: string; size: number; fields: Record<string, string> }[];
    expect(list.map(({ index, portal: p, docId, name, size }) => ({ index, p, docId, name, size }))).toEqual([
      { index: 0, p: 'qoffice', docId: '1', name: 'du-thao-quyet-dinh.signed.pdf', size: signed.length },
      { index: 1, p: 'ioffice', docId: '102', name: 'VV don doc.pdf', size: 3 },
    ]);
    expect(list[0].fields).toMatchObject({ soVanBan: '125', kyHieu: '/QĐ-UBND', diaDiem: 'Quảng Nam' });
    expect(await bytesOf(await fetch(`${portal.url}/__demo/uploads/0`))).toEqual(signed);
    expect(portal.uploads()[1].bytes).toEqual(new Uint8Array([7, 8, 9]));
    // The form without a file stores nothing.
    const empty = new FormData();
    empty.append('soVanBan', '125');
    const r3 = await fetch(`${portal.url}/qoffice/van-ban-cho-ban-hanh/1/ban-hanh`, { method: 'POST', headers: { cookie }, body: empty });
    expect(r3.status).toBe(400);
    expect(portal.uploads()).toHaveLength(2);
  });

  it("serves the newest upload at the document's link and marks it signed", async () => {
    const cookie = await login();
    const doc = `${portal.url}/qoffice/files/1/du-thao-quyet-dinh.pdf`;
    const original = await bytesOf(await fetch(doc, { headers: { cookie } }));
    const first = new Uint8Array([...original, ...Buffer.from('\n% leader\n')]);
    const second = new Uint8Array([...first, ...Buffer.from('\n% clerk\n')]);
    for (const b of [first, second]) {
      await fetch(`${portal.url}/qoffice/van-ban-cho-ban-hanh/1/ban-hanh`, { method: 'POST', headers: { cookie }, body: form('fileVanBanDi', 'x.signed.pdf', b) });
    }
    expect(await bytesOf(await fetch(doc, { headers: { cookie } }))).toEqual(second);
    expect(await (await fetch(`${portal.url}/qoffice/van-ban-cho-ban-hanh/1`, { headers: { cookie } })).text()).toContain('Đã ký số');

    await fetch(`${portal.url}/ioffice/upload.jsp?fileId=101`, { method: 'POST', headers: { cookie }, body: form('file', 'a.pdf', first) });
    expect(await bytesOf(await fetch(`${portal.url}/ioffice/download.jsp?fileId=101`, { headers: { cookie } }))).toEqual(first);
    const rows = ((await (await fetch(`${portal.url}/ioffice/api/vb-cho-duyet?page=1`, { headers: { cookie } })).json()) as { rows: { fileId: string; signed: boolean }[] }).rows;
    expect(rows.map((r) => [r.fileId, r.signed])).toEqual([['101', true], ['102', false]]);
    // Other documents still serve their originals.
    expect(ascii(await bytesOf(await fetch(`${portal.url}/ioffice/download.jsp?fileId=102`, { headers: { cookie } })))).toBe('%PDF-');
  });

  it('refuses bodies above 50 MB with 413, declared or streamed', async () => {
    const cookie = await login();
    const port = new URL(portal.url).port;
    const post = (headers: Record<string, string | number>, body: (write: (b: Buffer) => boolean) => void) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/ioffice/upload.jsp?fileId=101', headers: { cookie, 'content-type': 'multipart/form-data; boundary=XyZ', ...headers } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        body((b) => req.write(b));
        req.end();
      });
    // Content-Length above the limit: refused before reading.
    expect(await post({ 'content-length': 50 * 1024 * 1024 + 1 }, () => undefined)).toBe(413);
    // Chunked, no length: refused once the count passes the limit.
    const mb = Buffer.alloc(1024 * 1024, 0x41);
    expect(await post({ 'transfer-encoding': 'chunked' }, (w) => {
      w(Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n\r\n'));
      for (let i = 0; i < 51; i++) w(mb);
    })).toBe(413);
    expect(portal.uploads()).toHaveLength(0);
  });

  it('listens on 127.0.0.1 only', async () => {
    expect(portal.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const port = Number(new URL(portal.url).port);
    const reach = (host: string) =>
      new Promise<boolean>((resolve) => {
        const s = connect({ host, port });
        s.once('connect', () => (s.destroy(), resolve(true)));
        s.once('error', () => resolve(false));
      });
    expect(await reach('127.0.0.1')).toBe(true);
    expect(await reach('::1')).toBe(false);
    const others = Object.values(networkInterfaces()).flat().filter((i) => i && !i.internal && i.family === 'IPv4');
    for (const i of others) expect(await reach(i!.address), i!.address).toBe(false);
  });
});

describe('multipart reader', () => {
  it('reads names, UTF-8 and RFC 5987 file names, and binary data holding CR LF and dashes', () => {
    const data = Buffer.from([0x25, 0x50, 0x0d, 0x0a, 0x2d, 0x2d, 0x00, 0xff]);
    const body = Buffer.concat([
      Buffer.from('--b1\r\nContent-Disposition: form-data; name="soVanBan"\r\n\r\n125\r\n'),
      Buffer.from(`--b1\r\nContent-Disposition: form-data; name="fileVanBanDi"; filename="Dự thảo.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
      data,
      Buffer.from(`\r\n--b1\r\nContent-Disposition: form-data; name="f2"; filename="x"; filename*=UTF-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh.pdf\r\n\r\n\r\n--b1--\r\n`),
    ]);
    const parts = parseMultipart(body, 'b1');
    expect(parts.map((p) => [p.name, p.fileName, p.contentType])).toEqual([
      ['soVanBan', undefined, undefined],
      ['fileVanBanDi', 'Dự thảo.pdf', 'application/pdf'],
      ['f2', 'Quyết định.pdf', undefined],
    ]);
    expect(parts[0].data.toString()).toBe('125');
    expect(new Uint8Array(parts[1].data)).toEqual(new Uint8Array(data));
    expect(parts[2].data.length).toBe(0);
    expect(() => parseMultipart(Buffer.from('--b1\r\nContent-Disposition: form-data; name="a"\r\n\r\nno end'), 'b1')).toThrow();
  });
});
