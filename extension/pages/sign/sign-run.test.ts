// The page's signing run (runSigning) with the demo token (SoftHSM through pkcs11js), the test TSA and the test
// PKI's OCSP/CRL responders: the level's steps are reported in Vietnamese, B-T carries the TSA's token, B-LT the
// DSS, and Cancel stops a slow TSA at once.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { PadesLevel } from '@kyso/shared/sign/sign-pdf';
import { loadFonts } from '../../../native-host/assets.ts';
import { pdfjsTextSource } from '../../../native-host/pdf/pdfjs-node.ts';
import { makeSignaturePng } from '../../../scripts/samples/images.ts';
import { makeVnDocument } from '../../../scripts/samples/vn-document.ts';
import { startTsa, type TestTsa } from '../../../scripts/testenv/tsa.ts';
import { PKI, useTokenSigners } from '../../../tests/helpers/pki.ts';
import { expectGoodSignatures, tmpDir, writeTmp } from '../../../tests/helpers/validators.ts';
import { ensureResponders, testFetch } from '../../../tests/ltv/helpers.ts';
import { runSigning } from './sign-run.ts';

const signers = useTokenSigners();
const fonts = loadFonts();
const dir = tmpDir('kyso-sign-run-');
let tsa: TestTsa;
let slowTsa: TestTsa;

beforeAll(async () => {
  tsa = await startTsa(PKI);
  slowTsa = await startTsa(PKI, { delayMs: 20_000 });
});
afterAll(async () => {
  await tsa?.close();
  await slowTsa?.close();
});
beforeEach(ensureResponders);

async function run(level: PadesLevel, tsaUrl: string, signal = new AbortController().signal, onStep?: (s: string) => void) {
  const pdf = makeVnDocument({ markers: true });
  const text = pdfjsTextSource(pdf);
  const steps: string[] = [];
  try {
    const result = await runSigning({
      pdf,
      options: { mode: 'approval', signatureImage: makeSignaturePng() },
      signer: signers.leader,
      fonts,
      fetch: testFetch,
      level,
      tsaUrl,
      onlineRevocation: true,
      text: text.text,
      signal,
      onStep: (s) => {
        steps.push(s);
        onStep?.(s);
      },
      netTimeoutMs: 30_000,
    });
    return { result, steps };
  } finally {
    await text.close();
  }
}

describe('runSigning', () => {
  it('B-T: checks the certificate, signs with the token, gets the time-stamp — each step reported', async () => {
    const before = tsa.count();
    const { result, steps } = await run('B-T', tsa.url);
    expect(steps).toEqual(['Đang kiểm tra chứng thư số (hiệu lực, thu hồi)…', 'Đang chuẩn bị văn bản và ký bằng token…', 'Đang lấy dấu thời gian…']);
    expect(tsa.count()).toBe(before + 1);
    expect(result.level).toBe('B-T');
    await ensureResponders(); // pdfsig asks OCSP itself
    expectGoodSignatures(writeTmp(dir, 'b-t.pdf', result.pdf), [result.fieldName]);
  });

  it('B-LT: the long-term validation step after the time-stamp, and the DSS in the file', async () => {
    const { result, steps } = await run('B-LT', tsa.url);
    expect(steps.at(-1)).toBe('Đang thêm dữ liệu kiểm tra dài hạn (OCSP/CRL)…');
    expect(Buffer.from(result.pdf).toString('latin1')).toContain('/DSS');
    await ensureResponders();
    expectGoodSignatures(writeTmp(dir, 'b-lt.pdf', result.pdf), [result.fieldName]);
  });

  it('Cancel while the TSA is slow: USER_CANCELLED at once, not after the TSA answers', async () => {
    const ac = new AbortController();
    const t0 = Date.now();
    const p = run('B-T', slowTsa.url, ac.signal, (s) => {
      if (s === 'Đang lấy dấu thời gian…') setTimeout(() => ac.abort(), 200);
    });
    await expect(p).rejects.toMatchObject({ code: 'USER_CANCELLED' });
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('B-T without a TSA URL: INVALID_ARGUMENT naming the TSA, before the token is asked', async () => {
    await expect(run('B-T', '')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', messageVi: expect.stringContaining('TSA') });
  });
});
