// The one description of KýSố's managed configuration (group policy): every key with its type, default, texts in
// Vietnamese and English, an example, and whether the user may set it when policy does not. Everything else is
// derived from this file: extension/managed_schema.json (chrome.storage.managed), the ADMX/ADML, .reg, JSON and
// .mobileconfig templates (scripts/package/policies), the validation (validate.ts) and the options page.
//
// The managed schema Chrome sees only states the JSON types (see managedStorageSchema): Chrome drops a value whose
// type is wrong before the extension sees it (chrome://policy shows the error), but anything finer — an enum value,
// a URL, a match pattern, an absolute path, a certificate — is checked here, so the options page can name the key
// and the reason instead of Chrome silently discarding it.

import { DEFAULT_MARKERS } from '../placement/markers.ts';
import type { SigningMode } from '../modes/plan.ts';

export const SIGNING_MODES = ['approval', 'issue', 'appendix', 'copy', 'certify'] as const satisfies readonly SigningMode[];
export const SIGNATURE_LEVELS = ['B-B', 'B-T', 'B-LT', 'B-LTA'] as const;
export type SignatureLevel = (typeof SIGNATURE_LEVELS)[number];
export const LANGUAGES = ['vi', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Every setting's value once validated. */
export interface PolicyValues {
  portals: string[];
  markers: Record<string, string[]>;
  defaultModes: Record<string, SigningMode>;
  tsaUrl: string;
  signatureLevel: SignatureLevel;
  pkcs11Modules: string[];
  trustAnchors: string[];
  onlineRevocation: boolean;
  language: Language;
}

export type PolicyKey = keyof PolicyValues;

/** In the order the options page and the templates list them. */
export const POLICY_KEYS = [
  'portals',
  'markers',
  'defaultModes',
  'pkcs11Modules',
  'tsaUrl',
  'signatureLevel',
  'trustAnchors',
  'onlineRevocation',
  'language',
] as const satisfies readonly PolicyKey[];

/** What a value must be; each kind maps to one JSON type, one ADMX element and one validator. */
export type PolicyKind =
  | { kind: 'list'; item: 'matchPattern' | 'absolutePath' | 'pemCertificate' }
  /** Object: marker role → list of marker strings. */
  | { kind: 'listMap' }
  /** Object: match pattern → one of the values. */
  | { kind: 'enumMap'; values: readonly string[] }
  | { kind: 'url' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'boolean' };

export interface Texts {
  vi: string;
  en: string;
}

export interface PolicyDef<K extends PolicyKey = PolicyKey> {
  key: K;
  type: PolicyKind;
  default: PolicyValues[K];
  /**
   * Where the user's own value lives when policy leaves the key open: chrome.storage.sync (follows the user's
   * browser profile), chrome.storage.local (this machine only: paths), or null (only IT sets it).
   */
  userStorage: 'sync' | 'local' | null;
  title: Texts;
  description: Texts;
  example: PolicyValues[K];
  /** Texts of each enum value (enum and enumMap kinds). */
  valueTitles?: Record<string, Texts>;
}

const MODE_TITLES: Record<SigningMode, Texts> = {
  approval: { vi: 'Ký duyệt (lãnh đạo)', en: 'Approval (leader)' },
  issue: { vi: 'Ký ban hành (văn thư, đóng dấu)', en: 'Issue (clerk, seal)' },
  appendix: { vi: 'Ký phụ lục', en: 'Appendix' },
  copy: { vi: 'Ký sao văn bản', en: 'Copy' },
  certify: { vi: 'Chứng thực bản sao', en: 'Certified copy' },
};

type Defs = { [K in PolicyKey]: PolicyDef<K> };

export const POLICY_DEFS: Defs = {
  portals: {
    key: 'portals',
    type: { kind: 'list', item: 'matchPattern' },
    default: [],
    userStorage: 'sync',
    title: { vi: 'Cổng thông tin được phép ký số', en: 'Portals where signing is allowed' },
    description: {
      vi: 'Danh sách mẫu địa chỉ (match pattern) của các cổng thông tin (QLVB, Một cửa) nơi KýSố được hoạt động, mỗi dòng một mẫu, ví dụ https://qlvb.example.gov.vn/*. Chỉ dùng http, https hoặc *; tên miền có thể bắt đầu bằng *. ; phải có đường dẫn (ít nhất /*).',
      en: 'Match patterns of the portals (document management, one-stop) where KýSố works, one per entry, e.g. https://qlvb.example.gov.vn/*. Schemes http, https or *; the host may start with *. ; a path is required (at least /*).',
    },
    example: ['https://qlvb.example.gov.vn/*', 'https://*.motcua.example.gov.vn/*'],
  },
  markers: {
    key: 'markers',
    type: { kind: 'listMap' },
    default: { ...DEFAULT_MARKERS },
    userStorage: 'sync',
    title: { vi: 'Ký hiệu vị trí ký trong văn bản', en: 'Placement markers in documents' },
    description: {
      vi: 'Đối tượng JSON: vai trò → danh sách ký hiệu mà dự thảo dùng để đánh dấu vị trí. Vai trò: signature (chữ ký lãnh đạo), number (số, ký hiệu), placeDate (địa danh và ngày), place, date, seal (dấu). Ví dụ {"signature": ["#ChuKyLanhDao"], "number": ["#SoKyHieuVanBan"]}. Vai trò không nêu giữ ký hiệu mặc định.',
      en: 'JSON object: role → list of the markers drafts use to mark a position. Roles: signature (leader), number (document number), placeDate (place and date), place, date, seal. E.g. {"signature": ["#ChuKyLanhDao"], "number": ["#SoKyHieuVanBan"]}. Roles left out keep their default markers.',
    },
    example: { signature: ['#ChuKyLanhDao'], number: ['#SoKyHieuVanBan', '#SoVB'] },
  },
  defaultModes: {
    key: 'defaultModes',
    type: { kind: 'enumMap', values: SIGNING_MODES },
    default: {},
    userStorage: 'sync',
    title: { vi: 'Kiểu ký mặc định theo cổng thông tin', en: 'Default signing mode per portal' },
    description: {
      vi: 'Đối tượng JSON: mẫu địa chỉ cổng thông tin → kiểu ký chọn sẵn (approval: ký duyệt, issue: ký ban hành, appendix: ký phụ lục, copy: ký sao, certify: chứng thực bản sao). Ví dụ {"https://motcua.example.gov.vn/*": "certify"}.',
      en: 'JSON object: portal match pattern → the signing mode chosen first (approval, issue, appendix, copy, certify). E.g. {"https://motcua.example.gov.vn/*": "certify"}.',
    },
    example: { 'https://qlvb.example.gov.vn/*': 'approval', 'https://*.motcua.example.gov.vn/*': 'certify' },
    valueTitles: MODE_TITLES,
  },
  pkcs11Modules: {
    key: 'pkcs11Modules',
    type: { kind: 'list', item: 'absolutePath' },
    default: [],
    userStorage: 'local',
    title: { vi: 'Thư viện PKCS#11 bổ sung', en: 'Additional PKCS#11 modules' },
    description: {
      vi: 'Đường dẫn tuyệt đối tới thư viện PKCS#11 của USB token mà KýSố không tự tìm thấy, mỗi dòng một đường dẫn, ví dụ C:\\Windows\\System32\\vnpt-ca_csp11.dll hoặc /usr/lib/x86_64-linux-gnu/libcustom-pkcs11.so.',
      en: 'Absolute paths of token PKCS#11 modules KýSố does not find on its own, one per entry, e.g. C:\\Windows\\System32\\vnpt-ca_csp11.dll or /usr/lib/x86_64-linux-gnu/libcustom-pkcs11.so.',
    },
    example: ['C:\\Windows\\System32\\vnpt-ca_csp11.dll', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so'],
  },
  tsaUrl: {
    key: 'tsaUrl',
    type: { kind: 'url' },
    default: '',
    userStorage: null,
    title: { vi: 'Địa chỉ máy chủ cấp dấu thời gian (TSA)', en: 'Time-stamping authority (TSA) URL' },
    description: {
      vi: 'Địa chỉ http hoặc https của dịch vụ cấp dấu thời gian (RFC 3161) dùng cho mức chữ ký B-T trở lên. Để trống: không gắn dấu thời gian.',
      en: 'http or https URL of the RFC 3161 time-stamping service used for signature levels B-T and above. Empty: no time-stamp.',
    },
    example: 'http://tsa.example.gov.vn/tsa',
  },
  signatureLevel: {
    key: 'signatureLevel',
    type: { kind: 'enum', values: SIGNATURE_LEVELS },
    default: 'B-B',
    userStorage: null,
    title: { vi: 'Mức chữ ký PAdES', en: 'PAdES signature level' },
    description: {
      vi: 'B-B: chữ ký cơ bản; B-T: thêm dấu thời gian; B-LT: thêm dữ liệu kiểm tra hiệu lực (OCSP/CRL) để kiểm tra lâu dài; B-LTA: thêm dấu thời gian lưu trữ. Từ B-T trở lên cần đặt địa chỉ TSA.',
      en: 'B-B: basic; B-T: with a signature time-stamp; B-LT: with validation data (OCSP/CRL) for long-term checks; B-LTA: with an archive time-stamp. B-T and above need the TSA URL.',
    },
    example: 'B-LT',
    valueTitles: {
      'B-B': { vi: 'B-B (cơ bản)', en: 'B-B (basic)' },
      'B-T': { vi: 'B-T (có dấu thời gian)', en: 'B-T (time-stamped)' },
      'B-LT': { vi: 'B-LT (kiểm tra dài hạn)', en: 'B-LT (long-term validation data)' },
      'B-LTA': { vi: 'B-LTA (lưu trữ dài hạn)', en: 'B-LTA (archive time-stamp)' },
    },
  },
  trustAnchors: {
    key: 'trustAnchors',
    type: { kind: 'list', item: 'pemCertificate' },
    default: [],
    userStorage: null,
    title: { vi: 'Chứng thư gốc tin cậy bổ sung', en: 'Additional trust anchors' },
    description: {
      vi: 'Chứng thư số gốc (CA) được tin cậy khi kiểm tra chữ ký, mỗi mục một chứng thư dạng PEM (-----BEGIN CERTIFICATE----- …) hoặc chuỗi base64 của chứng thư trên một dòng.',
      en: 'Root (CA) certificates trusted when verifying signatures, one per entry, as PEM (-----BEGIN CERTIFICATE----- …) or the certificate base64 on one line.',
    },
    example: ['-----BEGIN CERTIFICATE-----\nMIIB…(rút gọn / shortened)…\n-----END CERTIFICATE-----'],
  },
  onlineRevocation: {
    key: 'onlineRevocation',
    type: { kind: 'boolean' },
    default: true,
    userStorage: null,
    title: { vi: 'Kiểm tra thu hồi chứng thư trực tuyến (OCSP/CRL)', en: 'Online revocation checking (OCSP/CRL)' },
    description: {
      vi: 'Bật: KýSố hỏi OCSP/CRL của tổ chức cung cấp chứng thư khi ký và kiểm tra. Tắt: không truy cập mạng để kiểm tra thu hồi (mạng nội bộ không ra Internet).',
      en: 'On: KýSố asks the CA’s OCSP/CRL when signing and verifying. Off: no network access for revocation (closed networks).',
    },
    example: false,
  },
  language: {
    key: 'language',
    type: { kind: 'enum', values: LANGUAGES },
    default: 'vi',
    userStorage: 'sync',
    title: { vi: 'Ngôn ngữ giao diện', en: 'Interface language' },
    description: { vi: 'vi: tiếng Việt; en: tiếng Anh.', en: 'vi: Vietnamese; en: English.' },
    example: 'vi',
    valueTitles: { vi: { vi: 'Tiếng Việt', en: 'Vietnamese' }, en: { vi: 'Tiếng Anh', en: 'English' } },
  },
};

export const POLICY_LIST: readonly PolicyDef[] = POLICY_KEYS.map((k) => POLICY_DEFS[k] as PolicyDef);

export function defaultValues(): PolicyValues {
  const out = {} as Record<PolicyKey, unknown>;
  for (const d of POLICY_LIST) out[d.key] = structuredClone(d.default);
  return out as PolicyValues;
}

export function isPolicyKey(k: string): k is PolicyKey {
  return (POLICY_KEYS as readonly string[]).includes(k);
}

/** The JSON type Chrome checks for each kind. */
export function jsonType(kind: PolicyKind): 'array' | 'object' | 'string' | 'boolean' {
  switch (kind.kind) {
    case 'list':
      return 'array';
    case 'listMap':
    case 'enumMap':
      return 'object';
    case 'url':
    case 'enum':
      return 'string';
    case 'boolean':
      return 'boolean';
  }
}

type SchemaNode = Record<string, unknown>;

/**
 * extension/managed_schema.json: the chrome.storage.managed schema (Chrome's JSON-schema subset: type, title,
 * description, properties, items, additionalProperties). Types only; finer rules are validate.ts's, see above.
 */
export function managedStorageSchema(): SchemaNode {
  const properties: Record<string, SchemaNode> = {};
  for (const d of POLICY_LIST) {
    const node: SchemaNode = { title: d.title.en, description: `${d.description.vi} — ${d.description.en}`, type: jsonType(d.type) };
    if (d.type.kind === 'list') node.items = { type: 'string' };
    if (d.type.kind === 'listMap') node.additionalProperties = { type: 'array', items: { type: 'string' } };
    if (d.type.kind === 'enumMap') node.additionalProperties = { type: 'string' };
    properties[d.key] = node;
  }
  return { type: 'object', properties };
}

/** The file's bytes as checked in (2-space JSON, final newline). */
export function managedStorageSchemaText(): string {
  return JSON.stringify(managedStorageSchema(), null, 2) + '\n';
}
