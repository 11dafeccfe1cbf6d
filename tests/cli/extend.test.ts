// kyso extend FILE.pdf -o OUT.pdf --level B-LT|B-LTA, as a user runs it: the built bundle on files signed by
// kyso sign with the SoftHSM demo token, the test TSA started here on 127.0.0.1, OCSP/CRL from the global setup.
// The signed file must be a byte prefix of the extended one, pdfsig must still accept the first signature, and
// kyso verify --offline must find the level and the embedded revocation data.

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeVnDocument } from '../../scripts/samples/vn-document.ts';
import { ensureTestEnv, type TestEnv } from '../../scripts/testenv/testenv.ts';
import { startTsa, type TestTsa } from '../../scripts/testenv/tsa.ts';
import { PKI, ROOT } from '../helpers/pki.ts';
import { expectGoodSignatures, pdfsig, qpdfCheck, startsWith, tmpDir } from '../helpers/validators.ts';
import { ensureResponders, expectDss, fileSignatures, expectRefused, opensslTsVerify, runKyso, runKysoOnce, signedData, type KysoRun } from '../ltv/helpers.ts';

let env: TestEnv;
let dir: string;
let tsa: TestTsa;
/** One B-B file and one B-T file signed by kyso sign, shared by the tests. */
let bb: string;
let bt: string;

type Run = KysoRun;


const kyso = (args: string[]) => runKyso(args, env);
const kysoOnce = (args: string[]) => runKysoOnce(args, env);

const tokenArgs = () => ['--module', env.softhsmModule, '--token', env.demoToken];
const bytes = (p: string) => new Uint8Array(readFileSync(p));

interface VerifiedSignature {
  field: string;
  kind: string;
  verdict: string;
  level: string | null;
  revocation?: { status: string; certificates: { subject: string; status: string; source?: string }[] };
}

/** kyso verify --json with the test root trusted; offline unless told (then the test responders answer). */
async function verify(file: string, { online = false, exit = 0 } = {}): Promise<VerifiedSignature[]> {
  const r = await (online ? kyso : kysoOnce)(['verify', file, ...(online ? [] : ['--offline']), '--json', '--trust', join(PKI, 'root.cert.pem')]);
  expect(r.code, r.stderr + r.stdout).toBe(exit);
  return JSON.parse(r.stdout).signatures as VerifiedSignature[];
}
const verifyOffline = (file: string) => verify(file);

/** Every certificate of the signature's chain but the root was judged from data inside the file, and found good. */
function expectEmbeddedRevocation(s: VerifiedSignature): void {
  expect(s.revocation?.status, JSON.stringify(s)).toBe('good');
  const certs = s.revocation!.certificates.filter((c) => c.status !== 'not-checked');
  expect(certs.length, JSON.stringify(s.revocation)).toBeGreaterThanOrEqual(2);
  for (const c of certs) expect(c.source, JSON.stringify(c)).toMatch(/^embedded/);
}

beforeAll(async () => {
  env = ensureTestEnv();
  if (!existsSync(join(ROOT, 'native-host', 'dist', 'kyso.mjs'))) throw new Error('Build first: node native-host/build.mjs.');
  dir = tmpDir('kyso-extend-cli-');
  writeFileSync(join(dir, 'qd.pdf'), makeVnDocument({ markers: true }));
  tsa = await startTsa(PKI);
  bb = join(dir, 'bb.pdf');
  bt = join(dir, 'bt.pdf');
  const a = await kyso(['sign', join(dir, 'qd.pdf'), '-o', bb, ...tokenArgs(), '--cert', 'leader', '--mode', 'appendix', '--doc-number', '9/QĐ']);
  if (a.code !== 0) throw new Error(`kyso sign B-B: ${a.stderr}`);
  const b = await kyso(['sign', join(dir, 'qd.pdf'), '-o', bt, ...tokenArgs(), '--cert', 'org', '--mode', 'appendix', '--doc-number', '10/QĐ', '--level', 'B-T', '--tsa', tsa.url]);
  if (b.code !== 0) throw new Error(`kyso sign B-T: ${b.stderr}`);
});
beforeEach(ensureResponders);
afterAll(async () => {
  await tsa?.close();
});

