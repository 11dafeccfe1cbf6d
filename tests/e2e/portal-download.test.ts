// The signed file's way back when the portal cannot take it, through the real signing page and the SoftHSM token:
// the generic page has no upload field, so "<name>.signed.pdf" is downloaded, and signing again never overwrites
// it (uniquify); an iOffice job whose portal tab was closed before signing falls back to the download and says
// why, with the portal's 30-character warning, the name kept as it was.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { parseCertificate } from '../../shared/pki/certificate.ts';
import { startDemoPortal, type DemoPortal } from '../../scripts/demo/portal/server.ts';
import { makeSealPng, makeSignaturePng } from '../../scripts/samples/images.ts';
import { ensureTestEnv } from '../../scripts/testenv/testenv.ts';
import { KYSO, requireFixtures } from '../helpers/pki.ts';
import { SHOTS_ROOT, launchWithExtension, type KysoBrowser } from './browser.ts';
import { lockPolicy } from './managed-policy.ts';
import { clickAndOpen, getJob } from './portal-helpers.ts';

let portal: DemoPortal;
let kb: KysoBrowser;
let releasePolicy: (() => void) | undefined;
let downloads: string;
let leaderName: string;
let xdg: string | undefined;
const xdgBefore = process.env.XDG_CONFIG_HOME;

beforeAll(async () => {
  requireFixtures();
  const env = ensureTestEnv();
  leaderName = parseCertificate(new Uint8Array(readFileSync(join(KYSO, 'pki', 'leader.cert.der')))).subject.CN!;
  console.log(`Screenshots: ${SHOTS_ROOT}`);
  portal = await startDemoPortal({ port: 0 });
  releasePolicy = await lockPolicy(240_000);
  // Chromium's own download folder, not DevTools' Browser.setDownloadBehavior: DevTools' download handling ignores
  // the file name chrome.downloads gives (it names the file after the blob URL). Chromium finds its download folder
  // through XDG user dirs, which the launched browser reads from this process's environment.
  xdg = mkdtempSync(join(tmpdir(), 'kyso-portal-download-'));
  downloads = join(xdg, 'downloads');
  mkdirSync(downloads);
  writeFileSync(join(xdg!, 'user-dirs.dirs'), `XDG_DOWNLOAD_DIR="${downloads}"\n`);
  process.env.XDG_CONFIG_HOME = xdg;
  kb = await launchWithExtension({ host: { kind: 'installed' }, name: 'portal-download' });
  const opts = await kb.openPage('options');
  await opts.evaluate(
    async (sig: string, seal: string) => chrome.storage.local.set({ signatureImage: sig, sealImage: seal }),
    Buffer.from(makeSignaturePng()).toString('base64'),
    Buffer.from(makeSealPng()).toString('base64'),
  );
  await opts.close();
  const home = await kb.browser.newPage();
  await home.goto(`${portal.url}/`, { waitUntil: 'load' });
  await home.close();
  expect(env.demoToken).toBe('KySo Demo');
}, 180_000);

afterAll(async () => {
  try {
    await kb?.close();
    await portal?.close();
  } finally {
    releasePolicy?.();
    if (xdgBefore === undefined) delete process.env.XDG_CONFIG_HOME;
    else process.env.XDG_CONFIG_HOME = xdgBefore;
    if (xdg) rmSync(xdg, { recursive: true, force: true });
  }
});

const state = (p: Page) => p.$eval('[data-testid="sign-root"]', (e) => e.getAttribute('data-state'));
const waitState = (p: Page, want: string[], timeout = 60_000) =>
  p.waitForFunction((w: string[]) => w.includes(document.querySelector('[data-testid="sign-root"]')?.getAttribute('data-state') ?? ''), { timeout }, want);

/** Certificate, PIN, "Ký số", "Xác nhận ký"; returns the result's how, text and warnings. */
async function signOnPage(sign: Page): Promise<{ how: string | null; text: string; warnings: string }> {
  await waitState(sign, ['ready', 'error']);
  const err = await sign.$eval('[data-testid="error-code"]', (e) => e.textContent).catch(() => null);
  expect(err, 'the document loaded').toBeNull();
  for (const el of await sign.$$('[data-testid="cert-option"]')) if ((await el.evaluate((e) => (e as HTMLElement).innerText)).includes(leaderName)) await el.click();
  await sign.type('[data-testid="pin"]', ensureTestEnv().userPin);
  await sign.click('[data-testid="sign-button"]');
  await waitState(sign, ['confirm']);
  await sign.click('[data-testid="confirm-sign"]');
  await waitState(sign, ['done', 'error'], 90_000);
  const code = await sign.$eval('[data-testid="error-code"]', (e) => e.textContent).catch(() => null);
  expect(code, `signing ended in ${await state(sign)}`).toBeNull();
  return {
    how: await sign.$eval('[data-testid="result"]', (e) => e.getAttribute('data-how')),
    text: await sign.$eval('[data-testid="result"]', (e) => (e as HTMLElement).innerText),
    warnings: await sign.$eval('[data-testid="result-warnings"]', (e) => (e as HTMLElement).innerText).catch(() => ''),
  };
}

