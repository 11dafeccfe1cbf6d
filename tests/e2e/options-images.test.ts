// The options page's signature and seal pickers in Debian's Chromium with the built extension: a real file input
// (puppeteer's uploadFile), the preview and size text on the page, the bytes in chrome.storage.local, refusals
// with IMAGE_INVALID's Vietnamese text (the saved image untouched), the no-transparency warning, removal; and a
// portal pattern mistake named on its line. Screenshots in out/e2e/<run>/options-images/.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ElementHandle, Page } from 'puppeteer-core';
import { ERROR_TEXTS } from '../../shared/protocol/errors.ts';
import { encodeRgbaPng, makeSealPng, makeSignaturePng } from '../../scripts/samples/images.ts';
import { tmpDir } from '../helpers/validators.ts';
import { launchWithExtension, type KysoBrowser } from './browser.ts';
import { lockPolicy } from './managed-policy.ts';

let b: KysoBrowser;
let page: Page;
let dir: string;
/** Other suites write Chromium's machine-wide policy folder (forced install, blocklists): not while this one runs. */
let releasePolicy: (() => void) | undefined;
const files: Record<string, string> = {};

beforeAll(async () => {
  dir = tmpDir('kyso-options-images-');
  const write = (name: string, bytes: Uint8Array) => {
    files[name] = join(dir, name);
    writeFileSync(files[name], bytes);
  };
  write('chu-ky.png', makeSignaturePng());
  write('con-dau.png', makeSealPng());
  // A scan on white paper: 600×300, every pixel opaque.
  const w = 600;
  const h = 300;
  const px = new Uint8Array(w * h * 4).fill(255);
  for (let x = 100; x < 500; x++) px.set([16, 48, 170, 255], (150 * w + x) * 4);
  write('scan.png', encodeRgbaPng(w, h, px));
  // Over the 2 MB limit: a PNG header and padding.
  const big = new Uint8Array(2 * 1024 * 1024 + 1);
  big.set(makeSignaturePng().subarray(0, 8));
  write('qua-lon.png', big);
  write('chu-ky.jpg', new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0, 0, 0, 0]));
  releasePolicy = await lockPolicy(240_000);
  b = await launchWithExtension({ host: { kind: 'none' }, name: 'options-images' });
  page = await b.openPage('options');
  await page.waitForSelector('main[data-state="ok"]', { timeout: 20_000 });
  await page.waitForSelector('[data-testid="image-signatureImage"][data-state="none"]', { timeout: 10_000 });
});

afterAll(async () => {
  try {
    await b?.close();
  } finally {
    releasePolicy?.();
  }
});

const picker = (kind: string) => `[data-testid="image-${kind}"]`;

async function upload(kind: string, file: string): Promise<void> {
  const input = (await page.$(`${picker(kind)} input[type="file"]`)) as ElementHandle<HTMLInputElement> | null;
  expect(input, `file input of ${kind}`).not.toBeNull();
  await input!.uploadFile(file);
}

async function text(selector: string): Promise<string> {
  return page.$eval(selector, (e) => (e as HTMLElement).innerText);
}

