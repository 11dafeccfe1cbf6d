// npm run package:installers, run as a user would (the CLI, into a temporary folder), and every output read back
// with tools that did not write it: the MSI's tables with msiinfo/msidump/msiextract, the .deb with dpkg-deb
// (--info, --contents, -x into a temporary root), the macOS layout as files, the CRX with our parser, openssl
// and unzip, update.xml with xmllint.
//
// The .deb is built uncompressed here (--deb-compression none): xz over the 100 MiB executable takes minutes and
// changes nothing that is checked. The MSI and the macOS layout carry placeholders (no Windows or macOS
// executable can be built on Linux); the test checks they say so.

import { execFileSync, spawnSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/testenv/testenv.ts';
import { EXTENSION_ID, EXTENSION_ORIGIN, EXTENSION_PUBLIC_KEY, HOST_NAME } from '../../shared/protocol/extension-id.ts';
import { manifestJson } from '../../native-host/install/manifest.ts';
import { linuxInstallPolicy } from '../../scripts/package/policies/templates.ts';
import { packCrx, parseCrx } from '../../scripts/package/installers/crx.ts';
import { packageExtension } from '../../scripts/package/installers/extension-package.ts';
import { bytesField, varint } from '../../scripts/package/installers/protobuf.ts';
import { folderEntries, unzip, zip } from '../../scripts/package/installers/zip.ts';
import { msiTable, STATE_KEY, UPGRADE_CODE } from '../../scripts/package/installers/msi.ts';
import { HOST_MANIFEST_LINKS, POLICY_FILES, debArch } from '../../scripts/package/installers/deb.ts';
import { MAC_EXE, MAC_MANIFESTS, PKG_IDENTIFIER } from '../../scripts/package/installers/macos.ts';

const EXTENSION_DIST = process.env.KYSO_EXTENSION_DIST ?? join(REPO_ROOT, 'extension', 'dist');
const BASE_URL = 'https://kyso.test.gov.vn/ext/';
const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'native-host', 'package.json'), 'utf8')) as { version: string }).version;
const EXT_VERSION = (JSON.parse(readFileSync(join(EXTENSION_DIST, 'manifest.json'), 'utf8')) as { version: string }).version;
const has = (cmd: string, arg = '--version') => spawnSync(cmd, [arg]).error === undefined;

let base: string;
let out: string;
let log: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'kyso-installers-'));
  out = join(base, 'dist-installers');
  const r = spawnSync(
    join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
    ['scripts/package/installers/build.ts', '--out', out, '--extension-dist', EXTENSION_DIST, '--base-url', BASE_URL, '--deb-compression', 'none'],
    { cwd: REPO_ROOT, encoding: 'utf8', timeout: 280_000 },
  );
  log = `${r.stdout}${r.stderr}`;
  if (r.status !== 0) throw new Error(`package:installers failed (${r.status}):\n${log}`);
}, 300_000);

afterAll(() => {
  if (base) rmSync(base, { recursive: true, force: true });
});

