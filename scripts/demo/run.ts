// The demo (`npm start`): the demo portal on 127.0.0.1, Debian's Chromium with the built extension and the kyso
// host registered for its profile (SoftHSM demo token), and the user's flows walked through it — leader approval
// and clerk issuing on the Q-Office-like page, the iOffice-like list in a frame, the one-stop certified copy. Each
// step's screenshot and the signed PDFs go to out/demo/<time>/, pdfsig checks each signed file, a short summary in
// Vietnamese ends the run. Headed when a display exists (the browser stays open afterwards), headless otherwise
// (exit 0 when every flow signed and verified, 1 when not).
//
// Environment: KYSO_EXTENSION_DIST (default extension/dist), KYSO_CHROMIUM (default /usr/bin/chromium),
// KYSO_DEMO_HEADLESS=1 to hide the browser even with a display, KYSO_DEMO_PORT (default 8790, any free port if taken).

import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT, ensureTestEnv } from '../testenv/testenv.ts';
import { startResponders, type Responders } from '../testenv/responders.ts';
import { makeSealPng, makeSignaturePng } from '../samples/images.ts';
import { EXTENSION_DIST, launchWithExtension, type KysoBrowser } from '../../tests/e2e/browser.ts';
import { lockPolicy } from '../../tests/e2e/managed-policy.ts';
import { certifiedCopy, clerkIssue, iofficeInFrame, installDemoImages, leaderApproval, type FlowContext, type FlowResult } from './flows.ts';
import { allGood, pdfsig } from './pdfsig.ts';
import { startDemoPortal, type DemoPortal } from './portal/server.ts';

