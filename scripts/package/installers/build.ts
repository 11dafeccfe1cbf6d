// npm run package:installers [-- options]: the installers and the self-hosted extension update, in dist-installers/
// (git-ignored):
//
//   windows/kyso-<v>-x64.msi          MSI for the host (wixl); kyso.wxs beside it
//   linux/kyso_<v>_<arch>.deb         the host for Chrome, Chromium, Edge
//   linux/kyso-browser-policy_<v>_all.deb   forced install policy (only with --base-url)
//   macos/                            pkg layout + build-pkg.sh (pkgbuild runs on a Mac)
//   extension/kyso-<v>.crx, update.xml   the CRX3 signed with the extension key, and its update manifest
//
// Options:
//   --host-exe PATH        Windows kyso.exe (from the Windows job of .github/workflows/package-host.yml). Without
//                          it the MSI carries a placeholder file and is named …-PLACEHOLDER.msi: tests and CI only.
//   --linux-exe PATH       Linux executable; default dist-host/linux-<arch>/kyso, built by package:host if missing.
//   --mac-exe PATH         macOS executable (signed); without it a placeholder, and build-pkg.sh refuses to run.
//   --mac-arch arm64|x64   default arm64
//   --extension-dist DIR   the built extension; default extension/dist
//   --key PEM              the extension's private key; default the development key extension/keys/dev-extension-key.pem
//   --base-url URL         where extension/ will be served (update URL = <base>/update.xml); default a placeholder
//   --deb-compression xz|gzip|none   default xz (the 100 MiB executable takes minutes; none is for tests)
//   --only LIST            msi,deb,macos,crx (default all)
//   --out DIR              default dist-installers

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EXTENSION_ID } from '../../../shared/protocol/extension-id.ts';
import { buildHostDeb, buildPolicyDeb, type DebCompression } from './deb.ts';
import { packageExtension } from './extension-package.ts';
import { writeMacLayout } from './macos.ts';
import { buildMsi } from './msi.ts';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
export const DEV_KEY = join(ROOT, 'extension', 'keys', 'dev-extension-key.pem');
export const PLACEHOLDER_BASE_URL = 'https://kyso.example.gov.vn/';
export const PLACEHOLDER_MARK = 'KYSO PLACEHOLDER';
const KINDS = ['msi', 'deb', 'macos', 'crx'] as const;
type Kind = (typeof KINDS)[number];

export interface BuildOptions {
  out: string;
  only: Kind[];
  hostExe?: string;
  linuxExe?: string;
  macExe?: string;
  macArch: string;
  extensionDist: string;
  key: string;
  baseUrl?: string;
  debCompression: DebCompression;
}

export interface BuildResult {
  files: string[];
  warnings: string[];
}

function hostVersion(): string {
  return (JSON.parse(readFileSync(join(ROOT, 'native-host', 'package.json'), 'utf8')) as { version: string }).version;
}

function placeholder(dir: string, name: string, forWhat: string): string {
  const p = join(dir, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(p, `${PLACEHOLDER_MARK}: not a program. Stands in for the ${forWhat} so the installer can be built and tested.\n`);
  return p;
}

/** dist-host/linux-<arch>/kyso, built with npm run package:host when missing (about 10 s; reused when current). */
function linuxExe(arch: string): string {
  const exe = join(ROOT, 'dist-host', `linux-${arch}`, 'kyso');
  if (existsSync(exe)) return exe;
  if (process.platform !== 'linux' || process.arch !== arch) throw new Error(`${exe} is missing; build it on Linux ${arch} (npm run package:host) or pass --linux-exe.`);
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'package', 'build-host.mjs'), '--quiet'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(exe)) throw new Error('npm run package:host failed');
  return exe;
}

