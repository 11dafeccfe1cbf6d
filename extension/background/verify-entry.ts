// Ways into the verification page outside the portals: the toolbar button on a tab showing a PDF (Chrome's or
// Edge's own viewer, or a PDF our pages show), and the context menu "Kiểm tra chữ ký số" on a page, a frame or a
// link. The page gets the PDF's URL (?url=…) and fetches it itself; without a PDF it opens with its file chooser.

import type { RouterContext } from './router.ts';
import type { PolicyService } from './services/policy.ts';
import { languageMayChange } from '../shared/i18n-core.ts';
import { menuTitle } from './texts.ts';

export const VERIFY_PAGE = 'pages/verify/index.html';
export const VERIFY_MENU_ID = 'kyso-verify-signatures';
const MIME_CHECK_MS = 2000;

export interface TabLike {
  id?: number;
  url?: string;
  title?: string;
}

/** A URL whose path ends in .pdf (query and fragment aside). */
export function urlLooksLikePdf(url: string | undefined): boolean {
  if (!url) return false;
  try {
    return /\.pdf$/i.test(decodeURIComponent(new URL(url).pathname));
  } catch {
    return false;
  }
}

/**
 * The PDF a tab shows, by what the tabs API tells: its URL ends in .pdf, or its title is a PDF file name (the
 * browser's viewer titles a tab with the file name, also for download endpoints without .pdf in the URL), or it is
 * one of our pages showing a PDF given by ?url=. Undefined when none of these says PDF.
 */
export function pdfUrlOfTab(tab: TabLike, extensionOrigin: string): string | undefined {
  const url = tab.url;
  if (!url) return undefined;
  if (url.startsWith(extensionOrigin)) {
    try {
      const inner = new URL(url).searchParams.get('url');
      return inner && /^(https?|file):/i.test(inner) ? inner : undefined;
    } catch {
      return undefined;
    }
  }
  if (!/^(https?|file):/i.test(url)) return undefined;
  if (urlLooksLikePdf(url) || /\.pdf$/i.test(tab.title?.trim() ?? '')) return url;
  return undefined;
}

/** The page's path: with the PDF's URL, or bare (file chooser). */
export function verifyPagePath(pdfUrl: string | undefined): string {
  return pdfUrl ? `${VERIFY_PAGE}?url=${encodeURIComponent(pdfUrl)}` : VERIFY_PAGE;
}

export interface MenuClick {
  menuItemId: string | number;
  linkUrl?: string;
  frameUrl?: string;
  pageUrl?: string;
}

/**
 * What the menu item checks: a link's target (the user pointed at it), a frame's document (portals show the PDF in
 * an iframe whose URL often has no .pdf), else the page when it shows a PDF.
 */
export function menuTarget(info: MenuClick, tab: TabLike | undefined, extensionOrigin: string, tabIsPdf: boolean): string | undefined {
  const http = (u: string | undefined) => (u && /^(https?|file):/i.test(u) ? u : undefined);
  if (info.linkUrl) return http(info.linkUrl);
  if (info.frameUrl) return http(info.frameUrl);
  const page = info.pageUrl ?? tab?.url;
  if (tab && page === tab.url) return pdfUrlOfTab(tab, extensionOrigin) ?? (tabIsPdf ? http(page) : undefined);
  return urlLooksLikePdf(page) || tabIsPdf ? http(page) : undefined;
}

/** Whether the tab's top document is a PDF by its MIME type (asked only when URL and title do not tell). */
async function tabContentIsPdf(tabId: number | undefined): Promise<boolean> {
  if (typeof tabId !== 'number' || !chrome.scripting?.executeScript) return false;
  try {
    // A tab still loading its viewer may not answer: the user clicked, the page must open anyway.
    const asked = chrome.scripting.executeScript({ target: { tabId }, func: () => document.contentType });
    const late = new Promise<undefined>((ok) => setTimeout(ok, MIME_CHECK_MS, undefined));
    const r = await Promise.race([asked, late]);
    return r?.[0]?.result === 'application/pdf';
  } catch {
    // Pages we may not script (chrome://, the web store, no activeTab grant): not a PDF we can tell.
    return false;
  }
}

async function createMenu(policy: PolicyService | undefined): Promise<void> {
  const title = await menuTitle(policy, 'verify');
  chrome.contextMenus.create(
    { id: VERIFY_MENU_ID, title, contexts: ['page', 'frame', 'link'] },
    // A second create after a restart reports a duplicate id: the item is there, so it gets the title instead.
    () => {
      if (chrome.runtime.lastError) chrome.contextMenus.update(VERIFY_MENU_ID, { title }, () => void chrome.runtime.lastError);
    },
  );
}

/** Registers the toolbar button and the context menu; call once at the top of the service worker. */
export function installVerifyEntry(ctx: Pick<RouterContext, 'openPage' | 'extensionOrigin'> & Partial<Pick<RouterContext, 'policy'>>): void {
  const create = () => void createMenu(ctx.policy);
  chrome.runtime.onInstalled.addListener(create);
  chrome.runtime.onStartup.addListener(create);
  // The language setting changed (the user's options or IT's policy): the menu follows.
  chrome.storage.onChanged.addListener((changes, area) => {
    if (languageMayChange(changes, area)) create();
  });

  chrome.action.onClicked.addListener((tab) => {
    void (async () => {
      const known = pdfUrlOfTab(tab, ctx.extensionOrigin);
      const url = known ?? ((await tabContentIsPdf(tab.id)) && tab.url && /^(https?|file):/i.test(tab.url) ? tab.url : undefined);
      await ctx.openPage(verifyPagePath(url), tab.id);
    })();
  });

  chrome.contextMenus.onClicked.addListener((info, tab) => {
    if (info.menuItemId !== VERIFY_MENU_ID) return;
    void (async () => {
      const needMime = !info.linkUrl && !info.frameUrl && tab !== undefined && pdfUrlOfTab(tab, ctx.extensionOrigin) === undefined;
      const isPdf = needMime ? await tabContentIsPdf(tab?.id) : false;
      await ctx.openPage(verifyPagePath(menuTarget(info, tab, ctx.extensionOrigin, isPdf)), tab?.id);
    })();
  });
}
