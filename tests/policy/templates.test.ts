// The policy templates (scripts/package/policies) from the one schema: every key in every template, the exact
// registry paths with the extension ID, .reg encoding, well-formed XML (xmllint when installed, and our checker),
// ADMX ↔ ADML references, values that pass the extension's own validation, and npm run package:policies itself.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { POLICY_KEYS } from '../../shared/policy/schema.ts';
import { validateAll } from '../../shared/policy/validate.ts';
import { EXTENSION_ID, HOST_NAME } from '../../shared/protocol/extension-id.ts';
import { REPO_ROOT } from '../../scripts/testenv/testenv.ts';
import { DEFAULT_UPDATE_URL, allTemplates } from '../../scripts/package/policies/templates.ts';
import { carriesSettings, checkTemplates, decodeReg, templateText } from '../../scripts/package/policies/check.ts';
import { checkWellFormed } from '../../scripts/package/policies/xml.ts';

const URL_ = 'https://kyso.quangnam.gov.vn/ext/update.xml';
const files = allTemplates({ updateUrl: URL_, version: '0.1.0' });
const byPath = new Map(files.map((f) => [f.path, f]));
const text = (p: string) => templateText(byPath.get(p)!);
const CHROME_KEY = `Software\\Policies\\Google\\Chrome\\3rdparty\\extensions\\${EXTENSION_ID}\\policy`;
const EDGE_KEY = `Software\\Policies\\Microsoft\\Edge\\3rdparty\\extensions\\${EXTENSION_ID}\\policy`;

