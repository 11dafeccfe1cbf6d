// Section 7 of the product, as a user does it: the demo portal (scripts/demo/portal), Debian's Chromium with the
// built extension and the kyso host on the SoftHSM demo token, and the flows of scripts/demo/flows.ts (the same
// walks `npm start` shows). Each test judges what came out: the bytes the portal received (an incremental update of
// what it served), pdfsig and openssl verdicts, the rendered page (pdftoppm pixels), the text (pdftotext), the
// signing page's error code. Screenshots of every step: out/e2e/<run>/portal-flows/.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodePng, type DecodedPng } from '../../shared/pdf/image/png.ts';
import { TrueTypeFont } from '../../shared/pdf/font/truetype.ts';
import { PdfReader } from '../../shared/pdf/reader.ts';
import { normaliseRotation, userBoxToDisplayRect, type DisplayRect } from '../../shared/placement/geometry.ts';
import { signatureWidgets } from '../../shared/sign/fields.ts';
import { ERROR_TEXTS } from '../../shared/protocol/errors.ts';
import { cancelSigning, certifiedCopy, clerkIssue, iofficeInFrame, installDemoImages, leaderApproval, wrongPin, type FlowContext, type FlowResult } from '../../scripts/demo/flows.ts';
import { startDemoPortal, type DemoPortal, type Upload } from '../../scripts/demo/portal/server.ts';
import { makeSealPng, makeSignaturePng } from '../../scripts/samples/images.ts';
import { markerBoxes } from '../../scripts/samples/vn-document.ts';
import { ensureTestEnv } from '../../scripts/testenv/testenv.ts';
import { expectGoodSignatures, pdfsig, startsWith, writeTmp } from '../helpers/validators.ts';
import { ensureResponders } from '../ltv/helpers.ts';
import { launchWithExtension, SHOTS_ROOT, type KysoBrowser } from './browser.ts';
import { lockPolicy } from './managed-policy.ts';

let kb: KysoBrowser | undefined;
let portal: DemoPortal;
let ctx: FlowContext;
let dir: string;
/** Other suites write Chromium's machine-wide policy folder (forced install, portal lists): not while this one runs. */
let releasePolicy: (() => void) | undefined;

beforeAll(async () => {
  const env = ensureTestEnv();
  portal = await startDemoPortal();
  releasePolicy = await lockPolicy(300_000);
  kb = await launchWithExtension({ host: { kind: 'installed' }, name: 'portal-flows' });
  dir = kb.shotsDir;
  await installDemoImages(kb.browser, kb.extensionId, { signature: makeSignaturePng(), seal: makeSealPng() });
  ctx = { browser: kb.browser, extensionId: kb.extensionId, portal, shotsDir: dir, pin: env.userPin, log: (l) => console.log(l) };
  console.log(`Screenshots: ${SHOTS_ROOT}/portal-flows`);
}, 400_000);

afterAll(async () => {
  try {
    await kb?.close();
    await portal?.close();
  } finally {
    releasePolicy?.();
  }
});

// ---------------------------------------------------------------------------------------------------------------
// What the signed files look like (pdftoppm at 72 dpi: one pixel per point, display space).

function render(pdf: Uint8Array, name: string): DecodedPng {
  const file = writeTmp(dir, `${name}.pdf`, pdf);
  const r = spawnSync('pdftoppm', ['-r', '72', '-cropbox', '-png', '-f', '1', '-l', '1', '-singlefile', file, join(dir, `${name}-trang-1`)], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return decodePng(new Uint8Array(readFileSync(join(dir, `${name}-trang-1.png`))));
}

function text(pdf: Uint8Array, name: string): string {
  const file = writeTmp(dir, `${name}.pdf`, pdf);
  return spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout.normalize('NFC');
}

type Pred = (r: number, g: number, b: number) => boolean;
const isBlue: Pred = (r, g, b) => b > 110 && r < 90 && g < 120;
const isRed: Pred = (r, g, b) => r > 170 && g < 100 && b < 100;
const isDark: Pred = (r, g, b) => r < 100 && g < 100 && b < 100;

function count(img: DecodedPng, box: DisplayRect, pred: Pred): number {
  let n = 0;
  for (let y = Math.max(0, Math.floor(box.y)); y < Math.min(img.height, Math.ceil(box.y + box.h)); y++)
    for (let x = Math.max(0, Math.floor(box.x)); x < Math.min(img.width, Math.ceil(box.x + box.w)); x++) {
      const i = (y * img.width + x) * img.channels;
      if (pred(img.pixels[i], img.pixels[i + 1], img.pixels[i + 2])) n++;
    }
  return n;
}

function bbox(img: DecodedPng, pred: Pred): DisplayRect {
  let x1 = Infinity, y1 = Infinity, x2 = -1, y2 = -1;
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++) {
      const i = (y * img.width + x) * img.channels;
      if (!pred(img.pixels[i], img.pixels[i + 1], img.pixels[i + 2])) continue;
      x1 = Math.min(x1, x); y1 = Math.min(y1, y); x2 = Math.max(x2, x); y2 = Math.max(y2, y);
    }
  return { x: x1, y: y1, w: x2 - x1 + 1, h: y2 - y1 + 1 };
}

