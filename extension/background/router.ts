// Routes the pages' typed messages to the actions, after checking who asks: only the extension's own pages
// (chrome-extension://<our id>/…) may reach the host. Content scripts run in portal pages (sender.url is the
// portal's) and are refused, as is anything from another extension.

import { KysoError, asKysoError } from '@kyso/shared/protocol/errors';
import { CONTENT_SCRIPT_MESSAGE_TYPES, isBackgroundRequest, type BackgroundReply, type BackgroundRequest } from '../shared/messages.ts';
import { hostStatus } from './actions/host-status.ts';
import { getSettings, saveSettings } from './actions/settings.ts';
import { getJob, openJob } from './actions/jobs.ts';
import { listSigningCertificates } from './actions/certificates.ts';
import { cancelSign, signDigest } from './actions/sign-digest.ts';
import type { JobStore } from './services/jobs.ts';
import { effectivePortals, portalAllowed } from './services/portals.ts';
import type { NativeHost } from './services/native-host.ts';
import type { PolicyService } from './services/policy.ts';

export interface Sender {
  id?: string;
  url?: string;
  /** The tab and frame the message comes from (content scripts; extension pages in a tab have a tab too). */
  tab?: { id?: number };
  frameId?: number;
}

export interface RouterContext {
  host: NativeHost;
  policy: PolicyService;
  extensionId: string;
  /** chrome-extension://<id>/ */
  extensionOrigin: string;
  extensionVersion: string;
  jobs: JobStore;
  /** Opens an extension page (pages/sign or pages/verify) in a new tab next to the portal's. */
  openPage(path: string, openerTabId?: number): Promise<void>;
}

export function isOwnPage(sender: Sender, ctx: RouterContext): boolean {
  return sender.id === ctx.extensionId && typeof sender.url === 'string' && sender.url.startsWith(ctx.extensionOrigin);
}


/** A content script of ours, running in a portal the allowlist names (checked again here: pages can navigate). */
async function isAllowedContentScript(sender: Sender, ctx: RouterContext): Promise<boolean> {
  if (sender.id !== ctx.extensionId || typeof sender.url !== 'string' || sender.url.startsWith(ctx.extensionOrigin)) return false;
  if (typeof sender.tab?.id !== 'number') return false;
  const settings = await ctx.policy.settings();
  return portalAllowed(sender.url, effectivePortals(settings.values.portals, settings.state.portals.locked));
}

export async function route(message: unknown, sender: Sender, ctx: RouterContext): Promise<BackgroundReply> {
  if (isBackgroundRequest(message) && CONTENT_SCRIPT_MESSAGE_TYPES.includes(message.type) && !isOwnPage(sender, ctx)) {
    if (!(await isAllowedContentScript(sender, ctx))) {
      return { ok: false, error: new KysoError('CALLER_FORBIDDEN', `Caller: ${sender.url ?? sender.id ?? 'unknown'}.`).toPayload() };
    }
    try {
      return { ok: true, result: await dispatch(message, ctx, sender) };
    } catch (e) {
      return { ok: false, error: asKysoError(e).toPayload() };
    }
  }
  if (!isOwnPage(sender, ctx)) {
    return { ok: false, error: new KysoError('CALLER_FORBIDDEN', `Caller: ${sender.url ?? sender.id ?? 'unknown'}.`).toPayload() };
  }
  if (!isBackgroundRequest(message)) {
    return { ok: false, error: new KysoError('BAD_MESSAGE', 'Unknown or malformed background message.').toPayload() };
  }
  try {
    return { ok: true, result: await dispatch(message, ctx, sender) };
  } catch (e) {
    return { ok: false, error: asKysoError(e).toPayload() };
  }
}

async function dispatch(message: BackgroundRequest, ctx: RouterContext, sender: Sender) {
  switch (message.type) {
    case 'hostStatus':
      return hostStatus(ctx.host, ctx.extensionVersion, (await ctx.policy.settings()).values.pkcs11Modules);
    case 'getSettings':
      return getSettings(ctx.policy);
    case 'saveSettings':
      return saveSettings(ctx.policy, message.params);
    case 'openJob':
      // Only content scripts open jobs: an extension page has no portal frame to fetch from or deliver to.
      if (isOwnPage(sender, ctx)) throw new KysoError('BAD_MESSAGE', 'openJob comes from a portal page.');
      return openJob(ctx, message.params, sender);
    case 'getJob':
      return getJob(ctx, message.params);
    case 'listSigningCertificates':
      return listSigningCertificates(ctx.host, (await ctx.policy.settings()).values.pkcs11Modules);
    case 'signDigest':
      return signDigest(ctx.host, message.params);
    case 'cancelSign':
      return cancelSign(ctx.host, message.params);
  }
}
