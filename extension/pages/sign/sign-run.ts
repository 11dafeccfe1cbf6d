// The signing run behind the page's "Xác nhận ký": the PAdES level's hooks (shared/ltv: certificate check, RFC 3161
// time-stamp, DSS and archive time-stamp) with the given fetch, a progress text for each step, and one AbortSignal
// that stops all of it (USER_CANCELLED). No browser API here: engine.ts gives it the token signer and the fetch.

import { ltvSignEnvironment, type FetchLike } from '@kyso/shared/ltv/index';
import type { DigestSigner } from '@kyso/shared/pades/index';
import { KysoError } from '@kyso/shared/protocol/errors';
import type { TextSource } from '@kyso/shared/sign/document-view';
import { signPdf, type FontFiles, type PadesLevel, type SignEnvironment, type SignOptions, type SignResult } from '@kyso/shared/sign/sign-pdf';
import { textsOf } from '../../shared/i18n.ts';
import { SIGN_TEXTS } from './texts.ts';

const t = textsOf(SIGN_TEXTS);

/** Per request; the government TSA can take a long time to answer. */
export const NET_TIMEOUT_MS = 60_000;

export interface SignRun {
  pdf: Uint8Array;
  options: SignOptions;
  signer: DigestSigner;
  fonts: FontFiles;
  /** For the TSA, OCSP and CRL requests (URLs from the settings and the certificates only). */
  fetch: FetchLike;
  level: PadesLevel;
  tsaUrl: string;
  onlineRevocation: boolean;
  text: TextSource;
  signal: AbortSignal;
  onStep(step: string): void;
  /** Per network request; default NET_TIMEOUT_MS. */
  netTimeoutMs?: number;
}

/** Signs with progress; every step honours the signal (USER_CANCELLED), the network requests included. */
export async function runSigning(run: SignRun): Promise<SignResult> {
  const { signal, onStep } = run;
  const check = () => {
    if (signal.aborted) throw new KysoError('USER_CANCELLED');
  };
  const ltv = ltvSignEnvironment(run.level, {
    tsaUrl: run.tsaUrl || undefined,
    fetch: run.fetch,
    timeoutMs: run.netTimeoutMs ?? NET_TIMEOUT_MS,
    retries: 2,
    signal,
    checkRevocation: run.onlineRevocation,
  });
  const env: SignEnvironment = {
    fonts: run.fonts,
    text: run.text,
    checkCertificate: async (signer) => {
      check();
      onStep(run.onlineRevocation ? t('stepCheckOnline') : t('stepCheck'));
      const w = (await ltv.checkCertificate?.(signer)) ?? [];
      check();
      onStep(t('stepSign'));
      return w;
    },
  };
  if (ltv.timestamp) {
    const ts = ltv.timestamp;
    env.timestamp = async (value, hash) => {
      check();
      onStep(t('stepTimestamp'));
      return ts(value, hash);
    };
  }
  if (ltv.extend) {
    const ext = ltv.extend;
    env.extend = async (signed, level, field) => {
      check();
      onStep(level === 'B-LTA' ? t('stepLta') : t('stepLt'));
      return ext(signed, level, field);
    };
  }
  check();
  const result = await signPdf(run.pdf, { ...run.options, level: run.level }, run.signer, env);
  check();
  return result;
}
