// The token, through a PKCS#11 module loaded with pkcs11js: list tokens and certificates, log in, sign a digest.
//
// Lifecycle: Pkcs11Service.load() initializes the module, close() finalizes it. Several services on the same
// module in one process share the loaded library (PKCS#11 allows one C_Initialize per process); the last close()
// calls C_Finalize. Every operation that opens its own session closes it on every path, errors included.
// login() keeps one logged-in session per token until logout() or close(), so a batch of documents costs one PIN.
// A PIN is passed to the token once per call, never retried, never stored, never logged.

import { existsSync, realpathSync } from 'node:fs';
import pkcs11js from 'pkcs11js';
import type { Handle, Mechanism, PKCS11, RsaPSS, Template, TokenInfo } from 'pkcs11js';
import { KysoError } from '@kyso/shared/protocol/errors';
import { digestInfo, hashLength, type HashAlg } from '@kyso/shared/pades/algorithms';
import { parseCertificate } from '@kyso/shared/pki/certificate';
import { ckmName, ckrName, mapPkcs11Error, pkcs11ReturnValue, type PinFlags } from './errors.ts';

export type { HashAlg } from '@kyso/shared/pades/algorithms';

/** How the token signs: PKCS#1 v1.5 (CKM_RSA_PKCS over a DigestInfo), RSASSA-PSS (CKM_RSA_PKCS_PSS), ECDSA (CKM_ECDSA). */
export type TokenSignScheme = 'rsa-pkcs1' | 'rsa-pss' | 'ecdsa';

export interface ModuleInfo {
  manufacturer: string;
  description: string;
  /** "2.40" */
  cryptokiVersion: string;
  libraryVersion: string;
}

export interface TokenFlags {
  loginRequired: boolean;
  /** PIN pad or biometric: log in without a PIN and tell the user to use the device. */
  protectedAuthPath: boolean;
  pinCountLow: boolean;
  pinFinalTry: boolean;
  pinLocked: boolean;
  pinToBeChanged: boolean;
  tokenInitialized: boolean;
}

export interface TokenSummary {
  /** CK_SLOT_ID in decimal. Slot numbers change between runs (SoftHSM renumbers): select tokens by label. */
  slotId: string;
  label: string;
  manufacturer: string;
  model: string;
  serial: string;
  flags: TokenFlags;
}

export interface TokenCertificate {
  /** CKA_ID, lowercase hex ("" when the object has none); the private key carries the same id. */
  id: string;
  /** CKA_LABEL. */
  label: string;
  /** CKA_VALUE: the certificate, DER. */
  der: Uint8Array;
  /**
   * A private key with this CKA_ID is on the token. Before login most tokens hide private keys; a public key
   * object with the same CKA_ID then counts as evidence of the pair.
   */
  hasPrivateKey: boolean;
  /** The key wants the PIN again for every signature (CKA_ALWAYS_AUTHENTICATE); known only after login. */
  alwaysAuthenticate: boolean;
  /** From the certificate's public key; "other" for algorithms KýSố does not sign with. */
  keyType: 'rsa' | 'ec' | 'other';
  /** RSA modulus bits, or EC field bits. */
  keyBits?: number;
  /** "P-256", "P-384", "P-521", or the curve OID for another curve. */
  curve?: string;
}

export interface MechanismSummary {
  mechanism: number;
  /** "CKM_RSA_PKCS", or a hex value for vendor mechanisms. */
  name: string;
  minKeySize: number;
  maxKeySize: number;
  /** CKF_SIGN: usable for C_Sign. */
  sign: boolean;
}

export interface LoginResult {
  /** Logged in through the token's own PIN pad: the UI should have told the user to use it. */
  protectedAuthPath: boolean;
  /** This service already held a logged-in session for the token; nothing was sent to it. */
  alreadyLoggedIn: boolean;
}

export interface SignDigestRequest {
  /** Token label (or serial number). */
  tokenLabel: string;
  /** CKA_ID of the certificate, hex (case, ':' and spaces do not matter). */
  certId: string;
  /**
   * Needed when this service holds no logged-in session for the token (see login()), and for keys with
   * CKA_ALWAYS_AUTHENTICATE. null: the token's PIN pad. The PIN is sent once and forgotten.
   */
  pin?: string | null;
  /** The hash to sign (for CMS: the hash of the DER signed attributes). */
  digest: Uint8Array;
  hash: HashAlg;
  scheme: TokenSignScheme;
  /** RSASSA-PSS salt length in bytes; default: the hash length. */
  saltLength?: number;
}

