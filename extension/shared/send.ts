// Pages ask the background through here: a typed request in, a typed reply out. A background that is not there
// (or throws) still gives a typed error.

import browser from 'webextension-polyfill';
import { KysoError, asKysoError } from '@kyso/shared/protocol/errors';
import type { BackgroundMessageMap, BackgroundMessageType, BackgroundReply, BackgroundRequest } from './messages.ts';

export async function askBackground<T extends BackgroundMessageType>(
  type: T,
  params: BackgroundMessageMap[T]['params'],
): Promise<BackgroundReply<T>> {
  const request = { kyso: 1, type, params } as BackgroundRequest<T>;
  try {
    const reply = (await browser.runtime.sendMessage(request)) as BackgroundReply<T> | undefined;
    if (!reply || typeof reply !== 'object' || typeof reply.ok !== 'boolean') {
      return { ok: false, error: new KysoError('INTERNAL_ERROR', 'No reply from the background.').toPayload() };
    }
    return reply;
  } catch (e) {
    return { ok: false, error: asKysoError(e).toPayload() };
  }
}
