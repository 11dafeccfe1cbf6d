// The certificate check before signing, against the real OCSP responder and CRL server of the test PKI: expired and
// revoked certificates are blocked with typed errors (before the token is asked to sign), a certificate whose
// services do not answer gives a warning with the reason; the picker's status function says the same.
// Also: TSA failures (refused, slow, rejected) as typed errors, and the network rule (http/https only).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { certificateStatus, checkSigningCertificate, checkRevocation, ltvSignEnvironment } from '../../shared/ltv/index.ts';
import { requestTimestamp } from '../../shared/pades/timestamp.ts';
import { signPdf, type PadesLevel } from '../../shared/sign/sign-pdf.ts';
import { isKysoError, KysoError } from '../../shared/protocol/errors.ts';
import type { DigestSigner } from '../../shared/pades/signer.ts';
import { signDigestWithKey } from '../pades/helpers.ts';
import crypto from 'node:crypto';
import { loadFonts } from '../../native-host/assets.ts';
import { makeVnDocument } from '../../scripts/samples/vn-document.ts';
import { refusedPort, startTsa, type TestTsa } from '../../scripts/testenv/tsa.ts';
import { ensureTestEnv } from '../../scripts/testenv/testenv.ts';
import { ensureResponders, testFetch } from './helpers.ts';
import { PKI, softwareSigner } from '../helpers/pki.ts';

const der = (name: string) => new Uint8Array(readFileSync(join(PKI, `${name}.cert.der`)));
const chain = () => [der('sub'), der('root')];
const fonts = loadFonts();
const input = makeVnDocument({ markers: true });

/** A software signer for the LTV-only test certificates (revoked, offline), counting the signatures it makes. */
function ltvSigner(name: 'revoked' | 'offline'): DigestSigner & { signed: number } {
  const key = crypto.createPrivateKey(readFileSync(join(PKI, `${name}.key.pem`)));
  const s = {
    certificate: der(name),
    chain: chain(),
    scheme: { kind: 'rsa-pkcs1' } as const,
    signed: 0,
    signDigest: async (digest: Uint8Array, hash: 'SHA-256' | 'SHA-384' | 'SHA-512') => {
      s.signed++;
      return signDigestWithKey(key, { kind: 'rsa-pkcs1' }, digest, hash);
    },
  };
  return s;
}

async function caught(p: Promise<unknown>): Promise<KysoError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof KysoError) return e;
    throw e;
  }
  throw new Error('expected a KysoError');
}

let tsa: TestTsa;
beforeAll(async () => {
  ensureTestEnv();
  tsa = await startTsa(PKI);
});
beforeEach(ensureResponders);
afterAll(async () => {
  await tsa?.close();
});

