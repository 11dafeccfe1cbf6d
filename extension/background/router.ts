// Routes the pages' typed messages to the actions, after checking who asks: only the extension's own pages
// (chrome-extension://<our id>/…) may reach the host. Content scripts run in portal pages (sender.url is the
// portal's) and are refused, as is anything from another extension.

import { KysoError, asKysoError } from '@kyso/shared/protocol/errors';
import { isBackgroundRequest, type BackgroundReply, type BackgroundRequest } from '../shared/messages.ts';
import { hostStatus } from './actions/host-status.ts';
import { getSettings, saveSettings } from './actions/settings.ts';
import type { NativeHost } from './services/native-host.ts';
import type { PolicyService } from './services/policy.ts';

export interface Sender {
  id?: string;
  url?: string;
}

export interface RouterContext {
  host: NativeHost;
  policy: PolicyService;
  extensionId: string;
  /** chrome-extension://<id>/ */
  extensionOrigin: string;
  extensionVersion: string;
}

export function isOwnPage(sender: Sender, ctx: RouterContext): boolean {
  return sender.id === ctx.extensionId && typeof sender.url === 'string' && sender.url.startsWith(ctx.extensionOrigin);
}


export async function route(message: unknown, sender: Sender, ctx: RouterContext): Promise<BackgroundReply> {
  if (!isOwnPage(sender, ctx)) {
    return { ok: false, error: new KysoError('CALLER_FORBIDDEN', `Caller: ${sender.url ?? sender.id ?? 'unknown'}.`).toPayload() };
  }
  if (!isBackgroundRequest(message)) {
    return { ok: false, error: new KysoError('BAD_MESSAGE', 'Unknown or malformed background message.').toPayload() };
  }
  try {
    return { ok: true, result: await dispatch(message, ctx) };
  } catch (e) {
    return { ok: false, error: asKysoError(e).toPayload() };
  }
}

async function dispatch(message: BackgroundRequest, ctx: RouterContext) {
  switch (message.type) {
    case 'hostStatus':
      return hostStatus(ctx.host, ctx.extensionVersion, (await ctx.policy.settings()).values.pkcs11Modules);
    case 'getSettings':
      return getSettings(ctx.policy);
    case 'saveSettings':
      return saveSettings(ctx.policy, message.params);
  }
}