interface LoadedModule {
  key: string;
  lib: PKCS11;
  refs: number;
  /** Whether our C_Initialize succeeded (rather than finding the module already initialized). */
  ownsInit: boolean;
  /** Holders of the user login per slot: PKCS#11 login is per application, so log out only when the last one leaves. */
  logins: Map<string, number>;
  info: ModuleInfo;
}

const LOADED = new Map<string, LoadedModule>();

interface ScannedToken {
  slot: Handle;
  key: string;
  summary: TokenSummary;
  info: TokenInfo;
}

interface OpenSession {
  handle: Handle;
  token: ScannedToken;
  /** This session counts as a holder of the user login. */
  loginHeld: boolean;
  protectedAuthPath: boolean;
}

const MECHANISM_OF: Record<TokenSignScheme, number> = {
  'rsa-pkcs1': pkcs11js.CKM_RSA_PKCS,
  'rsa-pss': pkcs11js.CKM_RSA_PKCS_PSS,
  ecdsa: pkcs11js.CKM_ECDSA,
};

const PSS_HASH: Record<HashAlg, { hashAlg: number; mgf: number }> = {
  'SHA-256': { hashAlg: pkcs11js.CKM_SHA256, mgf: pkcs11js.CKG_MGF1_SHA256 },
  'SHA-384': { hashAlg: pkcs11js.CKM_SHA384, mgf: pkcs11js.CKG_MGF1_SHA384 },
  'SHA-512': { hashAlg: pkcs11js.CKM_SHA512, mgf: pkcs11js.CKG_MGF1_SHA512 },
};

// Constants the pkcs11js typings lack (values from the PKCS#11 2.40 headers).
const CKF_TOKEN_PRESENT = 0x1;
const CKS_RO_USER_FUNCTIONS = 1;
const CKS_RW_USER_FUNCTIONS = 3;

/** Room for any signature a token returns (RSA 8192 = 1024 bytes; ECDSA P-521 r‖s = 132). */
const SIGNATURE_BUFFER = 1024;

const trimmed = (s: string) => s.replace(/[\s\0]+$/, '');

function has(flags: number, flag: number): boolean {
  return (flags & flag) !== 0;
}

/** CK_SLOT_ID in decimal from the CK_ULONG pkcs11js hands over (8 bytes on Unix, 4 on Windows). */
function slotIdOf(h: Handle): string {
  if (h.length >= 8) return h.readBigUInt64LE(0).toString();
  if (h.length >= 4) return String(h.readUInt32LE(0));
  return h.toString('hex');
}

function tokenFlags(flags: number): TokenFlags {
  return {
    loginRequired: has(flags, pkcs11js.CKF_LOGIN_REQUIRED),
    protectedAuthPath: has(flags, pkcs11js.CKF_PROTECTED_AUTHENTICATION_PATH),
    pinCountLow: has(flags, pkcs11js.CKF_USER_PIN_COUNT_LOW),
    pinFinalTry: has(flags, pkcs11js.CKF_USER_PIN_FINAL_TRY),
    pinLocked: has(flags, pkcs11js.CKF_USER_PIN_LOCKED),
    pinToBeChanged: has(flags, pkcs11js.CKF_USER_PIN_TO_BE_CHANGED),
    tokenInitialized: has(flags, pkcs11js.CKF_TOKEN_INITIALIZED),
  };
}

/** "01:AB cd" → "01abcd"; null when it is not hex. */
export function normalizeCkaId(id: string): string | null {
  const s = id.replace(/[\s:]/g, '').toLowerCase();
  return /^([0-9a-f]{2})*$/.test(s) ? s : null;
}

const CURVE_NAMES: Record<string, string> = { 'P-256': 'P-256', 'P-384': 'P-384', 'P-521': 'P-521' };

function keyOfCertificate(der: Uint8Array): Pick<TokenCertificate, 'keyType' | 'keyBits' | 'curve'> {
  try {
    const k = parseCertificate(der).keyType;
    if (k.kind === 'rsa') return { keyType: 'rsa', keyBits: k.bits };
    if (k.kind === 'ec') return { keyType: 'ec', keyBits: k.bits, curve: k.curve ? CURVE_NAMES[k.curve] : k.curveOid };
  } catch {
    // An unreadable certificate is still listed; the caller decides what to show.
  }
  return { keyType: 'other' };
}

