// The self-hosted install as IT deploys it on Linux: a managed policy file in /etc/chromium/policies/managed with
// ExtensionInstallForcelist "<ID>;http://127.0.0.1:<port>/update.xml" and the extension's own settings ("3rdparty"),
// an update server on 127.0.0.1 answering update.xml and the CRX3 (scripts/package/installers, signed with the dev
// key), and Debian's Chromium started on a fresh profile with NO --load-extension: Chromium must fetch, verify and
// install the extension by itself, start its service worker under EXTENSION_ID, and hand it the managed settings
// (chrome.storage.managed; the options page shows them locked). Then: a higher version published on the same
// server is fetched and installed (update check through the packed manifest's update_url), and a CRX that claims
// our ID but is signed by another key is refused.
//
// Needs root (the file lives in /etc). The policy folder is snapshotted and restored exactly afterwards under the
// same machine-wide lock as the other policy suite (managed-policy.ts lockPolicy), so the two never overlap; this
// suite's files have their own names (kyso-forced-install*.json). While they are there, every Chromium on the
// machine sees the forcelist; the update server answers only this suite's browser (its own user agent).

import { createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { packageExtension, type ExtensionPackage } from '../../scripts/package/installers/extension-package.ts';
import { parseCrx } from '../../scripts/package/installers/crx.ts';
import { bytesField } from '../../scripts/package/installers/protobuf.ts';
import { REPO_ROOT } from '../../scripts/testenv/testenv.ts';
import { EXTENSION_ID } from '../../shared/protocol/extension-id.ts';
import { linuxInstallPolicy } from '../../scripts/package/policies/templates.ts';
import { CHROMIUM, EXTENSION_DIST, SHOTS_ROOT } from './browser.ts';
import { MANAGED_DIR, POLICY_ROOT, canWritePolicy, lockPolicy, restore, sameSnapshot, snapshot, type Snapshot } from './managed-policy.ts';

const POLICY_FILE = join(MANAGED_DIR, 'kyso-forced-install.json');
const SETTINGS_FILE = join(MANAGED_DIR, 'kyso-forced-install-settings.json');
const DEV_KEY = join(REPO_ROOT, 'extension', 'keys', 'dev-extension-key.pem');
const SETTINGS = {
  portals: ['https://qlvb.example.gov.vn/*'],
  tsaUrl: 'http://tsa.example.gov.vn/tsa',
  signatureLevel: 'B-T',
};

if (!canWritePolicy()) console.warn('forced-install.test.ts skipped: writing /etc/chromium/policies/managed needs root.');

interface Served {
  server: Server;
  port: number;
  requests: string[];
  /** What the server hands out from now on (a new version: update.xml and the CRX it names). */
  publish(pkg: ExtensionPackage): void;
}

/**
 * The user agent of this suite's Chromium (its extension updater sends it too). The policy reaches every Chromium
 * started on the machine while the file is there; other test files' browsers get 404 here, so they never install
 * this CRX (nor lose it when the policy goes).
 */
const OUR_UA = `KySoForcedInstallTest/${process.pid}-${Math.random().toString(36).slice(2)}`;

/** update.xml (any query string: Chromium appends ?x=id%3D…) and the CRX on 127.0.0.1 for our browser, nothing else. */
async function serve(pkgFor: (port: number) => ExtensionPackage): Promise<Served & { pkg: ExtensionPackage }> {
  const requests: string[] = [];
  let pkg: ExtensionPackage | undefined;
  const crxFiles = new Map<string, Buffer>();
  const server = createServer((req, res) => {
    if (req.headers['user-agent'] !== OUR_UA) {
      res.writeHead(404).end();
      return;
    }
    requests.push(req.url ?? '');
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    // Older CRX files stay downloadable, as on a real server.
    const crx = pkg && path.endsWith('.crx') ? crxFiles.get(path.slice(1)) : undefined;
    if (pkg && path === '/update.xml') {
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(pkg.updateXml);
    } else if (crx) {
      res.writeHead(200, { 'content-type': 'application/x-chrome-extension', 'content-length': crx.length }).end(crx);
    } else {
      res.writeHead(404).end();
    }
  });
  // Never outlives the test process.
  server.unref();
  await new Promise<void>((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok));
  const port = (server.address() as { port: number }).port;
  const publish = (p: ExtensionPackage) => {
    pkg = p;
    crxFiles.set(p.crxName, p.crx);
  };
  publish(pkgFor(port));
  return { server, port, requests, pkg: pkg!, publish };
}

let served: (Served & { pkg: ExtensionPackage }) | undefined;
let browser: Browser | undefined;
let userDataDir: string | undefined;
let release: (() => void) | undefined;
let before: Snapshot | undefined;
const shotsDir = join(SHOTS_ROOT, 'forced-install');

async function cleanup(): Promise<void> {
  try {
    if (browser) {
      const proc = browser.process();
      await browser.close().catch(() => undefined);
      if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    }
  } finally {
    browser = undefined;
    try {
      if (before) {
        restore(POLICY_ROOT, before);
        if (!sameSnapshot(before, snapshot(POLICY_ROOT))) throw new Error(`${POLICY_ROOT} was not restored exactly.`);
      }
    } finally {
      before = undefined;
      release?.();
      release = undefined;
      if (userDataDir) rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
      userDataDir = undefined;
      served?.server.close();
      served?.server.closeAllConnections();
      served = undefined;
    }
  }
}

async function shot(page: Page, name: string): Promise<string> {
  const path = join(shotsDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** What chrome://extensions-internals says about our extension (its page is one JSON document). */
async function internals(b: Browser): Promise<Record<string, unknown> | undefined> {
  const page = await b.newPage();
  try {
    await page.goto('chrome://extensions-internals', { waitUntil: 'load' });
    const text = await page.$eval('body', (e) => (e as HTMLElement).innerText);
    const list = JSON.parse(text) as { id: string }[];
    return list.find((e) => e.id === EXTENSION_ID);
  } catch {
    return undefined;
  } finally {
    await page.close();
  }
}

/**
 * Serves pkg (its CRX replaced by crx when given), writes the policy under the lock, and starts Chromium on a fresh
 * profile without any extension: only the policy can bring ours in.
 */
async function forcedInstall(crx?: (good: ExtensionPackage) => Buffer, extraArgs: string[] = []): Promise<{ b: Browser; pkg: ExtensionPackage }> {
  served = await serve((port) => {
    const good = packageExtension({ dist: EXTENSION_DIST, keyPem: readFileSync(DEV_KEY), baseUrl: `http://127.0.0.1:${port}/` });
    return crx ? { ...good, crx: crx(good) } : good;
  });
  const pkg = served.pkg;
  // The other policy suite may hold the lock for a few minutes.
  release = await lockPolicy(300_000);
  before = snapshot(POLICY_ROOT);
  mkdirSync(MANAGED_DIR, { recursive: true, mode: 0o755 });
  // Two files, as IT would deploy them: the generated kyso-install.json (npm run package:policies, and the
  // kyso-browser-policy .deb) byte for byte, and the extension's settings with one test-only browser policy.
  const install = linuxInstallPolicy(pkg.updateUrl);
  const extra = {
    // Test only: without it (value 0, the default) Chromium refuses DevTools — and so puppeteer — on extensions
    // installed by policy: their pages and worker exist but cannot be attached to.
    DeveloperToolsAvailability: 1,
    '3rdparty': { extensions: { [EXTENSION_ID]: SETTINGS } },
  };
  writeFileSync(POLICY_FILE, install, { mode: 0o644 });
  writeFileSync(SETTINGS_FILE, JSON.stringify(extra, null, 2), { mode: 0o644 });
  console.log(`${POLICY_FILE}:\n${install}${SETTINGS_FILE}: ${JSON.stringify(extra)}`);

  userDataDir = mkdtempSync(join(tmpdir(), 'kyso-e2e-forced-'));
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    pipe: true,
    headless: true,
    userDataDir,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync', '--disable-component-update', '--lang=vi', `--user-agent=${OUR_UA}`, ...extraArgs],
    // puppeteer's defaults switch extensions off and, with --disable-background-networking, the extension
    // updater that performs the forced install.
    ignoreDefaultArgs: ['--disable-extensions', '--disable-background-networking'],
    timeout: 30_000,
  });
  return { b: browser, pkg };
}

/** 0.1.0 → 0.1.1 */
function bumpVersion(v: string): string {
  const parts = v.split('.').map(Number);
  parts[parts.length - 1] += 1;
  return parts.join('.');
}

/** A CRX whose header claims our extension ID but is signed by another key (what an attacker could serve). */
function forgedCrx(archive: Buffer, crxId: Buffer): Buffer {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signedHeaderData = bytesField(1, crxId);
  const le32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    return b;
  };
  const signature = sign('sha256', Buffer.concat([Buffer.from('CRX3 SignedData\x00', 'latin1'), le32(signedHeaderData.length), signedHeaderData, archive]), privateKey);
  const publicKey = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const header = Buffer.concat([bytesField(2, Buffer.concat([bytesField(1, publicKey), bytesField(2, signature)])), bytesField(10000, signedHeaderData)]);
  return Buffer.concat([Buffer.from('Cr24', 'latin1'), le32(3), le32(header.length), header, archive]);
}

