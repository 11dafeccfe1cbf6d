// The token service against faults SoftHSM cannot produce, injected by the kyso-fault PKCS#11 module
// (tests/fixtures/pkcs11-fault): PIN retry hints, locked PINs, a token pulled out while signing, empty readers,
// missing mechanisms, a PIN pad. After every failure the module must be finalized and every session closed.

import { createHash, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isKysoError, type KysoError } from '../../shared/protocol/errors.ts';
import { Pkcs11Service, type SignDigestRequest } from '../../native-host/token/pkcs11-service.ts';
import { openTokenSigner } from '../../native-host/token/token-signer.ts';
import { ensureTestEnv } from '../../scripts/testenv/testenv.ts';

const env = ensureTestEnv();
const shim = env.faultModule;

let dir: string;
let control: string;
let log: string;

function faults(...lines: string[]): void {
  writeFileSync(control, lines.join('\n') + '\n');
}

function calls(): string[] {
  try {
    return readFileSync(log, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

function count(fn: string, rv?: string): number {
  return calls().filter((l) => l.startsWith(`${fn} `) && (rv === undefined || l.split(' ')[2] === rv)).length;
}

async function failure(p: Promise<unknown> | (() => unknown)): Promise<KysoError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (isKysoError(e)) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

const digest = new Uint8Array(createHash('sha256').update('Tờ trình số 45/TTr-UBND').digest());
const signLeader = (extra: Partial<SignDigestRequest> = {}): SignDigestRequest => ({
  tokenLabel: env.demoToken,
  certId: env.objects.leader,
  pin: env.userPin,
  digest,
  hash: 'SHA-256',
  scheme: 'rsa-pkcs1',
  ...extra,
});

/** Runs `fn` on a freshly loaded shim and always closes it, as the host does per request. */
async function withShim<T>(fn: (s: Pkcs11Service) => Promise<T>): Promise<T> {
  return Pkcs11Service.use(shim!, fn);
}

describe.skipIf(!shim)('faults injected through the kyso-fault module', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kyso-fault-'));
    control = join(dir, 'control');
    log = join(dir, 'calls.log');
    process.env.KYSO_FAULT_REAL_MODULE = env.softhsmModule;
    process.env.KYSO_FAULT_CONTROL = control;
    process.env.KYSO_FAULT_LOG = log;
  });
  afterAll(() => {
    delete process.env.KYSO_FAULT_CONTROL;
    delete process.env.KYSO_FAULT_LOG;
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    faults();
    writeFileSync(log, '');
  });

  afterEach(async () => {
    // Whatever failed, the module was finalized and every session it opened was closed.
    expect(count('C_Finalize')).toBe(count('C_Initialize', 'CKR_OK'));
    expect(count('C_CloseSession')).toBe(count('C_OpenSession', 'CKR_OK'));
    // And a fresh load works.
    faults();
    await withShim(async (s) => {
      expect((await s.listTokens()).map((t) => t.label)).toContain(env.demoToken);
    });
  });

  it('passes everything through when no fault is set', async () => {
    const sig = await withShim((s) => s.signDigest(signLeader()));
    const cert = readFileSync(join(env.pkiDir, 'leader.cert.der'));
    expect(verify('sha256', Buffer.from('Tờ trình số 45/TTr-UBND'), new X509Certificate(cert).publicKey, sig)).toBe(true);
    expect(count('C_Login')).toBe(1);
    expect(count('C_Logout')).toBe(1);
  });

  it('a wrong PIN is tried exactly once', async () => {
    const e = await failure(withShim((s) => s.login(env.emptyToken, '654321')));
    expect(e.code).toBe('PIN_INCORRECT');
    expect(count('C_Login')).toBe(1);
    expect(calls().join('\n')).not.toContain('654321');
  });

  it('PIN_INCORRECT says "few tries left" when the token raises CKF_USER_PIN_COUNT_LOW', async () => {
    faults('login=CKR_PIN_INCORRECT', 'tokenflags=+CKF_USER_PIN_COUNT_LOW');
    const e = await failure(withShim((s) => s.login(env.demoToken, env.userPin)));
    expect(e.code).toBe('PIN_INCORRECT');
    expect(e.details).toEqual({ retries: 'low' });
    expect(count('C_Login')).toBe(1);
  });

  it('PIN_INCORRECT warns of the final try with CKF_USER_PIN_FINAL_TRY', async () => {
    faults('login=CKR_PIN_INCORRECT', 'tokenflags=+CKF_USER_PIN_FINAL_TRY,-CKF_USER_PIN_COUNT_LOW');
    const e = await failure(withShim((s) => s.signDigest(signLeader())));
    expect(e.code).toBe('PIN_INCORRECT');
    expect(e.details).toEqual({ retries: 'final' });
    expect(e.messageVi).toContain('lần thử cuối cùng');
    expect(count('C_Login')).toBe(1);
  });

  it('CKR_PIN_LOCKED is PIN_LOCKED', async () => {
    faults('login=CKR_PIN_LOCKED');
    const e = await failure(withShim((s) => s.login(env.demoToken, env.userPin)));
    expect(e.code).toBe('PIN_LOCKED');
    expect(e.messageVi).toContain('bị khóa');
  });

  it('a token that already reports its PIN locked is refused without a login attempt', async () => {
    faults('tokenflags=+CKF_USER_PIN_LOCKED');
    await withShim(async (s) => {
      expect((await s.findToken(env.demoToken)).flags.pinLocked).toBe(true);
      expect((await failure(s.login(env.demoToken, env.userPin))).code).toBe('PIN_LOCKED');
    });
    expect(count('C_Login')).toBe(0);
  });

  it('CKR_PIN_LEN_RANGE is PIN_INVALID, CKR_PIN_EXPIRED is PIN_EXPIRED', async () => {
    faults('login=CKR_PIN_LEN_RANGE');
    expect((await failure(withShim((s) => s.login(env.demoToken, env.userPin)))).code).toBe('PIN_INVALID');
    faults('login=CKR_PIN_EXPIRED');
    expect((await failure(withShim((s) => s.login(env.demoToken, env.userPin)))).code).toBe('PIN_EXPIRED');
  });

  it('a token pulled out during C_Sign is TOKEN_REMOVED, and cleanup still runs', async () => {
    faults('sign=CKR_DEVICE_REMOVED');
    const e = await failure(withShim((s) => s.signDigest(signLeader())));
    expect(e.code).toBe('TOKEN_REMOVED');
    expect(e.details).toMatchObject({ ckr: 'CKR_DEVICE_REMOVED', function: 'C_Sign' });
    expect(count('C_Logout')).toBe(1);
  });

  it('a vague error (CKR_DEVICE_ERROR) while the token vanishes is TOKEN_REMOVED', async () => {
    faults('remove=C_Sign', 'removed-rv=CKR_DEVICE_ERROR');
    const e = await failure(withShim((s) => s.signDigest(signLeader())));
    expect(e.code).toBe('TOKEN_REMOVED');
    // Logout and close were attempted on the dead session and their errors swallowed.
    expect(count('C_Logout', 'CKR_SESSION_HANDLE_INVALID')).toBe(1);
    expect(count('C_CloseSession', 'CKR_SESSION_HANDLE_INVALID')).toBe(1);
  });

  it('a logged-in session whose token was pulled out is dropped; after reinsertion the PIN is asked again', async () => {
    await withShim(async (s) => {
      await s.login(env.demoToken, env.userPin);
      faults('remove=C_Sign');
      expect((await failure(s.signDigest(signLeader({ pin: undefined })))).code).toBe('TOKEN_REMOVED');
      expect((await failure(s.listTokens().then(() => s.signDigest(signLeader({ pin: undefined }))))).code).toBe('TOKEN_NOT_PRESENT');
      faults(); // put back
      expect((await failure(s.signDigest(signLeader({ pin: undefined })))).code).toBe('PIN_REQUIRED');
      expect(await s.login(env.demoToken, env.userPin)).toEqual({ protectedAuthPath: false, alreadyLoggedIn: false });
      expect(await s.signDigest(signLeader({ pin: undefined }))).toHaveLength(256);
    });
  });

  it('the same error with the token still in place is TOKEN_ERROR naming the CKR', async () => {
    faults('sign=CKR_DEVICE_ERROR');
    const e = await failure(withShim((s) => s.signDigest(signLeader())));
    expect(e.code).toBe('TOKEN_ERROR');
    expect(e.message).toContain('CKR_DEVICE_ERROR');
    expect(e.details).toMatchObject({ ckr: 'CKR_DEVICE_ERROR', function: 'C_Sign' });
  });

  it('a vendor return value is TOKEN_ERROR with its hex value', async () => {
    faults('C_FindObjectsInit=0x80000123');
    const e = await failure(withShim((s) => s.listCertificates(env.demoToken)));
    expect(e.code).toBe('TOKEN_ERROR');
    expect(e.message).toContain('CKR_0x80000123');
  });

  it('an empty reader is TOKEN_NOT_PRESENT', async () => {
    faults('slots=absent');
    await withShim(async (s) => {
      expect(await s.listTokens()).toEqual([]);
      expect((await failure(s.login(env.demoToken, env.userPin))).code).toBe('TOKEN_NOT_PRESENT');
    });
  });

  it('a token gone between listing and opening a session is TOKEN_NOT_PRESENT', async () => {
    faults('opensession=CKR_TOKEN_NOT_PRESENT');
    expect((await failure(withShim((s) => s.login(env.demoToken, env.userPin)))).code).toBe('TOKEN_NOT_PRESENT');
  });

  it('no slot at all is TOKEN_NOT_FOUND', async () => {
    faults('slots=none');
    await withShim(async (s) => {
      expect(await s.listTokens()).toEqual([]);
      const e = await failure(s.signDigest(signLeader()));
      expect(e.code).toBe('TOKEN_NOT_FOUND');
      expect(e.messageVi).toContain('cắm token');
    });
  });

  it('a mechanism the token does not list is MECHANISM_UNSUPPORTED before any login', async () => {
    faults('mechanisms=-CKM_RSA_PKCS_PSS');
    await withShim(async (s) => {
      expect((await s.mechanisms(env.demoToken)).map((m) => m.name)).not.toContain('CKM_RSA_PKCS_PSS');
      const e = await failure(s.signDigest(signLeader({ scheme: 'rsa-pss' })));
      expect(e.code).toBe('MECHANISM_UNSUPPORTED');
      expect(e.details).toEqual({ mechanism: 'CKM_RSA_PKCS_PSS' });
      // PKCS#1 v1.5 is still there.
      expect(await s.signDigest(signLeader())).toHaveLength(256);
    });
    expect(count('C_SignInit')).toBe(1);
  });

  it('a mechanism listed but refused by C_SignInit is MECHANISM_UNSUPPORTED too', async () => {
    faults('signinit=CKR_MECHANISM_INVALID');
    const e = await failure(withShim((s) => s.signDigest(signLeader({ certId: env.objects.ecdsa, scheme: 'ecdsa' }))));
    expect(e.code).toBe('MECHANISM_UNSUPPORTED');
  });

  it('a PIN pad (protected authentication path): login without a PIN, flagged for the UI', async () => {
    faults('getinfo=CKF_PROTECTED_AUTHENTICATION_PATH', `padpin=${env.userPin}`);
    await withShim(async (s) => {
      expect((await s.findToken(env.demoToken)).flags.protectedAuthPath).toBe(true);
      expect(await s.login(env.demoToken, null)).toEqual({ protectedAuthPath: true, alreadyLoggedIn: false });
      expect(await s.signDigest(signLeader({ pin: undefined }))).toHaveLength(256);
    });
    expect(calls().filter((l) => l.startsWith('C_Login '))).toEqual(['C_Login 0x00000000 CKR_OK pad']);
  });

  it('a PIN pad also signs in one go, and a cancel on the pad is USER_CANCELLED', async () => {
    faults('tokenflags=+CKF_PROTECTED_AUTHENTICATION_PATH', `padpin=${env.userPin}`);
    expect(await withShim((s) => s.signDigest(signLeader({ pin: null })))).toHaveLength(256);
    faults('tokenflags=+CKF_PROTECTED_AUTHENTICATION_PATH', 'login=CKR_FUNCTION_CANCELED');
    expect((await failure(withShim((s) => s.login(env.demoToken, null)))).code).toBe('USER_CANCELLED');
  });

  it('openTokenSigner through a PIN pad', async () => {
    faults('getinfo=CKF_PROTECTED_AUTHENTICATION_PATH', `padpin=${env.userPin}`);
    const signer = await openTokenSigner({ modulePath: shim!, tokenLabel: env.demoToken, cert: 'ecdsa', pin: null });
    try {
      expect(signer.protectedAuthPath).toBe(true);
      expect(signer.scheme).toEqual({ kind: 'ecdsa' });
      const der = await signer.signDigest(digest, 'SHA-256');
      expect(verify('sha256', Buffer.from('Tờ trình số 45/TTr-UBND'), { key: new X509Certificate(signer.certificate).publicKey, dsaEncoding: 'der' }, der)).toBe(true);
    } finally {
      signer.close();
    }
  });

  it('a module whose C_Initialize fails is MODULE_LOAD_FAILED, and unloaded', async () => {
    faults('initialize=CKR_GENERAL_ERROR');
    const e = await failure(() => Pkcs11Service.load(shim!));
    expect(e.code).toBe('MODULE_LOAD_FAILED');
    expect(e.message).toContain('CKR_GENERAL_ERROR');
  });

  it('a module that cannot find what it wraps is MODULE_LOAD_FAILED', async () => {
    process.env.KYSO_FAULT_REAL_MODULE = join(dir, 'missing.so');
    try {
      expect((await failure(() => Pkcs11Service.load(shim!))).code).toBe('MODULE_LOAD_FAILED');
    } finally {
      process.env.KYSO_FAULT_REAL_MODULE = env.softhsmModule;
    }
  });
});