describe('MSI (wixl)', () => {
  const msi = () => join(out, 'windows', `kyso-${VERSION}-x64-PLACEHOLDER.msi`);

  it('is named and announced as a placeholder build', () => {
    expect(existsSync(msi())).toBe(true);
    expect(log).toContain('placeholder instead of kyso.exe');
    expect(log).toContain('--host-exe');
    // A 64-bit package (Template "x64;1033") for per-machine installs.
    expect(execFileSync('msiinfo', ['suminfo', msi()], { encoding: 'utf8' })).toMatch(/Template:\s*x64;1033/);
  });

  it('File and Component: kyso.exe and the host manifest in INSTALLDIR (%ProgramFiles%\\KySo), 64-bit components', () => {
    const files = msiTable(msi(), 'File');
    expect(files.map((f) => [f.FileName, f.Component_]).sort()).toEqual([
      ['kyso.exe', 'HostExe'],
      ['vn.kyso.host.json', 'HostManifest'],
    ]);
    const dirs = Object.fromEntries(msiTable(msi(), 'Directory').map((d) => [d.Directory, d]));
    expect(dirs.INSTALLDIR).toMatchObject({ Directory_Parent: 'ProgramFiles64Folder', DefaultDir: 'KySo' });
    const comps = Object.fromEntries(msiTable(msi(), 'Component').map((c) => [c.Component, c]));
    expect(Object.keys(comps).sort()).toEqual(['ChromeAllowlist', 'ChromeForcelist', 'ChromeHostKey', 'EdgeAllowlist', 'EdgeForcelist', 'EdgeHostKey', 'HostExe', 'HostManifest', 'InstallState']);
    for (const c of Object.values(comps)) expect(Number(c.Attributes) & 256, `${c.Component} 64-bit`).toBe(256);
    for (const id of ['HostExe', 'HostManifest', 'ChromeHostKey', 'EdgeHostKey', 'InstallState']) expect(comps[id].Condition, id).toBe('');
    // One feature, installed by default, holding every component.
    expect(msiTable(msi(), 'Feature').map((f) => [f.Feature, f.Level])).toEqual([['KySo', '1']]);
    expect(msiTable(msi(), 'FeatureComponents').map((f) => f.Component_).sort()).toEqual(Object.keys(comps).sort());
    expect(comps.ChromeForcelist.Condition).toBe('FORCEINSTALL="1" AND UPDATEURL');
    expect(comps.EdgeForcelist.Condition).toBe('FORCEINSTALL="1" AND UPDATEURL');
    expect(comps.ChromeAllowlist.Condition).toBe('FORCEINSTALL="1" OR ALLOWHOST="1"');
    expect(comps.EdgeAllowlist.Condition).toBe('FORCEINSTALL="1" OR ALLOWHOST="1"');
  });

  it('Registry: host keys for Chrome and Edge in HKLM, the optional policy values, and whole-key removal on uninstall', () => {
    const rows = msiTable(msi(), 'Registry').map((r) => ({ root: r.Root, key: r.Key, name: r.Name, value: r.Value, component: r.Component_ }));
    const hklm = '2';
    expect(rows).toEqual(
      expect.arrayContaining([
        { root: hklm, key: `SOFTWARE\\Google\\Chrome\\NativeMessagingHosts\\${HOST_NAME}`, name: '', value: '[INSTALLDIR]vn.kyso.host.json', component: 'ChromeHostKey' },
        { root: hklm, key: `SOFTWARE\\Microsoft\\Edge\\NativeMessagingHosts\\${HOST_NAME}`, name: '', value: '[INSTALLDIR]vn.kyso.host.json', component: 'EdgeHostKey' },
        { root: hklm, key: 'SOFTWARE\\Policies\\Google\\Chrome\\ExtensionInstallForcelist', name: '[POLICYINDEX]', value: `${EXTENSION_ID};[UPDATEURL]`, component: 'ChromeForcelist' },
        { root: hklm, key: 'SOFTWARE\\Policies\\Microsoft\\Edge\\ExtensionInstallForcelist', name: '[POLICYINDEX]', value: `${EXTENSION_ID};[UPDATEURL]`, component: 'EdgeForcelist' },
        { root: hklm, key: 'SOFTWARE\\Policies\\Google\\Chrome\\NativeMessagingAllowlist', name: '[POLICYINDEX]', value: HOST_NAME, component: 'ChromeAllowlist' },
        { root: hklm, key: 'SOFTWARE\\Policies\\Microsoft\\Edge\\NativeMessagingAllowlist', name: '[POLICYINDEX]', value: HOST_NAME, component: 'EdgeAllowlist' },
        { root: hklm, key: STATE_KEY, name: 'PolicyIndex', value: '[POLICYINDEX]', component: 'InstallState' },
        // "-" with no value: the key is deleted with its values when the component is uninstalled.
        { root: hklm, key: `SOFTWARE\\Google\\Chrome\\NativeMessagingHosts\\${HOST_NAME}`, name: '-', value: '', component: 'ChromeHostKey' },
        { root: hklm, key: `SOFTWARE\\Microsoft\\Edge\\NativeMessagingHosts\\${HOST_NAME}`, name: '-', value: '', component: 'EdgeHostKey' },
        { root: hklm, key: STATE_KEY, name: '-', value: '', component: 'InstallState' },
      ]),
    );
    // Nothing deletes the browsers' policy keys themselves (other extensions' entries live there): only our values.
    expect(rows.filter((r) => r.name === '-' && r.key.includes('Policies'))).toEqual([]);
    expect(rows).toHaveLength(12);
  });

  it('Property, AppSearch, LaunchCondition: secure public properties, POLICYINDEX remembered for uninstall, UPDATEURL required', () => {
    const props = Object.fromEntries(msiTable(msi(), 'Property').map((p) => [p.Property, p.Value]));
    expect(props).toMatchObject({ ProductName: 'KySo', ProductVersion: VERSION, UpgradeCode: `{${UPGRADE_CODE}}`, POLICYINDEX: '1', ALLUSERS: '1' });
    expect(props.SecureCustomProperties.split(';')).toEqual(expect.arrayContaining(['FORCEINSTALL', 'UPDATEURL', 'ALLOWHOST', 'POLICYINDEX']));
    expect(msiTable(msi(), 'AppSearch')).toEqual([{ Property: 'POLICYINDEX', Signature_: 'RememberedPolicyIndex' }]);
    // Type 18: raw value (2) from the 64-bit registry view (16).
    expect(msiTable(msi(), 'RegLocator')).toEqual([{ Signature_: 'RememberedPolicyIndex', Root: '2', Key: STATE_KEY, Name: 'PolicyIndex', Type: '18' }]);
    expect(msiTable(msi(), 'LaunchCondition').map((c) => c.Condition)).toContain('Installed OR NOT FORCEINSTALL="1" OR UPDATEURL');
    // A major upgrade of every earlier version and of a rebuild of this one (VersionMax inclusive: 512); a newer
    // installed version stops the install.
    const upgrade = Object.fromEntries(msiTable(msi(), 'Upgrade').map((u) => [u.ActionProperty, u]));
    expect(Object.keys(upgrade).sort()).toEqual(['WIX_DOWNGRADE_DETECTED', 'WIX_UPGRADE_DETECTED']);
    expect(upgrade.WIX_UPGRADE_DETECTED).toMatchObject({ UpgradeCode: `{${UPGRADE_CODE}}`, VersionMin: '', VersionMax: VERSION, Attributes: '513' });
    expect(upgrade.WIX_DOWNGRADE_DETECTED).toMatchObject({ VersionMin: VERSION, Attributes: '2' });
  });

  it('msidump and msiextract read the same package: the Registry table, and the manifest the host installer writes', () => {
    const dump = join(base, 'msidump');
    mkdirSync(dump);
    execFileSync('msidump', ['--directory', dump, '--tables', msi()]);
    expect(readFileSync(join(dump, 'Registry.idt'), 'latin1')).toContain(`SOFTWARE\\Google\\Chrome\\NativeMessagingHosts\\${HOST_NAME}`);
    const x = join(base, 'msiextract');
    execFileSync('msiextract', ['--directory', x, msi()]);
    const found: Record<string, string> = {};
    const walk = (d: string) => {
      for (const e of readdirSync(d)) {
        const p = join(d, e);
        if (statSync(p).isDirectory()) walk(p);
        else found[e] = p;
      }
    };
    walk(x);
    const manifest = JSON.parse(readFileSync(found['vn.kyso.host.json'], 'utf8'));
    // Same builder as kyso install-host; "path" relative to the manifest's folder, which Windows allows.
    expect(readFileSync(found['vn.kyso.host.json'], 'utf8')).toBe(manifestJson('kyso.exe'));
    expect(manifest).toMatchObject({ name: HOST_NAME, path: 'kyso.exe', type: 'stdio', allowed_origins: [EXTENSION_ORIGIN] });
    expect(readFileSync(found['kyso.exe'], 'utf8')).toContain('KYSO PLACEHOLDER');
  });
});

