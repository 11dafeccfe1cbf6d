// The content script in Debian's Chromium on a small portal-like site served on 127.0.0.1 (allowed by default):
// the buttons appear beside a .pdf link, beside a download endpoint that only says application/pdf when asked, and
// inside a frame on a link added after load; a .docx link gets none. Clicking "Ký số" opens the signing page with a
// job that names the right document and frame; from that page the content script fetches the document with the
// portal's cookie and puts a signed file into the portal's file input (a real DataTransfer).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { SHOTS_ROOT, launchWithExtension, type KysoBrowser } from './browser.ts';
import { lockPolicy } from './managed-policy.ts';
import { askContent, buttonUrls as urlsWithButtons, clickAndOpen as openFrom, getJob } from './portal-helpers.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const SESSION = 'PORTALSESSION=demo-123';

const MAIN = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Tài liệu</title></head><body>
<h1>Tài liệu đính kèm</h1>
<p>Báo cáo: <a id="pdf-link" href="/files/bao-cao.pdf">Báo cáo.pdf</a></p>
<p>Tờ trình: <a id="jsp-link" href="/download.jsp?fileId=7">Tờ trình số 7</a></p>
<p>Dự thảo Word: <a id="docx-link" href="/files/du-thao.docx">du-thao.docx</a></p>
<form id="frm"><p>Văn bản đi: <a id="form-link" href="/files/van-ban-di.pdf">van-ban-di.pdf</a></p>
<label for="upl">Đính kèm file văn bản đi</label> <input type="file" id="upl" name="upl" accept=".pdf"></form>
<iframe id="f" src="/frame.html" style="width:600px;height:160px"></iframe>
<script>
  document.getElementById('upl').addEventListener('change', (e) => {
    const f = e.target.files[0];
    document.body.dataset.chosen = f ? f.name + '|' + f.size + '|' + f.type : '';
  });
</script></body></html>`;

const FRAME = `<!doctype html><html lang="vi"><head><meta charset="utf-8"></head><body><div id="list">Đang tải…</div>
<script>setTimeout(() => { document.getElementById('list').innerHTML = '<a id="late" href="/files/phu-luc.pdf">phu-luc.pdf</a>'; }, 800);</script>
</body></html>`;

function portal(): Promise<{ server: Server; origin: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${req.method} ${url.pathname}${url.search} ${req.headers.cookie ?? ''}`);
    const authed = (req.headers.cookie ?? '').includes(SESSION);
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'set-cookie': `${SESSION}; HttpOnly; SameSite=Lax; Path=/` });
      return res.end(MAIN);
    }
    if (url.pathname === '/frame.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(FRAME);
    }
    if (!authed) {
      res.writeHead(403, { 'content-type': 'text/html; charset=utf-8' });
      return res.end('Phiên đăng nhập đã hết hạn');
    }
    if (url.pathname.startsWith('/files/') && url.pathname.endsWith('.pdf')) {
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': PDF.length });
      return res.end(req.method === 'HEAD' ? undefined : PDF);
    }
    if (url.pathname === '/download.jsp') {
      res.writeHead(200, {
        'content-type': 'application/pdf',
        'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent('Tờ trình số 7.pdf')}`,
        'content-length': PDF.length,
      });
      return res.end(req.method === 'HEAD' ? undefined : PDF);
    }
    if (url.pathname.endsWith('.docx')) {
      res.writeHead(200, { 'content-type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
      return res.end('PK');
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests })));
}

let site: Awaited<ReturnType<typeof portal>>;
let kb: KysoBrowser;
/** Other suites write Chromium's machine-wide policy folder (forced install, blocklists): not while this one runs. */
let releasePolicy: (() => void) | undefined;

beforeAll(async () => {
  console.log(`Screenshots: ${SHOTS_ROOT}`);
  site = await portal();
  releasePolicy = await lockPolicy(240_000);
  kb = await launchWithExtension({ host: { kind: 'none' }, name: 'portal-buttons' });
});

