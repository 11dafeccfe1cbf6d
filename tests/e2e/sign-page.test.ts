// The signing page in Debian's Chromium with the built extension and the kyso host over the SoftHSM demo token:
// a Vietnamese draft with the Q-Office markers chosen from disk ("Chọn tệp PDF trên máy"), drawn by pdf.js, the
// box at #ChuKyLanhDao, a wrong PIN (PIN_INCORRECT, tries left shown), then the right PIN, the confirmation, and
// the downloaded file checked by pdfsig and openssl. Screenshots of each step in out/e2e/<run>/sign-page/.
//
// Jobs come from portal content scripts only, so this suite uses the page's local-file path.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ElementHandle, Page } from 'puppeteer-core';
import { parseCertificate } from '../../shared/pki/certificate.ts';
import { makeSealPng, makeSignaturePng } from '../../scripts/samples/images.ts';
import { makeVnDocument, markerBoxes } from '../../scripts/samples/vn-document.ts';
import { ensureTestEnv } from '../../scripts/testenv/testenv.ts';
import { KYSO, requireFixtures } from '../helpers/pki.ts';
import { expectGoodSignatures, startsWith, tmpDir } from '../helpers/validators.ts';
import { ensureResponders } from '../ltv/helpers.ts';
import { launchWithExtension, type KysoBrowser } from './browser.ts';

const SIGN_PAGE = 'pages/sign/index.html';
const SAMPLE = { markers: true };

let b: KysoBrowser;
let page: Page;
let dir: string;
let downloads: string;
let leaderName: string;
let orgName: string;
/** The leader's signature box as the page showed it (points, display space). */
let leaderBox: { page: number; x: number; y: number; w: number; h: number };

async function boxAttrs() {
  return page.$eval('[data-testid="placement-box"]', (e) => ({
    page: Number(e.getAttribute('data-page')),
    x: Number(e.getAttribute('data-x')),
    y: Number(e.getAttribute('data-y')),
    w: Number(e.getAttribute('data-w')),
    h: Number(e.getAttribute('data-h')),
  }));
}

async function pickCertificate(holder: string) {
  for (const el of await page.$$('[data-testid="cert-option"]')) if ((await el.evaluate((e) => (e as HTMLElement).innerText)).includes(holder)) await el.click();
}

/** The downloaded file once Chromium has finished writing it (a complete PDF ends with %%EOF). */
async function waitDownload(name: string): Promise<string> {
  const file = join(downloads, name);
  const complete = () => existsSync(file) && readFileSync(file).subarray(-8).toString('latin1').includes('%%EOF');
  const t0 = Date.now();
  while (!complete() && Date.now() - t0 < 20_000) await new Promise((r) => setTimeout(r, 200));
  expect(existsSync(downloads) ? readdirSync(downloads) : []).toContain(name);
  return file;
}

const state = (p: Page) => p.$eval('[data-testid="sign-root"]', (e) => e.getAttribute('data-state'));
const waitState = (want: string[], timeout = 30_000) =>
  page.waitForFunction((w: string[]) => w.includes(document.querySelector('[data-testid="sign-root"]')?.getAttribute('data-state') ?? ''), { timeout }, want);
const shot = (name: string) => b.screenshot(page, name);

beforeAll(async () => {
  requireFixtures();
  const env = ensureTestEnv();
  expect(env.demoToken).toBe('KySo Demo');
  leaderName = parseCertificate(new Uint8Array(readFileSync(join(KYSO, 'pki', 'leader.cert.der')))).subject.CN!;
  orgName = parseCertificate(new Uint8Array(readFileSync(join(KYSO, 'pki', 'org.cert.der')))).subject.CN!;
  dir = tmpDir('kyso-sign-page-');
  downloads = join(dir, 'downloads');
  mkdirSync(downloads);
  writeFileSync(join(dir, 'Quyet dinh ky so.pdf'), makeVnDocument(SAMPLE));
  writeFileSync(join(dir, 'Hai trang.pdf'), makeVnDocument({ markers: true, twoPages: true }));
  // Chromium's own download folder (XDG user dirs, read from this process's environment), not DevTools'
  // Browser.setDownloadBehavior, which ignores the file name chrome.downloads gives.
  writeFileSync(join(dir, 'user-dirs.dirs'), `XDG_DOWNLOAD_DIR="${downloads}"\n`);
  process.env.XDG_CONFIG_HOME = dir;
  b = await launchWithExtension({ host: { kind: 'installed' }, name: 'sign-page' });
  page = await b.browser.newPage();
  await page.setViewport({ width: 1400, height: 1000 });
  await page.goto(`chrome-extension://${b.extensionId}/${SIGN_PAGE}`, { waitUntil: 'load' });
  // The leader's signature image, as the options page stores it.
  await page.evaluate(
    async (sig: string, seal: string) => chrome.storage.local.set({ signatureImage: sig, sealImage: seal }),
    Buffer.from(makeSignaturePng()).toString('base64'),
    Buffer.from(makeSealPng()).toString('base64'),
  );
  await page.reload({ waitUntil: 'load' });
}, 120_000);

