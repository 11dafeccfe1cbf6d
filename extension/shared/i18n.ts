// The pages' two languages (the `language` setting: 'vi' by default, 'en'). Each page keeps its texts beside it
// (pages/*/texts.ts, content/texts.ts, background/texts.ts) as { key: { vi, en } }; the shared part is only the
// mechanism: i18n-core.ts (dictionaries, `translate`, the current language — also for the portal script and the
// service worker, which must not carry preact) and here the pages' hooks, which read the setting once per page
// (getSettings) and re-render when it changes.

import { useEffect, useState } from 'preact/hooks';
import type { BackgroundReply, BackgroundRequest } from './messages.ts';
import { currentLanguage, languageMayChange, listeners, setLanguage, translate, type Language, type Texts, type Translate } from './i18n-core.ts';

export * from './i18n-core.ts';

let loading: Promise<void> | undefined;

// chrome.runtime directly (not send.ts and its polyfill): this module is also imported by code that unit tests run
// outside a browser, where only the hook's effect would ever call it.
async function readSetting(): Promise<void> {
  const request: BackgroundRequest<'getSettings'> = { kyso: 1, type: 'getSettings', params: {} };
  const s = (await chrome.runtime.sendMessage(request)) as BackgroundReply<'getSettings'> | undefined;
  if (s?.ok) setLanguage(s.result.values.language);
}

/** Reads the setting once per page and again when IT's policy or the user's settings change. */
function loadOnce(): void {
  if (loading) return;
  loading = readSetting().catch(() => undefined);
  const storage = (globalThis as { chrome?: typeof chrome }).chrome?.storage;
  storage?.onChanged?.addListener((changes, area) => {
    if (languageMayChange(changes, area)) void readSetting().catch(() => undefined);
  });
}

/** The current language; the component re-renders when it changes. */
export function useLanguage(): Language {
  const [lang, setLang] = useState(currentLanguage());
  useEffect(() => {
    listeners.add(setLang);
    setLang(currentLanguage());
    loadOnce();
    return () => void listeners.delete(setLang);
  }, []);
  return lang;
}

/** `t` for a page's dictionary, bound to the current language. */
export function useTexts<T extends Texts>(texts: T): Translate<T> {
  const lang = useLanguage();
  return (key, params) => translate(texts, lang, key, params);
}