export class Pkcs11Service {
  readonly modulePath: string;
  private mod: LoadedModule | null;
  private readonly sessions = new Map<string, OpenSession>();

  private constructor(mod: LoadedModule, modulePath: string) {
    this.mod = mod;
    this.modulePath = modulePath;
  }

  /**
   * Loads and initializes a PKCS#11 module. MODULE_NOT_FOUND when the file is not there, MODULE_LOAD_FAILED when it
   * does not load (wrong file, wrong bitness, missing dependency) or C_Initialize fails.
   */
  static load(modulePath: string): Pkcs11Service {
    if (!modulePath || !existsSync(modulePath)) {
      throw new KysoError('MODULE_NOT_FOUND', modulePath ? `No file at ${modulePath}.` : 'No module path given.', modulePath ? { path: modulePath } : undefined);
    }
    let key = modulePath;
    try {
      key = realpathSync(modulePath);
    } catch {
      // keep the path as given
    }
    let mod = LOADED.get(key);
    if (!mod) {
      mod = loadModule(modulePath, key);
      LOADED.set(key, mod);
    }
    mod.refs++;
    return new Pkcs11Service(mod, modulePath);
  }

  /** load(), run `fn`, close() — whatever happens in `fn`. */
  static async use<T>(modulePath: string, fn: (service: Pkcs11Service) => Promise<T> | T): Promise<T> {
    const service = Pkcs11Service.load(modulePath);
    try {
      return await fn(service);
    } finally {
      service.close();
    }
  }

  get moduleInfo(): ModuleInfo {
    return this.module().info;
  }

  /** Every slot holding a token (initialized or not), in the module's order. */
  async listTokens(): Promise<TokenSummary[]> {
    return this.scan().tokens.map((t) => t.summary);
  }

  /**
   * The token with this label (or, failing that, this serial number). TOKEN_NOT_PRESENT when no token matches but
   * a reader is empty; TOKEN_NOT_FOUND otherwise.
   */
  async findToken(tokenLabel: string): Promise<TokenSummary> {
    return this.resolve(tokenLabel).summary;
  }

