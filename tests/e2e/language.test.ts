// The `language` setting in Debian's Chromium with the built extension: the user's choice stored where the options
// page saves it (storage.sync, kyso.userSettings) switches the signing page (local file mode, the host not
// installed: the document shows, the error is the code's English text), the options page and the verification page
// to English; back to 'vi', Vietnamese again — also live, without a reload, on an open page. The portal script's
// buttons on a page served from 127.0.0.1 (allowed by default) follow too. Screenshots in out/e2e/<run>/language/.

import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ElementHandle, Page } from 'puppeteer-core';
import { ERROR_TEXTS } from '../../shared/protocol/errors.ts';
import { makeVnDocument } from '../../scripts/samples/vn-document.ts';
import { loadFonts } from '../../native-host/assets.ts';
import { signPdf } from '../../shared/sign/sign-pdf.ts';
import { ensureTestEnv } from '../../scripts/testenv/testenv.ts';
import { requireFixtures, softwareSigner } from '../helpers/pki.ts';
import { VERIFY_TEXTS } from '../../extension/pages/common/texts.ts';
import { tmpDir } from '../helpers/validators.ts';
import { launchWithExtension, type KysoBrowser } from './browser.ts';
import { lockPolicy } from './managed-policy.ts';

let b: KysoBrowser;
let dir: string;
let releasePolicy: (() => void) | undefined;
/** A document signed by the engine with the test PKI (its root is not trusted here: the verdict is not green). */
let signed: Uint8Array;
const shots: string[] = [];

beforeAll(async () => {
  dir = tmpDir('kyso-language-');
  writeFileSync(join(dir, 'Quyet dinh.pdf'), makeVnDocument({ markers: true }));
  ensureTestEnv();
  requireFixtures();
  signed = (await signPdf(makeVnDocument({ markers: true }), { mode: 'appendix', docNumber: '15/UBND-VP' }, softwareSigner('leader'), { fonts: loadFonts() })).pdf;
  // No other suite's policy (a managed `language` would win over the user's choice) while this one runs.
  releasePolicy = await lockPolicy(240_000);
  b = await launchWithExtension({ host: { kind: 'none' }, name: 'language' });
});

afterAll(async () => {
  try {
    await b?.close();
  } finally {
    releasePolicy?.();
  }
  if (shots.length) console.log(`language screenshots:\n${shots.join('\n')}`);
});

async function open(path: string): Promise<Page> {
  const page = await b.browser.newPage();
  await page.goto(`chrome-extension://${b.extensionId}/${path}`, { waitUntil: 'load' });
  return page;
}

/** What the options page's "Lưu thiết lập" stores for the user's language. */
async function setLanguage(language: 'vi' | 'en'): Promise<void> {
  const page = await open('pages/options/index.html');
  await page.evaluate(async (l) => {
    const key = 'kyso.userSettings';
    const now = ((await chrome.storage.sync.get(key))[key] ?? {}) as Record<string, unknown>;
    await chrome.storage.sync.set({ [key]: { ...now, language: l } });
  }, language);
  await page.close();
}

const text = (page: Page, selector: string) => page.$eval(selector, (e) => (e as HTMLElement).innerText.trim());

async function signPageWithFile(): Promise<Page> {
  const page = await open('pages/sign/index.html');
  const input = (await page.waitForSelector('[data-testid="file-input"]', { timeout: 20_000 })) as ElementHandle<HTMLInputElement>;
  await input.uploadFile(join(dir, 'Quyet dinh.pdf'));
  await page.waitForSelector('[data-testid="sign-button"]', { timeout: 20_000 });
  // No host registered: reading the certificates fails with HOST_NOT_INSTALLED after the document is shown.
  await page.waitForSelector('[data-testid="sign-root"][data-state="error"]', { timeout: 20_000 });
  return page;
}