afterAll(async () => {
  await b?.close();
});

describe('signing page (local file, approval, SoftHSM token through the host)', { timeout: 180_000 }, () => {
  it('opens a PDF chosen on disk: pages drawn, approval mode, the box on #ChuKyLanhDao, the certificates listed', async () => {
    const input = (await page.waitForSelector('[data-testid="file-input"]', { timeout: 20_000 })) as ElementHandle<HTMLInputElement>;
    expect(await state(page)).toBe('loading');
    await input.uploadFile(join(dir, 'Quyet dinh ky so.pdf'));
    await waitState(['ready', 'error'], 60_000);
    const err = await page.$eval('[data-testid="error-code"]', (e) => e.textContent).catch(() => null);
    expect(err, 'no error while loading').toBeNull();
    expect(await state(page)).toBe('ready');

    // pdf.js drew the page: many dark pixels (the text) on the canvas.
    const dark = await page.$eval('[data-testid="page-1"]', (c) => {
      const canvas = c as HTMLCanvasElement;
      const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] < 100 && d[i + 1] < 100 && d[i + 2] < 100 && d[i + 3] > 0) n++;
      return n;
    });
    expect(dark).toBeGreaterThan(2000);
    expect(await page.$('[data-testid="thumb-1"]')).not.toBeNull();

    expect(await page.$eval('[data-testid="mode-approval"]', (e) => (e as HTMLInputElement).checked)).toBe(true);
    const box = await boxAttrs();
    leaderBox = box;
    const m = markerBoxes(SAMPLE)['#ChuKyLanhDao'];
    expect(box.page).toBe(m.pageIndex + 1);
    // Centred on the marker, at the printed size of a signature (39 mm wide).
    expect(Math.abs(box.x + box.w / 2 - (m.x + m.w / 2))).toBeLessThan(2);
    expect(Math.abs(box.y + box.h / 2 - (m.y + m.h / 2))).toBeLessThan(6);
    expect(box.w).toBeCloseTo((39 * 72) / 25.4, 0);

    const holders = await page.$$eval('[data-testid="cert-option"]', (es) => es.map((e) => (e as HTMLElement).innerText));
    expect(holders.some((t) => t.includes(leaderName)), holders.join('\n')).toBe(true);
    // The expired and not yet valid test certificates are listed as unusable, not as options.
    const unusable = await page.$$eval('[data-testid="cert-unusable"]', (es) => es.map((e) => (e as HTMLElement).innerText));
    expect(unusable.some((t) => t.includes('hết hạn'))).toBe(true);
    await shot('1-ready');
  });

  it('a wrong PIN: confirmation first, then PIN_INCORRECT with the tries left; nothing downloaded', async () => {
    await pickCertificate(leaderName);
    expect(await page.$eval('[data-testid="sign-button"]', (e) => (e as HTMLButtonElement).disabled)).toBe(true); // no PIN yet
    await page.type('[data-testid="pin"]', '000000');
    await page.click('[data-testid="sign-button"]');
    await waitState(['confirm']);
    const dialog = await page.$eval('[data-testid="confirm-dialog"]', (e) => (e as HTMLElement).innerText);
    expect(dialog).toContain('Quyet dinh ky so.pdf');
    expect(dialog).toContain('Ký duyệt');
    expect(dialog).toContain(leaderName);
    expect(dialog).toContain('Trang 1');
    expect(dialog).toContain('B-B');
    await shot('2-confirm');
    await page.click('[data-testid="confirm-sign"]');
    await waitState(['error', 'done'], 60_000);
    expect(await page.$eval('[data-testid="error-code"]', (e) => e.textContent)).toBe('PIN_INCORRECT');
    expect(await page.$eval('[data-testid="error-message"]', (e) => e.textContent)).toMatch(/Mã PIN không đúng/);
    expect(await page.$eval('[data-testid="retries"]', (e) => (e as HTMLElement).innerText)).toMatch(/lần thử/);
    // The PIN field is emptied: the page never tries a PIN twice.
    expect(await page.$eval('[data-testid="pin"]', (e) => (e as HTMLInputElement).value)).toBe('');
    expect(existsSync(downloads) ? readdirSync(downloads) : []).toEqual([]);
    await shot('3-wrong-pin');
  });

  it('the right PIN: confirmed, signed, downloaded as "<name>.signed.pdf", valid for pdfsig and openssl', async () => {
    await page.type('[data-testid="pin"]', ensureTestEnv().userPin);
    await page.click('[data-testid="sign-button"]');
    await waitState(['confirm']);
    await page.click('[data-testid="confirm-sign"]');
    await waitState(['done', 'error'], 90_000);
    const err = await page.$eval('[data-testid="error-code"]', (e) => e.textContent).catch(() => null);
    expect(err).toBeNull();
    expect(await page.$eval('[data-testid="result"]', (e) => e.getAttribute('data-how'))).toBe('download');
    expect(await page.$eval('[data-testid="result"]', (e) => (e as HTMLElement).innerText)).toContain('Quyet dinh ky so.signed.pdf');
    const file = await waitDownload('Quyet dinh ky so.signed.pdf');
    await ensureResponders(); // pdfsig asks OCSP itself
    expectGoodSignatures(file, ['KySo1']);
    expect(startsWith(new Uint8Array(readFileSync(file)), new Uint8Array(readFileSync(join(dir, 'Quyet dinh ky so.pdf')))), 'the original is a byte prefix').toBe(true);
    // The verification panel shows the signed document's signature.
    await page.waitForSelector('[data-testid="verify-panel"] [data-testid="signature-row"]', { timeout: 30_000 });
    await shot('4-done');
  });

  it('the confirmation’s Hủy goes back without signing; Hủy on the page cancels, "Tiếp tục" resumes', async () => {
    await page.reload({ waitUntil: 'load' });
    const input = (await page.waitForSelector('[data-testid="file-input"]', { timeout: 20_000 })) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(join(dir, 'Quyet dinh ky so.pdf'));
    await waitState(['ready'], 60_000);
    await page.type('[data-testid="pin"]', ensureTestEnv().userPin);
    await page.click('[data-testid="sign-button"]');
    await waitState(['confirm']);
    expect(await page.$$('[data-testid="cancel"]')).toHaveLength(1); // the dialog's
    await page.click('[data-testid="cancel"]');
    await waitState(['ready']);
    expect(await page.$('[data-testid="confirm-dialog"]')).toBeNull();
    await page.click('[data-testid="cancel"]');
    await waitState(['cancelled']);
    await shot('5-cancelled');
    await page.click('[data-testid="resume"]');
    await waitState(['ready']);
    expect(readdirSync(downloads)).toEqual(['Quyet dinh ky so.signed.pdf']);
  });

  it('issue on the signed file: issue mode by default, the seal over the left third of the leader, dragged and snapped back; number and date printed', async () => {
    await page.reload({ waitUntil: 'load' });
    const input = (await page.waitForSelector('[data-testid="file-input"]', { timeout: 20_000 })) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(join(downloads, 'Quyet dinh ky so.signed.pdf'));
    await waitState(['ready'], 60_000);
    expect(await page.$eval('[data-testid="mode-issue"]', (e) => (e as HTMLInputElement).checked)).toBe(true);
    await page.type('[data-testid="field-docNumber"]', '125/QĐ-UBND');
    await page.type('[data-testid="field-place"]', 'Quảng Nam');
    await page.type('[data-testid="field-date"]', '21/11/2026');
    await pickCertificate(orgName);
    // The seal at its real size (36 mm), its right edge one third into the leader's signature.
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="placement-box"]')?.getAttribute('data-w')) > 90);
    const seal = await boxAttrs();
    expect(seal.page).toBe(leaderBox.page);
    expect(seal.w).toBeCloseTo((36 * 72) / 25.4, 0);
    expect(Math.abs(seal.x + seal.w - (leaderBox.x + leaderBox.w / 3))).toBeLessThan(1);
    await shot('6-issue-ready');

    // Zoom changes the drawing, not the box's place in points.
    const width = () => page.$eval('[data-testid="page-1"]', (c) => (c as HTMLCanvasElement).getBoundingClientRect().width);
    const w0 = await width();
    await page.click('[data-testid="zoom-in"]');
    await page.waitForFunction((w: number) => (document.querySelector('[data-testid="page-1"]') as HTMLCanvasElement).getBoundingClientRect().width > w + 10, {}, w0);
    expect(await boxAttrs()).toEqual(seal);

    // Drag it away: it moves by the mouse distance in points; drop it back near the leader: it snaps.
    // CSS pixels per point: the A4 sample is 595.28 pt wide.
    const scale = (await width()) / 595.28;
    const drag = async (dx: number, dy: number) => {
      const r = await page.$eval('[data-testid="placement-box"]', (e) => {
        e.scrollIntoView({ block: 'center' });
        const b = e.getBoundingClientRect();
        return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
      });
      await page.mouse.move(r.x, r.y);
      await page.mouse.down();
      await page.mouse.move(r.x + dx, r.y + dy, { steps: 8 });
      await page.mouse.up();
    };
    await drag(-120, 60);
    const moved = await boxAttrs();
    expect(moved.x).toBeCloseTo(seal.x - 120 / scale, 0);
    expect(moved.y).toBeCloseTo(seal.y + 60 / scale, 0);
    await drag(110, -50);
    expect(await boxAttrs()).toEqual(seal);

    await page.type('[data-testid="pin"]', ensureTestEnv().userPin);
    await page.click('[data-testid="sign-button"]');
    await waitState(['confirm']);
    const dialog = await page.$eval('[data-testid="confirm-dialog"]', (e) => (e as HTMLElement).innerText);
    expect(dialog).toContain('Ký ban hành');
    expect(dialog).toContain('125/QĐ-UBND');
    await page.click('[data-testid="confirm-sign"]');
    await waitState(['done', 'error'], 90_000);
    expect(await page.$eval('[data-testid="error-code"]', (e) => e.textContent).catch(() => null)).toBeNull();
    const file = await waitDownload('Quyet dinh ky so.signed.signed.pdf');
    await ensureResponders();
    expectGoodSignatures(file, ['KySo1', 'KySo2']);
    expect(startsWith(new Uint8Array(readFileSync(file)), new Uint8Array(readFileSync(join(downloads, 'Quyet dinh ky so.signed.pdf')))), 'the approved file is a byte prefix').toBe(true);
    // The stamps' text (the markers stay in the page content, covered: tests/sign/appearance checks the pixels).
    const text = spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
    expect(text).toContain('Số: 125/QĐ-UBND');
    expect(text).toContain('Quảng Nam, ngày 21 tháng 11 năm 2026');
    // The viewer now shows the issued file: the red seal is drawn on the page.
    await page.waitForFunction(
      () => {
        const c = document.querySelector('[data-testid="page-1"]') as HTMLCanvasElement;
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i] > 170 && d[i + 1] < 100 && d[i + 2] < 100) n++;
        return n > 1000;
      },
      { timeout: 15_000 },
    );
    await shot('7-issued');
  });

  it('issue without a seal image: the Vietnamese error with its code and a link to the options page; nothing can be signed', async () => {
    await page.evaluate(async () => chrome.storage.local.remove('sealImage'));
    await page.reload({ waitUntil: 'load' });
    const input = (await page.waitForSelector('[data-testid="file-input"]', { timeout: 20_000 })) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(join(dir, 'Quyet dinh ky so.pdf'));
    await waitState(['ready'], 60_000);
    await page.click('[data-testid="mode-issue"]');
    await page.waitForSelector('[data-testid="error-code"]', { timeout: 10_000 });
    expect(await page.$eval('[data-testid="error-code"]', (e) => e.textContent)).toBe('INVALID_ARGUMENT');
    expect(await page.$eval('[data-testid="error-message"]', (e) => e.textContent)).toContain('ảnh con dấu');
    expect(await page.$eval('[data-testid="options-link"]', (e) => (e as HTMLAnchorElement).href)).toMatch(/\/pages\/options\/index\.html$/);
    await page.type('[data-testid="pin"]', ensureTestEnv().userPin);
    expect(await page.$eval('[data-testid="sign-button"]', (e) => (e as HTMLButtonElement).disabled)).toBe(true);
    await shot('8-issue-without-seal');
    // Back to approval: the error goes, signing is possible again.
    await page.click('[data-testid="mode-approval"]');
    await page.waitForFunction(() => !document.querySelector('[data-testid="error-code"]'), { timeout: 10_000 });
    expect(await page.$eval('[data-testid="sign-button"]', (e) => (e as HTMLButtonElement).disabled)).toBe(false);
  });

  it('two pages: the box on page 2 where the signer block is; page buttons, thumbnails; dragged up onto page 1', async () => {
    await page.reload({ waitUntil: 'load' });
    const input = (await page.waitForSelector('[data-testid="file-input"]', { timeout: 20_000 })) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(join(dir, 'Hai trang.pdf'));
    await waitState(['ready'], 60_000);
    expect(await page.$('[data-testid="page-2"]')).not.toBeNull();
    expect(await page.$('[data-testid="thumb-2"]')).not.toBeNull();
    const m = markerBoxes({ markers: true, twoPages: true })['#ChuKyLanhDao'];
    const box = await boxAttrs();
    expect(box.page).toBe(2);
    expect(Math.abs(box.x + box.w / 2 - (m.x + m.w / 2))).toBeLessThan(2);
    const indicator = () => page.$eval('[data-testid="page-indicator"]', (e) => (e as HTMLElement).innerText);
    await page.click('[data-testid="page-next"]');
    expect(await indicator()).toBe('Trang 2/2');
    await page.click('[data-testid="page-prev"]');
    expect(await indicator()).toBe('Trang 1/2');
    await page.click('[data-testid="thumb-2"]');
    expect(await indicator()).toBe('Trang 2/2');

    // Up by the box's distance from the top of page 2, the gap and a little more: it lands at the bottom of page 1.
    const scale = (await page.$eval('[data-testid="page-1"]', (c) => c.getBoundingClientRect().width)) / 595.28;
    const r = await page.$eval('[data-testid="placement-box"]', (e) => {
      e.scrollIntoView({ block: 'center' });
      const b = e.getBoundingClientRect();
      return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
    });
    const up = (box.y + box.h / 2) * scale + 16 + 60;
    await page.mouse.move(r.x, r.y);
    await page.mouse.down();
    await page.mouse.move(r.x, r.y - up, { steps: 10 });
    await page.mouse.up();
    const moved = await boxAttrs();
    expect(moved.page).toBe(1);
    expect(moved.y + moved.h / 2).toBeGreaterThan(841.89 - 60 / scale - 10);
    expect(moved.y + moved.h).toBeLessThanOrEqual(841.89 + 0.01);

    // The handle resizes, keeping the signature image's proportions (780×424).
    const h = await page.$eval('[data-testid="placement-handle"]', (e) => {
      e.scrollIntoView({ block: 'center' });
      const b = e.getBoundingClientRect();
      return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
    });
    await page.mouse.move(h.x, h.y);
    await page.mouse.down();
    await page.mouse.move(h.x - 40, h.y, { steps: 5 });
    await page.mouse.up();
    const resized = await boxAttrs();
    expect(resized.w).toBeCloseTo(moved.w - 40 / scale, 0);
    expect(resized.w / resized.h).toBeCloseTo(780 / 424, 1);
    expect(resized.x).toBeCloseTo(moved.x, 1);
    await shot('9-two-pages-moved');
  });
});
