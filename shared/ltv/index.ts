// Time-stamps and long-term validation for signPdf (PAdES B-T, B-LT, B-LTA) and the pre-signing certificate check.
// See README.md.

import type { PadesLevel, SignEnvironment } from '../sign/sign-pdf.ts';
import { signatureTimestamper, type TimestampRequestOptions } from '../pades/timestamp.ts';
import { KysoError } from '../protocol/errors.ts';
import { checkSigningCertificate } from './cert-status.ts';
import { addLtv } from './dss.ts';
import { addDocumentTimestamp } from './doc-timestamp.ts';
import type { FetchLike } from './net.ts';

export * from './net.ts';
export * from './revocation.ts';
export * from './cert-status.ts';
export * from './dss.ts';
export * from './doc-timestamp.ts';

export interface LtvEnvironmentOptions {
  /** The TSA: from the options (--tsa) or the policy. Needed for B-T and above. */
  tsaUrl?: string;
  /** Default globalThis.fetch. The CLI passes one that honours HTTP(S)_PROXY. */
  fetch?: FetchLike;
  /** Per request (TSA, OCSP, CRL, caIssuers). */
  timeoutMs?: number;
  /** TSA retries after a connection failure, a timeout or HTTP 5xx. Default 2. */
  retries?: number;
  retryDelayMs?: number;
  signal?: AbortSignal;
  /** Check the signer's revocation before signing. Default true. */
  checkRevocation?: boolean;
  /** Refuse to sign when the revocation status cannot be found (default: sign with a warning). */
  strictRevocation?: boolean;
}

function tsaOptions(o: LtvEnvironmentOptions): TimestampRequestOptions {
  if (!o.tsaUrl) throw new KysoError('INVALID_ARGUMENT', 'No time-stamping authority URL.', undefined, { vi: 'Chưa có địa chỉ máy chủ cấp dấu thời gian (TSA).' });
  return { url: o.tsaUrl, fetch: o.fetch, timeoutMs: o.timeoutMs, retries: o.retries, retryDelayMs: o.retryDelayMs, signal: o.signal };
}

/**
 * B-LT / B-LTA on a file that is already signed (by us or anyone): the DSS for every signature in it (and its TSAs),
 * then for B-LTA a document time-stamp over the result. Incremental: every earlier signature stays valid.
 */
export async function extendToLevel(pdf: Uint8Array, level: 'B-LT' | 'B-LTA', opts: LtvEnvironmentOptions & { fields?: string[] }): Promise<Uint8Array> {
  const net = { fetch: opts.fetch, timeoutMs: opts.timeoutMs, signal: opts.signal };
  let out = (await addLtv(pdf, { ...net, fields: opts.fields })).pdf;
  if (level === 'B-LTA') out = (await addDocumentTimestamp(out, tsaOptions(opts))).pdf;
  return out;
}

/** The hooks signPdf needs for a level: the pre-signing check always, the TSA for B-T+, the DSS/LTA step for B-LT+. */
export function ltvSignEnvironment(level: PadesLevel, opts: LtvEnvironmentOptions = {}): Pick<SignEnvironment, 'checkCertificate' | 'timestamp' | 'extend'> {
  const env: Pick<SignEnvironment, 'checkCertificate' | 'timestamp' | 'extend'> = {
    checkCertificate: async (signer) =>
      (await checkSigningCertificate(signer.certificate, { chain: signer.chain, fetch: opts.fetch, timeoutMs: opts.timeoutMs, signal: opts.signal, revocation: opts.checkRevocation !== false, strict: opts.strictRevocation })).warnings,
  };
  if (level !== 'B-B') env.timestamp = signatureTimestamper(tsaOptions(opts));
  if (level === 'B-LT' || level === 'B-LTA') env.extend = (signed, lvl, fieldName) => extendToLevel(signed, lvl === 'B-LTA' ? 'B-LTA' : 'B-LT', { ...opts, fields: [fieldName] });
  return env;
}
