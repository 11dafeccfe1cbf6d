// The test environment itself: idempotent and fast when built, a PKI whose chain openssl and NSS accept, expired
// and not-yet-valid certificates that fail the way they should, and NSS databases pdfsig trusts.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTestEnv, KYSO_DIR, REPO_ROOT, type TestEnv } from '../../scripts/testenv/testenv.ts';

let env: TestEnv;
let dir: string;

beforeAll(() => {
  env = ensureTestEnv();
  dir = mkdtempSync(join(tmpdir(), 'kyso-testenv-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

function opensslVerify(name: string): { ok: boolean; out: string } {
  const r = spawnSync('openssl', ['verify', '-CAfile', join(env.pkiDir, 'root.cert.pem'), '-untrusted', join(env.pkiDir, 'sub.cert.pem'), join(env.pkiDir, `${name}.cert.pem`)], { encoding: 'utf8' });
  return { ok: r.status === 0, out: r.stdout + r.stderr };
}

/** A one-page PDF, written by hand. */
function tinyPdf(): Buffer {
  const objs = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>'];
  let out = '%PDF-1.7\n';
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

describe('scripts/testenv', () => {
  it('a second make-all run does nothing, quietly, in well under a second', () => {
    const t0 = performance.now();
    const r = spawnSync('bash', [join(REPO_ROOT, 'scripts', 'testenv', 'make-all.sh')], { encoding: 'utf8', env: { ...process.env, KYSO_DIR } });
    const ms = performance.now() - t0;
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('the signers chain to the test root; the expired and not-yet-valid ones fail as such', () => {
    for (const name of ['leader', 'org', 'ecdsa']) expect(opensslVerify(name)).toMatchObject({ ok: true });
    expect(opensslVerify('expired').out).toContain('certificate has expired');
    expect(opensslVerify('notyet').out).toContain('certificate is not yet valid');
  });

  it('the leader certificate reads as a Vietnamese signing certificate', () => {
    const text = execFileSync('openssl', ['x509', '-in', join(env.pkiDir, 'leader.cert.pem'), '-noout', '-text', '-nameopt', 'utf8,sep_comma_plus_space'], { encoding: 'utf8' });
    expect(text).toContain('CN=Nguyễn Văn Thành');
    expect(text).toContain('O=UBND tỉnh Quảng Nam (TEST)');
    expect(text).toContain('Issuer: C=VN, O=Ban Cơ yếu Chính phủ (TEST), OU=Cục Chứng thực số và Bảo mật thông tin (TEST)');
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Non Repudiation/);
    expect(text).toContain('OCSP - URI:http://127.0.0.1:8788/');
    expect(text).toContain('URI:http://127.0.0.1:8789/crl/sub.crl');
    expect(text).toContain('Public-Key: (2048 bit)');
  });

  it('the PKCS#12 opens with its test password', () => {
    const out = execFileSync('openssl', ['pkcs12', '-in', join(env.pkiDir, 'leader.p12'), '-passin', 'pass:kyso-test', '-nokeys', '-clcerts'], { encoding: 'utf8' });
    expect(out).toContain('BEGIN CERTIFICATE');
  });

  it.skipIf(!has('pdfsig'))('pdfsig signs with nssdb-signer and trusts the result with nssdb', () => {
    const plain = join(dir, 'plain.pdf');
    const signed = join(dir, 'signed.pdf');
    writeFileSync(plain, tinyPdf());
    execFileSync('pdfsig', ['-add-signature', '-nssdir', `sql:${KYSO_DIR}/nssdb-signer`, '-nick', 'leader', plain, signed], { stdio: 'ignore' });
    // -no-ocsp: the test run may or may not have a responder on 8788.
    const r = spawnSync('pdfsig', ['-no-ocsp', '-nssdir', env.nssdb, signed], { encoding: 'utf8' });
    expect(r.stdout).toContain('Signer Certificate Common Name: Nguyễn Văn Thành');
    expect(r.stdout).toContain('Signature is Valid.');
    expect(r.stdout).toContain('Certificate is Trusted.');
  });
});