  /** Certificates on the token (X.509 only), with their CKA_ID, label and whether the key pair is there. */
  async listCertificates(tokenLabel: string): Promise<TokenCertificate[]> {
    const token = this.resolve(tokenLabel);
    return this.withSession(token, undefined, false, (s) => {
      const certs = this.findObjects(s, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE }]);
      const privateKeys = this.keysById(s, pkcs11js.CKO_PRIVATE_KEY, true);
      const publicKeys = this.keysById(s, pkcs11js.CKO_PUBLIC_KEY, false);
      const loggedIn = s.loginHeld || this.sessionLoggedIn(s);
      const out: TokenCertificate[] = [];
      for (const obj of certs) {
        const a = this.readAttributes(s, obj, [pkcs11js.CKA_CERTIFICATE_TYPE, pkcs11js.CKA_ID, pkcs11js.CKA_LABEL, pkcs11js.CKA_VALUE]);
        const type = a.get(pkcs11js.CKA_CERTIFICATE_TYPE);
        if (type && type.length >= 4 && readUlong(type) !== pkcs11js.CKC_X_509) continue;
        const der = a.get(pkcs11js.CKA_VALUE);
        if (!der || der.length === 0) continue;
        const id = (a.get(pkcs11js.CKA_ID) ?? Buffer.alloc(0)).toString('hex');
        const priv = privateKeys.get(id);
        out.push({
          id,
          label: (a.get(pkcs11js.CKA_LABEL) ?? Buffer.alloc(0)).toString('utf8'),
          der: new Uint8Array(der),
          hasPrivateKey: id !== '' && (priv !== undefined || (!loggedIn && publicKeys.has(id))),
          alwaysAuthenticate: priv?.alwaysAuthenticate ?? false,
          ...keyOfCertificate(der),
        });
      }
      return out;
    });
  }

  /** The token's mechanisms (C_GetMechanismList + C_GetMechanismInfo). */
  async mechanisms(tokenLabel: string): Promise<MechanismSummary[]> {
    const token = this.resolve(tokenLabel);
    const lib = this.lib();
    const list = this.call('C_GetMechanismList', token, false, () => lib.C_GetMechanismList(token.slot));
    return list.map((m) => {
      let info = { minKeySize: 0, maxKeySize: 0, flags: 0 };
      try {
        info = lib.C_GetMechanismInfo(token.slot, m);
      } catch {
        // listed but not described: keep zeros
      }
      return { mechanism: m, name: ckmName(m), minKeySize: info.minKeySize, maxKeySize: info.maxKeySize, sign: has(info.flags, pkcs11js.CKF_SIGN) };
    });
  }

  /**
   * Logs the user in and keeps the session for signDigest() until logout() or close(). pin null: the token's
   * protected authentication path (PIN pad); PIN_REQUIRED when the token has none. A token already locked is
   * refused before any attempt (PIN_LOCKED). Exactly one C_Login per call.
   */
  async login(tokenLabel: string, pin: string | null): Promise<LoginResult> {
    const token = this.resolve(tokenLabel);
    const existing = this.sessions.get(token.key);
    if (existing) return { protectedAuthPath: existing.protectedAuthPath, alreadyLoggedIn: true };
    const s = this.openSession(token, pin ?? null, true);
    this.sessions.set(token.key, s);
    return { protectedAuthPath: s.protectedAuthPath, alreadyLoggedIn: false };
  }

  /** Ends the logged-in session login() opened for this token, if any. */
  logout(tokenLabel: string): void {
    const key = this.findKeyOfLabel(tokenLabel);
    if (key !== null) this.dropSession(key);
  }

  /**
   * Signs a digest with the private key whose CKA_ID is certId: PKCS#1 v1.5 over a DER DigestInfo, RSASSA-PSS
   * (MGF1 with the same hash) or ECDSA. Returns the raw signature: the RSA block, or r‖s for ECDSA (convert with
   * ecdsaRawToDer for CMS). MECHANISM_UNSUPPORTED when the token does not offer the mechanism, KEY_NOT_FOUND /
   * CERT_NOT_FOUND when the id matches no key.
   */
  async signDigest(req: SignDigestRequest): Promise<Uint8Array> {
    const want = hashLength(req.hash);
    if (!(req.digest instanceof Uint8Array) || req.digest.length !== want) {
      throw new KysoError('INVALID_ARGUMENT', `A ${req.hash} digest has ${want} bytes, got ${req.digest?.length ?? 0}.`);
    }
    if (!(req.scheme in MECHANISM_OF)) throw new KysoError('INVALID_ARGUMENT', `Unknown signature scheme ${String(req.scheme)}.`);
    const id = normalizeCkaId(req.certId);
    if (id === null || id === '') throw new KysoError('INVALID_ARGUMENT', `Certificate id must be hex, got "${req.certId}".`);
    const saltLength = req.saltLength ?? want;
    if (req.scheme === 'rsa-pss' && (!Number.isInteger(saltLength) || saltLength < 0)) throw new KysoError('INVALID_ARGUMENT', `Invalid RSASSA-PSS salt length ${saltLength}.`);

    const token = this.resolve(req.tokenLabel);
    const lib = this.lib();
    const mechanism = MECHANISM_OF[req.scheme];
    const offered = this.call('C_GetMechanismList', token, false, () => lib.C_GetMechanismList(token.slot));
    if (!offered.includes(mechanism)) {
      throw new KysoError('MECHANISM_UNSUPPORTED', `The token does not offer ${ckmName(mechanism)}.`, { mechanism: ckmName(mechanism) });
    }

    return this.withSession(token, req.pin, true, async (s) => {
      const key = this.findPrivateKey(s, id);
      const attrs = this.readAttributes(s, key, [pkcs11js.CKA_KEY_TYPE, pkcs11js.CKA_ALWAYS_AUTHENTICATE]);
      const keyType = attrs.get(pkcs11js.CKA_KEY_TYPE);
      const kt = keyType && keyType.length >= 4 ? readUlong(keyType) : null;
      const needs = req.scheme === 'ecdsa' ? pkcs11js.CKK_EC : pkcs11js.CKK_RSA;
      if (kt !== null && kt !== needs) {
        throw new KysoError('INVALID_ARGUMENT', `Scheme ${req.scheme} needs ${req.scheme === 'ecdsa' ? 'an EC' : 'an RSA'} key; key ${id} is not one.`);
      }
      const alwaysAuth = (attrs.get(pkcs11js.CKA_ALWAYS_AUTHENTICATE)?.[0] ?? 0) !== 0;
      if (alwaysAuth && (req.pin === undefined || req.pin === '' || (req.pin === null && !s.protectedAuthPath))) {
        throw new KysoError('PIN_REQUIRED', 'The key asks for the PIN at every signature (CKA_ALWAYS_AUTHENTICATE).');
      }

      let data: Buffer;
      let mech: Mechanism;
      if (req.scheme === 'rsa-pkcs1') {
        data = Buffer.from(digestInfo(req.hash, req.digest));
        mech = { mechanism };
      } else if (req.scheme === 'rsa-pss') {
        data = Buffer.from(req.digest);
        mech = { mechanism, parameter: { type: pkcs11js.CK_PARAMS_RSA_PSS, ...PSS_HASH[req.hash], saltLen: saltLength } as RsaPSS };
      } else {
        data = Buffer.from(req.digest);
        mech = { mechanism };
      }

      this.call('C_SignInit', token, true, () => lib.C_SignInit(s.handle, mech, key));
      if (alwaysAuth) {
        this.call('C_Login', token, true, () => lib.C_Login(s.handle, pkcs11js.CKU_CONTEXT_SPECIFIC, req.pin ?? ''));
      }
      let sig: Buffer;
      try {
        sig = await lib.C_SignAsync(s.handle, data, Buffer.alloc(SIGNATURE_BUFFER));
      } catch (e) {
        throw this.mapError(e, 'C_Sign', token, true);
      }
      return new Uint8Array(sig);
    });
  }

  /** Logs out, closes every session, finalizes the module when this was its last user. Never throws; idempotent. */
  close(): void {
    const mod = this.mod;
    if (!mod) return;
    for (const key of [...this.sessions.keys()]) this.dropSession(key);
    this.mod = null;
    mod.refs--;
    if (mod.refs > 0) return;
    LOADED.delete(mod.key);
    if (mod.ownsInit) {
      try {
        mod.lib.C_Finalize();
      } catch {
        // a module that fails to finalize is unloaded anyway
      }
    }
    try {
      mod.lib.close();
    } catch {
      // nothing more to release
    }
  }

  // ---- internals ------------------------------------------------------------------------------------------

  private module(): LoadedModule {
    if (!this.mod) throw new KysoError('INTERNAL_ERROR', 'The PKCS#11 service was used after close().');
    return this.mod;
  }

  private lib(): PKCS11 {
    return this.module().lib;
  }

  private mapError(e: unknown, fn: string, token: ScannedToken | null, inSession: boolean): KysoError {
    const lib = this.lib();
    return mapPkcs11Error(e, {
      fn,
      inSession,
      pinFlags: token ? () => pinFlagsOf(getTokenInfo(lib, token.slot).flags) : undefined,
      tokenPresent: token ? () => stillPresent(lib, token) : undefined,
    });
  }

  private call<T>(fn: string, token: ScannedToken | null, inSession: boolean, f: () => T): T {
    try {
      return f();
    } catch (e) {
      throw this.mapError(e, fn, token, inSession);
    }
  }

  private scan(): { tokens: ScannedToken[]; emptySlots: number } {
    const lib = this.lib();
    const slots = this.call('C_GetSlotList', null, false, () => lib.C_GetSlotList(false));
    const tokens: ScannedToken[] = [];
    let emptySlots = 0;
    for (const slot of slots) {
      const slotInfo = this.call('C_GetSlotInfo', null, false, () => lib.C_GetSlotInfo(slot));
      if (!has(slotInfo.flags, CKF_TOKEN_PRESENT)) {
        emptySlots++;
        continue;
      }
      let info: TokenInfo;
      try {
        info = getTokenInfo(lib, slot);
      } catch (e) {
        const rv = pkcs11ReturnValue(e);
        if (rv === pkcs11js.CKR_TOKEN_NOT_PRESENT || rv === pkcs11js.CKR_DEVICE_REMOVED || rv === pkcs11js.CKR_TOKEN_NOT_RECOGNIZED) {
          emptySlots++;
          continue;
        }
        throw this.mapError(e, 'C_GetTokenInfo', null, false);
      }
      const slotId = slotIdOf(slot);
      tokens.push({
        slot,
        key: slotId,
        info,
        summary: {
          slotId,
          label: trimmed(info.label),
          manufacturer: trimmed(info.manufacturerID),
          model: trimmed(info.model),
          serial: trimmed(info.serialNumber),
          flags: tokenFlags(info.flags),
        },
      });
    }
    return { tokens, emptySlots };
  }

  private resolve(tokenLabel: string): ScannedToken {
    const { tokens, emptySlots } = this.scan();
    const wanted = trimmed(tokenLabel);
    let matches = tokens.filter((t) => t.summary.label === wanted);
    if (matches.length === 0) matches = tokens.filter((t) => t.summary.serial !== '' && t.summary.serial === wanted);
    if (matches.length > 1) {
      throw new KysoError('INVALID_ARGUMENT', `${matches.length} tokens are labelled "${wanted}"; choose one by its serial number.`, undefined, {
        vi: `Có ${matches.length} token cùng nhãn "${wanted}". Hãy chọn token theo số sê-ri.`,
      });
    }
    if (matches.length === 1) return matches[0];
    // An empty reader may be where the wanted token belongs.
    if (emptySlots > 0) throw new KysoError('TOKEN_NOT_PRESENT', undefined, { label: wanted });
    throw new KysoError('TOKEN_NOT_FOUND', `No token labelled "${wanted}".`, { label: wanted });
  }

  private findKeyOfLabel(tokenLabel: string): string | null {
    const wanted = trimmed(tokenLabel);
    for (const [key, s] of this.sessions) if (s.token.summary.label === wanted || s.token.summary.serial === wanted) return key;
    return null;
  }

  /**
   * A session on the token, logged in when the token requires it and `login` is set or a PIN is given.
   * pin null (or empty): the PIN pad, when the token has one.
   */
  private openSession(token: ScannedToken, pin: string | null | undefined, login: boolean): OpenSession {
    const lib = this.lib();
    const mod = this.module();
    const flags = token.summary.flags;
    const wantsLogin = flags.loginRequired && (login || pin !== undefined);
    if (wantsLogin) {
      if (flags.pinLocked) throw new KysoError('PIN_LOCKED', 'The token reports the user PIN locked.', { label: token.summary.label });
      if ((pin === null || pin === undefined || pin === '') && !flags.protectedAuthPath) throw new KysoError('PIN_REQUIRED');
      if (typeof pin === 'string' && pin !== '') checkPinLength(pin, token.info);
    }
    const handle = this.call('C_OpenSession', token, false, () => lib.C_OpenSession(token.slot, pkcs11js.CKF_SERIAL_SESSION));
    const s: OpenSession = { handle, token, loginHeld: false, protectedAuthPath: false };
    if (!wantsLogin) return s;
    const usePad = flags.protectedAuthPath && (pin === null || pin === undefined || pin === '');
    try {
      // pkcs11js cannot pass a NULL pPin: the PIN pad gets an empty PIN (length 0), which modules treat alike.
      lib.C_Login(handle, pkcs11js.CKU_USER, usePad ? '' : (pin as string));
    } catch (e) {
      if (pkcs11ReturnValue(e) !== pkcs11js.CKR_USER_ALREADY_LOGGED_IN) {
        const err = this.mapError(e, 'C_Login', token, true);
        closeQuietly(lib, handle);
        throw err;
      }
    }
    mod.logins.set(token.key, (mod.logins.get(token.key) ?? 0) + 1);
    s.loginHeld = true;
    s.protectedAuthPath = usePad;
    return s;
  }

  /** Releases a session: log out when it was the last holder of the login, then close it. Never throws. */
  private release(s: OpenSession): void {
    const mod = this.mod;
    if (!mod) return;
    if (s.loginHeld) {
      const n = (mod.logins.get(s.token.key) ?? 1) - 1;
      if (n <= 0) {
        mod.logins.delete(s.token.key);
        try {
          mod.lib.C_Logout(s.handle);
        } catch {
          // already logged out, or the token is gone
        }
      } else mod.logins.set(s.token.key, n);
      s.loginHeld = false;
    }
    closeQuietly(mod.lib, s.handle);
  }

  private dropSession(key: string): void {
    const s = this.sessions.get(key);
    if (!s) return;
    this.sessions.delete(key);
    this.release(s);
  }

  /**
   * Runs `fn` on the logged-in session login() kept for the token, or on a fresh session (logged in when `login`)
   * closed afterwards.
   */
  private async withSession<T>(token: ScannedToken, pin: string | null | undefined, login: boolean, fn: (s: OpenSession) => T | Promise<T>): Promise<T> {
    const kept = this.sessions.get(token.key);
    if (kept) {
      try {
        return await fn(kept);
      } catch (e) {
        // A session that lost its token or its login is of no further use: the next call starts afresh.
        if (e instanceof KysoError && (e.code === 'TOKEN_REMOVED' || e.code === 'TOKEN_NOT_PRESENT' || e.details?.ckr === 'CKR_USER_NOT_LOGGED_IN')) this.dropSession(token.key);
        throw e;
      }
    }
    const s = this.openSession(token, pin, login);
    try {
      return await fn(s);
    } finally {
      this.release(s);
    }
  }

  private sessionLoggedIn(s: OpenSession): boolean {
    try {
      const state = this.lib().C_GetSessionInfo(s.handle).state;
      return state === CKS_RO_USER_FUNCTIONS || state === CKS_RW_USER_FUNCTIONS;
    } catch {
      return false;
    }
  }

  private findObjects(s: OpenSession, template: Template): Handle[] {
    const lib = this.lib();
    this.call('C_FindObjectsInit', s.token, true, () => lib.C_FindObjectsInit(s.handle, template));
    const out: Handle[] = [];
    try {
      for (;;) {
        const batch = this.call('C_FindObjects', s.token, true, () => lib.C_FindObjects(s.handle, 64));
        if (batch.length === 0) break;
        out.push(...batch);
      }
    } finally {
      try {
        lib.C_FindObjectsFinal(s.handle);
      } catch {
        // the error that matters is already on its way
      }
    }
    return out;
  }

  /** Attribute values by type; an attribute the object does not have (or hides) is absent from the map. */
  private readAttributes(s: OpenSession, obj: Handle, types: number[]): Map<number, Buffer> {
    const lib = this.lib();
    const out = new Map<number, Buffer>();
    try {
      for (const a of lib.C_GetAttributeValue(s.handle, obj, types.map((type) => ({ type })))) out.set(a.type, a.value);
      return out;
    } catch (e) {
      const rv = pkcs11ReturnValue(e);
      if (rv !== pkcs11js.CKR_ATTRIBUTE_TYPE_INVALID && rv !== pkcs11js.CKR_ATTRIBUTE_SENSITIVE) throw this.mapError(e, 'C_GetAttributeValue', s.token, true);
    }
    for (const type of types) {
      try {
        const [a] = lib.C_GetAttributeValue(s.handle, obj, [{ type }]);
        out.set(type, a.value);
      } catch (e) {
        const rv = pkcs11ReturnValue(e);
        if (rv !== pkcs11js.CKR_ATTRIBUTE_TYPE_INVALID && rv !== pkcs11js.CKR_ATTRIBUTE_SENSITIVE) throw this.mapError(e, 'C_GetAttributeValue', s.token, true);
      }
    }
    return out;
  }

  private keysById(s: OpenSession, cls: number, readAlwaysAuth: boolean): Map<string, { alwaysAuthenticate: boolean }> {
    const out = new Map<string, { alwaysAuthenticate: boolean }>();
    for (const obj of this.findObjects(s, [{ type: pkcs11js.CKA_CLASS, value: cls }])) {
      const a = this.readAttributes(s, obj, readAlwaysAuth ? [pkcs11js.CKA_ID, pkcs11js.CKA_ALWAYS_AUTHENTICATE] : [pkcs11js.CKA_ID]);
      const id = a.get(pkcs11js.CKA_ID)?.toString('hex');
      if (!id) continue;
      const always = (a.get(pkcs11js.CKA_ALWAYS_AUTHENTICATE)?.[0] ?? 0) !== 0;
      out.set(id, { alwaysAuthenticate: always || (out.get(id)?.alwaysAuthenticate ?? false) });
    }
    return out;
  }

  private findPrivateKey(s: OpenSession, id: string): Handle {
    const idBytes = Buffer.from(id, 'hex');
    const keys = this.findObjects(s, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
      { type: pkcs11js.CKA_ID, value: idBytes },
    ]);
    if (keys.length > 0) return keys[0];
    const certs = this.findObjects(s, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
      { type: pkcs11js.CKA_ID, value: idBytes },
    ]);
    if (certs.length === 0) throw new KysoError('CERT_NOT_FOUND', `No certificate with CKA_ID ${id}.`, { id });
    throw new KysoError('KEY_NOT_FOUND', `No private key with CKA_ID ${id}.`, { id });
  }
}

