// The content script of the portals (content/index.ts) is not in the manifest: it is registered here for the
// allowlist of the settings (policy `portals`, else the user's list, plus the demo portal unless policy names the
// portals), in every frame, and registered again whenever storage.sync or storage.managed changes. Portal tabs
// already open get it injected at once (frames the allowlist names only), so nobody has to reload the portal.

import browser from 'webextension-polyfill';
// crxjs builds the entry as one self-contained IIFE file (no ES module imports, which scripts registered through
// chrome.scripting cannot use) and gives its path in the build. crxjs also lists that file in
// web_accessible_resources; the script needs no such access.
import contentScriptFile from '../content/portal-script.ts?iife';
import type { RouterContext } from './router.ts';
import { currentPortals, portalAllowed } from './services/portals.ts';

export const PORTAL_SCRIPT_ID = 'kyso-portal';

type Ctx = Pick<RouterContext, 'policy'>;

/** Registers (or re-registers) the content script for patterns; none when the allowlist is empty. */
export async function registerPortalScript(patterns: string[]): Promise<void> {
  const existing = await chrome.scripting.getRegisteredContentScripts({ ids: [PORTAL_SCRIPT_ID] });
  if (existing.length > 0) await chrome.scripting.unregisterContentScripts({ ids: [PORTAL_SCRIPT_ID] });
  if (patterns.length === 0) return;
  await chrome.scripting.registerContentScripts([
    {
      id: PORTAL_SCRIPT_ID,
      js: [contentScriptFile],
      matches: patterns,
      allFrames: true,
      runAt: 'document_idle',
      matchOriginAsFallback: false,
      persistAcrossSessions: true,
    },
  ]);
}

/** Open tabs: the script into each frame whose URL the allowlist names (the script itself guards against twice). */
export async function injectIntoOpenTabs(patterns: string[]): Promise<void> {
  if (patterns.length === 0) return;
  const tabs = await browser.tabs.query({ url: ['http://*/*', 'https://*/*'] });
  await Promise.all(
    tabs.map(async (tab) => {
      if (typeof tab.id !== 'number') return;
      try {
        const frames = await chrome.scripting.executeScript({ target: { tabId: tab.id, allFrames: true }, func: () => location.href });
        const frameIds = frames.filter((f) => typeof f.result === 'string' && portalAllowed(f.result, patterns)).map((f) => f.frameId);
        if (frameIds.length > 0) await chrome.scripting.executeScript({ target: { tabId: tab.id, frameIds }, files: [contentScriptFile] });
      } catch {
        // A tab we may not script (the Web Store, an error page) or one closed meanwhile: nothing to do there.
      }
    }),
  );
}

/** Wires registration to install, startup and settings changes. Call once, at the service worker's top level. */
export function installPortalScripts(ctx: Ctx): void {
  // One update at a time: storage changes come in bursts, and register/unregister must not interleave.
  let chain: Promise<void> = Promise.resolve();
  const run = (job: () => Promise<void>) => {
    chain = chain.then(job).catch((e: unknown) => console.error('KýSố: registering the portal script failed', e));
  };
  const apply = async (inject: boolean) => {
    const patterns = await currentPortals(ctx.policy);
    await registerPortalScript(patterns);
    if (inject) await injectIntoOpenTabs(patterns);
  };
  browser.runtime.onInstalled.addListener(() => run(() => apply(true)));
  browser.runtime.onStartup.addListener(() => run(() => apply(false)));
  browser.storage.onChanged.addListener((_changes, area) => {
    if (area === 'sync' || area === 'managed') run(() => apply(true));
  });
  // A worker started for any other reason still makes sure the registration exists (it persists across sessions).
  run(async () => {
    const existing = await chrome.scripting.getRegisteredContentScripts({ ids: [PORTAL_SCRIPT_ID] });
    if (existing.length === 0) await apply(false);
  });
}
