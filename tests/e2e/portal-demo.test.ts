// The content script on the demo portal (scripts/demo/portal) in Debian's Chromium: each family's page gets its
// adapter, buttons beside the documents the guides name (Q-Office's draft, iOffice's attachment column in a frame,
// rendered by script and paged, the one-stop portal's paper, the generic page's link, embed and late link), and
// the signed file goes back the adapter's way, which the portal itself then stores: into "Đính kèm file văn bản
// đi" and submitted with "Ban hành", or POSTed to iOffice's upload.jsp. The allowlist change test: a tab on a
// host that was not allowed gets its buttons, without a reload, once the user adds the host in the settings.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame, Page } from 'puppeteer-core';
import { startDemoPortal, type DemoPortal } from '../../scripts/demo/portal/server.ts';
import { SHOTS_ROOT, launchWithExtension, type KysoBrowser } from './browser.ts';
import { lockPolicy } from './managed-policy.ts';
import { askContent, buttonUrls, clickAndOpen, getJob } from './portal-helpers.ts';

const SIGNED = new TextEncoder().encode('%PDF-1.7\n% stands for the signed file in these delivery tests\n%%EOF\n');
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

let portal: DemoPortal;
let kb: KysoBrowser;
/** Other suites write Chromium's machine-wide policy folder (forced install, blocklists): not while this one runs. */
let releasePolicy: (() => void) | undefined;

beforeAll(async () => {
  console.log(`Screenshots: ${SHOTS_ROOT}`);
  portal = await startDemoPortal({ port: 0 });
  releasePolicy = await lockPolicy(240_000);
  kb = await launchWithExtension({ host: { kind: 'none' }, name: 'portal-demo' });
  // The demo's start page opens the session (cookie PORTALSESSION).
  const home = await kb.browser.newPage();
  await home.goto(`${portal.url}/`, { waitUntil: 'load' });
  await home.close();
});

afterAll(async () => {
  try {
    await kb?.close();
    await portal?.close();
  } finally {
    releasePolicy?.();
  }
});

async function open(path: string): Promise<Page> {
  const page = await kb.browser.newPage();
  await page.setViewport({ width: 1200, height: 900 });
  await page.goto(`${portal.url}${path}`, { waitUntil: 'load' });
  return page;
}

