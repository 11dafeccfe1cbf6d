// Validation of policy and user values against schema.ts. Every problem is a typed PolicyIssue naming the key, the
// exact place inside the value (portals[2], markers.signature[0]) and a reason code with Vietnamese and English
// text; the key then takes its default (or, for policy, the user's own value is not used either: see resolve.ts).
// Nothing is dropped silently and nothing here throws.

import { DEFAULT_MARKERS } from '../placement/markers.ts';
import { POLICY_DEFS, SIGNATURE_LEVELS, isPolicyKey, type PolicyDef, type PolicyKey, type PolicyValues } from './schema.ts';

export const ISSUE_REASONS = {
  WRONG_TYPE: { vi: 'Sai kiểu dữ liệu', en: 'Wrong type' },
  BAD_JSON: { vi: 'Chuỗi JSON không đọc được', en: 'Not valid JSON' },
  NOT_ALLOWED_VALUE: { vi: 'Giá trị không nằm trong danh sách cho phép', en: 'Value not among the allowed ones' },
  EMPTY: { vi: 'Giá trị rỗng', en: 'Empty value' },
  BAD_URL: { vi: 'Không phải địa chỉ http/https hợp lệ', en: 'Not a valid http/https URL' },
  BAD_MATCH_PATTERN: { vi: 'Mẫu địa chỉ (match pattern) không hợp lệ', en: 'Invalid match pattern' },
  NOT_ABSOLUTE_PATH: { vi: 'Không phải đường dẫn tuyệt đối', en: 'Not an absolute path' },
  BAD_CERTIFICATE: { vi: 'Không phải chứng thư số PEM/base64 hợp lệ', en: 'Not a PEM/base64 certificate' },
  UNKNOWN_ROLE: { vi: 'Vai trò ký hiệu không tồn tại', en: 'Unknown marker role' },
  DUPLICATE: { vi: 'Giá trị bị lặp', en: 'Duplicate entry' },
  TOO_LONG: { vi: 'Giá trị quá dài hoặc quá nhiều mục', en: 'Too long or too many entries' },
  TSA_REQUIRED: { vi: 'Mức chữ ký này cần địa chỉ máy chủ dấu thời gian (tsaUrl)', en: 'This level needs tsaUrl' },
  UNKNOWN_KEY: { vi: 'Khóa chính sách không tồn tại trong KýSố', en: 'Not a KýSố policy key' },
  NOT_USER_SETTABLE: { vi: 'Chỉ bộ phận CNTT thiết lập được mục này', en: 'Only policy can set this key' },
  LOCKED_BY_POLICY: { vi: 'Mục này đã được bộ phận CNTT thiết lập', en: 'Locked by policy' },
  UNAVAILABLE: { vi: 'Không đọc được chính sách của trình duyệt', en: 'Managed storage could not be read' },
} as const;

export type IssueReason = keyof typeof ISSUE_REASONS;
export type IssueSource = 'policy' | 'user';

export interface PolicyIssue {
  source: IssueSource;
  /** The top-level key (a PolicyKey, or the unknown name that was given). */
  key: string;
  /** Where inside the value: "portals[2]", "markers.signature[0]", or the key itself. */
  path: string;
  reason: IssueReason;
  messageVi: string;
  messageEn: string;
  /** The offending value, shortened for display. */
  value?: string;
}

export type Validated<K extends PolicyKey> = { ok: true; value: PolicyValues[K] } | { ok: false; issues: PolicyIssue[] };

const MAX_ITEMS = 200;
/** The host takes at most this many extra PKCS#11 modules (native-host/host/commands/list-tokens.ts). */
export const MAX_PKCS11_MODULES = 16;
const MAX_STRING = 2048;
const MAX_PEM = 16_384;

