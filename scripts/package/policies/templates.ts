// Policy templates for IT staff, all derived from shared/policy/schema.ts: Windows ADMX/ADML (vi-VN, en-US) for
// Chrome and Edge, ready .reg files, Linux JSON policy files, a macOS .mobileconfig. Pure: returns file names and
// bytes; build.ts writes them into dist-policies/.
//
// Where each browser reads an extension's policy ("3rdparty" extension policy → chrome.storage.managed):
//   Windows  HKLM|HKCU\Software\Policies\Google\Chrome\3rdparty\extensions\<ID>\policy   (Edge: Microsoft\Edge)
//            lists are subkeys with values "1", "2", … (contiguous from 1); objects are REG_SZ JSON text;
//            booleans REG_DWORD 0/1.
//   Linux    {"3rdparty": {"extensions": {"<ID>": {…}}}} in /etc/opt/chrome, /etc/chromium, /etc/opt/edge
//            + /policies/managed/*.json
//   macOS    the preference domain com.google.Chrome.extensions.<ID> (com.microsoft.Edge.extensions.<ID>).

import { createHash } from 'node:crypto';
import { EXTENSION_ID, HOST_NAME } from '../../../shared/protocol/extension-id.ts';
import { POLICY_LIST, type PolicyDef, type PolicyKey, type Texts } from '../../../shared/policy/schema.ts';
import { REG_HEADER, encodeUtf16le, regString } from '../../../native-host/install/reg-file.ts';
import { esc } from './xml.ts';

/** A placeholder: each province serves its own update.xml and CRX (npm run package:installers makes both). */
export const DEFAULT_UPDATE_URL = 'https://kyso.example.gov.vn/update.xml';

export interface TemplateOptions {
  updateUrl: string;
  /** The extension's version the templates were made for (shown in the ADML and the profile). */
  version: string;
}

export interface Browser {
  id: 'chrome' | 'edge';
  name: string;
  /** Below HKLM/HKCU. */
  regBase: string;
  macDomain: string;
  linuxDir: string;
  admxNamespace: string;
}

export const BROWSERS: readonly Browser[] = [
  {
    id: 'chrome',
    name: 'Google Chrome',
    regBase: 'Software\\Policies\\Google\\Chrome',
    macDomain: 'com.google.Chrome',
    linuxDir: '/etc/opt/chrome/policies/managed',
    admxNamespace: 'KySo.Policies.GoogleChrome',
  },
  {
    id: 'edge',
    name: 'Microsoft Edge',
    regBase: 'Software\\Policies\\Microsoft\\Edge',
    macDomain: 'com.microsoft.Edge',
    linuxDir: '/etc/opt/edge/policies/managed',
    admxNamespace: 'KySo.Policies.MicrosoftEdge',
  },
];

/** Linux only: Debian/Ubuntu's Chromium. */
export const CHROMIUM_LINUX_DIR = '/etc/chromium/policies/managed';

/** The key the extension's settings live under (below HKLM or HKCU). */
export function extensionPolicyKey(b: Browser): string {
  return `${b.regBase}\\3rdparty\\extensions\\${EXTENSION_ID}\\policy`;
}

export type Platform = 'windows' | 'linux' | 'macos';

const isWindowsPath = (p: string) => /^[A-Za-z]:[\\/]|^\\\\/.test(p);

/**
 * The value written in ready-made files: the schema's example (PKCS#11 paths of the file's platform only), or empty
 * when the example is only an illustration (a shortened certificate).
 */
export function templateValue(def: PolicyDef, platform: Platform): unknown {
  if (def.key === 'trustAnchors') return [];
  if (def.key === 'pkcs11Modules') return (def.example as string[]).filter((p) => isWindowsPath(p) === (platform === 'windows'));
  return def.example;
}

