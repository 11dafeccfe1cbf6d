// The texts mechanism without preact (the portal script and the service worker use it; the pages use i18n.ts,
// which re-exports it with the hook): dictionaries { key: { vi, en } }, `translate`, the current language of this
// page or script and who listens to it. A text missing in one language is a type error (`defineTexts`) and a failed
// check (`missingTexts`).

import type { Language } from '@kyso/shared/policy/schema';

export type { Language };

/** One message in both languages; `{name}` in the text is replaced by params.name. */
export interface Text {
  vi: string;
  en: string;
}
export type Texts = Record<string, Text>;
export type Params = Record<string, string | number>;
export type Translate<T extends Texts> = (key: keyof T & string, params?: Params) => string;

/** Declares a page's texts: every key must have both `vi` and `en` (strings), or it does not compile. */
export function defineTexts<const T extends { [K in keyof T]: Text }>(texts: T): T {
  return texts;
}

/** The keys whose text is missing or empty in a language (the runtime side of the type check). */
export function missingTexts(texts: Texts): string[] {
  return Object.entries(texts).flatMap(([key, t]) =>
    (['vi', 'en'] as const).filter((l) => typeof t?.[l] !== 'string' || !t[l].trim()).map((l) => `${key}.${l}`),
  );
}

export function isLanguage(v: unknown): v is Language {
  return v === 'vi' || v === 'en';
}

/** The text of `key` in `lang`, Vietnamese when that language has none, the key itself when neither has. */
export function translate<T extends Texts>(texts: T, lang: Language, key: keyof T & string, params?: Params): string {
  const entry = texts[key] as Text | undefined;
  const raw = entry?.[lang] || entry?.vi || key;
  return params ? raw.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : raw;
}

/**
 * Where the setting lives: IT's policy in storage.managed under `language`, the user's in storage.sync inside the
 * settings object under this key (background/services/policy.ts USER_SETTINGS_KEY; a test keeps them equal).
 */
export const USER_SETTINGS_STORAGE_KEY = 'kyso.userSettings';

/** Whether a storage change may change the language (cheap: the setting is read again only then). */
export function languageMayChange(changes: Record<string, unknown>, area: string): boolean {
  return (area === 'managed' && 'language' in changes) || (area === 'sync' && USER_SETTINGS_STORAGE_KEY in changes);
}

// ---- The page's current language -------------------------------------------------------------------------------

let current: Language = 'vi';
/** The hooks of i18n.ts re-render through these. */
export const listeners = new Set<(l: Language) => void>();

export function currentLanguage(): Language {
  return current;
}

/** Sets the page's language (e.g. from settings the page already read); every `useLanguage` re-renders. */
export function setLanguage(lang: unknown): void {
  const l = isLanguage(lang) ? lang : 'vi';
  if (l === current) return;
  current = l;
  if (typeof document !== 'undefined') document.documentElement.lang = l;
  for (const f of listeners) f(l);
}

/** `t` for a dictionary in the current language — for code outside components (progress texts, warnings). */
export function textsOf<T extends Texts>(texts: T): Translate<T> {
  return (key, params) => translate(texts, current, key, params);
}

