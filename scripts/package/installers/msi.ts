// The Windows installer (MSI) for the kyso host, built on Linux with wixl (msitools) from a generated WiX 3 source.
//
// What it installs (per machine, 64-bit):
//   %ProgramFiles%\KySo\kyso.exe                 the single executable (npm run package:host on Windows)
//   %ProgramFiles%\KySo\vn.kyso.host.json        the host manifest (native-host/install/manifest.ts), "path":
//                                               "kyso.exe" — relative, which Chrome and Edge allow on Windows
//                                               (relative to the manifest's folder), so INSTALLDIR may move
//   HKLM\SOFTWARE\Google\Chrome\NativeMessagingHosts\vn.kyso.host   (default) = <INSTALLDIR>vn.kyso.host.json
//   HKLM\SOFTWARE\Microsoft\Edge\NativeMessagingHosts\vn.kyso.host  (default) = the same
//   HKLM\SOFTWARE\KySo                          InstallDir, Version, PolicyIndex (read back on uninstall)
// Optional, by MSI properties on the msiexec command line (GPO software installation: a transform or the
// command line of the deployment tool; Intune: the install command):
//   FORCEINSTALL=1 UPDATEURL=<url>   HKLM\SOFTWARE\Policies\{Google\Chrome,Microsoft\Edge}\ExtensionInstallForcelist
//                                    value "<POLICYINDEX>" = "<ID>;<UPDATEURL>", and NativeMessagingAllowlist
//                                    value "<POLICYINDEX>" = vn.kyso.host
//   ALLOWHOST=1                      only the NativeMessagingAllowlist values
//   POLICYINDEX=<n>                  the value name in those lists (default 1; pick a free number when the
//                                    machine already has entries — the browsers read "1", "2", … in order)
//
// Uninstall removes all of it: files, the two host keys (whole keys, "-" rows in the Registry table), our values in
// the policy lists (only ours: the value name is read back from HKLM\SOFTWARE\KySo\PolicyIndex by a registry
// search, because msiexec does not remember properties between install and uninstall). No custom actions.
//
// wixl accepts a subset of WiX 3: no <Condition> inside <Component>, no ForceDeleteOnUninstall, no Secure="yes",
// no AllowSameVersionUpgrades. Those go in afterwards with msibuild's SQL (MSI_FIXUPS), and the tests read them back from the tables.

import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EXTENSION_ID, HOST_NAME } from '../../../shared/protocol/extension-id.ts';
import { MANIFEST_FILE, manifestJson } from '../../../native-host/install/manifest.ts';
import { registryKey } from '../../../native-host/install/plan.ts';
import { BROWSERS as POLICY_BROWSERS, forcelistEntry, nameUuid } from '../policies/templates.ts';
import { esc } from '../policies/xml.ts';

/** Fixed for the product's whole life: Windows Installer recognises every later version as an upgrade of it. */
export const UPGRADE_CODE = 'B7E1B7C4-2F0A-5C4E-9D1B-6A3C0E8F4D21';
export const STATE_KEY = 'SOFTWARE\\KySo';
export const EXE_NAME = 'kyso.exe';
/** The manifest beside kyso.exe names it relatively (Windows only). */
export const WINDOWS_MANIFEST = manifestJson(EXE_NAME);

export const SECURE_PROPERTIES = ['FORCEINSTALL', 'UPDATEURL', 'ALLOWHOST', 'POLICYINDEX'] as const;
export const FORCE_CONDITION = 'FORCEINSTALL="1" AND UPDATEURL';
export const ALLOW_CONDITION = 'FORCEINSTALL="1" OR ALLOWHOST="1"';

const HKLM = (k: string) => k.replace(/^Software\\/, 'SOFTWARE\\');

interface RegValue {
  key: string;
  /** Empty: the key's default value. Formatted (may use [PROPERTY]). */
  name: string;
  value: string;
}

interface RegComponent {
  id: string;
  values: RegValue[];
  condition?: string;
  /** Keys deleted whole on uninstall. */
  removeKeys?: string[];
}

function guid(id: string): string {
  return nameUuid(`msi-component:${id}`);
}