export function templateValues(platform: Platform): Record<PolicyKey, unknown> {
  return Object.fromEntries(POLICY_LIST.map((d) => [d.key, templateValue(d, platform)])) as Record<PolicyKey, unknown>;
}

export function forcelistEntry(updateUrl: string): string {
  return `${EXTENSION_ID};${updateUrl}`;
}

export function extensionSettingsValue(updateUrl: string): Record<string, unknown> {
  return { [EXTENSION_ID]: { installation_mode: 'force_installed', update_url: updateUrl } };
}

// ---------------------------------------------------------------------------------------------------------------
// ADMX / ADML

type Lang = 'vi' | 'en';
export const ADML_LANGS: Record<Lang, string> = { vi: 'vi-VN', en: 'en-US' };

const sid = (s: string) => s.replace(/[^A-Za-z0-9_]/g, '_');
const policyName = (key: string) => `KySo_${key}`;

export function admxFileName(b: Browser): string {
  return `kyso-${b.id}.admx`;
}

export function admx(b: Browser): string {
  const base = extensionPolicyKey(b);
  const L: string[] = [];
  L.push('<?xml version="1.0" encoding="utf-8"?>');
  L.push(`<!-- KýSố: the extension's settings as ${b.name} extension policy (3rdparty), generated from shared/policy/schema.ts. -->`);
  L.push('<policyDefinitions xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" schemaVersion="1.0" xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">');
  L.push('  <policyNamespaces>');
  L.push(`    <target prefix="kyso_${b.id}" namespace="${b.admxNamespace}" />`);
  L.push('  </policyNamespaces>');
  L.push('  <resources minRequiredRevision="1.0" />');
  L.push('  <supportedOn>');
  L.push('    <definitions>');
  L.push('      <definition name="SUPPORTED_KYSO" displayName="$(string.SUPPORTED_KYSO)" />');
  L.push('    </definitions>');
  L.push('  </supportedOn>');
  L.push('  <categories>');
  L.push('    <category name="KySo" displayName="$(string.KySo)" />');
  L.push('  </categories>');
  L.push('  <policies>');
  for (const d of POLICY_LIST) {
    const n = policyName(d.key);
    const t = d.type;
    const presentation = t.kind === 'boolean' ? '' : ` presentation="$(presentation.${n})"`;
    const valueName = t.kind === 'boolean' ? ` valueName="${d.key}"` : '';
    L.push(`    <policy name="${n}" class="Both" displayName="$(string.${n})" explainText="$(string.${n}_Explain)"${presentation} key="${esc(base)}"${valueName}>`);
    L.push('      <parentCategory ref="KySo" />');
    L.push('      <supportedOn ref="SUPPORTED_KYSO" />');
    switch (t.kind) {
      case 'boolean':
        L.push('      <enabledValue><decimal value="1" /></enabledValue>');
        L.push('      <disabledValue><decimal value="0" /></disabledValue>');
        break;
      case 'list':
        L.push('      <elements>');
        L.push(`        <list id="${d.key}_List" key="${esc(`${base}\\${d.key}`)}" valuePrefix="" />`);
        L.push('      </elements>');
        break;
      case 'listMap':
      case 'enumMap':
      case 'url':
        L.push('      <elements>');
        L.push(`        <text id="${d.key}_Text" valueName="${d.key}" maxLength="32767" />`);
        L.push('      </elements>');
        break;
      case 'enum':
        L.push('      <elements>');
        L.push(`        <enum id="${d.key}_Enum" valueName="${d.key}" required="true">`);
        for (const v of t.values) {
          L.push(`          <item displayName="$(string.${n}_${sid(v)})"><value><string>${esc(v)}</string></value></item>`);
        }
        L.push('        </enum>');
        L.push('      </elements>');
        break;
    }
    L.push('    </policy>');
  }
  L.push('  </policies>');
  L.push('</policyDefinitions>');
  return L.join('\r\n') + '\r\n';
}