function loadModule(modulePath: string, key: string): LoadedModule {
  const lib = new pkcs11js.PKCS11();
  try {
    lib.load(modulePath);
  } catch (e) {
    const rv = pkcs11ReturnValue(e);
    const why = rv !== null ? ckrName(rv) : e instanceof Error ? e.message : String(e);
    throw new KysoError('MODULE_LOAD_FAILED', `${modulePath}: ${why}`, { path: modulePath }, { cause: e });
  }
  let ownsInit = true;
  try {
    try {
      lib.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
    } catch (e) {
      const rv = pkcs11ReturnValue(e);
      if (rv === pkcs11js.CKR_CANT_LOCK) lib.C_Initialize();
      else if (rv === pkcs11js.CKR_CRYPTOKI_ALREADY_INITIALIZED) ownsInit = false;
      else throw e;
    }
  } catch (e) {
    try {
      lib.close();
    } catch {
      // nothing to release
    }
    const rv = pkcs11ReturnValue(e);
    const why = rv !== null ? `C_Initialize returned ${ckrName(rv)}` : e instanceof Error ? e.message : String(e);
    throw new KysoError('MODULE_LOAD_FAILED', `${modulePath}: ${why}`, { path: modulePath }, { cause: e });
  }
  let info: ModuleInfo = { manufacturer: '', description: '', cryptokiVersion: '', libraryVersion: '' };
  try {
    const i = lib.C_GetInfo();
    info = {
      manufacturer: trimmed(i.manufacturerID),
      description: trimmed(i.libraryDescription),
      cryptokiVersion: `${i.cryptokiVersion.major}.${String(i.cryptokiVersion.minor).padStart(2, '0')}`,
      libraryVersion: `${i.libraryVersion.major}.${i.libraryVersion.minor}`,
    };
  } catch {
    // informational only
  }
  return { key, lib, refs: 0, ownsInit, logins: new Map(), info };
}

