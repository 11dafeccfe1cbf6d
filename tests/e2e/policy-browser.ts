// Chromium with the extension loaded at start (--load-extension), for the policy tests. browser.ts installs the
// extension over CDP after the browser has started; observed with Chromium 156, an extension installed that way
// gets its chrome.storage.managed from platform policy only after policy is loaded again, and "Reload policies" on
// chrome://policy does not always bring it (some runs never got it in 30 s). Loaded at start, as a force-installed
// extension is, its schema is known when Chromium reads /etc/chromium/policies, and the policy is there at once.

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { EXTENSION_ID } from '../../shared/protocol/extension-id.ts';
import { CHROMIUM, EXTENSION_DIST, kysoBrowser, SHOTS_ROOT, type KysoBrowser } from './browser.ts';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--lang=vi',
  `--load-extension=${EXTENSION_DIST}`,
  `--disable-extensions-except=${EXTENSION_DIST}`,
];

export async function launchWithExtensionAtStart(name: string): Promise<KysoBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'kyso-e2e-policy-'));
  const shotsDir = join(SHOTS_ROOT, name);
  mkdirSync(shotsDir, { recursive: true });
  let browser: Browser | undefined;
  const close = async () => {
    try {
      if (browser) {
        const proc = browser.process();
        await browser.close().catch(() => undefined);
        if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      }
    } finally {
      rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
    }
  };
  try {
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      pipe: true,
      headless: true,
      userDataDir,
      args: ARGS,
      // puppeteer's defaults include --disable-extensions.
      ignoreDefaultArgs: ['--disable-extensions'],
      timeout: 30_000,
    });
    const worker = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${EXTENSION_ID}/`), { timeout: 20_000 });
    if (!worker) throw new Error(`The extension did not start as ${EXTENSION_ID}.`);
    return kysoBrowser(browser, EXTENSION_ID, userDataDir, shotsDir, close);
  } catch (e) {
    await close();
    throw e;
  }
}
