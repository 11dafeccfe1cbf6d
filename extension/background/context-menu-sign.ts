// "Ký số tệp PDF này" on links in allowlisted portals (documentUrlPatterns = the allowlist, frames included). A
// click asks the content script of that frame to open the job for the link, exactly as its "Ký số" button would
// (same adapter: upload target, prefill, name rules). A frame without our script (injected later than the click,
// or gone) still gets a job, opened here from the menu's own facts: the signing page then fetches the document
// directly and the signed file is downloaded.

import browser from 'webextension-polyfill';
import { KysoError } from '@kyso/shared/protocol/errors';
import type { ContentReply, ContentRequest } from '../shared/jobs.ts';
import { openJob } from './actions/jobs.ts';
import type { RouterContext } from './router.ts';
import { currentPortals, portalAllowed } from './services/portals.ts';
import { menuTitle } from './texts.ts';

export const SIGN_LINK_MENU_ID = 'kyso-sign-link';
/** The Vietnamese title (the default language's). */
export const SIGN_LINK_TITLE = 'Ký số tệp PDF này';

async function updateMenu(patterns: string[], title = SIGN_LINK_TITLE): Promise<void> {
  await browser.contextMenus.remove(SIGN_LINK_MENU_ID).catch(() => undefined);
  if (patterns.length === 0) return;
  await new Promise<void>((resolve, reject) => {
    chrome.contextMenus.create({ id: SIGN_LINK_MENU_ID, title, contexts: ['link'], documentUrlPatterns: patterns }, () => {
      const err = chrome.runtime.lastError;
      if (err) reject(new Error(err.message));
      else resolve();
    });
  });
}

function nameFromLink(url: string): string {
  try {
    const seg = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
    return /\.pdf$/i.test(seg) ? seg : 'van-ban.pdf';
  } catch {
    return 'van-ban.pdf';
  }
}

/** The click: the frame's content script opens the job; without one, the background does from what the menu says. */
export async function signLinkClicked(ctx: RouterContext, info: { linkUrl?: string; frameId?: number; frameUrl?: string; pageUrl?: string }, tabId: number | undefined): Promise<void> {
  const url = info.linkUrl;
  if (!url || typeof tabId !== 'number') return;
  const frameId = info.frameId ?? 0;
  const request: ContentRequest<'jobForLink'> = { kysoContent: 1, type: 'jobForLink', params: { url, action: 'sign' } };
  let reply: ContentReply<'jobForLink'> | undefined;
  try {
    reply = (await browser.tabs.sendMessage(tabId, request, { frameId })) as ContentReply<'jobForLink'> | undefined;
  } catch {
    reply = undefined; // no content script in that frame
  }
  if (reply?.ok) return;
  if (reply && !reply.ok) {
    console.warn(`KýSố: ${reply.error.code} for the link ${url}`);
    return;
  }
  const frameUrl = info.frameUrl ?? info.pageUrl;
  if (!frameUrl || !portalAllowed(frameUrl, await currentPortals(ctx.policy))) throw new KysoError('CALLER_FORBIDDEN', `Not an allowlisted page: ${frameUrl}.`);
  await openJob(
    ctx,
    { action: 'sign', portal: 'generic', document: { url, name: nameFromLink(url) }, upload: { kind: 'none' }, prefill: {} },
    { id: ctx.extensionId, url: frameUrl, tab: { id: tabId }, frameId },
  );
}

/** Call once at the service worker's top level (the click listener must be there when the worker wakes for it). */
export function installSignContextMenu(ctx: RouterContext): void {
  let chain: Promise<void> = Promise.resolve();
  const refresh = () => {
    chain = chain.then(async () => updateMenu(await currentPortals(ctx.policy), await menuTitle(ctx.policy, 'signLink'))).catch((e: unknown) => console.error('KýSố: context menu', e));
  };
  browser.runtime.onInstalled.addListener(refresh);
  browser.runtime.onStartup.addListener(refresh);
  browser.storage.onChanged.addListener((_c, area) => {
    if (area === 'sync' || area === 'managed') refresh();
  });
  browser.contextMenus.onClicked.addListener((info, tab) => {
    if (info.menuItemId !== SIGN_LINK_MENU_ID) return;
    signLinkClicked(ctx, info, tab?.id).catch((e: unknown) => console.error('KýSố: signing the link failed', e));
  });
}
