// The texts mechanism and every dictionary: both languages present (the types require it; this checks the built
// objects too), Vietnamese the fallback, parameters filled in, the storage key the same as the background's.

import { describe, expect, it } from 'vitest';
import { USER_SETTINGS_KEY } from '../background/services/policy.ts';
import { MENU_TEXTS } from '../background/texts.ts';
import { CONTENT_TEXTS } from '../content/texts.ts';
import { COMMON_TEXTS, VERIFY_TEXTS } from '../pages/common/texts.ts';
import { OPTIONS_TEXTS } from '../pages/options/texts.ts';
import { SIGN_TEXTS } from '../pages/sign/texts.ts';
import { VERIFY_PAGE_TEXTS } from '../pages/verify/texts.ts';
import { DIAGNOSTICS_TEXTS } from '../pages/diagnostics/texts.ts';
import { ERROR_HINTS, errorText } from './hints.ts';
import { USER_SETTINGS_STORAGE_KEY, currentLanguage, defineTexts, languageMayChange, missingTexts, setLanguage, textsOf, translate, type Texts } from './i18n.ts';

const ALL: Record<string, Texts> = { MENU_TEXTS, CONTENT_TEXTS, COMMON_TEXTS, VERIFY_TEXTS, OPTIONS_TEXTS, SIGN_TEXTS, VERIFY_PAGE_TEXTS, DIAGNOSTICS_TEXTS };

describe('i18n', () => {
  it('every key of every dictionary has a Vietnamese and an English text', () => {
    for (const [name, texts] of Object.entries(ALL)) {
      expect(Object.keys(texts).length, name).toBeGreaterThan(0);
      expect(missingTexts(texts), name).toEqual([]);
    }
  });

  it('the check finds a missing or empty text (what the types refuse at compile time)', () => {
    const broken = { a: { vi: 'Có', en: '' }, b: { vi: 'Không' } } as unknown as Texts;
    expect(missingTexts(broken)).toEqual(['a.en', 'b.en']);
    // @ts-expect-error: an entry without its English text does not compile
    defineTexts({ x: { vi: 'Chỉ tiếng Việt' } });
  });

  it('fills parameters, leaves unknown ones, falls back to Vietnamese, then to the key', () => {
    const t = defineTexts({ hello: { vi: 'Chào {name}, trang {page}', en: 'Hello {name}, page {page}' }, only: { vi: 'Chỉ có tiếng Việt', en: '' } });
    expect(translate(t, 'en', 'hello', { name: 'An', page: 2 })).toBe('Hello An, page 2');
    expect(translate(t, 'vi', 'hello', { name: 'An' })).toBe('Chào An, trang {page}');
    expect(translate(t, 'en', 'only')).toBe('Chỉ có tiếng Việt');
    expect(translate(t as Texts, 'en', 'nope')).toBe('nope');
  });

  it('Vietnamese by default; a bad value means Vietnamese; textsOf follows the current language', () => {
    expect(currentLanguage()).toBe('vi');
    const t = textsOf(SIGN_TEXTS);
    expect(t('sign')).toBe('Ký số');
    setLanguage('en');
    expect(t('sign')).toBe('Sign');
    setLanguage('fr');
    expect(currentLanguage()).toBe('vi');
    expect(t('sign')).toBe('Ký số');
  });

  it('the user settings key is the background\'s; only language-bearing changes count', () => {
    expect(USER_SETTINGS_STORAGE_KEY).toBe(USER_SETTINGS_KEY);
    expect(languageMayChange({ [USER_SETTINGS_KEY]: {} }, 'sync')).toBe(true);
    expect(languageMayChange({ language: {} }, 'managed')).toBe(true);
    expect(languageMayChange({ signatureImage: {} }, 'local')).toBe(false);
    expect(languageMayChange({ portals: {} }, 'managed')).toBe(false);
  });

  it('hints in both languages; an error in English is the code\'s English text with its detail', () => {
    for (const [code, h] of Object.entries(ERROR_HINTS)) {
      expect(h!.vi.length, code).toBe(h!.en.length);
      expect(h!.en.every((l) => l.trim().length > 0), code).toBe(true);
    }
    const e = { code: 'PDF_INVALID' as const, message: 'PDF invalid. no xref', messageVi: 'Tệp PDF bị hỏng.' };
    expect(errorText(e, 'vi')).toBe('Tệp PDF bị hỏng.');
    // The English log text of a KysoError starts with its code's text, then the detail: shown whole.
    const en = 'Not a valid PDF or damaged beyond repair.';
    expect(errorText({ ...e, message: `${en} no xref` }, 'en')).toBe(`${en} no xref`);
    // Anything else: the code's English text alone.
    expect(errorText(e, 'en')).toBe(en);
    const base = 'Native host not installed.';
    expect(errorText({ code: 'HOST_NOT_INSTALLED', message: `${base} ${base} Specified native messaging host not found.`, messageVi: 'Chưa cài' }, 'en')).toBe(`${base} Specified native messaging host not found.`);
    expect(errorText({ ...e, message: 'something else' }, 'en')).not.toMatch(/[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]/);
  });
});
