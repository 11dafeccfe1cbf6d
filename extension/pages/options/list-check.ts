// Checks of the one-per-line settings (portals, PKCS#11 modules) while the user types, with the same rules the
// background applies on saving (shared/policy/validate.ts), so a mistake is named on its line before "Lưu".

import { ISSUE_REASONS, MAX_PKCS11_MODULES, isAbsolutePath, isMatchPattern } from '@kyso/shared/policy/validate';

export type LineListKey = 'portals' | 'pkcs11Modules';

export interface LineIssue {
  /** 1-based line number in the text box. */
  line: number;
  value: string;
  messageVi: string;
}

/** What each rule expects, shown after the reason. */
const HOW_VI: Record<LineListKey, string> = {
  portals: 'dạng https://ten-mien/* hoặc https://*.ten-mien/duong-dan/*, có http, https hoặc * ở đầu và ít nhất /* ở cuối',
  pkcs11Modules: 'đường dẫn đầy đủ, ví dụ C:\\Windows\\System32\\ten-thu-vien.dll hoặc /usr/lib/ten-thu-vien.so',
};

/** Hints for the usual slips in a portal pattern. */
function portalHint(s: string): string {
  if (!/^[a-z*]+:\/\//i.test(s)) return 'thiếu https:// ở đầu';
  if (/^[a-z]+:\/\/[^/]+$/i.test(s)) return 'thiếu đường dẫn ở cuối, thêm /*';
  if (/^(?!https?:|\*:)/i.test(s)) return 'chỉ dùng http, https hoặc *';
  if (/\s/.test(s)) return 'có khoảng trắng';
  return HOW_VI.portals;
}

/** Problems line by line (blank lines are ignored, as on saving). */
export function lineIssues(key: LineListKey, text: string): LineIssue[] {
  const out: LineIssue[] = [];
  const seen = new Map<string, number>();
  let count = 0;
  text.split(/\r?\n/).forEach((raw, i) => {
    const value = raw.trim();
    if (!value) return;
    count++;
    const line = i + 1;
    if (key === 'portals' && !isMatchPattern(value)) {
      out.push({ line, value, messageVi: `${ISSUE_REASONS.BAD_MATCH_PATTERN.vi}: ${portalHint(value)}` });
      return;
    }
    if (key === 'pkcs11Modules' && !isAbsolutePath(value)) {
      out.push({ line, value, messageVi: `${ISSUE_REASONS.NOT_ABSOLUTE_PATH.vi}: cần ${HOW_VI.pkcs11Modules}` });
      return;
    }
    const first = seen.get(value);
    if (first !== undefined) out.push({ line, value, messageVi: `${ISSUE_REASONS.DUPLICATE.vi} (giống dòng ${first})` });
    else seen.set(value, line);
  });
  if (key === 'pkcs11Modules' && count > MAX_PKCS11_MODULES) out.push({ line: 0, value: '', messageVi: `${ISSUE_REASONS.TOO_LONG.vi}: tối đa ${MAX_PKCS11_MODULES} thư viện` });
  return out;
}
