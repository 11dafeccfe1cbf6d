// The options the extension verifies with: the bundled Vietnamese roots (the engine adds them) plus the roots IT
// lists in the policy (trustAnchors), and online OCSP/CRL only when the settings allow it (onlineRevocation), through
// the browser's fetch. The engine asks only URLs taken from the certificates (AIA OCSP and caIssuers, CRL
// distribution points); httpExchange refuses anything but http(s), bounds time and size and follows no redirect.

import { certificateDer } from '@kyso/shared/policy/validate';
import { httpExchange, type FetchLike } from '@kyso/shared/ltv/net';
import type { RevocationFetch, VerifyOptions } from '@kyso/shared/verify/index';

/** Per request: a page waiting on a dead responder should give up well before the user does. */
const REVOCATION_TIMEOUT_MS = 10_000;
/** CRLs of the Vietnamese CAs are a few MB at most. */
const MAX_ANSWER = 20 * 1024 * 1024;

/** The policy's PEM (or one-line base64) certificates as DER; the ones that do not read are left out. */
export function policyAnchors(pems: readonly string[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const p of pems) {
    const der = certificateDer(p);
    if (der) out.push(der);
  }
  return out;
}

/** OCSP (POST) and CRL / caIssuers (GET) through the given fetch (the page's), each request bounded. */
export function revocationFetch(fetchImpl: FetchLike): RevocationFetch {
  return (url, init) =>
    httpExchange(url, {
      fetch: fetchImpl,
      method: init.method,
      body: init.body,
      contentType: init.contentType,
      timeoutMs: REVOCATION_TIMEOUT_MS,
      maxBytes: MAX_ANSWER,
    });
}

export interface VerifySettings {
  trustAnchors: readonly string[];
  onlineRevocation: boolean;
}

export function verifyOptions(settings: VerifySettings, fetchImpl: FetchLike | undefined): VerifyOptions {
  return {
    trustAnchors: policyAnchors(settings.trustAnchors),
    bundledAnchors: true,
    fetch: settings.onlineRevocation && fetchImpl ? revocationFetch(fetchImpl) : undefined,
  };
}