/** The registry components, in the order they appear in the .wxs. */
export function registryComponents(): RegComponent[] {
  const manifestPath = `[INSTALLDIR]${MANIFEST_FILE}`;
  const chromeHost = HKLM(registryKey('chrome'));
  const edgeHost = HKLM(registryKey('edge'));
  const comps: RegComponent[] = [
    { id: 'ChromeHostKey', values: [{ key: chromeHost, name: '', value: manifestPath }], removeKeys: [chromeHost] },
    { id: 'EdgeHostKey', values: [{ key: edgeHost, name: '', value: manifestPath }], removeKeys: [edgeHost] },
    {
      id: 'InstallState',
      values: [
        { key: STATE_KEY, name: 'PolicyIndex', value: '[POLICYINDEX]' },
        { key: STATE_KEY, name: 'InstallDir', value: '[INSTALLDIR]' },
        { key: STATE_KEY, name: 'Version', value: '[ProductVersion]' },
      ],
      removeKeys: [STATE_KEY],
    },
  ];
  for (const b of POLICY_BROWSERS) {
    const base = HKLM(b.regBase);
    const name = b.id === 'chrome' ? 'Chrome' : 'Edge';
    comps.push({ id: `${name}Forcelist`, condition: FORCE_CONDITION, values: [{ key: `${base}\\ExtensionInstallForcelist`, name: '[POLICYINDEX]', value: forcelistEntry('[UPDATEURL]') }] });
    comps.push({ id: `${name}Allowlist`, condition: ALLOW_CONDITION, values: [{ key: `${base}\\NativeMessagingAllowlist`, name: '[POLICYINDEX]', value: HOST_NAME }] });
  }
  return comps;
}

export interface WxsInput {
  version: string;
  /** Where wixl reads the two files from, relative to the .wxs folder (wixl refuses absolute paths). */
  exeSource: string;
  manifestSource: string;
}

export function wxs({ version, exeSource, manifestSource }: WxsInput): string {
  const a = (s: string) => esc(s);
  const regComponents = registryComponents()
    .map((c) => {
      const values = c.values
        .map((v, i) => `            <RegistryValue Root="HKLM" Key="${a(v.key)}"${v.name ? ` Name="${a(v.name)}"` : ''} Type="string" Value="${a(v.value)}"${i === 0 ? ' KeyPath="yes"' : ''}/>`)
        .join('\n');
      return `          <Component Id="${c.id}" Guid="${guid(c.id)}" Win64="yes">\n${values}\n          </Component>`;
    })
    .join('\n');
  const refs = ['HostExe', 'HostManifest', ...registryComponents().map((c) => c.id)].map((id) => `      <ComponentRef Id="${id}"/>`).join('\n');
  return `<?xml version="1.0" encoding="windows-1252"?>
<!-- Generated by scripts/package/installers/msi.ts; build with wixl (msitools). -->
<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Product Id="*" Name="KySo" Language="1033" Codepage="1252" Version="${a(version)}" Manufacturer="KySo" UpgradeCode="${UPGRADE_CODE}">
    <Package InstallerVersion="500" Compressed="yes" InstallScope="perMachine" Description="KySo - native messaging host ${HOST_NAME} for Chrome and Edge" Comments="Extension ${EXTENSION_ID}"/>
    <Media Id="1" Cabinet="kyso.cab" EmbedCab="yes"/>
    <MajorUpgrade DowngradeErrorMessage="A newer version of KySo is already installed."/>
    <Property Id="ARPNOMODIFY" Value="1"/>
    <Property Id="POLICYINDEX" Value="1">
      <RegistrySearch Id="RememberedPolicyIndex" Root="HKLM" Key="${a(STATE_KEY)}" Name="PolicyIndex" Type="raw" Win64="yes"/>
    </Property>
    <Condition Message="FORCEINSTALL=1 needs UPDATEURL=https://.../update.xml">Installed OR NOT FORCEINSTALL="1" OR UPDATEURL</Condition>
    <Directory Id="TARGETDIR" Name="SourceDir">
      <Directory Id="ProgramFiles64Folder">
        <Directory Id="INSTALLDIR" Name="KySo">
          <Component Id="HostExe" Guid="${guid('HostExe')}" Win64="yes">
            <File Id="KysoExe" Name="${EXE_NAME}" Source="${a(exeSource)}" KeyPath="yes"/>
          </Component>
          <Component Id="HostManifest" Guid="${guid('HostManifest')}" Win64="yes">
            <File Id="HostManifestJson" Name="${MANIFEST_FILE}" Source="${a(manifestSource)}" KeyPath="yes"/>
          </Component>
${regComponents}
        </Directory>
      </Directory>
    </Directory>
    <Feature Id="KySo" Title="KySo" Level="1">
${refs}
    </Feature>
  </Product>
</Wix>
`;
}