describe('demo portal in Chromium', { timeout: 90_000 }, () => {
  it('Q-Office: the draft gets the pair (the .docx none); the signed file lands in "Đính kèm file văn bản đi" and "Ban hành" stores it', async () => {
    const page = await open('/qoffice/van-ban-cho-ban-hanh/1');
    await page.waitForSelector('span.kyso-actions button.kyso-sign', { timeout: 20_000 });
    expect(await buttonUrls(page)).toEqual([`${portal.url}/qoffice/files/1/du-thao-quyet-dinh.pdf`]);
    console.log(`qoffice: ${await kb.screenshot(page, 'qoffice-buttons')}`);

    const { page: sign, jobId } = await clickAndOpen(kb, page, 'span.kyso-actions button.kyso-sign');
    const job = await getJob(sign, jobId);
    expect(job).toMatchObject({
      portal: 'qoffice',
      action: 'sign',
      document: { url: `${portal.url}/qoffice/files/1/du-thao-quyet-dinh.pdf`, name: 'du-thao-quyet-dinh.pdf' },
      upload: { kind: 'input', label: 'Đính kèm file văn bản đi' },
      // The draft is still "Chờ ký số": the leader approves; the issuing form's values come along for the clerk.
      prefill: { mode: 'approval', docNumber: '125/QĐ-UBND', place: 'Quảng Nam', date: { year: 2026, month: 11, day: 21 } },
      frameId: 0,
    });

    const fetched = await askContent(sign, job, 'fetchDocument', { jobId, url: job.document.url });
    expect(fetched.ok, JSON.stringify(fetched).slice(0, 300)).toBe(true);
    expect(fetched.ok && Buffer.from(fetched.result.data, 'base64').subarray(0, 5).toString()).toBe('%PDF-');

    const delivered = await askContent(sign, job, 'deliverSigned', { jobId, name: 'du-thao-quyet-dinh.signed.pdf', data: b64(SIGNED), target: job.upload });
    expect(delivered).toMatchObject({ ok: true, result: { how: 'input' } });
    await sign.close();
    // The portal's own script listed the file, as if the clerk had chosen it.
    await page.waitForSelector('#dsFileVanBanDi:not([hidden])', { timeout: 5_000 });
    expect(await page.$eval('#dsFileVanBanDi', (t) => t.textContent ?? '')).toContain('du-thao-quyet-dinh.signed.pdf');
    console.log(`qoffice delivered: ${await kb.screenshot(page, 'qoffice-delivered')}`);
    const before = portal.uploads().length;
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#frmBanHanh button[type="submit"]')]);
    const up = portal.uploads().slice(before);
    expect(up.map((u) => [u.portal, u.docId, u.fileName])).toEqual([['qoffice', '1', 'du-thao-quyet-dinh.signed.pdf']]);
    expect(Buffer.from(up[0].bytes).equals(Buffer.from(SIGNED))).toBe(true);
    // Back on the document, now "Đã ký số": the clerk's job issues.
    await page.goto(`${portal.url}/qoffice/van-ban-cho-ban-hanh/1`, { waitUntil: 'load' });
    await page.waitForSelector('span.kyso-actions button.kyso-sign', { timeout: 20_000 });
    const clerk = await clickAndOpen(kb, page, 'span.kyso-actions button.kyso-sign');
    expect((await getJob(clerk.page, clerk.jobId)).prefill).toMatchObject({ mode: 'issue', docNumber: '125/QĐ-UBND' });
    await clerk.page.close();
    await page.close();
  });

  it('iOffice: rows rendered in the frame after load and the next page get buttons; the job knows the frame, upload.jsp and the 30-character rule', async () => {
    const page = await open('/ioffice/');
    const frame = await (async (): Promise<Frame> => {
      for (let i = 0; i < 50; i++) {
        const f = page.frames().find((x) => x.url().endsWith('/ioffice/vb-cho-duyet.jsp'));
        if (f) return f;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('no mainFrame');
    })();
    await frame.waitForSelector('#tblVbChoDuyet a.lnk-tai-file + span.kyso-actions', { timeout: 20_000 });
    const firstPage = await buttonUrls(frame);
    const rows = await frame.$$eval('#tblVbChoDuyet a.lnk-tai-file', (as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(firstPage).toEqual(rows);
    expect(rows.length).toBeGreaterThan(0);
    // The portal's own "Xem | Ký số | Kiểm tra VB đã ký" links get nothing.
    expect(await frame.$$('.act span.kyso-actions')).toHaveLength(0);
    expect(await page.$$('span.kyso-actions')).toHaveLength(0); // the shell has no documents

    if (await frame.$eval('#btnTrangSau', (b) => !(b as HTMLButtonElement).disabled)) {
      await frame.click('#btnTrangSau');
      await frame.waitForFunction((n) => document.querySelectorAll('span.kyso-actions').length > n, { timeout: 20_000 }, firstPage.length);
      const all = await frame.$$eval('#tblVbChoDuyet a.lnk-tai-file', (as) => as.map((a) => (a as HTMLAnchorElement).href));
      expect(await buttonUrls(frame)).toEqual(all);
    }
    console.log(`ioffice: ${await kb.screenshot(page, 'ioffice-buttons')}`);

    const { page: sign, jobId } = await clickAndOpen(kb, frame, 'span.kyso-actions button.kyso-sign');
    const job = await getJob(sign, jobId);
    const fileId = new URL(rows[0]).searchParams.get('fileId');
    expect(job).toMatchObject({
      portal: 'ioffice',
      document: { url: rows[0] },
      upload: { kind: 'url', url: `${portal.url}/ioffice/upload.jsp?fileId=${fileId}`, field: 'file' },
      fileNameRule: { maxLength: 30 },
      prefill: { mode: 'approval' },
      pageUrl: `${portal.url}/ioffice/vb-cho-duyet.jsp`,
    });
    expect(job.frameId).toBeGreaterThan(0);
    expect(job.document.name).toMatch(/\.pdf$/);

    const before = portal.uploads().length;
    const delivered = await askContent(sign, job, 'deliverSigned', { jobId, name: 'to-trinh.signed.pdf', data: b64(SIGNED), target: job.upload });
    expect(delivered).toMatchObject({ ok: true, result: { how: 'url' } });
    const up = portal.uploads().slice(before);
    expect(up.map((u) => [u.portal, u.docId, u.fileName])).toEqual([['ioffice', fileId, 'to-trinh.signed.pdf']]);
    await sign.close();
    await page.close();
  });

  it('one-stop: the paper gets the pair; the job certifies with the book and number, into "Tệp kết quả"', async () => {
    const page = await open('/tthc/ho-so/1');
    await page.waitForSelector('span.kyso-actions button.kyso-sign', { timeout: 20_000 });
    expect(await buttonUrls(page)).toEqual([`${portal.url}/tthc/files/1/giay-khai-sinh.pdf`]);
    const { page: sign, jobId } = await clickAndOpen(kb, page, 'span.kyso-actions button.kyso-sign');
    expect(await getJob(sign, jobId)).toMatchObject({
      portal: 'tthc',
      upload: { kind: 'input', label: 'Tệp kết quả' },
      prefill: { mode: 'certify', certNumber: '125', book: '01/2026-SCT/BS' },
    });
    console.log(`tthc: ${await kb.screenshot(page, 'tthc-buttons')}`);
    await sign.close();
    await page.close();
  });

  it('generic page: the link, the embed and the link added after load; "Kiểm tra" opens the verification page', async () => {
    const page = await open('/khac/tai-lieu');
    await page.waitForFunction(() => document.querySelectorAll('span.kyso-actions').length >= 3, { timeout: 20_000 });
    const urls = await buttonUrls(page);
    expect(urls).toContain(`${portal.url}/khac/files/bao-cao.pdf`);
    expect(urls).toContain(`${portal.url}/khac/files/phu-luc.pdf`);
    expect(new Set(urls).size).toBe(urls.length);
    console.log(`generic: ${await kb.screenshot(page, 'generic-buttons')}`);
    const { page: verify, jobId } = await clickAndOpen(kb, page, 'span.kyso-actions button.kyso-verify', 'verify');
    expect(await getJob(verify, jobId)).toMatchObject({ action: 'verify', portal: 'generic', upload: { kind: 'none' } });
    await verify.close();
    await page.close();
  });

  it('a host added to the allowlist gets the buttons in its open tab without a reload; removing it stops new pages', async () => {
    // localhost is the same server under a name the default allowlist (127.0.0.1) does not cover.
    const other = portal.url.replace('127.0.0.1', 'localhost');
    const page = await kb.browser.newPage();
    await page.goto(`${other}/?next=/tthc/ho-so/1`, { waitUntil: 'load' });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await page.$$('span.kyso-actions')).toHaveLength(0);

    // A portal tab that already has the script: the injection on the allowlist change must not add a second copy.
    const had = await open('/tthc/ho-so/1');
    await had.waitForSelector('span.kyso-actions', { timeout: 20_000 });

    const options = await kb.openPage('options');
    const save = (portals: string[] | null) =>
      options.evaluate((p) => chrome.runtime.sendMessage({ kyso: 1, type: 'saveSettings', params: { changes: { portals: p } } }), portals as never) as Promise<{ ok: boolean }>;
    expect((await save(['http://localhost/*'])).ok).toBe(true);
    await page.waitForSelector('span.kyso-actions button.kyso-sign', { timeout: 20_000 });
    expect(await buttonUrls(page)).toEqual([`${other}/tthc/files/1/giay-khai-sinh.pdf`]);
    await had.evaluate(() => document.body.append(document.createElement('p'))); // a change for any second copy to act on
    await new Promise((r) => setTimeout(r, 1000));
    expect(await buttonUrls(had)).toEqual([`${portal.url}/tthc/files/1/giay-khai-sinh.pdf`]);
    // A new page on that host gets the registered script.
    const again = await kb.browser.newPage();
    await again.goto(`${other}/khac/tai-lieu`, { waitUntil: 'load' });
    await again.waitForSelector('span.kyso-actions', { timeout: 20_000 });

    expect((await save(null)).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 1000));
    await again.reload({ waitUntil: 'load' });
    await new Promise((r) => setTimeout(r, 2000));
    expect(await again.$$('span.kyso-actions')).toHaveLength(0);
    await Promise.all([page.close(), again.close(), had.close(), options.close()]);
  });
});
