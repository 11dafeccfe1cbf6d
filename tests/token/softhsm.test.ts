// The token service against the SoftHSM demo token, through the real pkcs11js: listing, login, signing with
// every scheme (checked with node:crypto against the certificate), cleanup and reload.

import { createHash, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isKysoError, type KysoError } from '../../shared/protocol/errors.ts';
import { Pkcs11Service, type TokenCertificate } from '../../native-host/token/pkcs11-service.ts';
import { ecdsaRawToDer } from '../../native-host/token/index.ts';
import { ensureTestEnv, type TestEnv } from '../../scripts/testenv/testenv.ts';

let env: TestEnv;

beforeAll(() => {
  env = ensureTestEnv();
});

async function rejection(p: Promise<unknown>): Promise<KysoError> {
  try {
    await p;
  } catch (e) {
    if (isKysoError(e)) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

function sha(alg: 'sha256' | 'sha384' | 'sha512', text: string): Uint8Array {
  return new Uint8Array(createHash(alg).update(text).digest());
}

describe('Pkcs11Service on SoftHSM', () => {
  let svc: Pkcs11Service;
  let certs: TokenCertificate[];

  beforeAll(async () => {
    svc = Pkcs11Service.load(env.softhsmModule);
    certs = await svc.listCertificates(env.demoToken);
  });
  afterAll(() => svc?.close());

  const cert = (label: string) => {
    const c = certs.find((x) => x.label === label);
    if (!c) throw new Error(`no ${label} on the token`);
    return c;
  };

  it('reports the module', () => {
    expect(svc.moduleInfo.manufacturer).toContain('SoftHSM');
    expect(svc.moduleInfo.cryptokiVersion).toMatch(/^2\.\d\d$/);
  });

  it('lists the demo and empty tokens by label, with flags', async () => {
    const tokens = await svc.listTokens();
    const demo = tokens.find((t) => t.label === env.demoToken);
    expect(demo).toBeDefined();
    expect(demo!.slotId).toMatch(/^\d+$/);
    expect(demo!.manufacturer).toBe('SoftHSM project');
    expect(demo!.serial).not.toBe('');
    expect(demo!.flags).toEqual({
      loginRequired: true,
      protectedAuthPath: false,
      pinCountLow: false,
      pinFinalTry: false,
      pinLocked: false,
      pinToBeChanged: false,
      tokenInitialized: true,
    });
    expect(tokens.some((t) => t.label === env.emptyToken)).toBe(true);
    expect((await svc.findToken(demo!.serial)).label).toBe(env.demoToken);
  });

  it('lists the seven certificates with their CKA_IDs, labels and key types', () => {
    expect(certs).toHaveLength(7);
    const byLabel = Object.fromEntries(certs.map((c) => [c.label, c]));
    for (const [label, id] of Object.entries(env.objects)) expect(byLabel[label]?.id).toBe(id);
    for (const label of ['leader', 'org', 'ecdsa', 'expired', 'notyet']) {
      const c = byLabel[label];
      expect(c.hasPrivateKey).toBe(true);
      expect(Buffer.from(c.der)).toEqual(readFileSync(join(env.pkiDir, `${label}.cert.der`)));
    }
    expect(byLabel.ca.hasPrivateKey).toBe(false);
    expect(byLabel.leader).toMatchObject({ keyType: 'rsa', keyBits: 2048 });
    expect(byLabel.ecdsa).toMatchObject({ keyType: 'ec', keyBits: 256, curve: 'P-256' });
    expect(new X509Certificate(byLabel.leader.der).subject).toContain('CN=Nguyễn Văn Thành');
  });

  it('an empty token has no certificates; an unknown label is TOKEN_NOT_FOUND', async () => {
    expect(await svc.listCertificates(env.emptyToken)).toEqual([]);
    const e = await rejection(svc.listCertificates('Không có token này'));
    expect(e.code).toBe('TOKEN_NOT_FOUND');
  });

  it('offers the signing mechanisms KýSố uses', async () => {
    const names = (await svc.mechanisms(env.demoToken)).filter((m) => m.sign).map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(['CKM_RSA_PKCS', 'CKM_RSA_PKCS_PSS', 'CKM_ECDSA']));
  });

  describe('signing a digest', () => {
    beforeAll(async () => {
      const r = await svc.login(env.demoToken, env.userPin);
      expect(r).toEqual({ protectedAuthPath: false, alreadyLoggedIn: false });
    });
    afterAll(() => svc.logout(env.demoToken));

    it('logging in twice keeps the one session', async () => {
      expect(await svc.login(env.demoToken, env.userPin)).toEqual({ protectedAuthPath: false, alreadyLoggedIn: true });
    });

    it('RSA PKCS#1 v1.5 with the leader key, SHA-256/384/512', async () => {
      const pub = new X509Certificate(cert('leader').der).publicKey;
      for (const [hash, alg] of [
        ['SHA-256', 'sha256'],
        ['SHA-384', 'sha384'],
        ['SHA-512', 'sha512'],
      ] as const) {
        const digest = sha(alg, `Văn bản số 12/UBND-VP (${hash})`);
        const sig = await svc.signDigest({ tokenLabel: env.demoToken, certId: cert('leader').id, digest, hash, scheme: 'rsa-pkcs1' });
        expect(sig).toHaveLength(256);
        // The signature verifies over the message whose hash we signed: the DigestInfo was right.
        expect(verify(alg, Buffer.from(`Văn bản số 12/UBND-VP (${hash})`), pub, sig)).toBe(true);
      }
    });

    it('RSASSA-PSS with the organisation key (salt = hash length)', async () => {
      const text = 'Quyết định ban hành (PSS)';
      const sig = await svc.signDigest({ tokenLabel: env.demoToken, certId: cert('org').id, digest: sha('sha256', text), hash: 'SHA-256', scheme: 'rsa-pss' });
      const pub = new X509Certificate(cert('org').der).publicKey;
      expect(verify('sha256', Buffer.from(text), { key: pub, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 }, sig)).toBe(true);
      expect(verify('sha256', Buffer.from(text), { key: pub, padding: 6, saltLength: 20 }, sig)).toBe(false);
    });

    it('ECDSA P-256 returns r‖s; ecdsaRawToDer makes the DER form', async () => {
      const text = 'Công văn ký bằng ECDSA';
      for (const [hash, alg] of [
        ['SHA-256', 'sha256'],
        ['SHA-384', 'sha384'],
      ] as const) {
        const raw = await svc.signDigest({ tokenLabel: env.demoToken, certId: cert('ecdsa').id, digest: sha(alg, text), hash, scheme: 'ecdsa' });
        expect(raw).toHaveLength(64);
        const pub = new X509Certificate(cert('ecdsa').der).publicKey;
        expect(verify(alg, Buffer.from(text), { key: pub, dsaEncoding: 'ieee-p1363' }, raw)).toBe(true);
        expect(verify(alg, Buffer.from(text), { key: pub, dsaEncoding: 'der' }, ecdsaRawToDer(raw))).toBe(true);
      }
    });

    it('refuses a scheme that does not fit the key, a wrong digest length, an unknown id', async () => {
      const digest = sha('sha256', 'x');
      expect((await rejection(svc.signDigest({ tokenLabel: env.demoToken, certId: cert('ecdsa').id, digest, hash: 'SHA-256', scheme: 'rsa-pkcs1' }))).code).toBe('INVALID_ARGUMENT');
      expect((await rejection(svc.signDigest({ tokenLabel: env.demoToken, certId: cert('leader').id, digest, hash: 'SHA-384', scheme: 'rsa-pkcs1' }))).code).toBe('INVALID_ARGUMENT');
      expect((await rejection(svc.signDigest({ tokenLabel: env.demoToken, certId: 'zz', digest, hash: 'SHA-256', scheme: 'rsa-pkcs1' }))).code).toBe('INVALID_ARGUMENT');
      expect((await rejection(svc.signDigest({ tokenLabel: env.demoToken, certId: '7f', digest, hash: 'SHA-256', scheme: 'rsa-pkcs1' }))).code).toBe('CERT_NOT_FOUND');
      // The intermediate CA certificate is on the token without its key.
      expect((await rejection(svc.signDigest({ tokenLabel: env.demoToken, certId: cert('ca').id, digest, hash: 'SHA-256', scheme: 'rsa-pkcs1' }))).code).toBe('KEY_NOT_FOUND');
    });
  });

  it('signing without a session needs the PIN, and signs in one go with it', async () => {
    const digest = sha('sha256', 'một lần');
    const e = await rejection(svc.signDigest({ tokenLabel: env.demoToken, certId: '01', digest, hash: 'SHA-256', scheme: 'rsa-pkcs1' }));
    expect(e.code).toBe('PIN_REQUIRED');
    const sig = await svc.signDigest({ tokenLabel: env.demoToken, certId: '01', pin: env.userPin, digest, hash: 'SHA-256', scheme: 'rsa-pkcs1' });
    expect(verify('sha256', Buffer.from('một lần'), new X509Certificate(cert('leader').der).publicKey, sig)).toBe(true);
  });

  it('a wrong PIN is PIN_INCORRECT with the hint of the fresh token flags; a short one PIN_INVALID without a try', async () => {
    const e = await rejection(svc.login(env.emptyToken, '000000'));
    expect(e.code).toBe('PIN_INCORRECT');
    // SoftHSM raises CKF_USER_PIN_COUNT_LOW after a failed login (it never locks) and clears it on the next good one.
    expect(e.details).toEqual({ retries: 'low' });
    expect(e.messageVi).toContain('ít lần thử');
    expect(e.message).not.toContain('000000');
    expect((await svc.findToken(env.emptyToken)).flags.pinCountLow).toBe(true);
    const short = await rejection(svc.login(env.emptyToken, '12'));
    expect(short.code).toBe('PIN_INVALID');
    expect((await rejection(svc.login(env.emptyToken, null))).code).toBe('PIN_REQUIRED');
    // The right PIN still works: nothing was locked or left logged in.
    expect((await svc.login(env.emptyToken, env.userPin)).alreadyLoggedIn).toBe(false);
    expect((await svc.findToken(env.emptyToken)).flags.pinCountLow).toBe(false);
    svc.logout(env.emptyToken);
  });
});

describe('module lifecycle', () => {
  it('a missing module is MODULE_NOT_FOUND, a file that is no module MODULE_LOAD_FAILED', () => {
    expect(() => Pkcs11Service.load('/nonexistent/libtoken.so')).toThrowError(expect.objectContaining({ code: 'MODULE_NOT_FOUND' }));
    const dir = mkdtempSync(join(tmpdir(), 'kyso-module-'));
    try {
      const notAModule = join(dir, 'not-a-module.so');
      writeFileSync(notAModule, 'không phải thư viện');
      expect(() => Pkcs11Service.load(notAModule)).toThrowError(expect.objectContaining({ code: 'MODULE_LOAD_FAILED' }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(() => Pkcs11Service.load(join(env.pkiDir, 'leader.cert.der'))).toThrowError(expect.objectContaining({ code: 'MODULE_LOAD_FAILED' }));
  });

  it('two services on one module share it; the last close finalizes', async () => {
    const a = Pkcs11Service.load(env.softhsmModule);
    const b = Pkcs11Service.load(env.softhsmModule);
    await a.login(env.demoToken, env.userPin);
    await b.login(env.demoToken, env.userPin);
    b.close();
    // a's login survives b's logout.
    const sig = await a.signDigest({ tokenLabel: env.demoToken, certId: '01', digest: sha('sha256', 'a'), hash: 'SHA-256', scheme: 'rsa-pkcs1' });
    expect(sig).toHaveLength(256);
    a.close();
    a.close(); // idempotent
    await expect(a.listTokens()).rejects.toMatchObject({ code: 'INTERNAL_ERROR' });
  });

  it('load, list, sign, close 50 times without leaking or crashing', async () => {
    const rss0 = process.memoryUsage().rss;
    for (let i = 0; i < 50; i++) {
      await Pkcs11Service.use(env.softhsmModule, async (s) => {
        expect((await s.listTokens()).some((t) => t.label === env.demoToken)).toBe(true);
        if (i % 10 === 0) {
          await s.signDigest({ tokenLabel: env.demoToken, certId: '03', pin: env.userPin, digest: sha('sha256', String(i)), hash: 'SHA-256', scheme: 'ecdsa' });
        }
      });
    }
    const grown = process.memoryUsage().rss - rss0;
    expect(grown).toBeLessThan(64 * 1024 * 1024);
  });

  it('use() closes after an error, so the next load initializes afresh', async () => {
    await expect(Pkcs11Service.use(env.softhsmModule, (s) => s.login(env.emptyToken, '999999'))).rejects.toMatchObject({ code: 'PIN_INCORRECT' });
    const s = Pkcs11Service.load(env.softhsmModule);
    try {
      expect((await s.login(env.demoToken, env.userPin)).alreadyLoggedIn).toBe(false);
    } finally {
      s.close();
    }
  });
});
