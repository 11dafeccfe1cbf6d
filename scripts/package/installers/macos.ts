// The macOS installer package, as a layout: pkgbuild and productbuild exist only on macOS, so this writes the
// payload, the scripts and build-pkg.sh with the exact pkgbuild command; a Mac (the macOS job of the release
// workflow) runs it. Installed paths are the system-wide ones kyso install-host --system uses:
//
//   /Library/Application Support/KySo/kyso                 the single executable (signed, notarized)
//   /Library/Application Support/KySo/vn.kyso.host.json    the host manifest ("path" = the executable)
//   /Library/Google/Chrome/NativeMessagingHosts/vn.kyso.host.json                  Google Chrome
//   /Library/Microsoft/Edge/NativeMessagingHosts/vn.kyso.host.json                 Microsoft Edge
//   /Library/Application Support/Chromium/NativeMessagingHosts/vn.kyso.host.json   Chromium
//
// pkgbuild keeps no uninstaller: uninstall.sh (in the layout, for IT) removes exactly these files and forgets
// the package receipt.

import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { MANIFEST_FILE, manifestJson } from '../../../native-host/install/manifest.ts';
import { dataDir, manifestDir, type Browser } from '../../../native-host/install/plan.ts';

export const PKG_IDENTIFIER = 'vn.kyso.host';
export const MAC_DIR = dataDir('darwin', 'system', {});
export const MAC_EXE = posix.join(MAC_DIR, 'kyso');
const BROWSERS: Browser[] = ['chrome', 'edge', 'chromium'];
export const MAC_MANIFESTS = [posix.join(MAC_DIR, MANIFEST_FILE), ...BROWSERS.map((b) => posix.join(manifestDir('darwin', 'system', b, {}), MANIFEST_FILE))];

const sh = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

export function pkgbuildArgs(version: string, arch: string): string[] {
  return [
    'pkgbuild',
    '--root', 'payload',
    '--scripts', 'scripts',
    '--identifier', PKG_IDENTIFIER,
    '--version', version,
    '--install-location', '/',
    '--ownership', 'recommended',
    `kyso-${version}-macos-${arch}.pkg`,
  ];
}

function postinstall(): string {
  return [
    '#!/bin/sh',
    '# KySo: after the payload is in place. The executable must stay executable and must not carry the',
    '# quarantine flag (the browser starts it directly); nothing else to do.',
    `chmod 0755 ${sh(MAC_EXE)}`,
    `xattr -d com.apple.quarantine ${sh(MAC_EXE)} 2>/dev/null || true`,
    'exit 0',
    '',
  ].join('\n');
}

function buildScript(version: string, arch: string, placeholder: boolean): string {
  const cmd = pkgbuildArgs(version, arch).map((a) => (/^[\w./=-]+$/.test(a) ? a : sh(a))).join(' ');
  return [
    '#!/bin/sh',
    '# Run on a Mac, in this folder. Builds the installer package from payload/ and scripts/.',
    '# Before: payload/Library/Application Support/KySo/kyso must be the macOS executable from',
    '# npm run package:host (the macOS job of .github/workflows/package-host.yml), signed with a Developer ID',
    '# (hardened runtime, scripts/package/entitlements.plist) and notarized.',
    '# To sign the package: add  --sign "Developer ID Installer: <organisation> (<team>)"  before the file name,',
    '# then: xcrun notarytool submit <pkg> --wait && xcrun stapler staple <pkg>',
    'set -eu',
    'cd "$(dirname "$0")"',
    ...(placeholder
      ? [
          "if grep -q 'KYSO PLACEHOLDER' 'payload/Library/Application Support/KySo/kyso'; then",
          '  echo "payload holds the placeholder, not the macOS kyso executable: rebuild the layout with --mac-exe" >&2',
          '  exit 1',
          'fi',
        ]
      : []),
    cmd,
    '',
  ].join('\n');
}

function uninstallScript(): string {
  return [
    '#!/bin/sh',
    '# Removes what the KySo package installed (run with sudo), and its receipt.',
    'set -u',
    ...MAC_MANIFESTS.map((m) => `rm -f ${sh(m)}`),
    `rm -f ${sh(MAC_EXE)}`,
    `rmdir ${sh(MAC_DIR)} 2>/dev/null || true`,
    `pkgutil --forget ${PKG_IDENTIFIER} >/dev/null 2>&1 || true`,
    'exit 0',
    '',
  ].join('\n');
}

export interface MacLayout {
  dir: string;
  payload: string;
  buildScript: string;
  command: string[];
}

/** Writes <outDir>/{payload,scripts,build-pkg.sh,uninstall.sh}. exe: the macOS executable (or a placeholder). */
export function writeMacLayout(opts: { exe: string; version: string; arch: string; outDir: string; placeholder: boolean }): MacLayout {
  const dir = opts.outDir;
  rmSync(dir, { recursive: true, force: true });
  const payload = join(dir, 'payload');
  const exe = join(payload, MAC_EXE.slice(1));
  mkdirSync(dirname(exe), { recursive: true });
  copyFileSync(opts.exe, exe);
  chmodSync(exe, 0o755);
  const manifest = manifestJson(MAC_EXE);
  for (const m of MAC_MANIFESTS) {
    const p = join(payload, m.slice(1));
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, manifest);
    chmodSync(p, 0o644);
  }
  mkdirSync(join(dir, 'scripts'), { recursive: true });
  writeFileSync(join(dir, 'scripts', 'postinstall'), postinstall(), { mode: 0o755 });
  const build = join(dir, 'build-pkg.sh');
  writeFileSync(build, buildScript(opts.version, opts.arch, opts.placeholder), { mode: 0o755 });
  writeFileSync(join(dir, 'uninstall.sh'), uninstallScript(), { mode: 0o755 });
  return { dir, payload, buildScript: build, command: pkgbuildArgs(opts.version, opts.arch) };
}