describe('kyso extend', () => {
  it('B-B → B-LT: a document time-stamp, then the DSS; the signed file is a prefix, the signature stays valid', async () => {
    const out = join(dir, 'bb-lt.pdf');
    const r = await kyso(['extend', bb, '-o', out, '--level', 'B-LT', '--tsa', tsa.url, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ output: out, level: 'B-LT', signatures: ['KySo1'], documentTimestamps: ['KySoTS1'] });
    const pdf = bytes(out);
    expect(startsWith(pdf, bytes(bb))).toBe(true);
    expect(pdf.length).toBeGreaterThan(bytes(bb).length);
    expect(qpdfCheck(out)).toBe(0);
    await ensureResponders(); // pdfsig asks OCSP itself
    expectGoodSignatures(out, ['KySo1']);
    // The DSS covers the signature and the document time-stamp that made it B-T.
    expectDss(pdf, ['KySo1', 'KySoTS1']);
    const ts = fileSignatures(pdf).find((s) => s.type === 'DocTimeStamp')!;
    expect(opensslTsVerify(ts.cms, signedData(pdf, ts.byteRange)).ok).toBe(true);
    const v = await verifyOffline(out);
    const sig = v.find((s) => s.field === 'KySo1')!;
    expect(sig.verdict).toMatch(/^VALID/);
    expect(sig.level).toBe('B-LT');
    expectEmbeddedRevocation(sig);
  });

  it('B-B → B-LTA: DSS, then the archive time-stamp; the signed file is a prefix, the signature stays valid', async () => {
    const out = join(dir, 'bb-lta.pdf');
    const before = tsa.count();
    const r = await kyso(['extend', bb, '-o', out, '--level', 'b-lta', '--tsa', tsa.url]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Đã bổ sung mức B-LTA');
    expect(tsa.count()).toBe(before + 1);
    const pdf = bytes(out);
    expect(startsWith(pdf, bytes(bb))).toBe(true);
    expect(qpdfCheck(out)).toBe(0);
    await ensureResponders();
    const p = pdfsig(out);
    expect(p.signatures[0].field).toBe('KySo1');
    expect(p.signatures[0].validation, p.raw).toBe('Signature is Valid.');
    expect(p.signatures[0].certificate, p.raw).toBe('Certificate is Trusted.');
    expectDss(pdf, ['KySo1']);
    const v = await verify(out, { exit: 1 });
    const sig = v.find((s) => s.kind === 'signature')!;
    expect(sig.verdict).toMatch(/^VALID/);
    expect(sig.level).toBe('B-LTA');
    expectEmbeddedRevocation(sig);
    // The newest archive time-stamp's own validation data comes with the next renewal: offline, the TSA's status
    // is unknown (the signature had no time-stamp, so the DSS holds nothing about this TSA); online it holds.
    expect(v.find((s) => s.kind === 'doc-timestamp')?.verdict).toBe('REVOCATION_UNKNOWN');
    const online = await verify(out, { online: true });
    expect(online.map((s) => s.verdict.startsWith('VALID'))).toEqual([true, true]);
  });

  it('B-T → B-LT needs no TSA: only the DSS is added', async () => {
    const out = join(dir, 'bt-lt.pdf');
    const before = tsa.count();
    const r = await kyso(['extend', bt, '-o', out, '--level', 'B-LT', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ level: 'B-LT', signatures: ['KySo1'], documentTimestamps: [] });
    expect(tsa.count()).toBe(before);
    expect(startsWith(bytes(out), bytes(bt))).toBe(true);
    await ensureResponders();
    expectGoodSignatures(out, ['KySo1']);
    const sig = (await verifyOffline(out)).find((s) => s.field === 'KySo1')!;
    expect(sig.level).toBe('B-LT');
    expectEmbeddedRevocation(sig);
    // The same signature before extension: no embedded data, so offline its status cannot be known.
    const plain = await kysoOnce(['verify', bt, '--offline', '--json', '--trust', join(PKI, 'root.cert.pem')]);
    const old = (JSON.parse(plain.stdout).signatures as VerifiedSignature[])[0];
    expect(old.level).toBe('B-T');
    expect(old.revocation?.status).not.toBe('good');
  });

  it('B-LTA twice: the second run renews the archive time-stamp; every earlier signature and time-stamp stays valid', async () => {
    const once = join(dir, 'bt-lta.pdf');
    const twice = join(dir, 'bt-lta2.pdf');
    expect((await kyso(['extend', bt, '-o', once, '--level', 'B-LTA', '--tsa', tsa.url])).code).toBe(0);
    const r = await kyso(['extend', once, '-o', twice, '--level', 'B-LTA', '--tsa', tsa.url, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).signatures).toEqual(['KySo1', 'KySoTS1']);
    expect(startsWith(bytes(twice), bytes(once))).toBe(true);
    const v = await verifyOffline(twice);
    expect(v.map((s) => [s.field, s.verdict.startsWith('VALID')])).toEqual([
      ['KySo1', true],
      ['KySoTS1', true],
      ['KySoTS2', true],
    ]);
    expect(v[0].level).toBe('B-LTA');
  });

  const failures: [string, () => string[], string, number][] = [
    ['a file with no signature', () => [join(dir, 'qd.pdf'), '--level', 'B-LT', '--tsa', tsa.url], 'PDF_NOT_SIGNED', 1],
    ['B-LTA without --tsa', () => [bb, '--level', 'B-LTA'], 'INVALID_ARGUMENT', 2],
    ['B-LT on an untimestamped signature without --tsa', () => [bb, '--level', 'B-LT'], 'INVALID_ARGUMENT', 2],
    ['an unknown level', () => [bb, '--level', 'B-T', '--tsa', tsa.url], 'INVALID_ARGUMENT', 2],
    ['a TSA URL that is not http(s)', () => [bb, '--level', 'B-LTA', '--tsa', 'ftp://127.0.0.1/'], 'INVALID_ARGUMENT', 2],
    ['a file that is not a PDF', () => [join(dir, 'not.pdf'), '--level', 'B-LT'], 'PDF_INVALID', 1],
    ['a missing file', () => [join(dir, 'missing.pdf'), '--level', 'B-LT'], 'IO_ERROR', 1],
  ];
  for (const [what, args, code, exit] of failures) {
    it(`${what}: ${code}, exit ${exit}, no output file`, async () => {
      writeFileSync(join(dir, 'not.pdf'), 'Đây không phải PDF\n');
      const out = join(dir, `fail-${code}-${what.length}.pdf`);
      const r = await kysoOnce(['extend', ...args(), '-o', out]);
      expectRefused(r, code, exit, out);
    });
  }

  it('a TSA that answers after --net-timeout: TSA_TIMEOUT, no output file', async () => {
    const slow = await startTsa(PKI, { delayMs: 5000 });
    try {
      const out = join(dir, 'slow.pdf');
      const r = await kyso(['extend', bb, '-o', out, '--level', 'B-LTA', '--tsa', slow.url, '--net-timeout', '0.5']);
      expectRefused(r, 'TSA_TIMEOUT', 1, out);
      expect(slow.count()).toBe(0);
    } finally {
      await slow.close();
    }
  });

  it('refuses to write over its input, and is listed in the help', async () => {
    const r = await kysoOnce(['extend', bb, '-o', bb, '--level', 'B-LTA', '--tsa', tsa.url]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('INVALID_ARGUMENT');
    expect((await kysoOnce(['--help'])).stdout).toContain('kyso extend FILE.pdf -o OUT.pdf --level B-LT|B-LTA');
  });
});