/** Signature widgets in display space of page 1, in field order. */
function widgetRects(pdf: Uint8Array): { field: string; rect: DisplayRect }[] {
  const reader = PdfReader.open(pdf);
  const page = reader.getPage(0);
  const frame = { cropBox: page.cropBox, rotate: normaliseRotation(page.rotate) };
  // The sample documents are one page long: every widget is on page 1.
  return signatureWidgets(reader).map((w) => ({ field: w.fieldName, rect: userBoxToDisplayRect(frame, w.rect) }));
}

/**
 * pdfsig's field names, then the product's verdict on each (pdfsig valid, chain trusted, openssl cms). pdfsig asks
 * the test OCSP responder, which another test run may have been serving and just stopped: it is asked up to three
 * times, the responders brought up again when they are gone.
 */
async function expectSigned(pdf: Uint8Array, name: string, signatures: number): Promise<string[]> {
  const file = writeTmp(dir, `${name}.pdf`, pdf);
  for (let attempt = 1; attempt <= 3; attempt++) {
    await ensureResponders();
    if (pdfsig(file).signatures.every((s) => s.certificate === 'Certificate is Trusted.')) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const fields = pdfsig(file).signatures.map((s) => s.field);
  expect(fields, `${name}: pdfsig lists ${signatures} signature(s)`).toHaveLength(signatures);
  expectGoodSignatures(file, fields);
  return fields;
}

function expectDelivered(r: FlowResult, portalName: Upload['portal'], docId: string): Upload {
  expect(r.finalState, `${r.flow}: ${r.errorCode ?? ''} ${r.errorMessage ?? ''}`).toBe('done');
  expect(r.upload, `${r.flow}: the portal received the signed file`).toBeDefined();
  expect(r.upload!.portal).toBe(portalName);
  expect(r.upload!.docId).toBe(docId);
  // An incremental update: the file the portal served, byte for byte, then the signature's revision.
  expect(r.original).toBeDefined();
  expect(r.upload!.bytes.length).toBeGreaterThan(r.original!.length);
  expect(startsWith(r.upload!.bytes, r.original!), 'signed file starts with the original bytes').toBe(true);
  return r.upload!;
}

const QOFFICE_MARKERS = markerBoxes({ markers: true });
const serif = TrueTypeFont.parse(new Uint8Array(readFileSync(join(import.meta.dirname, '..', '..', 'shared', 'assets', 'fonts', 'LiberationSerif-Regular.ttf'))));
let leaderSigned: Uint8Array | undefined;

describe('the demo portal with the extension, as users work', { timeout: 300_000 }, () => {
  // The signing page asks the test OCSP responder too (certificate status, B-LT).
  beforeEach(ensureResponders);

  it('leader: "Ký số" → pages render → signature at #ChuKyLanhDao → PIN → file in the upload field → "Ban hành" → pdfsig valid', async () => {
    const r = await leaderApproval(ctx);
    console.log(`leader: ${r.screenshots.join('\n  ')}`);
    expect(r.pagesRendered, 'page canvases of the preview').toBeGreaterThanOrEqual(1);
    expect(r.firstPageInk, 'the first page is drawn, not blank').toBeGreaterThan(100);
    expect(r.fields?.mode).toBe('approval');
    // The placement box stands over the marker (display space, PDF points, top left origin).
    const m = QOFFICE_MARKERS['#ChuKyLanhDao'];
    const p = r.placement;
    expect(p, 'placement-box').toBeDefined();
    expect(p!.page).toBe(1);
    expect(p!.x).toBeLessThan(m.x + m.w / 2);
    expect(p!.x + p!.w).toBeGreaterThan(m.x + m.w / 2);
    expect(p!.y).toBeLessThan(m.y + m.h / 2);
    expect(p!.y + p!.h).toBeGreaterThan(m.y + m.h / 2);

    expect(r.how).toBe('input');
    expect(r.inputFiles, 'the portal\'s "Đính kèm file văn bản đi" holds the signed file').toHaveLength(1);
    expect(r.inputFiles![0]).toMatch(/\.pdf$/);
    const up = expectDelivered(r, 'qoffice', '1');
    expect(up.fileName).toBe(r.inputFiles![0]);
    expect(up.fields.soVanBan).toBe('125');
    await expectSigned(up.bytes, 'lanh-dao-ky', 1);

    // The leader's image is where the marker was, and the marker does not show.
    const before = render(r.original!, 'du-thao');
    const after = render(up.bytes, 'lanh-dao-ky');
    const blue = bbox(after, isBlue);
    expect(blue.w, 'signature image drawn').toBeGreaterThan(20);
    expect(Math.abs(blue.x + blue.w / 2 - (m.x + m.w / 2))).toBeLessThan(12);
    expect(count(before, m, isDark)).toBeGreaterThan(40);
    expect(count(after, m, isDark), '#ChuKyLanhDao invisible').toBe(0);
    leaderSigned = up.bytes;
  });

  it('clerk: issue mode on the leader-signed file → two valid signatures, seal over the left third, number and date at the markers', async () => {
    expect(leaderSigned, 'the leader test must have signed first').toBeDefined();
    const r = await clerkIssue(ctx);
    console.log(`clerk: ${r.screenshots.join('\n  ')}`);
    // The portal now serves the leader's file; the clerk signs that one.
    expect(r.original).toEqual(leaderSigned);
    // Prefilled from the portal's form: number + symbol, place, date of "Ngày ban hành".
    expect(r.fields).toMatchObject({ docNumber: '125/QĐ-UBND', place: 'Quảng Nam', date: '21/11/2026' });
    expect(r.how).toBe('input');
    const up = expectDelivered(r, 'qoffice', '1');
    expect(startsWith(up.bytes, leaderSigned!)).toBe(true);
    await expectSigned(up.bytes, 'ban-hanh', 2);

    const leaderImg = render(leaderSigned!, 'lanh-dao-ky');
    const after = render(up.bytes, 'ban-hanh');
    const leaderRect = widgetRects(leaderSigned!);
    expect(leaderRect).toHaveLength(1);
    const img = leaderRect[0].rect;
    // The seal: red, its right edge one third into the leader's image, level with it; the right two thirds untouched.
    const red = bbox(after, isRed);
    expect(red.w, 'seal drawn').toBeGreaterThan(20);
    expect(Math.abs(red.x + red.w - (img.x + img.w / 3))).toBeLessThan(4);
    expect(Math.abs(red.y + red.h / 2 - (img.y + img.h / 2))).toBeLessThan(4);
    const rightTwoThirds = { x: img.x + img.w / 3 + 2, y: img.y, w: (2 * img.w) / 3 - 2, h: img.h };
    expect(count(after, rightTwoThirds, isRed)).toBe(0);
    expect(count(after, rightTwoThirds, isBlue)).toBe(count(leaderImg, rightTwoThirds, isBlue));

    // Number and date printed where the markers were, the markers' text no longer visible.
    for (const k of ['#SoKyHieuVanBan', '#DiaDiemNgayBanHanh']) {
      const box = QOFFICE_MARKERS[k];
      expect(count(after, { ...box, w: 12 }, isDark), `${k}: text printed at its start`).toBeGreaterThan(5);
    }
    // "125/QĐ-UBND" is shorter than "#SoKyHieuVanBan" in the draft's 13 pt: past its end the marker's tail must be blank.
    const no = QOFFICE_MARKERS['#SoKyHieuVanBan'];
    const numberEnd = no.x + serif.widthOf('125/QĐ-UBND', 13) + 4;
    expect(numberEnd).toBeLessThan(no.x + no.w - 5);
    expect(count(after, { x: numberEnd, y: no.y, w: no.x + no.w - numberEnd, h: no.h }, isDark), "the marker's tail is blank").toBe(0);
    // The markers are hidden by covers and the leader's image (an incremental update keeps the page's content, which
    // still holds their text), so "invisible" is judged on the rendered page above, not on pdftotext's output.
    const t = text(up.bytes, 'ban-hanh');
    expect(t).toContain('125/QĐ-UBND');
    expect(t).toMatch(/Quảng Nam, ngày 21 tháng 11 năm 2026/);
  });

  it('iOffice: the list in a frame, rows and links added after load, one button pair each; signed file posted to upload.jsp', async () => {
    const r = await iofficeInFrame(ctx);
    console.log(`ioffice: ${r.screenshots.join('\n  ')}`);
    const urls = Object.keys(r.buttonsPerUrl ?? {});
    expect(urls.map((u) => new URL(u).search).sort()).toEqual(['?fileId=101', '?fileId=102', '?fileId=103']);
    expect(Object.values(r.buttonsPerUrl!)).toEqual([1, 1, 1]);
    expect(r.how).toBe('url');
    const up = expectDelivered(r, 'ioffice', '101');
    // Sốp Cộp's rule, file names of at most 30 characters: the name is "<name>.signed.pdf", never shortened behind the
    // user's back; a longer one comes with the signing page's warning.
    expect(up.fileName).toBe('Du thao thong bao ket luan.signed.pdf');
    if ([...up.fileName].length > 30) expect(r.warnings, 'result-warnings about the 30-character rule').toMatch(/30 ký tự/);
    await expectSigned(up.bytes, 'ioffice-101', 1);
  });

  it('one-stop portal: certified copy of the scanned original → certify text, number and book → "Tệp kết quả" → "Áp dụng"', async () => {
    const r = await certifiedCopy(ctx);
    console.log(`certify: ${r.screenshots.join('\n  ')}`);
    expect(r.fields).toMatchObject({ mode: 'certify', certNumber: '125', book: '01/2026-SCT/BS' });
    expect(r.how).toBe('input');
    expect(r.inputFiles).toHaveLength(1);
    const up = expectDelivered(r, 'tthc', '1');
    expect(up.fields).toMatchObject({ soChungThuc: '125', quyenSo: '01/2026-SCT/BS' });
    await expectSigned(up.bytes, 'chung-thuc', 1);
    const t = text(up.bytes, 'chung-thuc');
    expect(t).toContain('Chứng thực bản sao đúng với bản chính');
    expect(t).toContain('Số chứng thực: 125');
    expect(t).toContain('Quyển số: 01/2026-SCT/BS');
  });

  it('a wrong PIN shows PIN_INCORRECT with the tries left, and nothing reaches the portal', async () => {
    const r = await wrongPin(ctx);
    console.log(`wrong PIN: ${r.screenshots.join('\n  ')}`);
    expect(r.errorCode).toBe('PIN_INCORRECT');
    expect(r.errorMessage).toContain(ERROR_TEXTS.PIN_INCORRECT.vi.replace(/\.$/, ''));
    expect(r.retriesText, 'data-testid="retries" shown').toBeTruthy();
    expect(r.retriesText).toMatch(/lần|thử/i);
    expect(r.finalState).not.toBe('done');
    expect(r.uploadsAfter).toBe(r.uploadsBefore);
  });

  it('Cancel in the confirmation: nothing signed, nothing uploaded, the upload field left empty', async () => {
    const list = async () => (await fetch(`${portal.url}/__demo/uploads`)).text();
    const before = await list();
    const r = await cancelSigning(ctx);
    console.log(`cancel: ${r.screenshots.join('\n  ')}`);
    expect(['cancelled', 'closed']).toContain(r.finalState);
    expect(await list()).toBe(before);
    expect(r.uploadsAfter).toBe(r.uploadsBefore);
    expect(r.inputFiles).toEqual([]);
  });
});
