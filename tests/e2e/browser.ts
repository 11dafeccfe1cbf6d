// Debian's Chromium with the built extension (extension/dist) and, when asked, the kyso native host registered for
// it. Each launch gets its own profile in a temporary directory: Chromium reads user-level native messaging hosts
// from <user-data-dir>/NativeMessagingHosts when --user-data-dir is given, so nothing outside the profile changes.
// close() always closes the browser (and with it the host it started) and removes the profile.

import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { EXTENSION_ID, EXTENSION_ORIGIN, HOST_NAME } from '../../shared/protocol/extension-id.ts';
import { REPO_ROOT, ensureTestEnv } from '../../scripts/testenv/testenv.ts';

export const CHROMIUM = process.env.KYSO_CHROMIUM ?? '/usr/bin/chromium';
/** KYSO_EXTENSION_DIST lets a run test a build made elsewhere (parallel work builds into its own folder). */
export const EXTENSION_DIST = process.env.KYSO_EXTENSION_DIST ?? join(REPO_ROOT, 'extension', 'dist');
export const HOST_LAUNCHER_TARGET = join(REPO_ROOT, 'native-host', 'bin', 'kyso.mjs');

/** Extension pages, relative to the extension's origin (as built into extension/dist). */
export const PAGES = {
  diagnostics: 'pages/diagnostics/index.html',
  options: 'pages/options/index.html',
} as const;

/**
 * How the host is registered in the profile: not at all, for this extension (the launcher runs kyso with the demo
 * token), or with allowed_origins naming other extensions only.
 */
export type HostRegistration = { kind: 'none' } | { kind: 'installed' } | { kind: 'other-origins'; origins: string[] };

export interface LaunchOptions {
  host: HostRegistration;
  /** Subfolder of the screenshot folder for this browser. */
  name: string;
  /** Default true; the demo (scripts/demo/run.ts) shows the browser when a display exists. */
  headless?: boolean;
  /** Screenshot folder instead of out/e2e/<run>/<name> (the demo writes to out/demo/). */
  shotsDir?: string;
}

export interface KysoBrowser {
  browser: Browser;
  extensionId: string;
  userDataDir: string;
  /** Where screenshot() writes (out/e2e/<run>/<name>). */
  shotsDir: string;
  /** Opens an extension page in a new tab and waits for it to load. */
  openPage(page: keyof typeof PAGES): Promise<Page>;
  /** Saves a full-page PNG and returns its path. */
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

const RUN_STAMP = new Date().toISOString().replace(/[:.]/g, '-');
/** This test run's screenshots: out/e2e/<timestamp>/. */
export const SHOTS_ROOT = join(REPO_ROOT, 'out', 'e2e', RUN_STAMP);

const ARGS = [
  '--enable-unsafe-extension-debugging',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--lang=vi',
];

/** Hosts the browser started and did not stop (a host must exit when its stdin closes; this is the safety net). */
function killHosts(userDataDir: string): void {
  const file = join(userDataDir, 'host-pids');
  if (!existsSync(file)) return;
  for (const pid of readFileSync(file, 'utf8').split('\n').map(Number).filter((n) => n > 0)) {
    // Only a process that is still our host (a pid can be reused once the host has gone).
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!cmdline.includes(HOST_LAUNCHER_TARGET)) continue;
    try {
      process.kill(pid, 'SIGKILL');
      console.warn(`kyso host ${pid} was still running after the browser closed; killed it.`);
    } catch {
      // Gone already, as it should be.
    }
  }
}

/** A shell launcher for the host: SoftHSM pointed at this process's copy of the test tokens, then kyso. */
function writeHostLauncher(dir: string): string {
  const env = ensureTestEnv();
  const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  const path = join(dir, 'kyso-host.sh');
  writeFileSync(
    path,
    ['#!/bin/sh', `echo $$ >> ${q(join(dir, 'host-pids'))}`, `export SOFTHSM2_CONF=${q(env.softhsmConf)}`, `exec ${q(process.execPath)} ${q(HOST_LAUNCHER_TARGET)} "$@"`, ''].join('\n'),
  );
  chmodSync(path, 0o755);
  return path;
}

function registerHost(userDataDir: string, reg: HostRegistration): void {
  if (reg.kind === 'none') return;
  const dir = join(userDataDir, 'NativeMessagingHosts');
  mkdirSync(dir, { recursive: true });
  const manifest = {
    name: HOST_NAME,
    description: 'KýSố (test)',
    path: writeHostLauncher(userDataDir),
    type: 'stdio',
    allowed_origins: reg.kind === 'installed' ? [EXTENSION_ORIGIN] : reg.origins,
  };
  writeFileSync(join(dir, `${HOST_NAME}.json`), JSON.stringify(manifest, null, 2));
}

/** The handle tests use, over a launched browser with the extension at extensionId. */
export function kysoBrowser(b: Browser, extensionId: string, userDataDir: string, shotsDir: string, close: () => Promise<void>): KysoBrowser {
  return {
    browser: b,
    extensionId,
    userDataDir,
    shotsDir,
    async openPage(name) {
      const page = await b.newPage();
      await page.setViewport({ width: 1000, height: 800 });
      await page.goto(`chrome-extension://${extensionId}/${PAGES[name]}`, { waitUntil: 'load' });
      return page;
    },
    async screenshot(page, name) {
      const path = join(shotsDir, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    close,
  };
}

export async function launchWithExtension(opts: LaunchOptions): Promise<KysoBrowser> {
  if (!existsSync(join(EXTENSION_DIST, 'manifest.json'))) {
    throw new Error(`${EXTENSION_DIST}/manifest.json is missing: run npm run build:extension first.`);
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'kyso-e2e-'));
  const shotsDir = opts.shotsDir ?? join(SHOTS_ROOT, opts.name);
  mkdirSync(shotsDir, { recursive: true });
  let browser: Browser | undefined;
  try {
    registerHost(userDataDir, opts.host);
    const headless = opts.headless ?? true;
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      pipe: true,
      enableExtensions: true,
      headless,
      // A shown window keeps its own size; headless pages get puppeteer's 800×600 unless a test sets one.
      ...(headless ? {} : { defaultViewport: null }),
      userDataDir,
      args: ARGS,
      timeout: 30_000,
    });
    const extensionId = await browser.installExtension(EXTENSION_DIST);
    if (extensionId !== EXTENSION_ID) {
      throw new Error(`Extension installed as ${extensionId}, expected ${EXTENSION_ID} (manifest "key").`);
    }
    const b = browser;
    return kysoBrowser(b, extensionId, userDataDir, shotsDir, () => closeAll(b, userDataDir));
  } catch (e) {
    await closeAll(browser, userDataDir);
    throw e;
  }
}

async function closeAll(browser: Browser | undefined, userDataDir: string): Promise<void> {
  try {
    if (browser) {
      const proc = browser.process();
      await browser.close().catch(() => undefined);
      // close() waits for the browser process; make sure nothing lingers if it did not exit.
      if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    }
  } finally {
    killHosts(userDataDir);
    rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
  }
}