describe('Debian packages (dpkg-deb)', () => {
  const deb = () => join(out, 'linux', `kyso_${VERSION}_${debArch(process.arch)}.deb`);
  const policyDeb = () => join(out, 'linux', `kyso-browser-policy_${VERSION}_all.deb`);
  const field = (pkg: string, f: string) => execFileSync('dpkg-deb', ['--field', pkg, f], { encoding: 'utf8' }).trim();

  it('control: name, version, architecture, sensible Depends (no SoftHSM)', () => {
    expect(field(deb(), 'Package')).toBe('kyso');
    expect(field(deb(), 'Version')).toBe(VERSION);
    expect(field(deb(), 'Architecture')).toBe(debArch(process.arch));
    expect(debArch('x64')).toBe('amd64');
    const depends = field(deb(), 'Depends');
    expect(depends).toMatch(/^libc6 \(>= 2\.28\)/);
    expect(depends).not.toMatch(/softhsm/i);
    expect(Number(field(deb(), 'Installed-Size'))).toBeGreaterThan(50_000);
    expect(execFileSync('dpkg-deb', ['--info', deb()], { encoding: 'utf8' })).toContain(HOST_NAME);
  });

  it('contents: the executable, the manifest, root-owned; the browsers\' folders link to the manifest', () => {
    const lines = execFileSync('dpkg-deb', ['--contents', deb()], { encoding: 'utf8' }).trim().split('\n');
    const entry = (path: string) => lines.find((l) => l.endsWith(` .${path}`) || l.includes(` .${path} -> `));
    expect(entry('/opt/kyso/kyso')).toMatch(/^-rwxr-xr-x root\/root/);
    expect(entry('/opt/kyso/vn.kyso.host.json')).toMatch(/^-rw-r--r-- root\/root/);
    for (const link of HOST_MANIFEST_LINKS) expect(entry(link), link).toMatch(new RegExp(`^lrwxrwxrwx root/root .* -> /opt/kyso/vn\\.kyso\\.host\\.json$`));
    expect(HOST_MANIFEST_LINKS.sort()).toEqual([
      '/etc/chromium/native-messaging-hosts/vn.kyso.host.json',
      '/etc/opt/chrome/native-messaging-hosts/vn.kyso.host.json',
      '/etc/opt/edge/native-messaging-hosts/vn.kyso.host.json',
    ]);
    // No maintainer scripts, no conffiles: dpkg adds and removes everything itself.
    const control = join(base, 'deb-control');
    execFileSync('dpkg-deb', ['--control', deb(), control]);
    expect(readdirSync(control).sort()).toEqual(['control']);
  });

  it('unpacked into a temporary root: each manifest resolves, names /opt/kyso/kyso and only our extension, and the executable runs', () => {
    const root = join(base, 'root');
    execFileSync('dpkg-deb', ['-x', deb(), root]);
    for (const link of HOST_MANIFEST_LINKS) {
      const target = readlinkSync(join(root, link));
      expect(target).toBe('/opt/kyso/vn.kyso.host.json');
      const m = JSON.parse(readFileSync(join(root, target), 'utf8'));
      expect(m).toEqual({ name: HOST_NAME, description: expect.any(String), path: '/opt/kyso/kyso', type: 'stdio', allowed_origins: [EXTENSION_ORIGIN] });
    }
    expect(readFileSync(join(root, 'opt/kyso/vn.kyso.host.json'), 'utf8')).toBe(manifestJson('/opt/kyso/kyso'));
    expect(readlinkSync(join(root, 'usr/bin/kyso'))).toBe('/opt/kyso/kyso');
    const exe = join(root, 'opt/kyso/kyso');
    expect(statSync(exe).mode & 0o777).toBe(0o755);
    expect(statSync(exe).size).toBe(statSync(join(REPO_ROOT, 'dist-host', `linux-${process.arch}`, 'kyso')).size);
    const help = spawnSync(exe, ['--help'], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', HOME: base }, timeout: 60_000 });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('kyso sign');
  });

  it('kyso-browser-policy: the forced install for Chrome, Chromium and Edge as conffiles, with the given update URL', () => {
    expect(field(policyDeb(), 'Architecture')).toBe('all');
    const control = join(base, 'policy-control');
    execFileSync('dpkg-deb', ['--control', policyDeb(), control]);
    expect(readFileSync(join(control, 'conffiles'), 'utf8').trim().split('\n').sort()).toEqual([...POLICY_FILES].sort());
    const root = join(base, 'policy-root');
    execFileSync('dpkg-deb', ['-x', policyDeb(), root]);
    for (const f of POLICY_FILES) {
      const text = readFileSync(join(root, f), 'utf8');
      expect(text).toBe(linuxInstallPolicy(`${BASE_URL}update.xml`));
      expect(JSON.parse(text)).toEqual({ ExtensionInstallForcelist: [`${EXTENSION_ID};${BASE_URL}update.xml`], NativeMessagingAllowlist: [HOST_NAME] });
    }
    expect(POLICY_FILES).toContain('/etc/chromium/policies/managed/kyso-install.json');
  });
});

describe.skipIf(!has('lintian'))('Debian packages (lintian, when installed)', () => {
  it('no lintian error or warning but the uncompressed build the test asked for', () => {
    // The deliberate ones (a vendor package in /opt and /etc/opt; an unstripped Node.js executable) are overridden
    // in the packages themselves (usr/share/lintian/overrides).
    const r = spawnSync('lintian', ['--tag-display-limit', '0', join(out, 'linux', `kyso_${VERSION}_${debArch(process.arch)}.deb`), join(out, 'linux', `kyso-browser-policy_${VERSION}_all.deb`)], {
      encoding: 'utf8',
      timeout: 240_000,
    });
    const tags = `${r.stdout}`.split('\n').filter((l) => /^[EW]: /.test(l));
    expect(tags.sort()).toEqual(['E: kyso: uses-no-compression-for-control-tarball', 'E: kyso: uses-no-compression-for-data-tarball']);
  }, 300_000);
});

describe('macOS pkg layout', () => {
  const dir = () => join(out, 'macos');

  it('payload: the executable and a manifest for Chrome, Edge and Chromium naming it', () => {
    const exe = join(dir(), 'payload', MAC_EXE);
    expect(MAC_EXE).toBe('/Library/Application Support/KySo/kyso');
    expect(statSync(exe).mode & 0o777).toBe(0o755);
    expect(MAC_MANIFESTS).toEqual([
      '/Library/Application Support/KySo/vn.kyso.host.json',
      '/Library/Google/Chrome/NativeMessagingHosts/vn.kyso.host.json',
      '/Library/Microsoft/Edge/NativeMessagingHosts/vn.kyso.host.json',
      '/Library/Application Support/Chromium/NativeMessagingHosts/vn.kyso.host.json',
    ]);
    for (const m of MAC_MANIFESTS) expect(readFileSync(join(dir(), 'payload', m), 'utf8'), m).toBe(manifestJson(MAC_EXE));
  });

  it('build-pkg.sh holds the exact pkgbuild command, and refuses to package the placeholder', () => {
    const script = readFileSync(join(dir(), 'build-pkg.sh'), 'utf8');
    expect(script).toContain(`pkgbuild --root payload --scripts scripts --identifier ${PKG_IDENTIFIER} --version ${VERSION} --install-location / --ownership recommended kyso-${VERSION}-macos-arm64.pkg`);
    expect(spawnSync('sh', ['-n', join(dir(), 'build-pkg.sh')]).status).toBe(0);
    const run = spawnSync('sh', [join(dir(), 'build-pkg.sh')], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('placeholder');
    expect(log).toContain('--mac-exe');
  });

  it('scripts/postinstall and uninstall.sh: executable, valid sh; the uninstaller removes every installed file and the receipt', () => {
    for (const s of ['scripts/postinstall', 'uninstall.sh']) {
      expect(statSync(join(dir(), s)).mode & 0o111, s).toBe(0o111);
      expect(spawnSync('sh', ['-n', join(dir(), s)]).status, s).toBe(0);
    }
    const un = readFileSync(join(dir(), 'uninstall.sh'), 'utf8');
    for (const m of [...MAC_MANIFESTS, MAC_EXE]) expect(un).toContain(`rm -f '${m}'`);
    expect(un).toContain(`pkgutil --forget ${PKG_IDENTIFIER}`);
  });
});

describe('self-hosted extension update: CRX3 and update.xml', () => {
  const crxFile = () => join(out, 'extension', `kyso-${EXT_VERSION}.crx`);

  it('protobuf: field 10000 (signed_header_data) is tagged 0x82 0xF1 0x04; varints past one byte', () => {
    expect([...bytesField(10000, Buffer.from([1]))]).toEqual([0x82, 0xf1, 0x04, 0x01, 0x01]);
    expect([...varint(300)]).toEqual([0xac, 0x02]);
  });

  it('parses back: Cr24 v3, one RSA proof that verifies, crx_id = the extension ID, the public key of the manifest', () => {
    const crx = readFileSync(crxFile());
    expect(crx.subarray(0, 4).toString('latin1')).toBe('Cr24');
    const p = parseCrx(crx);
    expect(p.version).toBe(3);
    expect(p.extensionId).toBe(EXTENSION_ID);
    expect(p.proofs).toHaveLength(1);
    expect(p.proofs[0].verified).toBe(true);
    expect(p.proofs[0].extensionId).toBe(EXTENSION_ID);
    expect(p.proofs[0].publicKey.toString('base64')).toBe(EXTENSION_PUBLIC_KEY);
    expect(log).toContain('DEVELOPMENT key');
  });

  it('the signature checks with openssl too, and fails once one byte of the archive changes', () => {
    const crx = readFileSync(crxFile());
    const p = parseCrx(crx);
    const signedHeaderData = Buffer.concat([Buffer.from([0x0a, 0x10]), p.crxId]);
    const len = Buffer.alloc(4);
    len.writeUInt32LE(signedHeaderData.length);
    const data = Buffer.concat([Buffer.from('CRX3 SignedData\x00', 'latin1'), len, signedHeaderData, p.archive]);
    const dir = join(base, 'openssl');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'data'), data);
    writeFileSync(join(dir, 'sig'), p.proofs[0].signature);
    writeFileSync(join(dir, 'pub.pem'), createPublicKey({ key: p.proofs[0].publicKey, format: 'der', type: 'spki' }).export({ type: 'spki', format: 'pem' }));
    const ok = spawnSync('openssl', ['dgst', '-sha256', '-verify', join(dir, 'pub.pem'), '-signature', join(dir, 'sig'), join(dir, 'data')], { encoding: 'utf8' });
    expect(ok.stdout).toContain('Verified OK');

    const tampered = Buffer.from(crx);
    tampered[tampered.length - 30] ^= 0x01;
    expect(parseCrx(tampered).proofs[0].verified).toBe(false);
  });

  it('the archive holds the built extension byte for byte, its manifest with update_url added; unzip agrees', () => {
    const entries = unzip(parseCrx(readFileSync(crxFile())).archive);
    const names = entries.map((e) => e.name);
    expect(names).toContain('manifest.json');
    expect(names).toContain('service-worker-loader.js');
    for (const e of entries.filter((x) => x.name !== 'manifest.json')) expect(Buffer.compare(e.data, readFileSync(join(EXTENSION_DIST, e.name))), e.name).toBe(0);
    // Updates of an installed extension go to its manifest's update_url (without one, to the browser's web store).
    const packed = JSON.parse(Buffer.from(entries.find((e) => e.name === 'manifest.json')!.data).toString('utf8'));
    const built = JSON.parse(readFileSync(join(EXTENSION_DIST, 'manifest.json'), 'utf8'));
    expect(built.update_url).toBeUndefined();
    expect(packed).toEqual({ ...built, update_url: `${BASE_URL}update.xml` });
    if (has('unzip', '-v')) {
      // unzip skips the CRX header ("extra bytes at beginning") and tests every member's CRC.
      const t = spawnSync('unzip', ['-t', crxFile()], { encoding: 'utf8' });
      expect(t.stdout).toContain('No errors detected');
      expect(spawnSync('unzip', ['-l', crxFile()], { encoding: 'utf8' }).stdout).toMatch(/\smanifest\.json\n/);
    }
  });

  it('refuses a key that does not give the extension ID (the browser would reject such a package for this ID)', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const other = privateKey.export({ type: 'pkcs8', format: 'pem' });
    expect(() => packageExtension({ dist: EXTENSION_DIST, keyPem: other, baseUrl: BASE_URL })).toThrow(/not kkikmailolohkgijeoakdjhpnacmlfgi/);
    // The same archive packed with that key is a valid CRX — for another ID.
    const crx = packCrx(zip(folderEntries(EXTENSION_DIST)), other);
    expect(parseCrx(crx).proofs[0].verified).toBe(true);
    expect(parseCrx(crx).extensionId).not.toBe(EXTENSION_ID);
  });

  it('update.xml: gupdate 2.0 naming the extension ID, the CRX URL and the manifest version', () => {
    const file = join(out, 'extension', 'update.xml');
    const xml = readFileSync(file, 'utf8');
    if (has('xmllint')) expect(spawnSync('xmllint', ['--noout', file]).status).toBe(0);
    expect(xml).toContain("<gupdate xmlns='http://www.google.com/update2/response' protocol='2.0'>");
    expect(xml).toContain(`<app appid='${EXTENSION_ID}'>`);
    expect(xml).toContain(`<updatecheck codebase='${BASE_URL}kyso-${EXT_VERSION}.crx' version='${EXT_VERSION}' />`);
    expect(readFileSync(join(out, 'extension', 'README.txt'), 'utf8')).toContain(`${EXTENSION_ID};${BASE_URL}update.xml`);
  });

  it('dist-installers/ is ignored by git', () => {
    expect(readFileSync(join(out, '.gitignore'), 'utf8')).toBe('*\n');
    expect(readFileSync(join(REPO_ROOT, '.gitignore'), 'utf8')).toMatch(/^\/dist-installers\/$/m);
    expect(lstatSync(out).isDirectory()).toBe(true);
  });
});
