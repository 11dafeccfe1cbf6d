// The portal script's language, read from storage as the background would resolve it: IT's policy first, then the
// user's settings object in storage.sync, Vietnamese otherwise; a change relabels the buttons already shown.

import { afterEach, describe, expect, it } from 'vitest';
import { Window } from 'happy-dom';
import { currentLanguage, setLanguage } from '../shared/i18n-core.ts';
import { USER_SETTINGS_KEY } from '../background/services/policy.ts';
import { makeActions, relabelActions } from './buttons.ts';
import { followLanguage, loadContentLanguage } from './language.ts';

type Listener = (changes: Record<string, unknown>, area: string) => void;

function fakeChrome(managed: Record<string, unknown> | 'throws', sync: Record<string, unknown>): { listeners: Listener[] } {
  const listeners: Listener[] = [];
  (globalThis as { chrome?: unknown }).chrome = {
    storage: {
      managed: { get: async (k: string) => (managed === 'throws' ? Promise.reject(new Error('no managed storage')) : { [k]: managed[k] }) },
      sync: { get: async (k: string) => ({ [k]: sync[k] }) },
      onChanged: { addListener: (f: Listener) => listeners.push(f) },
    },
  };
  return { listeners };
}

afterEach(() => {
  setLanguage('vi');
  delete (globalThis as { chrome?: unknown }).chrome;
});

describe('the portal script language', () => {
  it("the user's choice; IT's policy over it; Vietnamese when unset or unreadable", async () => {
    fakeChrome({}, { [USER_SETTINGS_KEY]: { language: 'en' } });
    await loadContentLanguage();
    expect(currentLanguage()).toBe('en');
    fakeChrome({ language: 'vi' }, { [USER_SETTINGS_KEY]: { language: 'en' } });
    await loadContentLanguage();
    expect(currentLanguage()).toBe('vi');
    fakeChrome('throws', {});
    await loadContentLanguage();
    expect(currentLanguage()).toBe('vi');
  });

  it('buttons made in English, relabelled in Vietnamese after the setting changes', async () => {
    const sync: Record<string, unknown> = { [USER_SETTINGS_KEY]: { language: 'en' } };
    const { listeners } = fakeChrome({}, sync);
    await loadContentLanguage();
    const doc = new Window().document as unknown as Document;
    doc.body.append(makeActions(doc, 'http://127.0.0.1/a.pdf', () => undefined));
    const texts = () => [...doc.querySelectorAll('button')].map((b) => b.textContent);
    expect(texts()).toEqual(['Sign', 'Verify']);
    let relabelled!: () => void;
    const done = new Promise<void>((r) => (relabelled = r));
    followLanguage(() => {
      relabelActions(doc);
      relabelled();
    });
    sync[USER_SETTINGS_KEY] = { language: 'vi' };
    for (const f of listeners) f({ signatureImage: {} }, 'local'); // not a language change: ignored
    for (const f of listeners) f({ [USER_SETTINGS_KEY]: {} }, 'sync');
    await done;
    expect(texts()).toEqual(['Ký số', 'Kiểm tra']);
    expect(doc.querySelector('button')?.title).toBe('Ký số tệp PDF này bằng USB token (KýSố)');
  });
});