const headless = process.env.KYSO_DEMO_HEADLESS === '1' || !(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
const outDir = join(REPO_ROOT, 'out', 'demo', stamp);
const say = (line: string) => console.log(line);

interface Step {
  title: string;
  run: (ctx: FlowContext) => Promise<FlowResult>;
  /** File name for the signed PDF in outDir, and how many signatures it must hold. */
  file: string;
  signatures: number;
}

const STEPS: Step[] = [
  { title: 'Lãnh đạo ký duyệt trên QOffice (chữ ký tại #ChuKyLanhDao, tải lên ô "Đính kèm file văn bản đi", bấm "Ban hành")', run: leaderApproval, file: '1-quyet-dinh.lanh-dao-ky.pdf', signatures: 1 },
  { title: 'Văn thư ký ban hành trên QOffice (con dấu trùm 1/3 chữ ký, số ký hiệu, địa danh và ngày)', run: clerkIssue, file: '2-quyet-dinh.ban-hanh.pdf', signatures: 2 },
  { title: 'VNPT-iOffice: văn bản trong khung, tệp gửi lên upload.jsp', run: iofficeInFrame, file: '3-ioffice.lanh-dao-ky.pdf', signatures: 1 },
  { title: 'Một cửa: chứng thực bản sao điện tử từ bản chính (Giấy khai sinh)', run: certifiedCopy, file: '4-giay-khai-sinh.chung-thuc.pdf', signatures: 1 },
];

async function startPortal(): Promise<DemoPortal> {
  const port = Number(process.env.KYSO_DEMO_PORT ?? 8790);
  try {
    return await startDemoPortal({ port, dataDir: join(outDir, 'portal-uploads') });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    return startDemoPortal({ port: 0, dataDir: join(outDir, 'portal-uploads') });
  }
}

async function main(): Promise<number> {
  mkdirSync(outDir, { recursive: true });
  say(`KýSố — chạy thử trên cổng mô phỏng (${headless ? 'không hiển thị trình duyệt' : 'hiển thị trình duyệt'})`);
  const env = ensureTestEnv();
  let responders: Responders | undefined;
  /** pdfsig and the signing page ask the test PKI's OCSP responder: serve it unless another run (tests, responders.sh) does. */
  const ensureResponders = async () => {
    if (responders) return;
    try {
      responders = await startResponders(env.pkiDir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    }
  };
  await ensureResponders();
  const portal = await startPortal();
  say(`Cổng thử nghiệm: ${portal.url}/`);
  say(`Tiện ích: ${relative(REPO_ROOT, EXTENSION_DIST) || EXTENSION_DIST}`);
  let kb: KysoBrowser | undefined;
  let failures = 0;
  const summary: string[] = [];
  // The browser tests write Chromium's machine-wide policy folder under this lock (blocklists, forced installs):
  // the demo's browser starts and walks its flows outside those moments. Released before the user takes over.
  const releasePolicy = await lockPolicy(300_000);
  try {
    kb = await launchWithExtension({ host: { kind: 'installed' }, name: 'demo', headless, shotsDir: outDir });
    // Ctrl+C reaches puppeteer's own handler, which closes the browser and exits at once (130): the temporary
    // profile must still go.
    const profile = kb.userDataDir;
    process.once('exit', () => rmSync(profile, { recursive: true, force: true }));
    await installDemoImages(kb.browser, kb.extensionId, { signature: makeSignaturePng(), seal: makeSealPng() });
    const ctx: FlowContext = { browser: kb.browser, extensionId: kb.extensionId, portal, shotsDir: outDir, pin: env.userPin, setViewport: headless, log: say };
    for (const step of STEPS) {
      say(`\n▶ ${step.title}`);
      let line: string;
      try {
        const r = await step.run(ctx);
        if (!r.upload) {
          throw new Error(r.errorCode ? `${r.errorCode}: ${r.errorMessage ?? ''}` : `trang ký dừng ở trạng thái "${r.finalState ?? '?'}", cổng không nhận được tệp`);
        }
        if (r.warnings) say(`  Lưu ý: ${r.warnings}`);
        const file = join(outDir, step.file);
        writeFileSync(file, r.upload.bytes);
        // The other run serving the responders may have ended meanwhile: then serve them here and ask again.
        let v = await pdfsig(file, env.nssdb);
        for (let attempt = 1; attempt < 3 && !allGood(v, step.signatures); attempt++) {
          await ensureResponders();
          await new Promise((r) => setTimeout(r, 1000));
          v = await pdfsig(file, env.nssdb);
        }
        const good = allGood(v, step.signatures);
        if (!good) failures++;
        const who = v.signatures.map((s) => s.signer).filter(Boolean).join(' → ');
        line = `${good ? '✔' : '✘'} ${step.file}: ${v.signatures.length} chữ ký${who ? ` (${who})` : ''}, pdfsig: ${good ? 'hợp lệ' : 'KHÔNG hợp lệ'}`;
        if (!good) say(v.raw);
        if (step.signatures === 2) {
          // What the issued document looks like: page 1 as an image beside the PDF.
          spawnSync('pdftoppm', ['-r', '80', '-png', '-f', '1', '-l', '1', '-singlefile', file, file.replace(/\.pdf$/, '')]);
        }
      } catch (e) {
        failures++;
        line = `✘ ${step.title.split(' (')[0]}: ${(e as Error).message.split('\n')[0]}`;
      }
      say(line);
      summary.push(line);
    }
  } catch (e) {
    failures++;
    summary.push(`✘ Không chạy được trình duyệt với tiện ích: ${(e as Error).message}`);
  } finally {
    releasePolicy();
  }

  say('\n════ Tóm tắt ════');
  for (const l of summary) say(l);
  say(`\nẢnh chụp từng bước và các tệp PDF đã ký: ${outDir}`);
  say(failures ? `${failures} bước chưa thành công.` : 'Tất cả các bước đều thành công: chữ ký hợp lệ.');

  if (!headless && kb) {
    // Leave the browser to the user: the portal stays up until they close the window or press Ctrl+C.
    const page = await kb.browser.newPage().catch(() => undefined);
    await page?.goto(`${portal.url}/`).catch(() => undefined);
    say(`\nTrình duyệt vẫn mở để bạn tự thử trên ${portal.url}/ (mã PIN thử nghiệm: ${env.userPin}).`);
    say('Đóng cửa sổ trình duyệt hoặc nhấn Ctrl+C tại đây để kết thúc.');
    const browser = kb.browser;
    await new Promise<void>((resolve) => {
      browser.once('disconnected', () => resolve());
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
  }
  await kb?.close();
  await portal.close();
  await responders?.close();
  return failures ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