export function buildInstallers(o: BuildOptions): BuildResult {
  const files: string[] = [];
  const warnings: string[] = [];
  const version = hostVersion();
  const work = join(o.out, '.build');
  mkdirSync(work, { recursive: true });
  writeFileSync(join(o.out, '.gitignore'), '*\n');

  if (o.only.includes('msi')) {
    let exe = o.hostExe;
    let name = `kyso-${version}-x64.msi`;
    if (!exe) {
      exe = placeholder(work, 'kyso-placeholder.exe', 'Windows kyso.exe');
      name = `kyso-${version}-x64-PLACEHOLDER.msi`;
      warnings.push(`windows/${name} carries a placeholder instead of kyso.exe: for a release, pass --host-exe with the kyso.exe built by the Windows job of the SEA workflow (.github/workflows/package-host.yml).`);
    }
    const dir = join(o.out, 'windows');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const r = buildMsi({ exe, version, out: join(dir, name), workDir: join(work, 'msi') });
    writeFileSync(join(dir, 'kyso.wxs'), readFileSync(r.wxs));
    files.push(r.msi, join(dir, 'kyso.wxs'));
  }

  if (o.only.includes('deb')) {
    const arch = process.arch;
    const dir = join(o.out, 'linux');
    rmSync(dir, { recursive: true, force: true });
    files.push(buildHostDeb({ exe: o.linuxExe ?? linuxExe(arch), version, arch, outDir: dir, workDir: join(work, 'deb'), compression: o.debCompression }));
    if (o.baseUrl) files.push(buildPolicyDeb({ version, updateUrl: new URL('update.xml', withSlash(o.baseUrl)).href, outDir: dir, workDir: join(work, 'deb') }));
    else warnings.push('linux/kyso-browser-policy_*.deb not built: pass --base-url (where update.xml is served).');
  }

  if (o.only.includes('macos')) {
    let exe = o.macExe;
    if (!exe) {
      exe = placeholder(work, 'kyso-placeholder-macos', 'macOS kyso executable');
      warnings.push('macos/payload carries a placeholder instead of the macOS kyso: pass --mac-exe with the signed executable from the macOS job; build-pkg.sh refuses the placeholder.');
    }
    const layout = writeMacLayout({ exe, version, arch: o.macArch, outDir: join(o.out, 'macos'), placeholder: !o.macExe });
    files.push(layout.buildScript);
  }

  if (o.only.includes('crx')) {
    if (!existsSync(join(o.extensionDist, 'manifest.json'))) throw new Error(`${o.extensionDist}/manifest.json is missing: build the extension (npm run build:extension) or pass --extension-dist.`);
    if (resolve(o.key) === DEV_KEY) warnings.push(`extension/kyso-*.crx is signed with the DEVELOPMENT key (extension/keys/dev-extension-key.pem): for a release pass --key with the organisation's key.`);
    const base = o.baseUrl ?? PLACEHOLDER_BASE_URL;
    if (!o.baseUrl) warnings.push(`extension/update.xml names the placeholder ${PLACEHOLDER_BASE_URL}: pass --base-url.`);
    const pkg = packageExtension({ dist: o.extensionDist, keyPem: readFileSync(o.key), baseUrl: base });
    const dir = join(o.out, 'extension');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, pkg.crxName), pkg.crx);
    writeFileSync(join(dir, 'update.xml'), pkg.updateXml);
    files.push(join(dir, pkg.crxName), join(dir, 'update.xml'));
    writeFileSync(
      join(dir, 'README.txt'),
      [
        `Serve ${pkg.crxName} and update.xml at ${withSlash(base)} (a static web server; https in production).`,
        `Update URL for ExtensionInstallForcelist: ${EXTENSION_ID};${pkg.updateUrl}`,
        `To publish a new version: build the extension with a higher "version", run npm run package:installers -- --only crx --base-url ${withSlash(base)} --key <key>, and replace both files.`,
        '',
      ].join('\n'),
    );
  }
  // The package trees (a 100 MiB copy of the executable among them) are not needed once the packages exist.
  rmSync(work, { recursive: true, force: true });
  return { files, warnings };
}

function withSlash(u: string): string {
  return u.endsWith('/') ? u : `${u}/`;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: join(ROOT, 'dist-installers') },
      only: { type: 'string', default: KINDS.join(',') },
      'host-exe': { type: 'string' },
      'linux-exe': { type: 'string' },
      'mac-exe': { type: 'string' },
      'mac-arch': { type: 'string', default: 'arm64' },
      'extension-dist': { type: 'string', default: join(ROOT, 'extension', 'dist') },
      key: { type: 'string', default: DEV_KEY },
      'base-url': { type: 'string' },
      'deb-compression': { type: 'string', default: 'xz' },
    },
  });
  const only = values.only!.split(',').map((s) => s.trim()).filter(Boolean);
  for (const k of only) if (!(KINDS as readonly string[]).includes(k)) throw new Error(`--only: unknown ${k} (${KINDS.join(', ')})`);
  if (!['arm64', 'x64'].includes(values['mac-arch']!)) throw new Error('--mac-arch: arm64 or x64');
  if (!['xz', 'gzip', 'none'].includes(values['deb-compression']!)) throw new Error('--deb-compression: xz, gzip or none');
  const baseUrl = values['base-url'];
  if (baseUrl && !/^https?:\/\//.test(baseUrl)) throw new Error(`--base-url must be an http(s) URL: ${baseUrl}`);
  if (baseUrl?.startsWith('http://')) console.warn(`Warning: ${baseUrl} is not https; serve the update manifest over https.`);
  const out = resolve(values.out!);
  const r = buildInstallers({
    out,
    only: only as Kind[],
    hostExe: values['host-exe'] && resolve(values['host-exe']),
    linuxExe: values['linux-exe'] && resolve(values['linux-exe']),
    macExe: values['mac-exe'] && resolve(values['mac-exe']),
    macArch: values['mac-arch']!,
    extensionDist: resolve(values['extension-dist']!),
    key: resolve(values.key!),
    baseUrl,
    debCompression: values['deb-compression'] as DebCompression,
  });
  console.log(`package:installers → ${relative(process.cwd(), out) || '.'}`);
  for (const f of r.files) console.log(`  ${relative(out, f)}`);
  for (const w of r.warnings) console.warn(`Warning: ${w}`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) main();
