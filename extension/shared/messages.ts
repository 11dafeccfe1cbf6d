// The typed messages between the extension's own pages and its background (chrome.runtime.sendMessage). One entry
// per message; the background handles each in background/actions/<name>.ts. Every reply is either a result or a
// typed error (shared/protocol/errors.ts), never a bare exception.

import type { ErrorPayload } from '@kyso/shared/protocol/errors';
import type { HelloResult, ListTokensResult } from '@kyso/shared/protocol/messages';
import type { EffectiveSettings } from '@kyso/shared/policy/resolve';

/** What the diagnostics page shows: the host's hello, and the tokens it sees (or why it could not list them). */
export interface HostStatus {
  extensionVersion: string;
  /** The protocol version this extension speaks. */
  protocolVersion: number;
  host: HelloResult;
  tokens: { ok: true; result: ListTokensResult } | { ok: false; error: ErrorPayload };
}

export interface BackgroundMessageMap {
  hostStatus: { params: Record<string, never>; result: HostStatus };
  /** Every setting's value, where it comes from (policy, user, default), what is locked, bad values. */
  getSettings: { params: Record<string, never>; result: EffectiveSettings };
  /** The user's own values (null: back to the default); refused with INVALID_ARGUMENT for locked or bad ones. */
  saveSettings: { params: { changes: Record<string, unknown> }; result: EffectiveSettings };
}

export type BackgroundMessageType = keyof BackgroundMessageMap;
export const BACKGROUND_MESSAGE_TYPES: readonly BackgroundMessageType[] = ['hostStatus', 'getSettings', 'saveSettings'];

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
