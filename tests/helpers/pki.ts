// The test PKI and demo token made by scripts/testenv (npm run fixtures), as the tests use them.

import crypto from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DigestSigner, SignatureScheme } from '../../shared/pades/index.ts';
import { signDigestWithKey } from '../pades/helpers.ts';
import { openTokenSigner, type TokenSigner } from '../../native-host/token/token-signer.ts';
import { ensureTestEnv } from '../../scripts/testenv/testenv.ts';

export const ROOT = join(import.meta.dirname, '..', '..');
export const KYSO = join(ROOT, '.kyso');
export const PKI = join(KYSO, 'pki');
export const NSSDB = join(KYSO, 'nssdb');

export function requireFixtures(): void {
  if (!existsSync(join(PKI, 'leader.cert.der'))) throw new Error('Test PKI missing: run `npm run fixtures` (npm test does it).');
}

export type Who = 'leader' | 'org' | 'ecdsa' | 'expired' | 'notyet';

function chainDer(): Uint8Array[] {
  const pem = readFileSync(join(PKI, 'chain.pem'), 'utf8');
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) => new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ''), 'base64')));
}

/** A software signer over the test keys: the same CMS path as the token, without the token. */
export function softwareSigner(who: Who, scheme?: SignatureScheme): DigestSigner {
  requireFixtures();
  const certificate = new Uint8Array(readFileSync(join(PKI, `${who}.cert.der`)));
  const key = crypto.createPrivateKey(readFileSync(join(PKI, `${who}.key.pem`)));
  const s: SignatureScheme = scheme ?? (who === 'ecdsa' ? { kind: 'ecdsa' } : { kind: 'rsa-pkcs1' });
  return {
    certificate,
    chain: chainDer(),
    scheme: s,
    signDigest: async (digest, hash) => signDigestWithKey(key, s, digest, hash),
  };
}

/** The real path: pkcs11js → SoftHSM, the demo token, logged in with the test PIN. Close it when done. */
export async function tokenSigner(who: Who): Promise<TokenSigner> {
  const env = ensureTestEnv();
  return openTokenSigner({ modulePath: env.softhsmModule, tokenLabel: env.demoToken, cert: who, pin: env.userPin });
}

/** The leader's and the organisation's token signers for a test file: opened before its tests, closed after. */
export function useTokenSigners(): { org: TokenSigner; leader: TokenSigner } {
  const signers = {} as { org: TokenSigner; leader: TokenSigner };
  beforeAll(async () => {
    signers.org = await tokenSigner('org');
    signers.leader = await tokenSigner('leader');
  });
  afterAll(() => {
    signers.org?.close();
    signers.leader?.close();
  });
  return signers;
}