async function stored(kind: string): Promise<string | undefined> {
  return page.evaluate(async (k) => (await chrome.storage.local.get(k))[k] as string | undefined, kind);
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

describe('signature and seal images on the options page', { timeout: 120_000 }, () => {
  it('takes the signature PNG: preview, size, saved in storage.local as it was picked', async () => {
    expect(await text('[data-testid="images"] h2')).toBe('Ảnh chữ ký và con dấu');
    await upload('signatureImage', files['chu-ky.png']);
    await page.waitForSelector(`${picker('signatureImage')} [data-testid="image-saved"]`, { timeout: 10_000 });
    expect(await text(`${picker('signatureImage')} [data-testid="image-size"]`)).toMatch(/^780×424 điểm ảnh \(khuyến nghị 780×424\), \d+ KB$/);
    expect(await page.$(`${picker('signatureImage')} [data-testid="image-warnings"]`)).toBeNull();
    // The preview really shows the image (decoded by the browser at its own size).
    await page.waitForFunction((sel) => (document.querySelector(sel) as HTMLImageElement | null)?.naturalWidth === 780, { timeout: 5000 }, `${picker('signatureImage')} img[data-testid="preview"]`);
    expect(await stored('signatureImage')).toBe(base64(makeSignaturePng()));
    console.log(`options-images: ${await b.screenshot(page, 'signature-saved')}`);
  });

  it('refuses a non-PNG with IMAGE_INVALID and keeps the saved signature', async () => {
    await upload('signatureImage', files['chu-ky.jpg']);
    const err = `${picker('signatureImage')} [data-error-code="IMAGE_INVALID"]`;
    await page.waitForSelector(err, { timeout: 10_000 });
    expect(await text(`${err} [data-testid="error-vi"]`)).toContain(ERROR_TEXTS.IMAGE_INVALID.vi);
    expect(await text(`${err} [data-testid="error-vi"]`)).toContain('không phải ảnh PNG');
    expect(await stored('signatureImage')).toBe(base64(makeSignaturePng()));
    expect(await page.$(`${picker('signatureImage')} img[data-testid="preview"]`)).not.toBeNull();
    console.log(`options-images: ${await b.screenshot(page, 'not-png-refused')}`);
  });

  it('refuses a file over 2 MB, naming the limit, and keeps the saved signature', async () => {
    await upload('signatureImage', files['qua-lon.png']);
    await page.waitForFunction(
      (sel) => (document.querySelector(sel) as HTMLElement | null)?.innerText.includes('vượt quá giới hạn 2,0 MB'),
      { timeout: 10_000 },
      `${picker('signatureImage')} [data-error-code="IMAGE_INVALID"] [data-testid="error-vi"]`,
    );
    expect(await stored('signatureImage')).toBe(base64(makeSignaturePng()));
  });

  it('takes an opaque seal with warnings (size, no transparency), then the real seal; survives a reload', async () => {
    await upload('sealImage', files['scan.png']);
    await page.waitForSelector(`${picker('sealImage')} [data-testid="image-warnings"]`, { timeout: 10_000 });
    const warnings = await text(`${picker('sealImage')} [data-testid="image-warnings"]`);
    expect(warnings).toContain('Ảnh không có nền trong suốt: khi đóng dấu sẽ che chữ bên dưới');
    expect(warnings).toContain('Kích thước khác khuyến nghị 1229×1221');
    expect(await text(`${picker('sealImage')} [data-testid="image-size"]`)).toMatch(/^600×300 điểm ảnh \(khuyến nghị 1229×1221\)/);
    console.log(`options-images: ${await b.screenshot(page, 'opaque-seal-warned')}`);

    await upload('sealImage', files['con-dau.png']);
    await page.waitForFunction((sel) => (document.querySelector(sel) as HTMLElement | null)?.innerText.startsWith('1229×1221'), { timeout: 10_000 }, `${picker('sealImage')} [data-testid="image-size"]`);
    expect(await page.$(`${picker('sealImage')} [data-testid="image-warnings"]`)).toBeNull();
    expect(await stored('sealImage')).toBe(base64(makeSealPng()));

    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector(`${picker('sealImage')}[data-state="image"]`, { timeout: 10_000 });
    await page.waitForSelector(`${picker('signatureImage')}[data-state="image"]`, { timeout: 10_000 });
    expect(await text(`${picker('signatureImage')} [data-testid="image-size"]`)).toMatch(/^780×424/);
    console.log(`options-images: ${await b.screenshot(page, 'both-images')}`);
  });

  it('removes the seal from storage.local', async () => {
    await page.click(`${picker('sealImage')} [data-testid="remove"]`);
    await page.waitForSelector(`${picker('sealImage')} [data-testid="image-removed"]`, { timeout: 10_000 });
    expect(await stored('sealImage')).toBeUndefined();
    expect(await page.$eval(picker('sealImage'), (e) => e.getAttribute('data-state'))).toBe('none');
    expect(await stored('signatureImage')).toBe(base64(makeSignaturePng()));
  });

  it('names a wrong portal pattern on its line and holds saving until it is fixed', async () => {
    const type = (value: string) =>
      page.$eval(
        '#setting-portals',
        (e, v) => {
          const t = e as HTMLTextAreaElement;
          t.value = v;
          t.dispatchEvent(new Event('input', { bubbles: true }));
        },
        value,
      );
    await type('https://qlvb.example.gov.vn/*\nqlvb2.example.gov.vn');
    await page.waitForSelector('[data-key="portals"] [data-testid="line-issues"]', { timeout: 5000 });
    expect(await text('[data-key="portals"] [data-testid="line-issues"]')).toBe('Dòng 2 (qlvb2.example.gov.vn): Mẫu địa chỉ (match pattern) không hợp lệ: thiếu https:// ở đầu');
    expect(await page.$eval('[data-testid="save"]', (e) => (e as HTMLButtonElement).disabled)).toBe(true);
    // Only the valid pattern gets a default-mode row.
    expect(await page.$$eval('select[data-pattern]', (s) => s.map((x) => x.getAttribute('data-pattern')))).toEqual(['https://qlvb.example.gov.vn/*']);
    console.log(`options-images: ${await b.screenshot(page, 'portal-line-issue')}`);
    await type('https://qlvb.example.gov.vn/*\nhttps://qlvb2.example.gov.vn/*');
    await page.waitForSelector('[data-key="portals"] [data-testid="line-ok"]', { timeout: 5000 });
    expect(await page.$eval('[data-testid="save"]', (e) => (e as HTMLButtonElement).disabled)).toBe(false);
    await page.click('[data-testid="save"]');
    await page.waitForSelector('[data-testid="saved"]', { timeout: 10_000 });
    const sync = await page.evaluate(async () => (await chrome.storage.sync.get('kyso.userSettings'))['kyso.userSettings'] as { portals?: string[] });
    expect(sync.portals).toEqual(['https://qlvb.example.gov.vn/*', 'https://qlvb2.example.gov.vn/*']);
  });
});
