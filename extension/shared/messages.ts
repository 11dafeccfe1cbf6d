// The typed messages between the extension's own pages and its background (chrome.runtime.sendMessage). One entry
// per message; the background handles each in background/actions/<name>.ts. Every reply is either a result or a
// typed error (shared/protocol/errors.ts), never a bare exception.

import type { ErrorPayload } from '@kyso/shared/protocol/errors';
import type { CertificateInfo, HelloResult, ListTokensResult, SignParams, SignResult, TokenInfo } from '@kyso/shared/protocol/messages';
import type { Job, JobRequest } from './jobs.ts';
import type { EffectiveSettings } from '@kyso/shared/policy/resolve';

/** What the diagnostics page shows: the host's hello, and the tokens it sees (or why it could not list them). */
export interface HostStatus {
  extensionVersion: string;
  /** The protocol version this extension speaks. */
  protocolVersion: number;
  host: HelloResult;
  tokens: { ok: true; result: ListTokensResult } | { ok: false; error: ErrorPayload };
}

/** A certificate on a token, with the token it lives on (what the signing page's picker lists). */
export interface TokenCertificate extends CertificateInfo {
  module: string;
  /** Token serial (what the host's sign command takes as `token`). */
  token: string;
  tokenLabel: string;
}

export interface SigningCertificates {
  tokens: TokenInfo[];
  /** Every certificate of every token (all pages), CA certificates included: the page builds chains from them. */
  certificates: TokenCertificate[];
  problems: ListTokensResult['problems'];
}

export interface BackgroundMessageMap {
  /**
   * The only message content scripts may send (from an allowlisted portal): the user clicked "Ký số" / "Kiểm tra".
   * The background records tab and frame from the sender and opens the signing or verification page.
   */
  openJob: { params: JobRequest; result: { jobId: string } };
  /** The signing / verification page reads its job. */
  getJob: { params: { id: string }; result: Job };
  /** Tokens and their certificates, through the host, with the PKCS#11 modules of the settings. */
  listSigningCertificates: { params: Record<string, never>; result: SigningCertificates };
  /** The token signs one digest. requestId (chosen by the page) lets cancelSign abandon it. */
  signDigest: { params: SignParams & { requestId: string }; result: SignResult };
  cancelSign: { params: { requestId: string }; result: { cancelled: boolean } };

  hostStatus: { params: Record<string, never>; result: HostStatus };
  /** Every setting's value, where it comes from (policy, user, default), what is locked, bad values. */
  getSettings: { params: Record<string, never>; result: EffectiveSettings };
  /** The user's own values (null: back to the default); refused with INVALID_ARGUMENT for locked or bad ones. */
  saveSettings: { params: { changes: Record<string, unknown> }; result: EffectiveSettings };
}

export type BackgroundMessageType = keyof BackgroundMessageMap;
export const BACKGROUND_MESSAGE_TYPES: readonly BackgroundMessageType[] = [
  'hostStatus',
  'getSettings',
  'saveSettings',
  'openJob',
  'getJob',
  'listSigningCertificates',
  'signDigest',
  'cancelSign',
];

/** What a content script in an allowlisted portal may send; everything else needs an extension page. */
export const CONTENT_SCRIPT_MESSAGE_TYPES: readonly BackgroundMessageType[] = ['openJob'];

export type BackgroundRequest<T extends BackgroundMessageType = BackgroundMessageType> = {
  [K in T]: { kyso: 1; type: K; params: BackgroundMessageMap[K]['params'] };
}[T];

export type BackgroundReply<T extends BackgroundMessageType = BackgroundMessageType> =
  | { ok: true; result: BackgroundMessageMap[T]['result'] }
  | { ok: false; error: ErrorPayload };

export function isBackgroundRequest(m: unknown): m is BackgroundRequest {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as { kyso?: unknown; type?: unknown; params?: unknown };
  return (
    r.kyso === 1 &&
    typeof r.type === 'string' &&
    (BACKGROUND_MESSAGE_TYPES as readonly string[]).includes(r.type) &&
    typeof r.params === 'object' &&
    r.params !== null
  );
}
