// The service worker: one NativeHost for the whole extension, the settings (policy + user), and the router for the
// pages' messages.

import browser from 'webextension-polyfill';
import { route, type RouterContext } from './router.ts';
import { NativeHost } from './services/native-host.ts';
import { PolicyService, chromeStorage } from './services/policy.ts';
import { JobStore } from './services/jobs.ts';
import { installPortalScripts } from './portal-scripts.ts';
import { installSignContextMenu } from './context-menu-sign.ts';
import { installVerifyEntry } from './verify-entry.ts';

const extensionVersion = browser.runtime.getManifest().version;

const ctx: RouterContext = {
  host: new NativeHost({ extensionVersion }),
  policy: new PolicyService(chromeStorage()),
  extensionId: browser.runtime.id,
  extensionOrigin: browser.runtime.getURL(''),
  extensionVersion,
  jobs: new JobStore(chrome.storage.session ?? null),
  async openPage(path, openerTabId) {
    const tab = typeof openerTabId === 'number' ? await browser.tabs.get(openerTabId).catch(() => undefined) : undefined;
    await browser.tabs.create({ url: browser.runtime.getURL(path), openerTabId: tab?.id, index: tab ? tab.index + 1 : undefined });
  },
};

// With the polyfill, returning a promise sends its value as the reply. Messages that are not ours (none yet) still
// get a typed refusal from route(), never silence.
browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) => route(message, sender, ctx));
installVerifyEntry(ctx);

installPortalScripts(ctx);
installSignContextMenu(ctx);