describe('certificate status for the picker', () => {
  it('good by OCSP for a current signer', async () => {
    const s = await certificateStatus(der('leader'), { chain: chain(), fetch: testFetch });
    expect(s).toMatchObject({ validity: 'valid', revocation: 'good', source: 'ocsp', url: 'http://127.0.0.1:8788/', verdict: 'ok' });
  });

  it('revoked by OCSP, with the time and reason; by the CRL when OCSP is not used', async () => {
    const s = await certificateStatus(der('revoked'), { chain: chain(), fetch: testFetch });
    expect(s).toMatchObject({ revocation: 'revoked', source: 'ocsp', revocationReason: 'keyCompromise', verdict: 'CERT_REVOKED' });
    expect(s.revokedAt).toBeInstanceOf(Date);
    const c = await certificateStatus(der('revoked'), { chain: chain(), ocsp: false, fetch: testFetch });
    expect(c).toMatchObject({ revocation: 'revoked', source: 'crl', url: 'http://127.0.0.1:8789/crl/sub.crl', revocationReason: 'keyCompromise' });
  });

  it('expired and not yet valid without any network call', async () => {
    let calls = 0;
    const fetch = async () => {
      calls++;
      throw new Error('no network expected');
    };
    expect((await certificateStatus(der('expired'), { chain: chain(), fetch })).verdict).toBe('CERT_EXPIRED');
    expect((await certificateStatus(der('notyet'), { chain: chain(), fetch })).verdict).toBe('CERT_NOT_YET_VALID');
    expect(calls).toBe(0);
  });

  it('unknown when neither OCSP nor CRL answers, with each reason', async () => {
    const s = await certificateStatus(der('offline'), { chain: chain() });
    expect(s.verdict).toBe('REVOCATION_UNKNOWN');
    expect(s.problems.join('\n')).toMatch(/OCSP http:\/\/127\.0\.0\.1:8790\/: ECONNREFUSED/);
    expect(s.problems.join('\n')).toMatch(/CRL http:\/\/127\.0\.0\.1:8790\/crl\/sub\.crl: ECONNREFUSED/);
  });

  it('asks only the URLs the certificate names, through the injected fetch', async () => {
    const urls: string[] = [];
    const fetch = (url: string, init: Parameters<typeof globalThis.fetch>[1] & object) => {
      urls.push(url);
      return globalThis.fetch(url, init as RequestInit);
    };
    await checkRevocation(der('leader'), der('sub'), { fetch: fetch as never });
    await certificateStatus(der('offline'), { chain: chain(), fetch: fetch as never });
    expect(urls).toEqual(['http://127.0.0.1:8788/', 'http://127.0.0.1:8790/', 'http://127.0.0.1:8790/crl/sub.crl']);
  });
});

describe('the gate before signing', () => {
  it('blocks an expired certificate: CERT_EXPIRED, the token is never asked', async () => {
    const signer = softwareSigner('expired');
    let signed = 0;
    const counting = { ...signer, signDigest: async (d: Uint8Array, h: 'SHA-256') => (signed++, signer.signDigest(d, h)) };
    const e = await caught(signPdf(input, { mode: 'appendix', docNumber: '1' }, counting, { fonts, ...ltvSignEnvironment('B-B', { fetch: testFetch }) }));
    expect(e.code).toBe('CERT_EXPIRED');
    expect(e.messageVi).toContain('hết hạn');
    expect(signed).toBe(0);
  });

  it('blocks a revoked certificate: CERT_REVOKED with the date, the token is never asked', async () => {
    const signer = ltvSigner('revoked');
    const e = await caught(signPdf(input, { mode: 'appendix', docNumber: '1' }, signer, { fonts, ...ltvSignEnvironment('B-B', { fetch: testFetch }) }));
    expect(e.code).toBe('CERT_REVOKED');
    expect(e.details).toMatchObject({ source: 'ocsp', reason: 'keyCompromise' });
    expect(e.messageVi).toContain('thu hồi');
    expect(signer.signed).toBe(0);
  });

  it('signs with a warning (and the reason) when the status cannot be found; strict refuses', async () => {
    const signer = ltvSigner('offline');
    const r = await signPdf(input, { mode: 'appendix', docNumber: '1' }, signer, { fonts, ...ltvSignEnvironment('B-B', { fetch: testFetch }) });
    expect(r.warnings.length).toBe(1);
    expect(r.warnings[0]).toMatch(/Không kiểm tra được trạng thái thu hồi.*ECONNREFUSED/);
    const s = await caught(checkSigningCertificate(der('offline'), { chain: chain(), strict: true }));
    expect(s.code).toBe('REVOCATION_UNKNOWN');
  });

  it('B-LT refuses to embed incomplete revocation data: REVOCATION_UNKNOWN, no file', async () => {
    const signer = ltvSigner('offline');
    const e = await caught(signPdf(input, { mode: 'appendix', docNumber: '1', level: 'B-LT' }, signer, { fonts, ...ltvSignEnvironment('B-LT', { tsaUrl: tsa.url, fetch: testFetch }) }));
    expect(e.code).toBe('REVOCATION_UNKNOWN');
    expect(e.message).toMatch(/ECONNREFUSED/);
  });
});