describe.skipIf(!canWritePolicy())('forced install from a self-hosted update server', { timeout: 420_000 }, () => {
  beforeAll(() => {
    if (!readFileSync(join(EXTENSION_DIST, 'manifest.json'), 'utf8')) throw new Error(`${EXTENSION_DIST}/manifest.json is empty`);
    mkdirSync(shotsDir, { recursive: true });
    console.log(`Screenshots: ${shotsDir}`);
  });

  afterEach(cleanup);

  it('Chromium installs the CRX by policy, starts it as EXTENSION_ID, and the extension reads the managed settings', async () => {
    const { b, pkg } = await forcedInstall();
    const initial = before!;

    // Installed by policy, no page of ours open yet: poll chrome://extensions-internals until it lists the extension.
    let info: Record<string, unknown> | undefined;
    const deadline = Date.now() + 90_000;
    while (!(info = await internals(b)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1000));
    if (!info) {
      // Why not: what Chromium says about the policy, and which requests reached the server.
      const p = await b.newPage();
      await p.goto('chrome://policy', { waitUntil: 'load' }).catch(() => undefined);
      console.log(`chrome://policy: ${await shot(p, 'policy-failed')}`);
      throw new Error(`${EXTENSION_ID} not installed within 90 s. Requests: ${JSON.stringify(served!.requests)}; screenshot of chrome://policy above.`);
    }
    console.log(`extensions-internals: ${JSON.stringify({ location: info.location, version: info.version, path: info.path })}`);

    // The browser asked our update URL for this ID and fetched the CRX it names.
    const updateRequest = served!.requests.find((r) => r.startsWith('/update.xml'));
    expect(updateRequest, JSON.stringify(served!.requests)).toBeDefined();
    expect(decodeURIComponent(updateRequest!)).toContain(`id=${EXTENSION_ID}`);
    expect(decodeURIComponent(updateRequest!)).toContain('installedby=policy');
    expect(served!.requests).toContain(`/${pkg.crxName}`);
    // Installed by policy from an update URL (not unpacked, not from a store), at the version update.xml named.
    expect(info.location).toBe('EXTERNAL_POLICY_DOWNLOAD');
    expect(info.version).toBe(pkg.version);

    // The options page: the extension's own page under its fixed ID; it asks the background for the settings,
    // which starts the service worker (MV3 workers run on demand).
    const page = await b.newPage();
    await page.setViewport({ width: 1000, height: 800 });
    await page.goto(`chrome-extension://${EXTENSION_ID}/pages/options/index.html`, { waitUntil: 'load' });
    await page.waitForSelector('main[data-state="ok"], main[data-state="error"]', { timeout: 20_000 });
    const worker = await b.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${EXTENSION_ID}/`), { timeout: 30_000 });
    expect(worker.url()).toMatch(new RegExp(`^chrome-extension://${EXTENSION_ID}/`));

    // The managed settings, read inside the extension's own worker.
    const sw = await worker.worker();
    expect(sw).toBeTruthy();
    let managed: Record<string, unknown> = {};
    for (let i = 0; i < 40 && Object.keys(managed).length === 0; i++) {
      managed = (await sw!.evaluate(() => chrome.storage.managed.get(null))) as Record<string, unknown>;
      if (Object.keys(managed).length === 0) await new Promise((r) => setTimeout(r, 500));
    }
    expect(managed).toEqual(SETTINGS);

    // The options page shows them locked (loaded again: the first load may have raced the policy).
    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector('main[data-state="ok"], main[data-state="error"]', { timeout: 20_000 });
    const locked = await page.$$eval('section[data-locked="true"]', (ss) => ss.map((s) => s.getAttribute('data-key')).sort());
    console.log(`options page: ${await shot(page, 'options-forced-install')}`);
    expect(locked).toEqual(expect.arrayContaining(Object.keys(SETTINGS)));
    expect(await page.$eval('#setting-tsaUrl', (e) => (e as HTMLInputElement).value)).toBe(SETTINGS.tsaUrl);
    expect(await page.$eval('main', (m) => (m as HTMLElement).innerText)).toContain('Do bộ phận CNTT thiết lập');

    const ext = await b.newPage();
    await ext.goto('chrome://extensions', { waitUntil: 'load' });
    await new Promise((r) => setTimeout(r, 500));
    console.log(`chrome://extensions: ${await shot(ext, 'extensions-page')}`);

    // The policy folder is exactly as it was once the test is over.
    await cleanup();
    expect(sameSnapshot(initial, snapshot(POLICY_ROOT))).toBe(true);
  });

  it('updates itself when the server publishes a higher version (same key)', async () => {
    const { b, pkg } = await forcedInstall();
    const deadline = Date.now() + 90_000;
    let info: Record<string, unknown> | undefined;
    while ((info = await internals(b))?.version !== pkg.version && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1000));
    expect(info?.version).toBe(pkg.version);

    // The same build with a higher version number, packed with the same key and published on the same server.
    const next = bumpVersion(pkg.version);
    const dist = mkdtempSync(join(tmpdir(), 'kyso-e2e-next-'));
    try {
      cpSync(EXTENSION_DIST, dist, { recursive: true });
      const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as { version: string };
      writeFileSync(join(dist, 'manifest.json'), JSON.stringify({ ...manifest, version: next }, null, 2));
      served!.publish(packageExtension({ dist, keyPem: readFileSync(DEV_KEY), baseUrl: `http://127.0.0.1:${served!.port}/` }));
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }

    // Ask now, as the "Update" button of chrome://extensions does (chrome.developerPrivate.autoUpdate on that page).
    // The extension has no onUpdateAvailable listener: the update applies at once.
    const extPage = await b.newPage();
    await extPage.goto('chrome://extensions', { waitUntil: 'load' });
    const r = await extPage.evaluate(async () => {
      const dp = (chrome as unknown as { developerPrivate: { autoUpdate(): Promise<void>; updateProfileConfiguration(c: object): Promise<void> } }).developerPrivate;
      try {
        await dp.updateProfileConfiguration({ inDeveloperMode: true });
        await dp.autoUpdate();
        return 'ok';
      } catch (e) {
        return String(e);
      }
    });
    console.log(`developerPrivate.autoUpdate: ${r}`);
    const until = Date.now() + 60_000;
    while ((info = await internals(b))?.version !== next && Date.now() < until) await new Promise((r) => setTimeout(r, 1000));
    expect(info?.version, `requests: ${JSON.stringify(served!.requests)}`).toBe(next);
    expect(info?.location).toBe('EXTERNAL_POLICY_DOWNLOAD');
    expect(served!.requests).toContain(`/kyso-${next}.crx`);
    // The update check went to our server: the packed manifest's update_url (scripts/package/installers).
    expect(served!.requests.filter((u) => u.startsWith('/update.xml')).length).toBeGreaterThanOrEqual(2);
  });

  it('refuses a CRX that claims our ID but is signed by another key', async () => {
    let claimed = '';
    const { b, pkg } = await forcedInstall((good) => {
      const forged = forgedCrx(parseCrx(good.crx).archive, parseCrx(good.crx).crxId);
      // Well-formed and validly signed — by a key that is not ours: only the key check can stop it.
      const p = parseCrx(forged);
      claimed = p.extensionId;
      expect(p.proofs.map((x) => [x.verified, x.extensionId === EXTENSION_ID])).toEqual([[true, false]]);
      return forged;
    });
    expect(claimed).toBe(EXTENSION_ID);
    const deadline = Date.now() + 60_000;
    while (!served!.requests.includes(`/${pkg.crxName}`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    expect(served!.requests, 'Chromium fetched the forged CRX').toContain(`/${pkg.crxName}`);
    // Time to unpack and verify it (a good CRX is installed well within this).
    await new Promise((r) => setTimeout(r, 10_000));
    expect(await internals(b)).toBeUndefined();
    expect(b.targets().some((t) => t.url().startsWith(`chrome-extension://${EXTENSION_ID}/`))).toBe(false);
    const ext = await b.newPage();
    await ext.goto('chrome://extensions', { waitUntil: 'load' });
    console.log(`chrome://extensions after the forged CRX: ${await shot(ext, 'extensions-forged-crx')}`);
  });
});
