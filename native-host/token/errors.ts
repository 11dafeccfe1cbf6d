// PKCS#11 return values → KýSố error codes. pkcs11js throws a Pkcs11Error whose `code` is the CK_RV and whose
// message is the CKR_ name; nothing here ever sees or prints a PIN.

import pkcs11js from 'pkcs11js';
import { KysoError, pinIncorrect } from '@kyso/shared/protocol/errors';

const CKR_NAMES = new Map<number, string>();
const CKM_NAMES = new Map<number, string>();
for (const [name, value] of Object.entries(pkcs11js)) {
  if (typeof value !== 'number') continue;
  if (name.startsWith('CKR_') && !CKR_NAMES.has(value)) CKR_NAMES.set(value, name);
  if (name.startsWith('CKM_') && !CKM_NAMES.has(value)) CKM_NAMES.set(value, name);
}

const hex = (n: number) => `0x${n.toString(16).toUpperCase().padStart(8, '0')}`;

/** "CKR_PIN_INCORRECT", or the hex value for a vendor code. */
export function ckrName(rv: number): string {
  return CKR_NAMES.get(rv) ?? `CKR_${hex(rv)}`;
}

/** "CKM_RSA_PKCS_PSS", or the hex value for a vendor mechanism. */
export function ckmName(mechanism: number): string {
  return CKM_NAMES.get(mechanism) ?? `CKM_${hex(mechanism)}`;
}

/** The CK_RV of a pkcs11js error, or null when the error did not come from the module. */
export function pkcs11ReturnValue(e: unknown): number | null {
  if (e instanceof pkcs11js.Pkcs11Error && typeof e.code === 'number' && /^CKR_/.test(e.message)) return e.code;
  return null;
}

/** The token flags that matter after a failed login. */
export interface PinFlags {
  countLow: boolean;
  finalTry: boolean;
  locked: boolean;
}

/** What the failing call was doing, so an ambiguous CKR can be read the right way. */
export interface Pkcs11ErrorContext {
  /** PKCS#11 function, for the English message ("C_Sign"). */
  fn: string;
  /** true once a session was open on the token: a vanished token then means it was pulled out. */
  inSession: boolean;
  /** Fresh token flags (C_GetTokenInfo after the failure); null when they cannot be read. */
  pinFlags?: () => PinFlags | null;
  /** Is the token still in its slot? null when it cannot be told. */
  tokenPresent?: () => boolean | null;
}

/** Return values that can mean the token was pulled out; whether it was is asked of the slot. */
const MAYBE_REMOVED = new Set<number>([
  pkcs11js.CKR_DEVICE_ERROR,
  pkcs11js.CKR_SESSION_HANDLE_INVALID,
  pkcs11js.CKR_SESSION_CLOSED,
  pkcs11js.CKR_TOKEN_NOT_RECOGNIZED,
  pkcs11js.CKR_FUNCTION_FAILED,
  pkcs11js.CKR_GENERAL_ERROR,
]);

function tokenError(rv: number, ctx: Pkcs11ErrorContext, cause: unknown): KysoError {
  const name = ckrName(rv);
  return new KysoError('TOKEN_ERROR', `${ctx.fn} returned ${name} (${hex(rv)}).`, { ckr: name, function: ctx.fn }, { cause });
}

/** Maps anything a pkcs11js call threw to a KysoError (a KysoError passes through unchanged). */
export function mapPkcs11Error(e: unknown, ctx: Pkcs11ErrorContext): KysoError {
  if (e instanceof KysoError) return e;
  const rv = pkcs11ReturnValue(e);
  if (rv === null) {
    const msg = e instanceof Error ? e.message : String(e);
    return new KysoError('TOKEN_ERROR', `${ctx.fn} failed: ${msg}`, { function: ctx.fn }, { cause: e });
  }
  const details = { ckr: ckrName(rv), function: ctx.fn };
  switch (rv) {
    case pkcs11js.CKR_PIN_INCORRECT: {
      const flags = safe(ctx.pinFlags);
      if (flags?.locked) return new KysoError('PIN_LOCKED', 'Locked by this attempt.', details, { cause: e });
      return withCause(pinIncorrect(flags?.finalTry ? 'final' : flags?.countLow ? 'low' : 'unknown'), e);
    }
    case pkcs11js.CKR_PIN_LOCKED:
      return new KysoError('PIN_LOCKED', undefined, details, { cause: e });
    case pkcs11js.CKR_PIN_INVALID:
    case pkcs11js.CKR_PIN_LEN_RANGE:
      return new KysoError('PIN_INVALID', undefined, details, { cause: e });
    case pkcs11js.CKR_PIN_EXPIRED:
      return new KysoError('PIN_EXPIRED', undefined, details, { cause: e });
    case pkcs11js.CKR_USER_NOT_LOGGED_IN:
      return new KysoError('PIN_REQUIRED', undefined, details, { cause: e });
    case pkcs11js.CKR_FUNCTION_CANCELED:
      return new KysoError('USER_CANCELLED', `${ctx.fn} was cancelled on the token.`, details, { cause: e });
    case pkcs11js.CKR_TOKEN_NOT_PRESENT:
    case pkcs11js.CKR_DEVICE_REMOVED:
      return new KysoError(ctx.inSession ? 'TOKEN_REMOVED' : 'TOKEN_NOT_PRESENT', undefined, details, { cause: e });
    case pkcs11js.CKR_MECHANISM_INVALID:
    case pkcs11js.CKR_MECHANISM_PARAM_INVALID:
    case pkcs11js.CKR_KEY_TYPE_INCONSISTENT:
      return new KysoError('MECHANISM_UNSUPPORTED', `${ctx.fn} returned ${details.ckr}.`, details, { cause: e });
    default:
      if (MAYBE_REMOVED.has(rv) && safe(ctx.tokenPresent) === false) {
        return new KysoError('TOKEN_REMOVED', `${ctx.fn} returned ${details.ckr}.`, details, { cause: e });
      }
      return tokenError(rv, ctx, e);
  }
}

function safe<T>(f: (() => T) | undefined): T | null {
  if (!f) return null;
  try {
    return f();
  } catch {
    return null;
  }
}

function withCause(err: KysoError, cause: unknown): KysoError {
  Object.defineProperty(err, 'cause', { value: cause, enumerable: false, configurable: true, writable: true });
  return err;
}