afterAll(async () => {
  try {
    await kb?.close();
    await new Promise((r) => site?.server.close(r));
  } finally {
    releasePolicy?.();
  }
});

describe('portal buttons in Chromium', { timeout: 90_000 }, () => {
  let page: Page;

  it('puts one button pair beside each PDF, in the page and in a frame, also for content added later', async () => {
    page = await kb.browser.newPage();
    await page.setViewport({ width: 1000, height: 700 });
    await page.goto(`${site.origin}/`, { waitUntil: 'load' });
    await page.waitForSelector('span.kyso-actions[data-kyso-url$="/download.jsp?fileId=7"]', { timeout: 20_000 });
    await page.waitForSelector('span.kyso-actions[data-kyso-url$="/files/van-ban-di.pdf"]', { timeout: 20_000 });
    const main = await urlsWithButtons(page);
    expect(main.sort()).toEqual([`${site.origin}/download.jsp?fileId=7`, `${site.origin}/files/bao-cao.pdf`, `${site.origin}/files/van-ban-di.pdf`].sort());
    // The buttons sit right after their links, with Vietnamese labels and titles.
    const next = await page.$eval('#pdf-link', (a) => {
      const s = a.nextElementSibling as HTMLElement;
      return { cls: s.className, texts: [...s.querySelectorAll('button')].map((b) => `${b.className}:${b.textContent}:${b.title}`) };
    });
    expect(next.cls).toBe('kyso-actions');
    expect(next.texts[0]).toMatch(/^kyso-sign:Ký số:Ký số tệp PDF/);
    expect(next.texts[1]).toMatch(/^kyso-verify:Kiểm tra:Kiểm tra chữ ký số/);
    expect(await page.$('#docx-link + span.kyso-actions')).toBeNull();
    // The docx was never requested: only download-like links are probed, and .docx is never a PDF.
    expect(site.requests.filter((r) => r.includes('.docx'))).toEqual([]);

    const frame = page.frames().find((f) => f.url().endsWith('/frame.html'));
    expect(frame).toBeDefined();
    await frame!.waitForSelector('#late + span.kyso-actions button.kyso-sign', { timeout: 20_000 });
    expect(await urlsWithButtons(frame!)).toEqual([`${site.origin}/files/phu-luc.pdf`]);

    // Re-rendering does not add a second pair.
    await page.evaluate(() => document.body.append(document.createElement('div')));
    await new Promise((r) => setTimeout(r, 600));
    expect((await urlsWithButtons(page)).length).toBe(3);
    console.log(`buttons: ${await kb.screenshot(page, 'portal-buttons')}`);
  });

  it('"Ký số" on the download endpoint opens the signing page with that document and frame', async () => {
    const { page: sign, jobId } = await openFrom(kb, page, 'span.kyso-actions[data-kyso-url$="/download.jsp?fileId=7"] button.kyso-sign');
    expect(jobId).toMatch(/^[0-9a-f-]{36}$/);
    const job = await getJob(sign, jobId);
    expect(job.document).toEqual({ url: `${site.origin}/download.jsp?fileId=7`, name: 'Tờ trình số 7.pdf' });
    expect(job).toMatchObject({ frameId: 0, pageUrl: `${site.origin}/`, portal: 'generic', action: 'sign', upload: { kind: 'none' } });
    await sign.close();
  });

  it('"Ký số" in the frame records the frame; the page fetches the document through it with the portal cookie', async () => {
    const frame = page.frames().find((f) => f.url().endsWith('/frame.html'))!;
    const { page: sign, jobId } = await openFrom(kb, frame, '#late + span.kyso-actions button.kyso-sign');
    const job = await getJob(sign, jobId);
    expect(job.frameId).toBeGreaterThan(0);
    expect(job.pageUrl).toBe(`${site.origin}/frame.html`);
    expect(job.document).toEqual({ url: `${site.origin}/files/phu-luc.pdf`, name: 'phu-luc.pdf' });

    const fetched = await askContent(sign, job, 'fetchDocument', { jobId, url: job.document.url });
    expect(fetched.ok, JSON.stringify(fetched)).toBe(true);
    expect(fetched.ok && Buffer.from(fetched.result.data, 'base64').equals(PDF)).toBe(true);
    expect(site.requests.some((r) => r.startsWith('GET /files/phu-luc.pdf') && r.includes(SESSION))).toBe(true);
    // A document the portal does not have: a typed error, not a crash.
    const missing = await askContent(sign, job, 'fetchDocument', { jobId, url: `${site.origin}/khong-co/x.pdf` });
    expect(!missing.ok && missing.error.code).toBe('DOCUMENT_FETCH_FAILED');
    await sign.close();
  });

  it('the signed file goes into the file input of the same form (DataTransfer, change event)', async () => {
    const { page: sign, jobId } = await openFrom(kb, page, 'span.kyso-actions[data-kyso-url$="/van-ban-di.pdf"] button.kyso-sign');
    const job = await getJob(sign, jobId);
    expect(job.upload.kind).toBe('input');
    expect(job.upload.kind === 'input' && job.upload.label).toContain('Đính kèm file văn bản đi');
    const data = Buffer.from('%PDF-1.7 signed').toString('base64');
    const delivered = await askContent(sign, job, 'deliverSigned', { jobId, name: 'van-ban-di.signed.pdf', data, target: job.upload });
    expect(delivered.ok, JSON.stringify(delivered)).toBe(true);
    expect(delivered.ok && delivered.result.how).toBe('input');
    expect(delivered.ok && delivered.result.detail).toContain('van-ban-di.signed.pdf');
    expect(await page.$eval('body', (b) => (b as HTMLElement).dataset.chosen)).toBe(`van-ban-di.signed.pdf|${'%PDF-1.7 signed'.length}|application/pdf`);
    await sign.close();
  });

  it('the context menu message (jobForLink), sent from the service worker, opens the job for a link', async () => {
    const sw = await kb.browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${kb.extensionId}/`), { timeout: 10_000 });
    const worker = (await sw.worker())!;
    const before = new Set(kb.browser.targets());
    const opened = kb.browser.waitForTarget((t) => !before.has(t) && t.url().startsWith(`chrome-extension://${kb.extensionId}/pages/sign/index.html?job=`), { timeout: 20_000 });
    const reply = (await worker.evaluate(async (url) => {
      const [tab] = await chrome.tabs.query({ url: `${new URL(url).origin}/` });
      return chrome.tabs.sendMessage(tab.id!, { kysoContent: 1, type: 'jobForLink', params: { url, action: 'sign' } }, { frameId: 0 });
    }, `${site.origin}/files/bao-cao.pdf`)) as { ok: boolean; result?: { jobId: string } };
    expect(reply.ok, JSON.stringify(reply)).toBe(true);
    const t = await opened;
    // The menu entry itself exists ("Ký số tệp PDF này"; Chromium offers no way to click a context menu from here).
    const menu = await worker.evaluate(
      () => new Promise<string>((resolve) => chrome.contextMenus.update('kyso-sign-link', { title: 'Ký số tệp PDF này' }, () => resolve(chrome.runtime.lastError?.message ?? 'ok'))),
    );
    expect(menu).toBe('ok');
    expect(new URL(t.url()).searchParams.get('job')).toBe(reply.result!.jobId);
    await (await t.page())?.close();
  });

  it('a portal page cannot reach the content script handlers', async () => {
    // A page's own script has no chrome.runtime.sendMessage to our extension: the only way in is a web message,
    // which the content script does not listen to. Its openJob still goes through the background's allowlist check.
    const hasRuntime = await page.evaluate(() => typeof (globalThis as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome?.runtime?.sendMessage);
    expect(hasRuntime).not.toBe('function');
  });
});