function show(v: unknown): string {
  let s: string;
  try {
    s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 120 ? `${s.slice(0, 117)}…` : s;
}

function issue(source: IssueSource, key: string, path: string, reason: IssueReason, value?: unknown, extra?: { vi: string; en: string }): PolicyIssue {
  const t = ISSUE_REASONS[reason];
  const i: PolicyIssue = {
    source,
    key,
    path,
    reason,
    messageVi: extra ? `${t.vi}: ${extra.vi}` : t.vi,
    messageEn: extra ? `${t.en}: ${extra.en}` : t.en,
  };
  if (value !== undefined) i.value = show(value);
  return i;
}

// Chrome's match pattern grammar, narrowed to web portals: scheme http, https or *; host *, *.domain or a domain
// or IPv4 address, optional port; a path starting with /.
const MATCH_PATTERN = /^(?:https?|\*):\/\/(?:\*|(?:\*\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)(?::\d{1,5})?\/[^\s]*$/i;

export function isMatchPattern(s: string): boolean {
  return s.length <= MAX_STRING && MATCH_PATTERN.test(s);
}

export function isHttpUrl(s: string): boolean {
  if (s.length > MAX_STRING) return false;
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '' && !/\s/.test(s);
  } catch {
    return false;
  }
}

/** POSIX /…, Windows C:\… or C:/…, or a UNC path \\server\share\…; no NUL, no newline. */
export function isAbsolutePath(s: string): boolean {
  if (s.length > MAX_STRING || /[\0\r\n]/.test(s)) return false;
  return s.startsWith('/') || /^[A-Za-z]:[\\/]/.test(s) || /^\\\\[^\\]+\\[^\\]+/.test(s);
}

/** The DER bytes of a PEM certificate, or of bare base64 (whitespace anywhere), when they are one DER SEQUENCE. */
export function certificateDer(s: string): Uint8Array | null {
  if (s.length > MAX_PEM) return null;
  let body = s.trim();
  const pem = /^-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----$/.exec(body);
  if (pem) body = pem[1];
  else if (body.includes('-----')) return null;
  body = body.replace(/\s+/g, '');
  if (!body || !/^[A-Za-z0-9+/]+={0,2}$/.test(body) || body.length % 4 !== 0) return null;
  let der: Uint8Array;
  try {
    const bin = atob(body);
    der = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
  // Certificate ::= SEQUENCE { tbsCertificate SEQUENCE, … }: the outer length must cover the whole input.
  if (der.length < 4 || der[0] !== 0x30) return null;
  let len = der[1];
  let off = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n < 1 || n > 3 || der.length < 2 + n) return null;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[2 + i];
    off = 2 + n;
  }
  if (off + len !== der.length || der[off] !== 0x30) return null;
  return der;
}

/** Objects may arrive as JSON text (an ADMX text field, a registry REG_SZ). */
function asObject(source: IssueSource, key: string, raw: unknown): { ok: true; value: Record<string, unknown> } | { ok: false; issue: PolicyIssue } {
  let v = raw;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return { ok: false, issue: issue(source, key, key, 'BAD_JSON', raw) };
    }
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    return { ok: false, issue: issue(source, key, key, 'WRONG_TYPE', raw, { vi: 'cần một đối tượng JSON', en: 'an object is expected' }) };
  }
  return { ok: true, value: v as Record<string, unknown> };
}

function stringList(source: IssueSource, key: string, path: string, raw: unknown, check: (s: string, p: string) => PolicyIssue | null): { list: string[]; issues: PolicyIssue[] } {
  const issues: PolicyIssue[] = [];
  if (!Array.isArray(raw)) return { list: [], issues: [issue(source, key, path, 'WRONG_TYPE', raw, { vi: 'cần một danh sách', en: 'a list is expected' })] };
  if (raw.length > MAX_ITEMS) return { list: [], issues: [issue(source, key, path, 'TOO_LONG', `${raw.length} items`)] };
  const seen = new Set<string>();
  const list: string[] = [];
  raw.forEach((item, i) => {
    const p = `${path}[${i}]`;
    if (typeof item !== 'string') return issues.push(issue(source, key, p, 'WRONG_TYPE', item, { vi: 'cần một chuỗi', en: 'a string is expected' }));
    const s = item.trim();
    if (!s) return issues.push(issue(source, key, p, 'EMPTY', item));
    const bad = check(s, p);
    if (bad) return issues.push(bad);
    if (seen.has(s)) return issues.push(issue(source, key, p, 'DUPLICATE', s));
    seen.add(s);
    list.push(s);
  });
  return { list, issues };
}

function enumIssue(source: IssueSource, key: string, path: string, raw: unknown, values: readonly string[]): PolicyIssue {
  return issue(source, key, path, typeof raw === 'string' ? 'NOT_ALLOWED_VALUE' : 'WRONG_TYPE', raw, { vi: `cho phép ${values.join(', ')}`, en: `allowed: ${values.join(', ')}` });
}

