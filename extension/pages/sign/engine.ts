// The signing engine (shared/) as the page runs it: fonts from the extension, a DigestSigner whose key is on the
// token (through the background and the host), the PAdES level's time-stamp and long-term validation hooks with the
// browser's fetch, and progress for each step. Cancel aborts the network and the token request alike.

import regularUrl from '../../../shared/assets/fonts/LiberationSerif-Regular.ttf?url';
import boldUrl from '../../../shared/assets/fonts/LiberationSerif-Bold.ttf?url';
import italicUrl from '../../../shared/assets/fonts/LiberationSerif-Italic.ttf?url';
import { certificateStatus, type CertificateStatus, type FetchLike } from '@kyso/shared/ltv/index';
import type { DigestSigner, HashAlg } from '@kyso/shared/pades/index';
import { fromBase64, toBase64 } from '@kyso/shared/pki/der';
import { KysoError } from '@kyso/shared/protocol/errors';
import type { FontFiles, SignResult } from '@kyso/shared/sign/sign-pdf';
import { askBackground } from '../../shared/send.ts';
import type { PickerCertificate } from './certs.ts';
import { runSigning, type SignRun } from './sign-run.ts';

let fonts: Promise<FontFiles> | undefined;

/** Liberation Serif (metric-compatible with Times New Roman, Vietnamese glyphs), fetched once from the extension. */
export function loadFonts(): Promise<FontFiles> {
  fonts ??= (async () => {
    const get = async (url: string) => {
      const r = await fetch(url);
      if (!r.ok) throw new KysoError('INTERNAL_ERROR', `Font ${url}: HTTP ${r.status}.`);
      return new Uint8Array(await r.arrayBuffer());
    };
    const [regular, bold, italic] = await Promise.all([get(regularUrl), get(boldUrl), get(italicUrl)]);
    return { regular, bold, italic };
  })();
  fonts.catch(() => (fonts = undefined));
  return fonts;
}

/** The browser's fetch as the engine's FetchLike (cross-origin is allowed: host permissions cover http and https). */
export const browserFetch: FetchLike = (url, init) =>
  fetch(url, { method: init.method, headers: init.headers, body: init.body as BodyInit | undefined, signal: init.signal, redirect: init.redirect, credentials: 'omit', cache: 'no-store' });

/** Revocation status for the picker: the certificate's own OCSP/CRL URLs only, never throws for the network. */
export function pickerStatus(cert: PickerCertificate, online: boolean, signal?: AbortSignal): Promise<CertificateStatus> {
  return certificateStatus(cert.info.der, { chain: cert.chain, fetch: browserFetch, timeoutMs: 15_000, signal, revocation: online });
}

export function newRequestId(): string {
  return `sign-${crypto.randomUUID()}`;
}

/** A DigestSigner over the token: each digest is one host `sign` request the Cancel button can abandon. */
export function tokenSigner(cert: PickerCertificate, pin: string | null, signal: AbortSignal): DigestSigner {
  if (!cert.scheme) throw new KysoError('MECHANISM_UNSUPPORTED', `Key type ${cert.info.keyType.kind}.`);
  return {
    certificate: cert.info.der,
    chain: cert.chain,
    scheme: cert.scheme,
    async signDigest(digest: Uint8Array, hash: HashAlg): Promise<Uint8Array> {
      if (signal.aborted) throw new KysoError('USER_CANCELLED');
      const requestId = newRequestId();
      const onAbort = () => void askBackground('cancelSign', { requestId });
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        const reply = await askBackground('signDigest', {
          requestId,
          module: cert.source.module,
          token: cert.source.token,
          certId: cert.source.id,
          pin,
          digest: toBase64(digest),
          hash,
          scheme: cert.scheme!.kind,
        });
        if (!reply.ok) throw Object.assign(new KysoError(reply.error.code, undefined, reply.error.details, { vi: reply.error.messageVi }), { message: reply.error.message });
        return fromBase64(reply.result.signature);
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    },
  };
}

export interface TokenSignRun extends Omit<SignRun, 'signer' | 'fonts' | 'fetch'> {
  cert: PickerCertificate;
  pin: string | null;
}

/** Signs with the token through the host, fonts from the extension and the browser's fetch. */
export async function signWithToken(run: TokenSignRun): Promise<SignResult> {
  return runSigning({ ...run, signer: tokenSigner(run.cert, run.pin, run.signal), fonts: await loadFonts(), fetch: browserFetch });
}
