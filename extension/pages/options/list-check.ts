// Checks of the one-per-line settings (portals, PKCS#11 modules) while the user types, with the same rules the
// background applies on saving (shared/policy/validate.ts), so a mistake is named on its line before "Lưu".

import { ISSUE_REASONS, MAX_PKCS11_MODULES, isAbsolutePath, isMatchPattern } from '@kyso/shared/policy/validate';
import { currentLanguage, translate, type Language, type Params } from '../../shared/i18n.ts';
import { OPTIONS_TEXTS } from './texts.ts';

export type LineListKey = 'portals' | 'pkcs11Modules';

export interface LineIssue {
  /** 1-based line number in the text box. */
  line: number;
  value: string;
  /** In the page's language (the field keeps its name: Vietnamese unless the page is English). */
  messageVi: string;
}

/** Hints for the usual slips in a portal pattern. */
function portalHint(s: string, t: (k: keyof typeof OPTIONS_TEXTS) => string): string {
  if (!/^[a-z*]+:\/\//i.test(s)) return t('noScheme');
  if (/^[a-z]+:\/\/[^/]+$/i.test(s)) return t('noPath');
  if (/^(?!https?:|\*:)/i.test(s)) return t('badScheme');
  if (/\s/.test(s)) return t('spaces');
  return t('portalsHow');
}

/** Problems line by line (blank lines are ignored, as on saving). */
export function lineIssues(key: LineListKey, text: string, lang: Language = currentLanguage()): LineIssue[] {
  const t = (k: keyof typeof OPTIONS_TEXTS, p?: Params) => translate(OPTIONS_TEXTS, lang, k, p);
  const out: LineIssue[] = [];
  const seen = new Map<string, number>();
  let count = 0;
  text.split(/\r?\n/).forEach((raw, i) => {
    const value = raw.trim();
    if (!value) return;
    count++;
    const line = i + 1;
    if (key === 'portals' && !isMatchPattern(value)) {
      out.push({ line, value, messageVi: `${ISSUE_REASONS.BAD_MATCH_PATTERN[lang]}: ${portalHint(value, t)}` });
      return;
    }
    if (key === 'pkcs11Modules' && !isAbsolutePath(value)) {
      out.push({ line, value, messageVi: `${ISSUE_REASONS.NOT_ABSOLUTE_PATH[lang]}: ${t('needs', { how: t('pkcs11How') })}` });
      return;
    }
    const first = seen.get(value);
    if (first !== undefined) out.push({ line, value, messageVi: `${ISSUE_REASONS.DUPLICATE[lang]} ${t('sameAs', { line: first })}` });
    else seen.set(value, line);
  });
  if (key === 'pkcs11Modules' && count > MAX_PKCS11_MODULES) out.push({ line: 0, value: '', messageVi: `${ISSUE_REASONS.TOO_LONG[lang]}: ${t('tooMany', { n: MAX_PKCS11_MODULES })}` });
  return out;
}
