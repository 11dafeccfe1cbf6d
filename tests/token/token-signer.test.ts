// openTokenSigner: the token as the DigestSigner of a PAdES CMS. Each CMS made with the SoftHSM demo token is
// checked by `openssl cms -verify` against the test root alone, so the chain must come from the token.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPadesCms } from '../../shared/pades/signer.ts';
import { parseCertificate } from '../../shared/pki/certificate.ts';
import { openTokenSigner, pickCertificate } from '../../native-host/token/token-signer.ts';
import type { TokenCertificate } from '../../native-host/token/pkcs11-service.ts';
import { ensureTestEnv, type TestEnv } from '../../scripts/testenv/testenv.ts';

let env: TestEnv;
let dir: string;

beforeAll(() => {
  env = ensureTestEnv();
  dir = mkdtempSync(join(tmpdir(), 'kyso-token-signer-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function opensslVerify(cms: Uint8Array, content: Uint8Array): string {
  const sig = join(dir, 'sig.der');
  const data = join(dir, 'content.bin');
  writeFileSync(sig, cms);
  writeFileSync(data, content);
  return execFileSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', sig, '-content', data, '-CAfile', join(env.pkiDir, 'root.cert.pem'), '-out', '/dev/null'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('openTokenSigner on the demo token', () => {
  const content = new TextEncoder().encode('%PDF-1.7 … nội dung văn bản được ký …');
  const contentDigest = new Uint8Array(createHash('sha256').update(content).digest());

  for (const [cert, scheme, expected] of [
    ['leader', undefined, 'rsa-pkcs1'],
    ['org', 'rsa-pss', 'rsa-pss'],
    ['03', undefined, 'ecdsa'],
  ] as const) {
    it(`${cert}: ${expected} CMS verifies with openssl against the test root`, async () => {
      const signer = await openTokenSigner({ modulePath: env.softhsmModule, tokenLabel: env.demoToken, cert, pin: env.userPin, scheme });
      try {
        expect(signer.scheme.kind).toBe(expected);
        expect(signer.protectedAuthPath).toBe(false);
        // The intermediate and the root stored on the token ("ca", "root") make the whole chain.
        expect(signer.chain.map((c) => parseCertificate(c).subject.CN)).toEqual(['CA phục vụ các cơ quan Nhà nước G2 (TEST)', 'RootCA chuyên dùng Chính phủ G2 (TEST)']);
        const cms = await buildPadesCms({ contentDigest, hash: 'SHA-256', signer });
        expect(opensslVerify(cms, content)).toBe('');
      } finally {
        signer.close();
      }
    });
  }

  it('finds the module by discovery when none is given', async () => {
    const signer = await openTokenSigner({
      tokenLabel: env.demoToken,
      cert: 'leader',
      pin: env.userPin,
      discover: { platform: 'linux', exists: (p) => p === env.softhsmModule },
    });
    try {
      expect(signer.modulePath).toBe(env.softhsmModule);
      expect(parseCertificate(signer.certificate).subject.CN).toBe('Nguyễn Văn Thành');
    } finally {
      signer.close();
    }
  });

  it('checks the PIN before any document work, and unloads the module on failure', async () => {
    await expect(openTokenSigner({ modulePath: env.softhsmModule, tokenLabel: env.emptyToken, cert: 'leader', pin: '111111' })).rejects.toMatchObject({ code: 'PIN_INCORRECT' });
    await expect(openTokenSigner({ modulePath: env.softhsmModule, tokenLabel: env.demoToken, cert: 'không-có', pin: env.userPin })).rejects.toMatchObject({ code: 'CERT_NOT_FOUND' });
    await expect(openTokenSigner({ modulePath: env.softhsmModule, tokenLabel: env.demoToken, cert: 'ca', pin: env.userPin })).rejects.toMatchObject({ code: 'KEY_NOT_FOUND' });
    await expect(openTokenSigner({ modulePath: env.softhsmModule, tokenLabel: 'KySo Khác', cert: 'leader', pin: env.userPin })).rejects.toMatchObject({ code: 'TOKEN_NOT_FOUND' });
    await expect(openTokenSigner({ tokenLabel: env.demoToken, cert: 'leader', pin: env.userPin, discover: { exists: () => false } })).rejects.toMatchObject({ code: 'MODULE_NOT_FOUND' });
    // Nothing was left initialized: a new signer starts cleanly.
    const signer = await openTokenSigner({ modulePath: env.softhsmModule, tokenLabel: env.demoToken, cert: '01', pin: env.userPin });
    signer.close();
  });
});

describe('pickCertificate', () => {
  const c = (label: string, id: string, hasPrivateKey: boolean): TokenCertificate => ({
    label,
    id,
    hasPrivateKey,
    alwaysAuthenticate: false,
    der: new Uint8Array(),
    keyType: 'rsa',
  });

  it('prefers a label match with its key, then any label match, then the CKA_ID in any hex spelling', () => {
    const certs = [c('Ký số', 'aa01', false), c('Ký số', 'aa02', true), c('other', 'abcd', true)];
    expect(pickCertificate(certs, 'Ký số').id).toBe('aa02');
    expect(pickCertificate(certs, 'AB:CD').id).toBe('abcd');
    expect(() => pickCertificate(certs, 'zz')).toThrowError(expect.objectContaining({ code: 'CERT_NOT_FOUND' }));
  });
});
