// The signed file's name and the portal's rules for it: "<name>.signed.pdf", never renamed behind the user's back;
// a broken rule (Sốp Cộp's 30 characters) is a warning the signing page shows.

import type { FileNameRule } from '../../shared/jobs.ts';
import { textsOf } from '../../shared/i18n.ts';
import { COMMON_TEXTS } from './texts.ts';

/** "<name without .pdf>.signed.pdf". */
export function signedFileName(originalName: string): string {
  const base = originalName.normalize('NFC').trim().replace(/\.pdf$/i, '') || 'van-ban';
  return `${base}.signed.pdf`;
}

/** Characters as the user counts them (NFC code points, not UTF-16 units). */
export function nameLength(name: string): number {
  return [...name.normalize('NFC')].length;
}

/** The portal's name rules the file's name breaks; the name itself is never changed behind the user's back. */
export function fileNameWarnings(name: string, rule: FileNameRule | undefined): string[] {
  const out: string[] = [];
  if (rule?.maxLength !== undefined && nameLength(name) > rule.maxLength) {
    out.push(textsOf(COMMON_TEXTS)('nameTooLong', { name, length: nameLength(name), max: rule.maxLength }));
  }
  return out;
}

/** What chrome.downloads accepts as a file name: no path separators, reserved or control characters. */
export function downloadFileName(name: string): string {
  return name.replace(/[\u0000-\u001f\u007f<>:"/\\|?*~]/g, '_').replace(/^[.\s]+/, '') || 'van-ban.signed.pdf';
}