const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;
const tmp = mkdtempSync(join(tmpdir(), 'kyso-policies-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** What Chrome makes of a .reg settings file under one key: lists from numbered subkey values, dwords, strings (JSON text for objects). */
function readRegPolicy(reg: string, base: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let key = '';
  for (const line of reg.split('\r\n')) {
    const k = /^\[(-?)HKEY_LOCAL_MACHINE\\(.*)\]$/.exec(line);
    if (k) {
      key = k[1] ? '' : k[2];
      continue;
    }
    const v = /^"([^"]+)"=(?:"((?:[^"\\]|\\.)*)"|dword:([0-9a-f]{8}))$/.exec(line);
    if (!v || !key.startsWith(base)) continue;
    const value = v[2] !== undefined ? v[2].replace(/\\(.)/g, '$1') : Number.parseInt(v[3], 16) === 1;
    if (key === base) {
      const schemaObject = v[1] === 'markers' || v[1] === 'defaultModes';
      out[v[1]] = schemaObject ? JSON.parse(value as string) : value;
    } else {
      const list = key.slice(base.length + 1);
      ((out[list] ??= []) as unknown[])[Number(v[1]) - 1] = value;
    }
  }
  for (const k of ['portals', 'pkcs11Modules', 'trustAnchors']) out[k] ??= [];
  return out;
}

describe('policy templates', () => {
  it('pass their own checks: every key in every settings template, XML well-formed, .reg encoding', () => {
    expect(checkTemplates(files)).toEqual([]);
    const settings = files.filter(carriesSettings).map((f) => f.path).sort();
    expect(settings).toEqual(
      [
        'linux/chrome/kyso-extension.json',
        'linux/chromium/kyso-extension.json',
        'linux/edge/kyso-extension.json',
        'macos/kyso.mobileconfig',
        'windows/admx/en-US/kyso-chrome.adml',
        'windows/admx/en-US/kyso-edge.adml',
        'windows/admx/kyso-chrome.admx',
        'windows/admx/kyso-edge.admx',
        'windows/admx/vi-VN/kyso-chrome.adml',
        'windows/admx/vi-VN/kyso-edge.adml',
        'windows/reg/kyso-chrome-settings.reg',
        'windows/reg/kyso-edge-settings.reg',
      ].sort(),
    );
    for (const f of files.filter(carriesSettings)) for (const k of POLICY_KEYS) expect(templateText(f), `${f.path}: ${k}`).toContain(k);
  });

  it('.reg files: UTF-16LE with BOM, regedit 5.00 header, CRLF', () => {
    const regs = files.filter((f) => f.kind === 'reg');
    expect(regs).toHaveLength(8);
    for (const f of regs) {
      expect([...f.bytes.subarray(0, 2)], f.path).toEqual([0xff, 0xfe]);
      const t = decodeReg(f.bytes)!;
      expect(t.startsWith('Windows Registry Editor Version 5.00\r\n\r\n'), f.path).toBe(true);
      expect(t.replaceAll('\r\n', '')).not.toContain('\n');
      expect(t).toContain('KýSố'); // UTF-16 keeps the Vietnamese letters
    }
  });

  it('ADMX: the exact 3rdparty keys with the extension ID, lists as list elements, enums, booleans', () => {
    for (const [file, key] of [
      ['windows/admx/kyso-chrome.admx', CHROME_KEY],
      ['windows/admx/kyso-edge.admx', EDGE_KEY],
    ] as const) {
      const x = text(file);
      expect(x).toContain(`key="${key}"`);
      for (const k of ['portals', 'pkcs11Modules', 'trustAnchors']) expect(x).toContain(`<list id="${k}_List" key="${key}\\${k}" valuePrefix="" />`);
      expect(x).toMatch(/<enum id="signatureLevel_Enum" valueName="signatureLevel" required="true">[\s\S]*<string>B-LTA<\/string>/);
      expect(x).toMatch(/<enum id="language_Enum" valueName="language"/);
      expect(x).toMatch(/<policy name="KySo_onlineRevocation"[^>]*valueName="onlineRevocation">\s*<parentCategory ref="KySo" \/>\s*<supportedOn ref="SUPPORTED_KYSO" \/>\s*<enabledValue><decimal value="1" \/><\/enabledValue>\s*<disabledValue><decimal value="0" \/><\/disabledValue>/);
      expect(x).toContain('<text id="markers_Text" valueName="markers"');
      expect(x).toContain('<text id="tsaUrl_Text" valueName="tsaUrl"');
      expect(checkWellFormed(x)).toBe('policyDefinitions');
    }
    expect(text('windows/admx/kyso-chrome.admx')).toContain('namespace="KySo.Policies.GoogleChrome"');
    expect(text('windows/admx/kyso-edge.admx')).toContain('namespace="KySo.Policies.MicrosoftEdge"');
  });

  it('ADML (vi-VN, en-US): every string and presentation the ADMX names, refIds matching its elements', () => {
    for (const b of ['chrome', 'edge']) {
      const x = text(`windows/admx/kyso-${b}.admx`);
      const strings = [...x.matchAll(/\$\(string\.([\w]+)\)/g)].map((m) => m[1]);
      const presentations = [...x.matchAll(/\$\(presentation\.([\w]+)\)/g)].map((m) => m[1]);
      const elementIds = [...x.matchAll(/<(?:list|text|enum) id="([\w]+)"/g)].map((m) => m[1]);
      for (const lang of ['vi-VN', 'en-US']) {
        const l = text(`windows/admx/${lang}/kyso-${b}.adml`);
        expect(checkWellFormed(l)).toBe('policyDefinitionResources');
        for (const s of strings) expect(l, `${lang} ${s}`).toContain(`<string id="${s}">`);
        for (const p of presentations) expect(l, `${lang} ${p}`).toContain(`<presentation id="${p}">`);
        const refIds = [...l.matchAll(/refId="([\w]+)"/g)].map((m) => m[1]);
        expect(refIds.sort()).toEqual([...elementIds].sort());
      }
      expect(text(`windows/admx/vi-VN/kyso-${b}.adml`)).toContain('Cổng thông tin được phép ký số (portals)');
      expect(text(`windows/admx/en-US/kyso-${b}.adml`)).toContain('Portals where signing is allowed (portals)');
    }
  });

  it('XML is well-formed for xmllint too', { skip: !hasXmllint }, () => {
    const xml = files.filter((f) => ['admx', 'adml', 'mobileconfig'].includes(f.kind));
    expect(xml).toHaveLength(7);
    const paths = xml.map((f, i) => {
      const p = join(tmp, `${i}-${f.path.split('/').pop()}`);
      writeFileSync(p, f.bytes);
      return p;
    });
    execFileSync('xmllint', ['--noout', '--nonet', ...paths]);
  });

  it('the XML checker rejects what is not well-formed', () => {
    for (const bad of ['<a><b></a>', '<a>x & y</a>', '<a x="1" x="2"/>', '<a/><b/>', '<a>', 'text', '<a><!-- x -- y --></a>', '<a x="<"/>']) {
      expect(() => checkWellFormed(bad), bad).toThrow(/not well-formed/);
    }
    expect(checkWellFormed('<?xml version="1.0"?>\n<!DOCTYPE x>\n<x a="&amp;"><y/><!-- c --><![CDATA[<>]]>&#233;</x>\n')).toBe('x');
  });

  it('.reg: the settings under the exact keys, values that pass the extension’s validation', () => {
    for (const [b, key] of [
      ['chrome', CHROME_KEY],
      ['edge', EDGE_KEY],
    ] as const) {
      const reg = text(`windows/reg/kyso-${b}-settings.reg`);
      expect(reg).toContain(`[HKEY_LOCAL_MACHINE\\${key}]`);
      expect(reg).toContain(`[HKEY_LOCAL_MACHINE\\${key}\\portals]\r\n"1"="https://qlvb.example.gov.vn/*"\r\n"2"=`);
      expect(reg).toContain('"onlineRevocation"=dword:00000000');
      const policy = readRegPolicy(reg, `${key}`);
      expect(Object.keys(policy).sort()).toEqual([...POLICY_KEYS].sort());
      expect(validateAll(policy, 'policy').issues).toEqual([]);
      expect(policy.pkcs11Modules).toEqual(['C:\\Windows\\System32\\vnpt-ca_csp11.dll']);
    }
  });

  it('.reg: forced install (ExtensionInstallForcelist or ExtensionSettings) with the update URL, the host allowed, and removal', () => {
    for (const [b, base] of [
      ['chrome', 'Software\\Policies\\Google\\Chrome'],
      ['edge', 'Software\\Policies\\Microsoft\\Edge'],
    ] as const) {
      const force = text(`windows/reg/kyso-${b}-forcelist.reg`);
      expect(force).toContain(`[HKEY_LOCAL_MACHINE\\${base}\\ExtensionInstallForcelist]\r\n"1"="${EXTENSION_ID};${URL_}"`);
      expect(force).toContain(`[HKEY_LOCAL_MACHINE\\${base}\\NativeMessagingAllowlist]\r\n"1"="${HOST_NAME}"`);
      const settings = text(`windows/reg/kyso-${b}-extensionsettings.reg`);
      const m = /"ExtensionSettings"="((?:[^"\\]|\\.)*)"/.exec(settings)!;
      expect(JSON.parse(m[1].replace(/\\(.)/g, '$1'))).toEqual({ [EXTENSION_ID]: { installation_mode: 'force_installed', update_url: URL_ } });
      expect(settings).toContain(`[HKEY_LOCAL_MACHINE\\${base}]\r\n"ExtensionSettings"=`);
      const remove = text(`windows/reg/kyso-${b}-remove.reg`);
      expect(remove).toContain(`[-HKEY_LOCAL_MACHINE\\${base}\\3rdparty\\extensions\\${EXTENSION_ID}]`);
      expect(remove).toContain('"1"=-');
    }
  });

  it('Linux: JSON for Chrome, Chromium and Edge with the 3rdparty policy and the install policy', () => {
    for (const b of ['chrome', 'chromium', 'edge']) {
      const ext = JSON.parse(text(`linux/${b}/kyso-extension.json`)) as { '3rdparty': { extensions: Record<string, Record<string, unknown>> } };
      expect(Object.keys(ext)).toEqual(['3rdparty']);
      const policy = ext['3rdparty'].extensions[EXTENSION_ID];
      expect(Object.keys(policy)).toEqual([...POLICY_KEYS]);
      expect(validateAll(policy, 'policy').issues).toEqual([]);
      expect(JSON.parse(text(`linux/${b}/kyso-install.json`))).toEqual({ ExtensionInstallForcelist: [`${EXTENSION_ID};${URL_}`], NativeMessagingAllowlist: [HOST_NAME] });
    }
    expect(text('linux/chrome/README.txt')).toContain('/etc/opt/chrome/policies/managed');
    expect(text('linux/chromium/README.txt')).toContain('/etc/chromium/policies/managed');
    expect(text('linux/edge/README.txt')).toContain('/etc/opt/edge/policies/managed');
  });

  it('macOS: one profile with com.google.Chrome and com.microsoft.Edge payloads and their extension domains', () => {
    const x = text('macos/kyso.mobileconfig');
    expect(checkWellFormed(x)).toBe('plist');
    for (const d of ['com.google.Chrome', 'com.microsoft.Edge']) {
      expect(x).toContain(`<key>PayloadType</key>\n      <string>${d}</string>`);
      expect(x).toContain(`<string>${d}.extensions.${EXTENSION_ID}</string>`);
    }
    expect(x.match(/<string>kkikmailolohkgijeoakdjhpnacmlfgi;https:\/\/kyso\.quangnam\.gov\.vn\/ext\/update\.xml<\/string>/g)).toHaveLength(2);
    expect(x).toContain('<key>onlineRevocation</key>\n      <false/>');
    const uuids = [...x.matchAll(/<key>PayloadUUID<\/key>\s*<string>([0-9A-F-]{36})<\/string>/g)].map((m) => m[1]);
    expect(new Set(uuids).size).toBe(5);
    // Same input, same profile (MDM sees an update, not a new profile).
    expect(allTemplates({ updateUrl: URL_, version: '0.1.0' }).find((f) => f.path === 'macos/kyso.mobileconfig')!.bytes).toEqual(byPath.get('macos/kyso.mobileconfig')!.bytes);
  });

  it('npm run package:policies writes dist-policies-like output, with the placeholder URL by default and --update-url', () => {
    const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'scripts/package/policies/build.ts'), ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
    const out1 = join(tmp, 'default');
    const r1 = run(['--out', out1]);
    expect(r1.status, r1.stderr).toBe(0);
    expect(r1.stdout).toContain('placeholder');
    expect(readFileSync(join(out1, 'README.txt'), 'utf8')).toContain(`${DEFAULT_UPDATE_URL} (PLACEHOLDER`);
    expect(readFileSync(join(out1, '.gitignore'), 'utf8')).toBe('*\n');
    const out2 = join(tmp, 'url');
    const r2 = run(['--out', out2, '--update-url', URL_]);
    expect(r2.status, r2.stderr).toBe(0);
    expect(readFileSync(join(out2, 'linux/edge/kyso-install.json'), 'utf8')).toContain(URL_);
    expect(readdirSync(join(out2, 'windows/admx')).sort()).toEqual(['en-US', 'kyso-chrome.admx', 'kyso-edge.admx', 'vi-VN']);
    const r3 = run(['--out', join(tmp, 'bad'), '--update-url', 'kyso.example/update.xml']);
    expect(r3.status).toBe(2);
    expect(r3.stderr).toContain('--update-url');
  });

  it('dist-policies/ is git-ignored', () => {
    expect(readFileSync(join(REPO_ROOT, '.gitignore'), 'utf8').split('\n')).toContain('/dist-policies/');
  });
});

