// The user's walks through the demo portal with the extension, shared by the demo (scripts/demo/run.ts) and the
// end-to-end tests (tests/e2e/portal-flows.test.ts): click "Ký số" beside a document, work the signing page through
// its test hooks (/work/notes/sign-page.md: data-testid and sign-root's data-state), then finish on the portal the
// way its own users do ("Ban hành", "Áp dụng"). Each flow returns what it saw — the file before signing, the bytes
// the portal received, the signing page's verdict, the screenshots of every step — and asserts nothing itself:
// the tests judge, the demo reports.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, ElementHandle, Frame, Page, Target } from 'puppeteer-core';
import type { Upload } from './portal/server.ts';

export interface PortalHandle {
  url: string;
  uploads(): Upload[];
}

export interface FlowContext {
  browser: Browser;
  extensionId: string;
  portal: PortalHandle;
  /** Screenshots go here, numbered in the order taken. */
  shotsDir: string;
  /** The demo token's PIN. */
  pin: string;
  /** false when the window is shown: pages keep the window's size. */
  setViewport?: boolean;
  log?: (line: string) => void;
  /** For each wait on the signing page (signing includes the host, the token and revocation data). Default 90 s. */
  timeoutMs?: number;
}

/** The signing page's fields as they were when the page became ready (what the adapter prefilled). */
export interface SignFields {
  mode: string | null;
  docNumber: string | null;
  place: string | null;
  date: string | null;
  certNumber: string | null;
  book: string | null;
}

