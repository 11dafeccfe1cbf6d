// kyso sign --level B-B|B-T|B-LT|B-LTA --tsa URL, as a user runs it: the built bundle, the SoftHSM demo token,
// the test TSA started here on 127.0.0.1, OCSP/CRL from the global setup. Every failure leaves no output file.

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeVnDocument } from '../../scripts/samples/vn-document.ts';
import { ensureTestEnv, type TestEnv } from '../../scripts/testenv/testenv.ts';
import { refusedPort, startTsa, type TestTsa } from '../../scripts/testenv/tsa.ts';
import { PKI, ROOT } from '../helpers/pki.ts';
import { expectGoodSignatures, pdfsig, qpdfCheck, tmpDir } from '../helpers/validators.ts';
import { ensureResponders, expectDss, fileSignatures, expectRefused, opensslTsVerify, runKyso, signedData } from './helpers.ts';

let env: TestEnv;
let dir: string;
let tsa: TestTsa;

const kyso = (args: string[]) => runKyso(args, env);


const tokenArgs = () => ['--module', env.softhsmModule, '--token', env.demoToken];

beforeAll(async () => {
  env = ensureTestEnv();
  if (!existsSync(join(ROOT, 'native-host', 'dist', 'kyso.mjs'))) throw new Error('Build first: npm run build (npm test does it).');
  dir = tmpDir('kyso-ltv-cli-');
  writeFileSync(join(dir, 'qd.pdf'), makeVnDocument({ markers: true }));
  tsa = await startTsa(PKI);
});
beforeEach(ensureResponders);
afterAll(async () => {
  await tsa?.close();
});

describe('kyso sign --level', () => {
  it('B-LTA: signature with its time-stamp, DSS, document time-stamp; each checked independently', async () => {
    const out = join(dir, 'lta.pdf');
    const r = await kyso(['sign', join(dir, 'qd.pdf'), '-o', out, ...tokenArgs(), '--cert', 'leader', '--mode', 'appendix', '--doc-number', '7/QĐ', '--level', 'B-LTA', '--tsa', tsa.url, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ field: 'KySo1', level: 'B-LTA', warnings: [] });
    const pdf = new Uint8Array(readFileSync(out));
    await ensureResponders(); // pdfsig asks OCSP itself
    const v = pdfsig(out);
    expect(v.signatures[0].validation, v.raw).toBe('Signature is Valid.');
    expect(v.signatures[0].certificate, v.raw).toBe('Certificate is Trusted.');
    expect(qpdfCheck(out)).toBe(0);
    expectDss(pdf, ['KySo1']);
    const ts = fileSignatures(pdf).find((s) => s.type === 'DocTimeStamp')!;
    expect(opensslTsVerify(ts.cms, signedData(pdf, ts.byteRange)).ok).toBe(true);
    expect(tsa.count()).toBeGreaterThanOrEqual(2);
  });

  it('B-T, then B-LT on top: both signatures stay valid', async () => {
    const a = join(dir, 'bt.pdf');
    const b = join(dir, 'bt-blt.pdf');
    expect((await kyso(['sign', join(dir, 'qd.pdf'), '-o', a, ...tokenArgs(), '--cert', 'org', '--mode', 'appendix', '--doc-number', '8/QĐ', '--level', 'B-T', '--tsa', tsa.url])).code).toBe(0);
    const r = await kyso(['sign', a, '-o', b, ...tokenArgs(), '--cert', 'ecdsa', '--mode', 'copy', '--copy-form', 'SY', '--level', 'b-lt', '--tsa', tsa.url]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('mức B-LT');
    await ensureResponders(); // pdfsig asks OCSP itself
    expectGoodSignatures(b, ['KySo1', 'KySo2']);
    expectDss(new Uint8Array(readFileSync(b)), ['KySo2']);
  });

  const failures: [string, () => Promise<string[]>, string, number][] = [
    ['B-T without --tsa', async () => ['--cert', 'leader', '--level', 'B-T'], 'INVALID_ARGUMENT', 2],
    ['an unknown level', async () => ['--cert', 'leader', '--level', 'B-XL', '--tsa', tsa.url], 'INVALID_ARGUMENT', 2],
    ['a TSA URL that is not http(s)', async () => ['--cert', 'leader', '--level', 'B-T', '--tsa', 'ftp://127.0.0.1/'], 'INVALID_ARGUMENT', 2],
    ['a TSA that is down', async () => ['--cert', 'leader', '--level', 'B-T', '--tsa', `http://127.0.0.1:${await refusedPort()}/`], 'TSA_UNAVAILABLE', 1],
    ['an expired certificate', async () => ['--cert', 'expired'], 'CERT_EXPIRED', 1],
  ];
  for (const [what, args, code, exit] of failures) {
    it(`${what}: ${code}, exit ${exit}, no output file`, async () => {
      const out = join(dir, `fail-${code}-${exit}-${what.length}.pdf`);
      const r = await kyso(['sign', join(dir, 'qd.pdf'), '-o', out, ...tokenArgs(), '--mode', 'appendix', '--doc-number', '1', ...(await args())]);
      expectRefused(r, code, exit, out);
    });
  }

  it('a TSA that answers after the timeout: TSA_TIMEOUT, no output file', async () => {
    const slow = await startTsa(PKI, { delayMs: 5000 });
    try {
      const out = join(dir, 'slow.pdf');
      const r = await kyso(['sign', join(dir, 'qd.pdf'), '-o', out, ...tokenArgs(), '--cert', 'leader', '--mode', 'appendix', '--doc-number', '1', '--level', 'B-T', '--tsa', slow.url, '--net-timeout', '0.5']);
      expectRefused(r, 'TSA_TIMEOUT', 1, out);
      expect(slow.count()).toBe(0);
    } finally {
      await slow.close();
    }
  });
});