describe('TSA failures', () => {
  const imprint = new Uint8Array(32).fill(1);

  it('a TSA that is down: TSA_UNAVAILABLE after the retries', async () => {
    const port = await refusedPort();
    const e = await caught(requestTimestamp(imprint, 'SHA-256', { url: `http://127.0.0.1:${port}/`, retries: 2, retryDelayMs: 10 }));
    expect(e.code).toBe('TSA_UNAVAILABLE');
    expect(e.details).toMatchObject({ attempts: 3 });
    expect(e.message).toContain('ECONNREFUSED');
  });

  it('a TSA that answers after the timeout: TSA_TIMEOUT', async () => {
    const slow = await startTsa(PKI, { delayMs: 3000 });
    try {
      const t0 = Date.now();
      const e = await caught(requestTimestamp(imprint, 'SHA-256', { url: slow.url, timeoutMs: 400, retries: 1, retryDelayMs: 10 }));
      expect(e.code).toBe('TSA_TIMEOUT');
      expect(Date.now() - t0).toBeLessThan(2500);
      expect(slow.count()).toBe(0);
    } finally {
      await slow.close();
    }
  });

  it('HTTP errors: TSA_UNAVAILABLE with the status; cancelled: USER_CANCELLED', async () => {
    const broken = await startTsa(PKI, { failStatus: 403 });
    try {
      const e = await caught(requestTimestamp(imprint, 'SHA-256', { url: broken.url, retries: 2, retryDelayMs: 10 }));
      expect(e.code).toBe('TSA_UNAVAILABLE');
      expect(e.details).toMatchObject({ attempts: 1 }); // 4xx: no retry
      expect(e.message).toContain('HTTP 403');
    } finally {
      await broken.close();
    }
    const slow = await startTsa(PKI, { delayMs: 3000 });
    try {
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 100);
      const e = await caught(requestTimestamp(imprint, 'SHA-256', { url: slow.url, signal: ac.signal }));
      expect(e.code).toBe('USER_CANCELLED');
    } finally {
      await slow.close();
    }
  });

  it('a reply whose imprint or nonce differs from the request: TSA_RESPONSE_INVALID', async () => {
    // A TSA that answers every request with the first reply it gave (a replay).
    let first: ArrayBuffer | undefined;
    const replay = async (url: string, init: { method: string; headers?: Record<string, string>; body?: Uint8Array; signal?: AbortSignal }) => {
      const r = await globalThis.fetch(url, init as RequestInit);
      const b = await r.arrayBuffer();
      first ??= b;
      return { status: r.status, arrayBuffer: async () => first! };
    };
    await requestTimestamp(imprint, 'SHA-256', { url: tsa.url, fetch: replay });
    const e = await caught(requestTimestamp(new Uint8Array(32).fill(2), 'SHA-256', { url: tsa.url, fetch: replay }));
    expect(e.code).toBe('TSA_RESPONSE_INVALID');
    const n = await caught(requestTimestamp(imprint, 'SHA-256', { url: tsa.url, fetch: replay }));
    expect(n.code).toBe('TSA_RESPONSE_INVALID');
    expect(n.message).toContain('nonce');
  });

  it('only http and https URLs', async () => {
    for (const url of ['file:///etc/passwd', 'ldap://127.0.0.1/cn=x', 'http://user:pw@127.0.0.1/']) {
      expect((await caught(requestTimestamp(imprint, 'SHA-256', { url }))).code).toBe('NETWORK_URL_FORBIDDEN');
    }
  });

  it('B-T and above without a TSA are refused before anything happens', async () => {
    for (const level of ['B-T', 'B-LT', 'B-LTA'] as PadesLevel[]) {
      const e = await caught(signPdf(input, { mode: 'appendix', docNumber: '1', level }, softwareSigner('leader'), { fonts }));
      expect(isKysoError(e, 'INVALID_ARGUMENT')).toBe(true);
    }
  });
});