export interface PlacementBox {
  page: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface FlowResult {
  flow: string;
  screenshots: string[];
  /** The document as the portal served it before this signature. */
  original?: Uint8Array;
  /** What the portal received (the upload this flow caused), or undefined. */
  upload?: Upload;
  /** sign-root's final data-state. */
  finalState?: string;
  /** result's data-how: input | url | download. */
  how?: string;
  resultText?: string;
  /** result-warnings' text (e.g. a file name longer than the portal allows). */
  warnings?: string;
  fields?: SignFields;
  placement?: PlacementBox;
  /** Page canvases of the preview, and how many non-white pixels the first one has. */
  pagesRendered?: number;
  firstPageInk?: number;
  errorCode?: string;
  errorMessage?: string;
  retriesText?: string;
  uploadsBefore?: number;
  uploadsAfter?: number;
  /** Files in the portal's upload field after the flow. */
  inputFiles?: string[];
  /** For pages that grow after load: "Ký số" buttons per document URL. */
  buttonsPerUrl?: Record<string, number>;
}

const LEADER = 'Nguyễn Văn Thành';
const ORGANISATION = 'UBND TỈNH QUẢNG NAM';

// ---------------------------------------------------------------------------------------------------------------
// Small steps.

class Steps {
  private n = 0;
  readonly shots: string[] = [];
  constructor(
    readonly ctx: FlowContext,
    readonly flow: string,
  ) {
    mkdirSync(ctx.shotsDir, { recursive: true });
  }
  log(line: string): void {
    this.ctx.log?.(`[${this.flow}] ${line}`);
  }
  get timeout(): number {
    return this.ctx.timeoutMs ?? 90_000;
  }
  async shot(page: Page, step: string): Promise<string> {
    this.n++;
    const path = join(this.ctx.shotsDir, `${this.flow}-${String(this.n).padStart(2, '0')}-${step}.png`);
    await page.screenshot({ path, fullPage: true }).catch((e: unknown) => this.log(`screenshot ${step} failed: ${String(e)}`));
    this.shots.push(path);
    return path;
  }
}

// tsx (esbuild with keepNames) wraps named functions inside the callbacks given to page.evaluate in __name(…),
// which the page does not define: give every frame a no-op one.
const NAME_SHIM = 'globalThis.__name = globalThis.__name || ((f) => f);';

async function portalPage(s: Steps, path: string): Promise<Page> {
  const page = await s.ctx.browser.newPage();
  await page.evaluateOnNewDocument(NAME_SHIM);
  if (s.ctx.setViewport !== false) await page.setViewport({ width: 1280, height: 900 });
  // The portals' own plug-in buttons answer with alerts; a user closes them.
  page.on('dialog', (d) => void d.dismiss().catch(() => undefined));
  // Without a session the portal sends us through its start page, which signs the demo user in.
  await page.goto(s.ctx.portal.url + path, { waitUntil: 'load' });
  return page;
}

/** The document's bytes as the portal serves them now, fetched in the portal's frame with its session. */
async function fetchInFrame(frame: Frame | Page, url: string): Promise<Uint8Array> {
  const b64 = await frame.evaluate(async (u: string) => {
    const r = await fetch(u, { credentials: 'include', cache: 'no-store' });
    if (!r.ok) throw new Error(`${u}: HTTP ${r.status}`);
    const bytes = new Uint8Array(await r.arrayBuffer());
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(bin);
  }, url);
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

const signSelector = (urlPart: string) => `button.kyso-sign[data-kyso-url*="${urlPart.replace(/"/g, '\\"')}"]`;

async function waitSignButton(s: Steps, frame: Frame | Page, urlPart: string): Promise<ElementHandle<Element>> {
  const b = await frame.waitForSelector(signSelector(urlPart), { visible: true, timeout: 20_000 }).catch(() => null);
  if (!b) throw new Error(`No "Ký số" button (button.kyso-sign) for ${urlPart} within 20 s: the content script did not mark the document.`);
  return b;
}

/** Clicks "Ký số" and returns the signing page the extension opens for the job. */
async function openSignPage(s: Steps, button: ElementHandle<Element>): Promise<Page> {
  const before = new Set<Target>(s.ctx.browser.targets());
  await button.click();
  const target = await s.ctx.browser
    .waitForTarget((t) => !before.has(t) && t.type() === 'page' && t.url().startsWith(`chrome-extension://${s.ctx.extensionId}/pages/sign/`), { timeout: 20_000 })
    .catch(() => null);
  if (!target) throw new Error('Clicking "Ký số" opened no signing page (pages/sign/index.html?job=…) within 20 s.');
  const page = await target.page();
  if (!page) throw new Error('The signing page has no page handle.');
  await page.evaluate(NAME_SHIM);
  if (s.ctx.setViewport !== false) await page.setViewport({ width: 1280, height: 900 });
  await page.bringToFront();
  return page;
}

const tid = (id: string) => `[data-testid="${id}"]`;

async function state(page: Page): Promise<string> {
  return page.$eval(tid('sign-root'), (e) => e.getAttribute('data-state') ?? '').catch(() => '');
}

async function errorInfo(page: Page): Promise<{ code: string; message: string }> {
  const text = (id: string) => page.$eval(tid(id), (e) => (e.textContent ?? '').trim()).catch(() => '');
  return { code: await text('error-code'), message: await text('error-message') };
}

/** Waits until sign-root's data-state is one of `states`; fails early on an unexpected `error`. */
async function waitState(s: Steps, page: Page, states: string[], timeout = s.timeout): Promise<string> {
  const wanted = states.includes('error') ? states : [...states, 'error'];
  const ok = await page
    .waitForFunction((w: string[]) => w.includes(document.querySelector('[data-testid="sign-root"]')?.getAttribute('data-state') ?? ''), { timeout, polling: 200 }, wanted)
    .then(() => true)
    .catch(() => false);
  const now = await state(page);
  if (!ok) throw new Error(`Signing page: waited ${timeout / 1000} s for data-state ${states.join('|')}, it is "${now || '(no sign-root)'}".`);
  if (now === 'error' && !states.includes('error')) {
    const e = await errorInfo(page);
    throw new Error(`Signing page reports an error while waiting for ${states.join('|')}: ${e.code} ${e.message}`);
  }
  return now;
}

async function readFields(page: Page): Promise<SignFields> {
  return page.evaluate(() => {
    const values: Record<string, string | null> = {};
    for (const k of ['docNumber', 'place', 'date', 'certNumber', 'book']) {
      const e = document.querySelector(`[data-testid="field-${k}"]`) as HTMLInputElement | HTMLSelectElement | null;
      values[k] = e ? e.value : null;
    }
    const modes = ['approval', 'issue', 'appendix', 'copy', 'certify'];
    const mode = modes.find((m) => (document.querySelector(`[data-testid="mode-${m}"]`) as HTMLInputElement | null)?.checked) ?? null;
    return { mode, docNumber: values.docNumber, place: values.place, date: values.date, certNumber: values.certNumber, book: values.book };
  });
}

async function readPlacement(page: Page): Promise<PlacementBox | undefined> {
  return page
    .$eval(tid('placement-box'), (e) => {
      const n = (k: string) => Number(e.getAttribute(k));
      return { page: n('data-page'), x: n('data-x'), y: n('data-y'), w: n('data-w'), h: n('data-h') };
    })
    .catch(() => undefined);
}

/** Number of page canvases, and the ink (non-white pixels) on the first. */
async function readRendering(page: Page): Promise<{ pages: number; ink: number }> {
  return page.evaluate(() => {
    const canvases = [...document.querySelectorAll('[data-testid^="page-"]')].filter((e) => /^page-\d+$/.test(e.getAttribute('data-testid') ?? ''));
    let ink = 0;
    const first = canvases.find((e) => e.getAttribute('data-testid') === 'page-1');
    const c = first instanceof HTMLCanvasElement ? first : first?.querySelector('canvas');
    if (c && c.width && c.height) {
      try {
        const d = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
        if (d) for (let i = 0; i < d.length; i += 16) if (d[i + 3] > 0 && (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200)) ink++;
      } catch {
        ink = -1;
      }
    }
    return { pages: canvases.length, ink };
  });
}

/** Waits (at most `ms`) until the first page canvas has something drawn on it. */
async function waitForInk(page: Page, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if ((await readRendering(page).catch(() => ({ ink: 0 }))).ink > 100) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function chooseMode(page: Page, mode: string): Promise<void> {
  const sel = tid(`mode-${mode}`);
  const el = await page.$(sel);
  if (!el) throw new Error(`Signing page has no ${sel}.`);
  const checked = await el.evaluate((e) => (e as HTMLInputElement).checked);
  if (!checked) await el.click();
  await page.waitForFunction((q: string) => (document.querySelector(q) as HTMLInputElement | null)?.checked === true, { timeout: 5000 }, sel);
}

/** Picks the certificate whose holder's name the option shows. */
async function chooseCertificate(page: Page, holder: string): Promise<void> {
  const found = await page.evaluate((name: string) => {
    const options = [...document.querySelectorAll('[data-testid="cert-option"]')] as HTMLElement[];
    const texts = options.map((o) => (o.textContent || o.closest('label')?.textContent || o.getAttribute('aria-label') || '').normalize('NFC'));
    const i = texts.findIndex((t) => t.includes(name.normalize('NFC')));
    if (i < 0) return { ok: false, texts };
    const o = options[i];
    if (o instanceof HTMLOptionElement && o.parentElement instanceof HTMLSelectElement) {
      o.parentElement.value = o.value;
      o.parentElement.dispatchEvent(new Event('change', { bubbles: true }));
      return { ok: true, texts, clicked: false };
    }
    o.setAttribute('data-kyso-demo-pick', '1');
    return { ok: true, texts, clicked: true };
  }, holder);
  if (!found.ok) throw new Error(`No cert-option shows "${holder}" (options: ${found.texts.join(' | ') || 'none'}).`);
  if (found.clicked) {
    await page.click('[data-kyso-demo-pick="1"]');
    await page.$eval('[data-kyso-demo-pick="1"]', (e) => e.removeAttribute('data-kyso-demo-pick'));
  }
}

async function typeInto(page: Page, id: string, value: string): Promise<void> {
  const sel = tid(id);
  await page.$eval(sel, (e) => {
    (e as HTMLInputElement).value = '';
  });
  await page.type(sel, value);
}

async function fillIfEmpty(page: Page, id: string, value: string): Promise<void> {
  const cur = await page.$eval(tid(id), (e) => (e as HTMLInputElement).value).catch(() => null);
  if (cur === null) throw new Error(`Signing page has no ${tid(id)}.`);
  if (!cur.trim()) await typeInto(page, id, value);
}

/** Clicks the visible element with this test id (a dialog may repeat one, e.g. cancel). */
async function clickVisible(page: Page, id: string): Promise<void> {
  const handles = await page.$$(tid(id));
  for (const h of handles.reverse()) {
    const visible = await h.evaluate((e) => {
      const r = (e as HTMLElement).getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden';
    });
    if (visible) return h.click();
  }
  throw new Error(`No visible ${tid(id)} on the signing page.`);
}

/** The signing page from ready to done: certificate, PIN, "Ký số", "Xác nhận ký". */
async function signOnPage(s: Steps, page: Page, holder: string, pin: string): Promise<string> {
  await chooseCertificate(page, holder);
  await typeInto(page, 'pin', pin);
  await s.shot(page, 'chon-chung-thu-nhap-pin');
  await clickVisible(page, 'sign-button');
  await waitState(s, page, ['confirm'], 15_000);
  await s.shot(page, 'xac-nhan');
  await clickVisible(page, 'confirm-sign');
  const end = await waitState(s, page, ['done', 'error']);
  // The page shows the signed file once it has rendered it again: let the screenshot show it.
  if (end === 'done') await waitForInk(page, 5000);
  await s.shot(page, end === 'done' ? 'da-ky' : 'loi');
  return end;
}

async function readResult(page: Page): Promise<{ how?: string; resultText?: string; warnings?: string }> {
  const r: { how?: string; resultText?: string; warnings?: string } = await page
    .$eval(tid('result'), (e) => ({ how: e.getAttribute('data-how') ?? undefined, resultText: (e.textContent ?? '').trim() }))
    .catch(() => ({}));
  r.warnings = await page.$eval(tid('result-warnings'), (e) => (e.textContent ?? '').trim()).catch(() => undefined);
  return r;
}

/** The upload the portal got for this document after `since` uploads, waiting up to `ms`. */
async function uploadAfter(portal: PortalHandle, since: number, name: Upload['portal'], docId: string, ms = 10_000): Promise<Upload | undefined> {
  const end = Date.now() + ms;
  for (;;) {
    const u = portal.uploads().slice(since).reverse().find((x) => x.portal === name && x.docId === docId);
    if (u || Date.now() > end) return u;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function inputFiles(frame: Frame | Page, selector: string): Promise<string[]> {
  return frame.$eval(selector, (e) => [...((e as HTMLInputElement).files ?? [])].map((f) => f.name)).catch(() => []);
}

async function closeQuietly(...pages: (Page | undefined)[]): Promise<void> {
  for (const p of pages) if (p && !p.isClosed()) await p.close().catch(() => undefined);
}

// ---------------------------------------------------------------------------------------------------------------
// Setup.

interface ChromeLocalStorage {
  set(items: Record<string, string>): Promise<void>;
  get(keys: string[]): Promise<Record<string, unknown>>;
}

/** The demo signature and seal in the extension's storage.local (keys of extension/shared/images.ts), base64 PNG. */
export async function installDemoImages(browser: Browser, extensionId: string, images: { signature: Uint8Array; seal: Uint8Array }): Promise<void> {
  const page = await browser.newPage();
  try {
    await page.evaluateOnNewDocument(NAME_SHIM);
    await page.goto(`chrome-extension://${extensionId}/pages/options/index.html`, { waitUntil: 'load' });
    const stored = await page.evaluate(
      async (sig: string, seal: string) => {
        const local = (globalThis as unknown as { chrome: { storage: { local: ChromeLocalStorage } } }).chrome.storage.local;
        await local.set({ signatureImage: sig, sealImage: seal });
        const got = await local.get(['signatureImage', 'sealImage']);
        return [String(got.signatureImage ?? '').length, String(got.sealImage ?? '').length];
      },
      Buffer.from(images.signature).toString('base64'),
      Buffer.from(images.seal).toString('base64'),
    );
    if (!stored[0] || !stored[1]) throw new Error('storage.local did not keep the demo images.');
  } finally {
    await page.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The flows.

const QOFFICE = '/qoffice/van-ban-cho-ban-hanh/1';
const QOFFICE_DOC = '/qoffice/files/1/du-thao-quyet-dinh.pdf';

/**
 * The part every signing flow shares: open the signing page from the portal's button, read what it shows (fields,
 * placement, rendering), let the flow fill its fields, take the screenshot, sign with the holder's certificate and
 * PIN, and record the result or the error. Returns the page and the portal's upload count before signing.
 */
async function signThroughPage(
  s: Steps,
  ctx: FlowContext,
  r: FlowResult,
  button: ElementHandle<Element>,
  mode: string,
  holder: string,
  prepare: (sign: Page) => Promise<void> = async () => undefined,
): Promise<{ sign: Page; since: number; done: boolean }> {
  const sign = await openSignPage(s, button);
  await waitState(s, sign, ['ready']);
  r.fields = await readFields(sign);
  await chooseMode(sign, mode);
  await prepare(sign);
  // Let the placement follow the mode and the fields before reading it.
  await new Promise((res) => setTimeout(res, 300));
  r.placement = await readPlacement(sign);
  const rendering = await readRendering(sign);
  r.pagesRendered = rendering.pages;
  r.firstPageInk = rendering.ink;
  await s.shot(sign, 'trang-ky');
  const since = ctx.portal.uploads().length;
  r.uploadsBefore = since;
  r.finalState = await signOnPage(s, sign, holder, ctx.pin);
  Object.assign(r, await readResult(sign));
  if (r.finalState !== 'done') {
    const e = await errorInfo(sign);
    r.errorCode = e.code;
    r.errorMessage = e.message;
  }
  return { sign, since, done: r.finalState === 'done' };
}

/** Q-Office, leader: "Ký số" on the draft → approval at #ChuKyLanhDao → PIN → file in "Đính kèm file văn bản đi" → "Ban hành". */
export async function leaderApproval(ctx: FlowContext): Promise<FlowResult> {
  return qofficeSigning(ctx, 'lanh-dao', 'approval', LEADER);
}

/** Q-Office, clerk: the leader-signed file → issue mode (seal, number, place and date) → "Ban hành". */
export async function clerkIssue(ctx: FlowContext): Promise<FlowResult> {
  return qofficeSigning(ctx, 'van-thu', 'issue', ORGANISATION);
}

async function qofficeSigning(ctx: FlowContext, flow: string, mode: 'approval' | 'issue', holder: string): Promise<FlowResult> {
  const s = new Steps(ctx, flow);
  const r: FlowResult = { flow, screenshots: s.shots };
  let portal: Page | undefined;
  let sign: Page | undefined;
  try {
    portal = await portalPage(s, QOFFICE);
    r.original = await fetchInFrame(portal, ctx.portal.url + QOFFICE_DOC);
    const button = await waitSignButton(s, portal, QOFFICE_DOC);
    await s.shot(portal, 'cong-qoffice');
    s.log('Bấm "Ký số" cạnh du-thao-quyet-dinh.pdf');
    const run = await signThroughPage(s, ctx, r, button, mode, holder, async (page) => {
      if (mode !== 'issue') return;
      // As the clerk would: check the number, place and date the portal gave, and type them if it gave none.
      await fillIfEmpty(page, 'field-docNumber', '125/QĐ-UBND');
      await fillIfEmpty(page, 'field-place', 'Quảng Nam');
      await fillIfEmpty(page, 'field-date', '21/11/2026');
    });
    sign = run.sign;
    const since = run.since;
    if (!run.done) return r;
    await portal.bringToFront();
    r.inputFiles = await inputFiles(portal, '#fileVanBanDi');
    await portal.$eval('#fileVanBanDi', (e) => e.scrollIntoView({ block: 'center' })).catch(() => undefined);
    await s.shot(portal, 'tep-trong-o-dinh-kem');
    s.log(`Tệp đã ký trong ô "Đính kèm file văn bản đi": ${r.inputFiles.join(', ') || '(trống)'}; bấm "Ban hành"`);
    await Promise.all([portal.waitForNavigation({ waitUntil: 'load', timeout: 30_000 }), portal.click('#btnBanHanh')]);
    await s.shot(portal, 'da-ban-hanh');
    r.upload = await uploadAfter(ctx.portal, since, 'qoffice', '1');
    r.uploadsAfter = ctx.portal.uploads().length;
    return r;
  } finally {
    await closeQuietly(sign, portal);
  }
}

const IOFFICE_DOC = (id: string) => `/ioffice/download.jsp?fileId=${id}`;

async function iofficeFrame(s: Steps, page: Page): Promise<Frame> {
  const handle = await page.waitForSelector('iframe#mainFrame', { timeout: 10_000 });
  const frame = await handle?.contentFrame();
  if (!frame) throw new Error('iOffice: no mainFrame.');
  await frame.waitForSelector('#tblVbChoDuyet', { timeout: 10_000 });
  return frame;
}

async function countButtons(frame: Frame): Promise<Record<string, number>> {
  return frame.$$eval('button.kyso-sign', (bs) => {
    const out: Record<string, number> = {};
    for (const b of bs) {
      const u = b.getAttribute('data-kyso-url') ?? '';
      out[u] = (out[u] ?? 0) + 1;
    }
    return out;
  });
}

/**
 * iOffice: the list inside the frame, its rows rendered by script after load and "Trang sau" adding more; the
 * leader signs the first draft and the extension posts it to upload.jsp.
 */
export async function iofficeInFrame(ctx: FlowContext): Promise<FlowResult> {
  const s = new Steps(ctx, 'ioffice');
  const r: FlowResult = { flow: 'ioffice', screenshots: s.shots };
  let portal: Page | undefined;
  let sign: Page | undefined;
  try {
    portal = await portalPage(s, '/ioffice/');
    const frame = await iofficeFrame(s, portal);
    const button = await waitSignButton(s, frame, IOFFICE_DOC('101'));
    await s.shot(portal, 'danh-sach-trong-khung');
    // Rows that arrive later get their buttons too, and re-rendering never doubles them.
    await frame.click('#btnTrangSau');
    await waitSignButton(s, frame, IOFFICE_DOC('103'));
    await new Promise((res) => setTimeout(res, 500));
    r.buttonsPerUrl = await countButtons(frame);
    await s.shot(portal, 'trang-sau');
    r.original = await fetchInFrame(frame, ctx.portal.url + IOFFICE_DOC('101'));
    const run = await signThroughPage(s, ctx, r, button, 'approval', LEADER);
    sign = run.sign;
    const since = run.since;
    if (!run.done) return r;
    r.upload = await uploadAfter(ctx.portal, since, 'ioffice', '101');
    r.uploadsAfter = ctx.portal.uploads().length;
    // What the leader sees in iOffice afterwards: the list reloaded, the row marked "Đã ký số".
    await portal.bringToFront();
    await portal.reload({ waitUntil: 'load' });
    const again = await iofficeFrame(s, portal);
    await again.waitForSelector('tr[data-file-id="101"] .signed', { timeout: 10_000 }).catch(() => undefined);
    await s.shot(portal, 'da-ky-so');
    return r;
  } finally {
    await closeQuietly(sign, portal);
  }
}

const TTHC = '/tthc/ho-so/1';
const TTHC_DOC = '/tthc/files/1/giay-khai-sinh.pdf';

/** One-stop portal: "Chứng thực điện tử" of a scanned birth certificate → certify mode → file in "Tệp kết quả" → "Áp dụng". */
export async function certifiedCopy(ctx: FlowContext): Promise<FlowResult> {
  const s = new Steps(ctx, 'chung-thuc');
  const r: FlowResult = { flow: 'chung-thuc', screenshots: s.shots };
  let portal: Page | undefined;
  let sign: Page | undefined;
  try {
    portal = await portalPage(s, TTHC);
    r.original = await fetchInFrame(portal, ctx.portal.url + TTHC_DOC);
    const button = await waitSignButton(s, portal, TTHC_DOC);
    await s.shot(portal, 'thanh-phan-ho-so');
    const run = await signThroughPage(s, ctx, r, button, 'certify', ORGANISATION, async (page) => {
      await fillIfEmpty(page, 'field-certNumber', '125');
      await fillIfEmpty(page, 'field-book', '01/2026-SCT/BS');
    });
    sign = run.sign;
    const since = run.since;
    if (!run.done) return r;
    await portal.bringToFront();
    // The result file goes with the popup's form; open the popup as the officer would to check it and apply.
    const hidden = await portal.$eval('#popupChungThuc', (e) => (e as HTMLElement).hidden);
    if (hidden) await portal.click('.btn-chung-thuc');
    r.inputFiles = await inputFiles(portal, 'input[name="fileKetQua"]');
    await s.shot(portal, 'popup-chung-thuc');
    await Promise.all([portal.waitForNavigation({ waitUntil: 'load', timeout: 30_000 }), portal.click('#btnApDung')]);
    await s.shot(portal, 'da-ap-dung');
    r.upload = await uploadAfter(ctx.portal, since, 'tthc', '1');
    r.uploadsAfter = ctx.portal.uploads().length;
    return r;
  } finally {
    await closeQuietly(sign, portal);
  }
}

/** A wrong PIN on the iOffice list's second draft: the error code and the tries left, then Cancel. */
export async function wrongPin(ctx: FlowContext, badPin = '000000'): Promise<FlowResult> {
  const s = new Steps(ctx, 'sai-pin');
  const r: FlowResult = { flow: 'sai-pin', screenshots: s.shots };
  let portal: Page | undefined;
  let sign: Page | undefined;
  try {
    portal = await portalPage(s, '/ioffice/');
    const frame = await iofficeFrame(s, portal);
    const button = await waitSignButton(s, frame, IOFFICE_DOC('102'));
    r.uploadsBefore = ctx.portal.uploads().length;
    sign = await openSignPage(s, button);
    await waitState(s, sign, ['ready']);
    await chooseCertificate(sign, LEADER);
    await typeInto(sign, 'pin', badPin);
    await clickVisible(sign, 'sign-button');
    await waitState(s, sign, ['confirm'], 15_000);
    await clickVisible(sign, 'confirm-sign');
    // The page may show the error in state "error" or go back to "ready" with the code shown for another try.
    await sign
      .waitForFunction(
        () => {
          const st = document.querySelector('[data-testid="sign-root"]')?.getAttribute('data-state');
          return st === 'error' || st === 'done' || !!document.querySelector('[data-testid="error-code"]')?.textContent?.trim();
        },
        { timeout: s.timeout, polling: 200 },
      )
      .catch(() => undefined);
    r.finalState = await state(sign);
    const e = await errorInfo(sign);
    r.errorCode = e.code;
    r.errorMessage = e.message;
    r.retriesText = await sign
      .waitForSelector(tid('retries'), { visible: true, timeout: 5000 })
      .then((h) => h?.evaluate((el) => (el.textContent ?? '').trim()))
      .catch(() => undefined);
    await s.shot(sign, 'bao-sai-pin');
    await new Promise((res) => setTimeout(res, 1000));
    r.uploadsAfter = ctx.portal.uploads().length;
    return r;
  } finally {
    await closeQuietly(sign, portal);
  }
}

/** Cancel in the confirmation dialog, PIN already typed: nothing is signed, nothing reaches the portal. */
export async function cancelSigning(ctx: FlowContext): Promise<FlowResult> {
  const s = new Steps(ctx, 'huy');
  const r: FlowResult = { flow: 'huy', screenshots: s.shots };
  let portal: Page | undefined;
  let sign: Page | undefined;
  try {
    portal = await portalPage(s, QOFFICE);
    const button = await waitSignButton(s, portal, QOFFICE_DOC);
    r.uploadsBefore = ctx.portal.uploads().length;
    sign = await openSignPage(s, button);
    await waitState(s, sign, ['ready']);
    await chooseCertificate(sign, LEADER);
    await typeInto(sign, 'pin', ctx.pin);
    await clickVisible(sign, 'sign-button');
    await waitState(s, sign, ['confirm'], 15_000);
    await s.shot(sign, 'xac-nhan');
    const page = sign;
    // The page may close its tab on Cancel: that ends the wait too.
    const until = (states: string[]) => waitState(s, page, states, 10_000).catch((e: unknown) => (page.isClosed() ? 'closed' : Promise.reject(e)));
    await clickVisible(sign, 'cancel');
    // Cancel in the dialog may only close the dialog; the page's own Cancel then ends the job.
    if ((await until(['cancelled', 'ready'])) === 'ready') {
      await clickVisible(sign, 'cancel');
      await until(['cancelled']);
    }
    r.finalState = sign.isClosed() ? 'closed' : await state(sign);
    if (!sign.isClosed()) await s.shot(sign, 'da-huy');
    // Give a wrongly delivered file time to arrive before counting.
    await new Promise((res) => setTimeout(res, 1500));
    r.uploadsAfter = ctx.portal.uploads().length;
    await portal.bringToFront();
    r.inputFiles = await inputFiles(portal, '#fileVanBanDi');
    await s.shot(portal, 'cong-sau-khi-huy');
    return r;
  } finally {
    await closeQuietly(sign, portal);
  }
}