describe('the language setting', { timeout: 180_000 }, () => {
  it('English: the signing page (local file), the options page and the verification page', async () => {
    await setLanguage('en');

    const sign = await open('pages/sign/index.html');
    await sign.waitForFunction(() => document.querySelector('h1')?.textContent === 'Sign a document', { timeout: 20_000 });
    await sign.waitForSelector('[data-testid="file-input"]', { timeout: 20_000 });
    expect(await text(sign, '[data-testid="progress"]')).toBe('Choose a PDF file on this computer to sign.');
    expect(await text(sign, '.file-pick label')).toContain('Choose a PDF file on this computer:');
    await sign.close();

    const withFile = await signPageWithFile();
    expect(await text(withFile, '[data-testid="sign-button"]')).toBe('Sign');
    expect(await text(withFile, '[data-testid="error-message"]')).toContain(ERROR_TEXTS.HOST_NOT_INSTALLED.en);
    expect(await text(withFile, '.mode-form legend')).toBe('Signing mode');
    expect(await withFile.title()).toBe('Sign a document – KýSố');
    shots.push(await b.screenshot(withFile, 'sign-en'));
    await withFile.close();

    const options = await open('pages/options/index.html');
    await options.waitForSelector('main[data-state="ok"]', { timeout: 20_000 });
    await options.waitForFunction(() => document.querySelector('h1')?.textContent === 'KýSố options', { timeout: 10_000 });
    expect(await text(options, '[data-testid="save"]')).toBe('Save settings');
    expect(await text(options, '[data-testid="setting-language"] h2 label')).toBe('Interface language');
    expect(await text(options, '[data-testid="images"] h2')).toBe('Signature and seal images');
    shots.push(await b.screenshot(options, 'options-en'));
    await options.close();

    const verify = await open('pages/verify/index.html');
    await verify.waitForSelector('[data-testid="verify-root"][data-state="choose"]', { timeout: 20_000 });
    await verify.waitForFunction(() => document.querySelector('h1')?.textContent === 'Verify digital signatures', { timeout: 10_000 });
    expect(await text(verify, '[data-testid="verify-chooser"] p')).toBe('Choose a PDF file on this computer (or drop it here) to verify its digital signatures.');
    expect(await verify.title()).toBe('Verify digital signatures – KýSố');
    shots.push(await b.screenshot(verify, 'verify-en'));

    // A signed file through the chooser: the panel in English, the summary line built from the verdict.
    const input = (await verify.$('[data-testid="verify-file-input"]')) as ElementHandle<HTMLInputElement>;
    writeFileSync(join(dir, 'Da ky.pdf'), signed);
    await input.uploadFile(join(dir, 'Da ky.pdf'));
    await verify.waitForSelector('[data-testid="verify-panel"][data-state="done"] [data-testid="signature-row"]', { timeout: 60_000 });
    const verdict = await verify.$eval('[data-testid="signature-row"]', (e) => (e as HTMLElement).dataset.verdict!);
    const label = VERIFY_TEXTS[`verdict_${verdict}` as keyof typeof VERIFY_TEXTS].en;
    expect(await text(verify, '[data-testid="signature-label"]')).toBe(label);
    expect(await text(verify, '[data-testid="signature-summary"]')).toMatch(new RegExp(`^Signature by .+: ${label.replace(/[()]/g, '\\$&')}\\.$`));
    expect(await text(verify, '.verify-title')).toBe('Digital signatures of Da ky.pdf');
    expect(await text(verify, '[data-testid="view-revision"]')).toBe('View the signed version');
    shots.push(await b.screenshot(verify, 'verify-signed-en'));
    await verify.goto(`chrome-extension://${b.extensionId}/pages/verify/index.html`, { waitUntil: 'load' });
    await verify.waitForSelector('[data-testid="verify-root"][data-state="choose"]', { timeout: 20_000 });

    // Back to Vietnamese while the verification page is open: it follows without a reload.
    await setLanguage('vi');
    await verify.waitForFunction(() => document.querySelector('h1')?.textContent === 'Kiểm tra chữ ký số', { timeout: 10_000 });
    expect(await text(verify, '[data-testid="verify-chooser"] p')).toBe('Chọn tệp PDF trên máy (hoặc kéo thả vào đây) để kiểm tra các chữ ký số trong đó.');
    await verify.close();
  });

  it('the portal buttons: "Sign" / "Verify" in English, relabelled "Ký số" / "Kiểm tra" when the setting changes', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
    const server: Server = createServer((req, res) => {
      if (req.url === '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end('<!doctype html><meta charset="utf-8"><title>Portal</title><p><a id="doc" href="/files/quyet-dinh.pdf">quyet-dinh.pdf</a></p>');
      }
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': pdf.length });
      res.end(req.method === 'HEAD' ? undefined : pdf);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      await setLanguage('en');
      const portal = await b.browser.newPage();
      await portal.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { waitUntil: 'load' });
      await portal.waitForSelector('span.kyso-actions button.kyso-sign', { timeout: 20_000 });
      const labels = () => portal.$$eval('span.kyso-actions button', (bs) => bs.map((x) => `${x.textContent}|${x.getAttribute('title')}`));
      expect(await labels()).toEqual(['Sign|Sign this PDF with your USB token (KýSố)', 'Verify|Verify the digital signatures in this PDF (KýSố)']);
      shots.push(await b.screenshot(portal, 'portal-en'));
      await setLanguage('vi');
      await portal.waitForFunction(() => document.querySelector('button.kyso-sign')?.textContent === 'Ký số', { timeout: 10_000 });
      expect(await labels()).toEqual(['Ký số|Ký số tệp PDF này bằng USB token (KýSố)', 'Kiểm tra|Kiểm tra chữ ký số trong tệp PDF này (KýSố)']);
      await portal.close();
    } finally {
      server.close();
    }
  });

  it('Vietnamese again: the same pages read as before', async () => {
    const withFile = await signPageWithFile();
    expect(await text(withFile, 'h1')).toBe('Ký số văn bản');
    expect(await text(withFile, '[data-testid="sign-button"]')).toBe('Ký số');
    expect(await text(withFile, '[data-testid="error-message"]')).toContain(ERROR_TEXTS.HOST_NOT_INSTALLED.vi);
    expect(await text(withFile, '.mode-form legend')).toBe('Kiểu ký');
    shots.push(await b.screenshot(withFile, 'sign-vi'));
    await withFile.close();

    const options = await open('pages/options/index.html');
    await options.waitForSelector('main[data-state="ok"]', { timeout: 20_000 });
    expect(await text(options, 'h1')).toBe('Tùy chọn KýSố');
    expect(await text(options, '[data-testid="save"]')).toBe('Lưu thiết lập');
    expect(await text(options, '[data-testid="setting-language"] h2 label')).toBe('Ngôn ngữ giao diện');
    shots.push(await b.screenshot(options, 'options-vi'));
    await options.close();
  });
});
