// A software DigestSigner over the test PKI's leader key (.kyso/pki, made by scripts/testenv/make-all.sh): the same CMS
// path as the token (the host signs DigestInfo with raw PKCS#1 v1.5 like CKM_RSA_PKCS), without the token, so token
// time is out of the figures by construction. Kept here rather than imported from tests/ so the benchmark child does
// not load test-only modules (tests/helpers/pki.ts also pulls in the PKCS#11 token code).

import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { digestInfo, type DigestSigner } from '../../shared/pades/index.ts';

export function pkiDir(): string {
  if (process.env.KYSO_BENCH_PKI) return process.env.KYSO_BENCH_PKI;
  // child.mjs runs from out/bench/, the sources from scripts/bench/: both are two levels below the repository
  return join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '.kyso', 'pki');
}

export function benchSigner(dir = pkiDir()): DigestSigner {
  const certificate = new Uint8Array(readFileSync(join(dir, 'leader.cert.der')));
  const key = crypto.createPrivateKey(readFileSync(join(dir, 'leader.key.pem')));
  const pem = readFileSync(join(dir, 'chain.pem'), 'utf8');
  const chain = [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) => new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ''), 'base64')));
  return {
    certificate,
    chain,
    scheme: { kind: 'rsa-pkcs1' },
    signDigest: async (digest, hash) => new Uint8Array(crypto.privateEncrypt({ key, padding: crypto.constants.RSA_PKCS1_PADDING }, digestInfo(hash, digest))),
  };
}