/** Validates one key's raw value (from chrome.storage.managed or the user's storage). */
export function validateValue<K extends PolicyKey>(key: K, raw: unknown, source: IssueSource = 'policy'): Validated<K> {
  const def = POLICY_DEFS[key] as PolicyDef;
  const t = def.type;
  const fail = (...issues: PolicyIssue[]): Validated<K> => ({ ok: false, issues });
  const ok = (value: unknown): Validated<K> => ({ ok: true, value: value as PolicyValues[K] });

  switch (t.kind) {
    case 'boolean':
      return typeof raw === 'boolean' ? ok(raw) : fail(issue(source, key, key, 'WRONG_TYPE', raw, { vi: 'cần true hoặc false', en: 'true or false expected' }));
    case 'enum':
      return typeof raw === 'string' && t.values.includes(raw) ? ok(raw) : fail(enumIssue(source, key, key, raw, t.values));
    case 'url': {
      if (typeof raw !== 'string') return fail(issue(source, key, key, 'WRONG_TYPE', raw, { vi: 'cần một chuỗi', en: 'a string is expected' }));
      const s = raw.trim();
      if (s === '') return ok(''); // empty: not set
      return isHttpUrl(s) ? ok(s) : fail(issue(source, key, key, 'BAD_URL', raw));
    }
    case 'list': {
      const rule = t.item;
      if (rule === 'absolutePath' && Array.isArray(raw) && raw.length > MAX_PKCS11_MODULES) {
        return fail(issue(source, key, key, 'TOO_LONG', `${raw.length} items`, { vi: `tối đa ${MAX_PKCS11_MODULES} mục`, en: `at most ${MAX_PKCS11_MODULES} entries` }));
      }
      const { list, issues } = stringList(source, key, key, raw, (s, p) => {
        if (rule === 'matchPattern' && !isMatchPattern(s)) return issue(source, key, p, 'BAD_MATCH_PATTERN', s);
        if (rule === 'absolutePath' && !isAbsolutePath(s)) return issue(source, key, p, 'NOT_ABSOLUTE_PATH', s);
        if (rule === 'pemCertificate' && !certificateDer(s)) return issue(source, key, p, 'BAD_CERTIFICATE', s);
        if (rule !== 'pemCertificate' && s.length > MAX_STRING) return issue(source, key, p, 'TOO_LONG', s);
        return null;
      });
      return issues.length ? fail(...issues) : ok(list);
    }
    case 'listMap': {
      const o = asObject(source, key, raw);
      if (!o.ok) return fail(o.issue);
      const issues: PolicyIssue[] = [];
      // Roles left out keep their defaults.
      const out: Record<string, string[]> = structuredClone(def.default as Record<string, string[]>);
      for (const [role, markers] of Object.entries(o.value)) {
        if (!Object.hasOwn(DEFAULT_MARKERS, role)) {
          issues.push(issue(source, key, `${key}.${role}`, 'UNKNOWN_ROLE', role, { vi: `có ${Object.keys(DEFAULT_MARKERS).join(', ')}`, en: `known: ${Object.keys(DEFAULT_MARKERS).join(', ')}` }));
          continue;
        }
        const r = stringList(source, key, `${key}.${role}`, markers, (s, p) => (s.length > 100 || /\s/.test(s) ? issue(source, key, p, 'NOT_ALLOWED_VALUE', s, { vi: 'ký hiệu không có khoảng trắng, tối đa 100 ký tự', en: 'a marker has no spaces, at most 100 characters' }) : null));
        issues.push(...r.issues);
        out[role] = r.list;
      }
      return issues.length ? fail(...issues) : ok(out);
    }
    case 'enumMap': {
      const o = asObject(source, key, raw);
      if (!o.ok) return fail(o.issue);
      const issues: PolicyIssue[] = [];
      const out: Record<string, string> = {};
      const entries = Object.entries(o.value);
      if (entries.length > MAX_ITEMS) return fail(issue(source, key, key, 'TOO_LONG', `${entries.length} entries`));
      for (const [pattern, mode] of entries) {
        const p = `${key}[${JSON.stringify(pattern)}]`;
        if (!isMatchPattern(pattern)) issues.push(issue(source, key, p, 'BAD_MATCH_PATTERN', pattern));
        else if (typeof mode !== 'string' || !t.values.includes(mode)) issues.push(enumIssue(source, key, p, mode, t.values));
        else out[pattern] = mode;
      }
      return issues.length ? fail(...issues) : ok(out);
    }
  }
}

export interface ValidatedSet {
  values: Partial<PolicyValues>;
  issues: PolicyIssue[];
}

/** Validates every key present in raw; unknown keys are reported as UNKNOWN_KEY. */
export function validateAll(raw: Record<string, unknown>, source: IssueSource): ValidatedSet {
  const values: Partial<Record<PolicyKey, unknown>> = {};
  const issues: PolicyIssue[] = [];
  for (const [k, v] of Object.entries(raw ?? {})) {
    if (!isPolicyKey(k)) {
      issues.push(issue(source, k, k, 'UNKNOWN_KEY', v));
      continue;
    }
    if (v === undefined || v === null) continue;
    const r = validateValue(k, v, source);
    if (r.ok) values[k] = r.value;
    else issues.push(...r.issues);
  }
  return { values: values as Partial<PolicyValues>, issues };
}

/** B-T and above need a TSA; the check across two keys, on the values that will apply. */
export function needsTsa(level: string): boolean {
  return SIGNATURE_LEVELS.indexOf(level as (typeof SIGNATURE_LEVELS)[number]) >= 1;
}

export function makeIssue(source: IssueSource, key: string, reason: IssueReason, value?: unknown): PolicyIssue {
  return issue(source, key, key, reason, value);
}