/**
 * C_GetTokenInfo, asked again (up to twice, a few milliseconds apart) after CKR_GENERAL_ERROR: SoftHSM returns it
 * while another process rewrites the token file (every login does). Read-only, so asking again is harmless.
 */
function getTokenInfo(lib: PKCS11, slot: Handle): TokenInfo {
  for (let attempt = 0; ; attempt++) {
    try {
      return lib.C_GetTokenInfo(slot);
    } catch (e) {
      if (attempt >= 2 || pkcs11ReturnValue(e) !== pkcs11js.CKR_GENERAL_ERROR) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5 * (attempt + 1));
    }
  }
}

function readUlong(b: Buffer): number {
  return b.length >= 8 ? Number(b.readBigUInt64LE(0)) : b.readUInt32LE(0);
}

function pinFlagsOf(flags: number): PinFlags {
  return {
    countLow: has(flags, pkcs11js.CKF_USER_PIN_COUNT_LOW),
    finalTry: has(flags, pkcs11js.CKF_USER_PIN_FINAL_TRY),
    locked: has(flags, pkcs11js.CKF_USER_PIN_LOCKED),
  };
}

/** Is the token still in its slot, and the same token? null when the module cannot say. */
function stillPresent(lib: PKCS11, token: ScannedToken): boolean | null {
  try {
    if (!lib.C_GetSlotList(true).some((h) => h.equals(token.slot))) return false;
    const info = getTokenInfo(lib, token.slot);
    return trimmed(info.label) === token.summary.label && trimmed(info.serialNumber) === token.summary.serial;
  } catch (e) {
    const rv = pkcs11ReturnValue(e);
    if (rv === pkcs11js.CKR_TOKEN_NOT_PRESENT || rv === pkcs11js.CKR_DEVICE_REMOVED || rv === pkcs11js.CKR_SLOT_ID_INVALID) return false;
    return null;
  }
}

/** PIN_INVALID before spending a try, when the token states sane length limits (bytes of UTF-8). */
function checkPinLength(pin: string, info: TokenInfo): void {
  const len = Buffer.byteLength(pin, 'utf8');
  const { minPinLen: min, maxPinLen: max } = info;
  const sane = Number.isInteger(min) && Number.isInteger(max) && min > 0 && max >= min && max < 1024;
  if (sane && (len < min || len > max)) {
    throw new KysoError('PIN_INVALID', `The token takes PINs of ${min} to ${max} characters.`, { minPinLen: min, maxPinLen: max }, {
      vi: `Mã PIN của token phải có từ ${min} đến ${max} ký tự.`,
    });
  }
}

function closeQuietly(lib: PKCS11, session: Handle): void {
  try {
    lib.C_CloseSession(session);
  } catch {
    // the session is gone already (token removed, module reset)
  }
}
