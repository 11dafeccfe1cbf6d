// The portal script's language. It cannot ask the background (the router answers extension pages only), so it reads
// the setting itself: IT's policy (storage.managed) first, then the user's choice (storage.sync); 'vi' otherwise.
// The buttons already shown are relabelled when the setting changes.

import { USER_SETTINGS_STORAGE_KEY, isLanguage, languageMayChange, setLanguage } from '../shared/i18n-core.ts';

async function read(area: chrome.storage.StorageArea | undefined, key: string): Promise<Record<string, unknown> | undefined> {
  try {
    const v = (await area?.get(key))?.[key];
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : key === 'language' ? { language: v } : undefined;
  } catch {
    return undefined; // no managed storage on this platform, or the extension is gone
  }
}

export async function loadContentLanguage(): Promise<void> {
  const managed = (await read(chrome.storage?.managed, 'language'))?.language;
  setLanguage(isLanguage(managed) ? managed : (await read(chrome.storage?.sync, USER_SETTINGS_STORAGE_KEY))?.language);
}

export function followLanguage(onChange: () => void): void {
  chrome.storage?.onChanged?.addListener((changes, area) => {
    if (languageMayChange(changes, area)) void loadContentLanguage().then(onChange);
  });
}