async function waitFiles(n: number): Promise<string[]> {
  const t0 = Date.now();
  const complete = (f: string) => !f.endsWith('.crdownload') && readFileSync(join(downloads, f)).subarray(-8).toString('latin1').includes('%%EOF');
  let files: string[] = [];
  while (Date.now() - t0 < 20_000) {
    files = existsSync(downloads) ? readdirSync(downloads).sort() : [];
    if (files.length >= n && files.every(complete)) return files;
    await new Promise((r) => setTimeout(r, 200));
  }
  return files;
}

describe('the signed file downloaded when the portal cannot take it', { timeout: 240_000 }, () => {
  it('generic page: "<name>.signed.pdf" in the downloads; signing again keeps the first file and adds another', async () => {
    const page = await kb.browser.newPage();
    await page.goto(`${portal.url}/khac/tai-lieu`, { waitUntil: 'load' });
    const sel = 'span.kyso-actions[data-kyso-url$="/khac/files/bao-cao.pdf"] button.kyso-sign';
    await page.waitForSelector(sel, { timeout: 20_000 });

    const first = await clickAndOpen(kb, page, sel);
    const job = await getJob(first.page, first.jobId);
    expect(job.upload).toEqual({ kind: 'none' });
    const r1 = await signOnPage(first.page);
    expect(r1.how).toBe('download');
    const expected = `${job.document.name.replace(/\.pdf$/i, '')}.signed.pdf`;
    expect(r1.text).toContain(expected);
    const files1 = await waitFiles(1);
    expect(files1).toEqual([expected]);
    const firstBytes = readFileSync(join(downloads, expected));
    // A signed PDF (its validity is the signing page's and the portal flows' suites to judge, with pdfsig).
    expect(firstBytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(firstBytes.includes('/ByteRange')).toBe(true);
    expect(firstBytes.includes('/adbe.pkcs7.detached') || firstBytes.includes('/ETSI.CAdES.detached')).toBe(true);
    console.log(`download: ${await kb.screenshot(first.page, 'generic-downloaded')}`);
    await first.page.close();

    const second = await clickAndOpen(kb, page, sel);
    const r2 = await signOnPage(second.page);
    expect(r2.how).toBe('download');
    const files2 = await waitFiles(2);
    expect(files2).toHaveLength(2);
    expect(files2).toContain(expected);
    const other = files2.find((f) => f !== expected)!;
    expect(other).toMatch(/\.signed \(1\)\.pdf$/);
    expect(r2.text).toContain(other);
    // The first file is untouched.
    expect(readFileSync(join(downloads, expected)).equals(firstBytes)).toBe(true);
    await second.page.close();
    await page.close();
  });

  it('iOffice, portal tab closed before delivery: downloaded, the user told why, the 30-character rule warned about, the name kept', async () => {
    const before = new Set(existsSync(downloads) ? readdirSync(downloads) : []);
    const page = await kb.browser.newPage();
    await page.goto(`${portal.url}/ioffice/`, { waitUntil: 'load' });
    let frame = page.frames().find((f) => f.url().endsWith('/ioffice/vb-cho-duyet.jsp'));
    for (let i = 0; !frame && i < 50; i++) {
      await new Promise((r) => setTimeout(r, 100));
      frame = page.frames().find((f) => f.url().endsWith('/ioffice/vb-cho-duyet.jsp'));
    }
    await frame!.waitForSelector('a.lnk-tai-file + span.kyso-actions button.kyso-sign', { timeout: 20_000 });
    const { page: sign, jobId } = await clickAndOpen(kb, frame!, 'a.lnk-tai-file + span.kyso-actions button.kyso-sign');
    const job = await getJob(sign, jobId);
    expect(job.upload.kind).toBe('url');
    await waitState(sign, ['ready', 'error']); // the document came through the frame
    const uploadsBefore = portal.uploads().length;
    await page.close();

    const r = await signOnPage(sign);
    expect(r.how).toBe('download');
    expect(r.warnings).toContain('đã đóng');
    const name = `${job.document.name.replace(/\.pdf$/i, '')}.signed.pdf`;
    if ([...name].length > 30) expect(r.warnings).toContain('vượt quá 30 ký tự');
    expect(portal.uploads().length).toBe(uploadsBefore);
    const files = (await waitFiles(before.size + 1)).filter((f) => !before.has(f));
    expect(files).toEqual([name]);
    console.log(`page gone: ${await kb.screenshot(sign, 'ioffice-page-gone')}`);
    await sign.close();
  });
});