const ADML_TEXTS = {
  category: { vi: (b: Browser) => `KýSố – ký số văn bản (${b.name})`, en: (b: Browser) => `KýSố – document signing (${b.name})` },
  supported: {
    vi: (b: Browser, v: string) => `${b.name} có cài tiện ích KýSố (${EXTENSION_ID}) phiên bản ${v} trở lên`,
    en: (b: Browser, v: string) => `${b.name} with the KýSố extension (${EXTENSION_ID}) ${v} or later`,
  },
  where: { vi: 'Khóa registry', en: 'Registry key' },
  example: { vi: 'Ví dụ', en: 'Example' },
  list: { vi: 'Mỗi mục một dòng', en: 'One entry per line' },
  json: { vi: 'JSON (một dòng)', en: 'JSON (one line)' },
  value: { vi: 'Giá trị', en: 'Value' },
  notSet: {
    vi: 'Không cấu hình: người dùng tự chọn (nếu mục cho phép) hoặc dùng giá trị mặc định.',
    en: 'Not configured: the user’s own choice (where allowed) or the default.',
  },
  bool: { vi: 'Bật = true, Tắt = false.', en: 'Enabled = true, Disabled = false.' },
} as const;

function exampleText(d: PolicyDef): string {
  const v = templateValue(d, 'windows');
  if (Array.isArray(d.example)) return (d.example as string[]).join(' | ');
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export function adml(b: Browser, lang: Lang, version: string): string {
  const base = extensionPolicyKey(b);
  const strings: [string, string][] = [
    ['KySo', ADML_TEXTS.category[lang](b)],
    ['SUPPORTED_KYSO', ADML_TEXTS.supported[lang](b, version)],
  ];
  const presentations: string[] = [];
  for (const d of POLICY_LIST) {
    const n = policyName(d.key);
    const tx = (x: Texts) => x[lang];
    const where = d.type.kind === 'list' ? `${base}\\${d.key} ("1", "2", …)` : `${base} → ${d.key}`;
    const explain = [
      tx(d.description),
      '',
      `${ADML_TEXTS.where[lang]}: HKLM|HKCU\\${where}`,
      `${ADML_TEXTS.example[lang]}: ${exampleText(d)}`,
      d.type.kind === 'boolean' ? ADML_TEXTS.bool[lang] : '',
      ADML_TEXTS.notSet[lang],
    ]
      .filter((l, i) => l !== '' || i === 1)
      .join('\n');
    strings.push([n, `${tx(d.title)} (${d.key})`], [`${n}_Explain`, explain]);
    const t = d.type;
    if (t.kind === 'enum') for (const v of t.values) strings.push([`${n}_${sid(v)}`, d.valueTitles?.[v]?.[lang] ?? v]);
    switch (t.kind) {
      case 'list':
        presentations.push(`      <presentation id="${n}">\r\n        <listBox refId="${d.key}_List">${esc(ADML_TEXTS.list[lang])}</listBox>\r\n      </presentation>`);
        break;
      case 'listMap':
      case 'enumMap':
        presentations.push(`      <presentation id="${n}">\r\n        <textBox refId="${d.key}_Text">\r\n          <label>${esc(ADML_TEXTS.json[lang])}</label>\r\n        </textBox>\r\n      </presentation>`);
        break;
      case 'url':
        presentations.push(`      <presentation id="${n}">\r\n        <textBox refId="${d.key}_Text">\r\n          <label>${esc(ADML_TEXTS.value[lang])}</label>\r\n        </textBox>\r\n      </presentation>`);
        break;
      case 'enum': {
        const def = Math.max(0, t.values.indexOf(String(d.default)));
        presentations.push(`      <presentation id="${n}">\r\n        <dropdownList refId="${d.key}_Enum" noSort="true" defaultItem="${def}">${esc(ADML_TEXTS.value[lang])}</dropdownList>\r\n      </presentation>`);
        break;
      }
      case 'boolean':
        break;
    }
  }
  const L: string[] = [];
  L.push('<?xml version="1.0" encoding="utf-8"?>');
  L.push('<policyDefinitionResources xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" schemaVersion="1.0" xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">');
  L.push(`  <displayName>${esc(ADML_TEXTS.category[lang](b))}</displayName>`);
  L.push(`  <description>${esc(ADML_TEXTS.category[lang](b))}</description>`);
  L.push('  <resources>');
  L.push('    <stringTable>');
  for (const [id, text] of strings) L.push(`      <string id="${id}">${esc(text)}</string>`);
  L.push('    </stringTable>');
  L.push('    <presentationTable>');
  L.push(...presentations);
  L.push('    </presentationTable>');
  L.push('  </resources>');
  L.push('</policyDefinitionResources>');
  return L.join('\r\n') + '\r\n';
}

// ---------------------------------------------------------------------------------------------------------------
// .reg files (regedit's format: UTF-16LE with BOM, CRLF)

const HKLM = 'HKEY_LOCAL_MACHINE';

function regLines(comment: string[], body: string[]): Uint8Array {
  return encodeUtf16le([REG_HEADER, '', ...comment.map((c) => `; ${c}`), '', ...body].join('\r\n') + '\r\n');
}

const dword = (b: boolean) => `dword:${b ? '00000001' : '00000000'}`;

/** The extension's settings (template values) under HKLM. */
export function regSettingsLines(b: Browser): string[] {
  const base = `${HKLM}\\${extensionPolicyKey(b)}`;
  const values = templateValues('windows');
  const top: string[] = [];
  const lists: string[] = [];
  for (const d of POLICY_LIST) {
    const v = values[d.key];
    switch (d.type.kind) {
      case 'boolean':
        top.push(`"${d.key}"=${dword(v as boolean)}`);
        break;
      case 'list':
        // The key is recreated so no entry of an older, longer list is left behind.
        lists.push(`[-${base}\\${d.key}]`, `[${base}\\${d.key}]`, ...(v as string[]).map((s, i) => `"${i + 1}"=${regString(s)}`), '');
        break;
      case 'listMap':
      case 'enumMap':
        top.push(`"${d.key}"=${regString(JSON.stringify(v))}`);
        break;
      default:
        top.push(`"${d.key}"=${regString(String(v))}`);
    }
  }
  return [`[${base}]`, ...top, '', ...lists];
}

export function regSettings(b: Browser): Uint8Array {
  return regLines(
    [
      `KýSố: the extension's settings for ${b.name} (3rdparty extension policy, chrome.storage.managed).`,
      'Example values from shared/policy/schema.ts: edit them before deploying (docs/deploy.md).',
      'Cài đặt của tiện ích KýSố — giá trị ví dụ, hãy sửa trước khi triển khai.',
    ],
    regSettingsLines(b),
  );
}

export function regForcelist(b: Browser, updateUrl: string): Uint8Array {
  return regLines(
    [
      `KýSố for ${b.name}: force-install the extension from ${updateUrl} and allow its native host ${HOST_NAME}.`,
      'Lists are read as values "1", "2", … without gaps: if these keys already have entries, renumber to the next free one.',
      'Windows: forced install from a self-hosted URL works on domain-joined or MDM-enrolled machines only.',
    ],
    [
      `[${HKLM}\\${b.regBase}\\ExtensionInstallForcelist]`,
      `"1"=${regString(forcelistEntry(updateUrl))}`,
      '',
      `[${HKLM}\\${b.regBase}\\NativeMessagingAllowlist]`,
      `"1"=${regString(HOST_NAME)}`,
      '',
    ],
  );
}

export function regExtensionSettings(b: Browser, updateUrl: string): Uint8Array {
  return regLines(
    [
      `KýSố for ${b.name}: ExtensionSettings (force_installed from ${updateUrl}) and NativeMessagingAllowlist ${HOST_NAME}.`,
      'ExtensionSettings is ONE value for all extensions: this file replaces an existing one. If it exists, add the KýSố entry to it instead.',
      'Use this file or the ExtensionInstallForcelist one, not both.',
    ],
    [
      `[${HKLM}\\${b.regBase}]`,
      `"ExtensionSettings"=${regString(JSON.stringify(extensionSettingsValue(updateUrl)))}`,
      '',
      `[${HKLM}\\${b.regBase}\\NativeMessagingAllowlist]`,
      `"1"=${regString(HOST_NAME)}`,
      '',
    ],
  );
}

export function regRemove(b: Browser): Uint8Array {
  return regLines(
    [
      `KýSố for ${b.name}: removes the extension's settings, and the entries the forcelist / ExtensionSettings files wrote.`,
      'Check the numbered values first: "1" is removed from ExtensionInstallForcelist and NativeMessagingAllowlist, and',
      'ExtensionSettings as a whole; delete those lines if other extensions or hosts use them.',
    ],
    [
      `[-${HKLM}\\${b.regBase}\\3rdparty\\extensions\\${EXTENSION_ID}]`,
      '',
      `[${HKLM}\\${b.regBase}\\ExtensionInstallForcelist]`,
      '"1"=-',
      '',
      `[${HKLM}\\${b.regBase}\\NativeMessagingAllowlist]`,
      '"1"=-',
      '',
      `[${HKLM}\\${b.regBase}]`,
      '"ExtensionSettings"=-',
      '',
    ],
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Linux JSON

export function linuxExtensionPolicy(): string {
  return JSON.stringify({ '3rdparty': { extensions: { [EXTENSION_ID]: templateValues('linux') } } }, null, 2) + '\n';
}

export function linuxInstallPolicy(updateUrl: string): string {
  return JSON.stringify({ ExtensionInstallForcelist: [forcelistEntry(updateUrl)], NativeMessagingAllowlist: [HOST_NAME] }, null, 2) + '\n';
}

// ---------------------------------------------------------------------------------------------------------------
// macOS configuration profile

/** A stable UUID from a name (same input, same profile: MDM sees an update, not a new profile). */
export function nameUuid(name: string): string {
  const h = createHash('sha256').update(`vn.kyso.policy:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`.toUpperCase();
}

function plistValue(v: unknown, indent: string): string {
  if (typeof v === 'boolean') return `${indent}<${v}/>`;
  if (typeof v === 'number') return `${indent}<integer>${v}</integer>`;
  if (typeof v === 'string') return `${indent}<string>${esc(v)}</string>`;
  if (Array.isArray(v)) return v.length ? `${indent}<array>\n${v.map((x) => plistValue(x, indent + '  ')).join('\n')}\n${indent}</array>` : `${indent}<array/>`;
  const entries = Object.entries(v as Record<string, unknown>);
  if (!entries.length) return `${indent}<dict/>`;
  return `${indent}<dict>\n${entries.map(([k, x]) => `${indent}  <key>${esc(k)}</key>\n${plistValue(x, indent + '  ')}`).join('\n')}\n${indent}</dict>`;
}

export function mobileconfig(updateUrl: string, version: string): string {
  const payloads: Record<string, unknown>[] = [];
  for (const b of BROWSERS) {
    payloads.push({
      PayloadType: b.macDomain,
      PayloadIdentifier: `vn.kyso.policy.${b.id}`,
      PayloadUUID: nameUuid(`${b.id}`),
      PayloadVersion: 1,
      PayloadDisplayName: `KýSố – ${b.name}`,
      ExtensionInstallForcelist: [forcelistEntry(updateUrl)],
      NativeMessagingAllowlist: [HOST_NAME],
    });
    payloads.push({
      PayloadType: `${b.macDomain}.extensions.${EXTENSION_ID}`,
      PayloadIdentifier: `vn.kyso.policy.${b.id}.extension`,
      PayloadUUID: nameUuid(`${b.id}.extension`),
      PayloadVersion: 1,
      PayloadDisplayName: `KýSố – ${b.name}: cài đặt tiện ích`,
      ...templateValues('macos'),
    });
  }
  const profile = {
    PayloadContent: payloads,
    PayloadDisplayName: 'KýSố – chính sách trình duyệt (Chrome, Edge)',
    PayloadDescription: `KýSố ${version}: force-install the extension (${updateUrl}), allow the native host ${HOST_NAME}, and the extension's settings. Example values: edit before deploying.`,
    PayloadIdentifier: 'vn.kyso.policy',
    PayloadOrganization: 'KýSố',
    PayloadScope: 'System',
    PayloadType: 'Configuration',
    PayloadUUID: nameUuid('profile'),
    PayloadVersion: 1,
  };
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    plistValue(profile, ''),
    '</plist>',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------------------------

export interface TemplateFile {
  /** Relative to the output folder, with / separators. */
  path: string;
  bytes: Uint8Array;
  kind: 'admx' | 'adml' | 'reg' | 'json' | 'mobileconfig' | 'txt';
}

export function allTemplates(opts: TemplateOptions): TemplateFile[] {
  const out: TemplateFile[] = [];
  const text = (path: string, s: string, kind: TemplateFile['kind']) => out.push({ path, bytes: new TextEncoder().encode(s), kind });
  for (const b of BROWSERS) {
    text(`windows/admx/${admxFileName(b)}`, admx(b), 'admx');
    for (const lang of ['vi', 'en'] as const) text(`windows/admx/${ADML_LANGS[lang]}/kyso-${b.id}.adml`, adml(b, lang, opts.version), 'adml');
    out.push({ path: `windows/reg/kyso-${b.id}-settings.reg`, bytes: regSettings(b), kind: 'reg' });
    out.push({ path: `windows/reg/kyso-${b.id}-forcelist.reg`, bytes: regForcelist(b, opts.updateUrl), kind: 'reg' });
    out.push({ path: `windows/reg/kyso-${b.id}-extensionsettings.reg`, bytes: regExtensionSettings(b, opts.updateUrl), kind: 'reg' });
    out.push({ path: `windows/reg/kyso-${b.id}-remove.reg`, bytes: regRemove(b), kind: 'reg' });
  }
  for (const [id, dir] of [['chrome', BROWSERS[0].linuxDir], ['chromium', CHROMIUM_LINUX_DIR], ['edge', BROWSERS[1].linuxDir]] as const) {
    text(`linux/${id}/kyso-extension.json`, linuxExtensionPolicy(), 'json');
    text(`linux/${id}/kyso-install.json`, linuxInstallPolicy(opts.updateUrl), 'json');
    text(`linux/${id}/README.txt`, `Copy both files into ${dir}/ (root:root, 0644), then restart the browser or reload chrome://policy.\nChép hai tệp vào ${dir}/ (chủ root, quyền 0644), rồi mở lại trình duyệt hoặc tải lại trang chính sách.\n`, 'txt');
  }
  text('macos/kyso.mobileconfig', mobileconfig(opts.updateUrl, opts.version), 'mobileconfig');
  text(
    'README.txt',
    [
      `KýSố policy templates — extension ${EXTENSION_ID}, native host ${HOST_NAME}, version ${opts.version}.`,
      `Update URL: ${opts.updateUrl}${opts.updateUrl === DEFAULT_UPDATE_URL ? ' (PLACEHOLDER: run npm run package:policies -- --update-url <your URL>)' : ''}`,
      'How to deploy: docs/deploy.md (Vietnamese). Hướng dẫn triển khai: docs/deploy.md.',
      '',
      ...out.map((f) => f.path),
      '',
    ].join('\n'),
    'txt',
  );
  return out;
}
