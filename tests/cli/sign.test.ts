// The kyso command line as a user runs it: the built bundle, the SoftHSM demo token through pkcs11js, files on
// disk. Three signatures in turn (leader, clerk issuing, an appendix signature) on a classic-xref sample and on
// an object-stream corpus file; every error leaves no output file.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeSealPng, makeSignaturePng } from '../../scripts/samples/images.ts';
import { makeVnDocument } from '../../scripts/samples/vn-document.ts';
import { ensureTestEnv, type TestEnv } from '../../scripts/testenv/testenv.ts';
import { ROOT } from '../helpers/pki.ts';
import { embeddedSignatures, expectGoodSignatures, pdfsig, startsWith, tmpDir } from '../helpers/validators.ts';
import { parseCms } from '../../shared/pades/signed-data.ts';
import { parseCertificate } from '../../shared/pki/certificate.ts';

const KYSO = join(ROOT, 'native-host', 'bin', 'kyso.mjs');
const CORPUS = join(ROOT, '..', 'shared', 'corpus');
let env: TestEnv;
let dir: string;

function kyso(args: string[], opts: { pin?: string | null } = {}) {
  const e: NodeJS.ProcessEnv = { ...process.env, SOFTHSM2_CONF: env.softhsmConf };
  delete e.KYSO_PIN;
  if (opts.pin !== null) e.KYSO_PIN = opts.pin ?? env.userPin;
  const r = spawnSync(process.execPath, [KYSO, ...args], { env: e, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tokenArgs = () => ['--module', env.softhsmModule, '--token', env.demoToken];

beforeAll(() => {
  env = ensureTestEnv();
  if (!existsSync(join(ROOT, 'native-host', 'dist', 'kyso.mjs'))) throw new Error('Build first: npm run build (npm test does it).');
  dir = tmpDir('kyso-cli-');
  writeFileSync(join(dir, 'qd.pdf'), makeVnDocument({ markers: true }));
  writeFileSync(join(dir, 'sig.png'), makeSignaturePng());
  writeFileSync(join(dir, 'seal.png'), makeSealPng());
});

describe('kyso sign', () => {
  it('signs as leader, then issues as clerk, then adds an appendix signature; every signature stays valid', () => {
    const inPath = join(dir, 'qd.pdf');
    const a = kyso(['sign', inPath, '-o', join(dir, 'a.pdf'), ...tokenArgs(), '--cert', 'leader', '--mode', 'approval', '--image', join(dir, 'sig.png'), '--json']);
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    expect(JSON.parse(a.stdout).field).toBe('KySo1');
    const b = kyso(['sign', join(dir, 'a.pdf'), '-o', join(dir, 'b.pdf'), ...tokenArgs(), '--cert', 'org', '--mode', 'issue', '--seal', join(dir, 'seal.png'), '--doc-number', '125/QĐ-UBND', '--place', 'Quảng Nam', '--date', '2026-11-21']);
    expect(b.code, b.stderr).toBe(0);
    const c = kyso(['sign', join(dir, 'b.pdf'), '-o', join(dir, 'c.pdf'), ...tokenArgs(), '--cert', 'ecdsa', '--mode', 'appendix', '--doc-number', '125/QĐ-UBND']);
    expect(c.code, c.stderr).toBe(0);
    const bytes = ['qd', 'a', 'b', 'c'].map((n) => new Uint8Array(readFileSync(join(dir, `${n}.pdf`))));
    for (let i = 1; i < bytes.length; i++) expect(startsWith(bytes[i], bytes[i - 1])).toBe(true);
    expectGoodSignatures(join(dir, 'c.pdf'), ['KySo1', 'KySo2', 'KySo3']);
    const v = pdfsig(join(dir, 'c.pdf'));
    expect(v.signatures.map((s) => s.totalDocument)).toEqual([false, false, true]);
    expect(v.raw).toContain('ETSI.CAdES.detached');
    // The whole chain travels in each CMS: signer, intermediate, root.
    for (const e of embeddedSignatures(bytes[3])) expect(parseCms(e.cms).certificates.map((c) => parseCertificate(c).isCA)).toEqual([false, true, true]);
  });

  it('keeps earlier signatures valid on an object-stream file signed three times', () => {
    const src = join(CORPUS, 'plain', 'pypdf-pdflatex-4-pages.pdf');
    const rect = ['--page', '1', '--rect', '300,600,120,60'];
    expect(kyso(['sign', src, '-o', join(dir, 'o1.pdf'), ...tokenArgs(), '--cert', 'leader', '--mode', 'approval', '--image', join(dir, 'sig.png'), ...rect]).code).toBe(0);
    expect(kyso(['sign', join(dir, 'o1.pdf'), '-o', join(dir, 'o2.pdf'), ...tokenArgs(), '--cert', 'org', '--mode', 'issue', '--seal', join(dir, 'seal.png'), '--page', '1', '--rect', '260,590,100,100']).code).toBe(0);
    expect(kyso(['sign', join(dir, 'o2.pdf'), '-o', join(dir, 'o3.pdf'), ...tokenArgs(), '--cert', 'ecdsa', '--mode', 'copy', '--copy-form', 'SL']).code).toBe(0);
    expect(startsWith(new Uint8Array(readFileSync(join(dir, 'o3.pdf'))), new Uint8Array(readFileSync(src)))).toBe(true);
    expectGoodSignatures(join(dir, 'o3.pdf'), ['KySo1', 'KySo2', 'KySo3']);
  });

  const failures: [string, string[], { pin?: string | null }, string, number][] = [
    ['wrong PIN', ['--cert', 'leader', '--mode', 'appendix', '--doc-number', '1'], { pin: '000000' }, 'PIN_INCORRECT', 1],
    ['no PIN and no terminal', ['--cert', 'leader', '--mode', 'appendix', '--doc-number', '1'], { pin: null }, 'PIN_REQUIRED', 1],
    ['unknown certificate', ['--cert', 'nobody', '--mode', 'appendix', '--doc-number', '1'], {}, 'CERT_NOT_FOUND', 1],
    ['unknown mode', ['--cert', 'leader', '--mode', 'sideways'], {}, 'INVALID_ARGUMENT', 2],
    ['approval without an image', ['--cert', 'leader', '--mode', 'approval'], {}, 'INVALID_ARGUMENT', 2],
    ['bad rectangle', ['--cert', 'leader', '--mode', 'approval', '--page', '1', '--rect', '1,2,x,4'], {}, 'INVALID_ARGUMENT', 2],
    ['page out of range', ['--cert', 'leader', '--mode', 'appendix', '--doc-number', '1', '--page', '9', '--rect', '1,2,3,4'], {}, 'PDF_PAGE_OUT_OF_RANGE', 1],
    ['marker that is not there', ['--cert', 'leader', '--mode', 'approval', '--image', 'SIG', '--marker', '#KhongCo'], {}, 'MARKER_NOT_FOUND', 1],
    ['certification without number and book', ['--cert', 'org', '--mode', 'certify'], {}, 'INVALID_ARGUMENT', 2],
    ['impossible date', ['--cert', 'org', '--mode', 'issue', '--seal', 'SEAL', '--date', '2026-02-30'], {}, 'INVALID_ARGUMENT', 2],
  ];
  for (const [what, args, opts, code, exit] of failures) {
    it(`${what}: ${code}, exit ${exit}, no output file`, () => {
      const out = join(dir, `fail-${code}-${exit}.pdf`);
      const fixed = args.map((a) => (a === 'SIG' ? join(dir, 'sig.png') : a === 'SEAL' ? join(dir, 'seal.png') : a));
      const r = kyso(['sign', join(dir, 'qd.pdf'), '-o', out, ...tokenArgs(), ...fixed], opts);
      expect(r.stderr).toContain(`${code}:`);
      expect(r.code).toBe(exit);
      expect(existsSync(out)).toBe(false);
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    });
  }

  it('refuses to write over its input', () => {
    const r = kyso(['sign', join(dir, 'qd.pdf'), '-o', join(dir, 'qd.pdf'), ...tokenArgs(), '--cert', 'leader', '--mode', 'appendix', '--doc-number', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('INVALID_ARGUMENT');
  });

  it('reports malformed files, password-protected files and files that forbid signing before asking for a PIN', () => {
    for (const [file, code] of [
      [join(CORPUS, 'malformed', 'gen-zero-length.pdf'), 'PDF_EMPTY'],
      [join(CORPUS, 'malformed', 'qpdf-bad1.pdf'), 'PDF_INVALID'],
      [join(CORPUS, 'plain', 'qpdf-enc-R3-user-pw-view.pdf'), 'PDF_PASSWORD_REQUIRED'],
      [join(CORPUS, 'plain', 'qpdf-enc-R6-AES256-empty-user-pw.pdf'), 'PDF_SIGNING_NOT_ALLOWED'],
    ]) {
      const out = join(dir, 'never.pdf');
      const r = kyso(['sign', file, '-o', out, ...tokenArgs(), '--cert', 'leader', '--mode', 'appendix', '--doc-number', '1'], { pin: null });
      expect(r.stderr, file).toContain(`${code}:`);
      expect(r.code).toBe(1);
      expect(existsSync(out)).toBe(false);
    }
  });
});

describe('kyso tokens and certs', () => {
  it('lists the demo token and its certificates as JSON', () => {
    const t = kyso(['tokens', '--module', env.softhsmModule, '--json']);
    expect(t.code).toBe(0);
    const tokens = JSON.parse(t.stdout).modules[0].tokens.map((x: { label: string }) => x.label);
    expect(tokens).toContain(env.demoToken);
    const c = kyso(['certs', ...tokenArgs(), '--json']);
    expect(c.code).toBe(0);
    const certs = JSON.parse(c.stdout).certificates as { label: string; commonName: string; validity: string; canSign: boolean }[];
    const byLabel = Object.fromEntries(certs.map((x) => [x.label, x]));
    expect(byLabel.leader.commonName).toBe('Nguyễn Văn Thành');
    expect(byLabel.leader.validity).toBe('valid');
    expect(byLabel.expired.validity).toBe('expired');
    expect(byLabel.notyet.validity).toBe('not-yet-valid');
    expect(byLabel.ca.canSign).toBe(false);
  });

  it('prints help and rejects unknown commands', () => {
    expect(kyso(['--help']).stdout).toContain('kyso sign IN.pdf -o OUT.pdf');
    const r = kyso(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('INVALID_ARGUMENT');
  });
});
