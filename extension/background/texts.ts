// The background's texts: the context menus' titles, in the `language` setting's language (read when the menus are
// made and again when the setting changes).

import { defineTexts, translate, type Language } from '../shared/i18n-core.ts';
import type { PolicyService } from './services/policy.ts';

export const MENU_TEXTS = defineTexts({
  verify: { vi: 'Kiểm tra chữ ký số', en: 'Verify digital signatures' },
  signLink: { vi: 'Ký số tệp PDF này', en: 'Sign this PDF' },
});

export async function menuTitle(policy: PolicyService | undefined, key: keyof typeof MENU_TEXTS): Promise<string> {
  let lang: Language = 'vi';
  try {
    if (policy) lang = (await policy.settings()).values.language;
  } catch {
    // unreadable settings: the default language
  }
  return translate(MENU_TEXTS, lang, key);
}
