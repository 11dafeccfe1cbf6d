// Registration of the portal script against a fake chrome.scripting (the browser behaviour itself is covered by
// tests/e2e/portal-demo.test.ts): re-registration replaces the old one, an empty allowlist registers nothing, and
// open tabs get the script only in the frames the allowlist names.

import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('webextension-polyfill', () => ({ default: { tabs: { query: async () => fake.tabs } } }));
vi.mock('../content/portal-script.ts?iife', () => ({ default: 'content/portal-script.js' }));

type Registered = { id: string; js: string[]; matches: string[]; allFrames: boolean; runAt: string; matchOriginAsFallback: boolean };
const fake = {
  registered: [] as Registered[],
  calls: [] as string[],
  tabs: [] as { id?: number; url?: string }[],
  /** tabId → frames (frameId → URL) */
  frames: new Map<number, Map<number, string>>(),
  injected: [] as { tabId: number; frameIds: number[]; files: string[] }[],
};

beforeEach(() => {
  fake.registered = [];
  fake.calls = [];
  fake.tabs = [];
  fake.frames = new Map();
  fake.injected = [];
  (globalThis as unknown as { chrome: unknown }).chrome = {
    scripting: {
      getRegisteredContentScripts: async ({ ids }: { ids: string[] }) => fake.registered.filter((r) => ids.includes(r.id)),
      unregisterContentScripts: async ({ ids }: { ids: string[] }) => {
        fake.calls.push(`unregister ${ids.join(',')}`);
        fake.registered = fake.registered.filter((r) => !ids.includes(r.id));
      },
      registerContentScripts: async (scripts: Registered[]) => {
        fake.calls.push(`register ${scripts.map((s) => s.id).join(',')}`);
        for (const s of scripts) {
          if (fake.registered.some((r) => r.id === s.id)) throw new Error(`Duplicate script ID '${s.id}'`);
          fake.registered.push(s);
        }
      },
      executeScript: async (o: { target: { tabId: number; allFrames?: boolean; frameIds?: number[] }; files?: string[]; func?: () => unknown }) => {
        const frames = fake.frames.get(o.target.tabId);
        if (!frames) throw new Error('Cannot access contents of the page');
        if (o.func) return [...frames].map(([frameId, url]) => ({ frameId, result: url }));
        fake.injected.push({ tabId: o.target.tabId, frameIds: o.target.frameIds ?? [], files: o.files ?? [] });
        return [];
      },
    },
  };
});

const { injectIntoOpenTabs, registerPortalScript, PORTAL_SCRIPT_ID } = await import('./portal-scripts.ts');

describe('registerPortalScript', () => {
  it('registers the built file for the patterns, in every frame, at document_idle; again replaces, empty removes', async () => {
    await registerPortalScript(['http://127.0.0.1/*']);
    expect(fake.registered).toEqual([
      expect.objectContaining({ id: PORTAL_SCRIPT_ID, js: ['content/portal-script.js'], matches: ['http://127.0.0.1/*'], allFrames: true, runAt: 'document_idle', matchOriginAsFallback: false }),
    ]);
    await registerPortalScript(['https://qlvb.example.gov.vn/*']);
    expect(fake.registered.map((r) => r.matches)).toEqual([['https://qlvb.example.gov.vn/*']]);
    await registerPortalScript([]);
    expect(fake.registered).toEqual([]);
    expect(fake.calls).toEqual([`register ${PORTAL_SCRIPT_ID}`, `unregister ${PORTAL_SCRIPT_ID}`, `register ${PORTAL_SCRIPT_ID}`, `unregister ${PORTAL_SCRIPT_ID}`]);
  });
});

describe('injectIntoOpenTabs', () => {
  it('only the allowlisted frames of each tab; tabs that cannot be scripted are skipped', async () => {
    fake.tabs = [{ id: 1 }, { id: 2 }, { id: 3 }];
    fake.frames.set(1, new Map([[0, 'https://qlvb.example.gov.vn/ioffice/'], [5, 'https://qlvb.example.gov.vn/ioffice/vb-cho-duyet.jsp'], [6, 'https://ads.example.com/x']]));
    fake.frames.set(2, new Map([[0, 'https://news.example.com/'], [9, 'https://qlvb.example.gov.vn/embed']]));
    // tab 3: no frames answer (the Web Store, an error page)
    await injectIntoOpenTabs(['https://qlvb.example.gov.vn/*']);
    expect(fake.injected.sort((a, b) => a.tabId - b.tabId)).toEqual([
      { tabId: 1, frameIds: [0, 5], files: ['content/portal-script.js'] },
      { tabId: 2, frameIds: [9], files: ['content/portal-script.js'] },
    ]);
  });

  it('an empty allowlist injects nothing', async () => {
    fake.tabs = [{ id: 1 }];
    fake.frames.set(1, new Map([[0, 'https://qlvb.example.gov.vn/']]));
    await injectIntoOpenTabs([]);
    expect(fake.injected).toEqual([]);
  });
});