const sql = (s: string) => s.replaceAll("'", "''");

/** msibuild SQL for what wixl cannot say: same-version upgrades, component conditions, whole-key removal, secure public properties. */
export function msiFixups(secureBefore: string, version: string): string[] {
  const q: string[] = [];
  // Same version again (a rebuild: new ProductCode) replaces the installed one instead of installing beside it —
  // WiX's AllowSameVersionUpgrades, which wixl lacks: VersionMax inclusive (512) + migrate features (1). Attributes
  // is part of the table's key, so the row is replaced rather than updated.
  q.push("DELETE FROM `Upgrade` WHERE `ActionProperty` = 'WIX_UPGRADE_DETECTED'");
  q.push(`INSERT INTO \`Upgrade\` (\`UpgradeCode\`, \`VersionMax\`, \`Attributes\`, \`ActionProperty\`) VALUES ('{${UPGRADE_CODE}}', '${sql(version)}', 513, 'WIX_UPGRADE_DETECTED')`);
  for (const c of registryComponents()) {
    if (c.condition) q.push(`UPDATE \`Component\` SET \`Condition\` = '${sql(c.condition)}' WHERE \`Component\` = '${c.id}'`);
    for (const [i, key] of (c.removeKeys ?? []).entries()) {
      // Name "-" with no value: delete the key with all its values when the component is uninstalled.
      q.push(`INSERT INTO \`Registry\` (\`Registry\`, \`Root\`, \`Key\`, \`Name\`, \`Component_\`) VALUES ('Remove${c.id}${i}', 2, '${sql(key)}', '-', '${c.id}')`);
    }
  }
  // Public properties passed to a per-machine install (GPO runs it as SYSTEM; elevated installs) must be listed.
  const secure = [...new Set([...secureBefore.split(';').filter(Boolean), ...SECURE_PROPERTIES])].join(';');
  q.push(`UPDATE \`Property\` SET \`Value\` = '${sql(secure)}' WHERE \`Property\` = 'SecureCustomProperties'`);
  return q;
}

/** One table as msiinfo exports it: column names and rows of tab-separated fields. */
export function msiTable(msi: string, table: string): Record<string, string>[] {
  const text = execFileSync('msiinfo', ['export', msi, table], { encoding: 'utf8' });
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const cols = lines[0].split('\t');
  // Line 2: column types; line 3: table name and keys.
  return lines.slice(3).map((l) => Object.fromEntries(l.split('\t').map((v, i) => [cols[i], v])));
}

function run(cmd: string, args: string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.error) throw new Error(`${cmd} could not run (${r.error.message}): apt-get install wixl msitools`);
  // wixl prints GLib warnings for attributes it ignores; only the exit status counts.
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}${r.stderr}`);
}

export interface MsiBuild {
  msi: string;
  wxs: string;
}

/**
 * Writes <workDir>/kyso.wxs and the manifest, runs wixl, then msibuild with the fixups. exe is the Windows
 * kyso.exe (or a placeholder file for tests; the caller names the output accordingly).
 */
export function buildMsi(opts: { exe: string; version: string; out: string; workDir: string }): MsiBuild {
  mkdirSync(opts.workDir, { recursive: true });
  const exeSource = join(opts.workDir, EXE_NAME);
  copyFileSync(opts.exe, exeSource);
  const manifestSource = join(opts.workDir, MANIFEST_FILE);
  writeFileSync(manifestSource, WINDOWS_MANIFEST);
  const wxsFile = join(opts.workDir, 'kyso.wxs');
  writeFileSync(wxsFile, wxs({ version: opts.version, exeSource: EXE_NAME, manifestSource: MANIFEST_FILE }));
  run('wixl', ['--arch', 'x64', '--output', resolve(opts.out), 'kyso.wxs'], opts.workDir);
  const secure = msiTable(opts.out, 'Property').find((r) => r.Property === 'SecureCustomProperties')?.Value ?? '';
  for (const q of msiFixups(secure, opts.version)) run('msibuild', [resolve(opts.out), '-q', q], opts.workDir);
  return { msi: opts.out, wxs: wxsFile };
}
