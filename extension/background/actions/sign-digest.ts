// signDigest / cancelSign: the token signs one digest for the signing page. The page names each request
// (requestId) so that its Cancel button can abandon it: cancelSign aborts the host request, which sends the host
// `cancel` (a sign still waiting for the token never reaches it; the PIN it carried is never used).

import { KysoError } from '@kyso/shared/protocol/errors';
import type { SignParams, SignResult } from '@kyso/shared/protocol/messages';
import type { NativeHost } from '../services/native-host.ts';

/** Longer than the host's own sign timeout (120 s: a PIN pad waits for the user), so its TIMEOUT reply comes first. */
export const SIGN_TIMEOUT_MS = 125_000;

const inflight = new Map<string, AbortController>();
/** Cancels that arrived before their request (the page cancels while its message is still on the way). */
const cancelledEarly = new Set<string>();
const MAX_EARLY = 32;

function checkRequestId(id: unknown): string {
  if (typeof id !== 'string' || !/^[\w-]{1,64}$/.test(id)) throw new KysoError('BAD_MESSAGE', 'signDigest/cancelSign need a requestId (1–64 letters, digits, - or _).');
  return id;
}

export async function signDigest(host: NativeHost, params: SignParams & { requestId: string }): Promise<SignResult> {
  const requestId = checkRequestId(params?.requestId);
  if (cancelledEarly.delete(requestId)) throw new KysoError('USER_CANCELLED', 'Cancelled before it was sent.');
  if (inflight.has(requestId)) throw new KysoError('BAD_MESSAGE', `Request ${requestId} is already in flight.`);
  const controller = new AbortController();
  inflight.set(requestId, controller);
  try {
    const { module, token, certId, pin, digest, hash, scheme } = params;
    return await host.request('sign', { module, token, certId, pin, digest, hash, scheme }, { timeoutMs: SIGN_TIMEOUT_MS, signal: controller.signal });
  } finally {
    inflight.delete(requestId);
  }
}

export async function cancelSign(_host: NativeHost, params: { requestId: string }): Promise<{ cancelled: boolean }> {
  const requestId = checkRequestId(params?.requestId);
  const controller = inflight.get(requestId);
  if (controller) {
    controller.abort();
    return { cancelled: true };
  }
  if (cancelledEarly.size >= MAX_EARLY) cancelledEarly.delete(cancelledEarly.values().next().value as string);
  cancelledEarly.add(requestId);
  return { cancelled: false };
}
