// kyso verify as a user runs it (the built bundle): exit codes 0/1/2 and the JSON shape.

import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadFonts } from '../../native-host/assets.ts';
import { makeVnDocument } from '../../scripts/samples/vn-document.ts';
import { signPdf } from '../../shared/sign/sign-pdf.ts';
import { PKI, ROOT, softwareSigner } from '../helpers/pki.ts';
import { tmpDir } from '../helpers/validators.ts';
import { CORPUS } from '../pdf/helpers.ts';
import { ensureResponders } from './responders.ts';

const KYSO = join(ROOT, 'native-host', 'bin', 'kyso.mjs');
let dir: string;
let good: string;

function kyso(args: string[]) {
  const r = spawnSync(process.execPath, [KYSO, 'verify', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeEach(ensureResponders);

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'native-host', 'dist', 'kyso.mjs'))) throw new Error('Build first: npm run build (npm test does it).');
  dir = tmpDir('kyso-verify-');
  const pdf = (await signPdf(makeVnDocument({ markers: true }), { mode: 'appendix', docNumber: '7/UBND' }, softwareSigner('leader'), { fonts: loadFonts() })).pdf;
  good = join(dir, 'signed.pdf');
  writeFileSync(good, pdf);
});

describe('kyso verify', () => {
  it('exit 0 and the JSON shape for a valid signature (online revocation via the test responder)', async () => {
    let r = kyso([good, '--trust', join(PKI, 'root.cert.pem'), '--json']);
    if (r.code !== 0 && r.stdout.includes('no answer')) {
      // The responders belonged to another test run that has just ended: bring them up and ask again.
      await ensureResponders();
      r = kyso([good, '--trust', join(PKI, 'root.cert.pem'), '--json']);
    }
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.file).toBe(good);
    expect(j.signatures).toHaveLength(1);
    const s = j.signatures[0];
    for (const k of ['field', 'signer', 'signingTime', 'timestamp', 'level', 'verdict', 'coversWholeDocument', 'changesAfter', 'warnings']) expect(s).toHaveProperty(k);
    expect(s).toMatchObject({ verdict: 'VALID', level: 'B-B', coversWholeDocument: true, changesAfter: [], timestamp: null });
    expect(s.signer).toEqual({ name: 'Nguyễn Văn Thành', issuer: expect.stringContaining('CA'), serial: expect.stringMatching(/^[0-9A-F]+$/) });
    expect(new Date(s.signingTime).getTime()).toBeGreaterThan(0);
  });

  it('exit 1 offline (REVOCATION_UNKNOWN) and for untrusted or tampered files; text output in Vietnamese', () => {
    const off = kyso([good, '--trust', join(PKI, 'root.cert.pem'), '--offline', '--json']);
    expect(off.code).toBe(1);
    expect(JSON.parse(off.stdout).signatures[0].verdict).toBe('REVOCATION_UNKNOWN');
    const untrusted = kyso([good, '--offline']);
    expect(untrusted.code).toBe(1);
    expect(untrusted.stdout).toMatch(/\[UNTRUSTED_CHAIN\]/);
    const siwa = kyso([join(CORPUS, 'signed', 'dss-siwa.pdf'), '--offline']);
    expect(siwa.code).toBe(1);
    expect(siwa.stdout).toMatch(/\[MALFORMED\].*\n.*sai cấu trúc/);
  });

  it('exit 1 with PDF_NOT_SIGNED for a file without signatures', () => {
    const plain = join(dir, 'plain.pdf');
    writeFileSync(plain, makeVnDocument({ markers: true }));
    const r = kyso([plain, '--offline', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).signatures).toEqual([]);
    expect(JSON.parse(r.stderr).error.code).toBe('PDF_NOT_SIGNED');
  });

  it('exit 2 with a typed error when the file or an anchor cannot be read', () => {
    const missing = kyso([join(dir, 'nope.pdf'), '--json']);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stderr).error.code).toBe('IO_ERROR');
    const garbage = join(dir, 'garbage.pdf');
    writeFileSync(garbage, 'this is not a pdf');
    const bad = kyso([garbage]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^PDF_INVALID: /);
    const badTrust = kyso([good, '--trust', garbage]);
    expect(badTrust.code).toBe(2);
    expect(badTrust.stderr).toMatch(/^TRUST_ANCHOR_INVALID: /);
    expect(kyso([]).code).toBe(2);
  });
});
