// Debian/Ubuntu packages, built with dpkg-deb (no debhelper needed):
//
// kyso_<version>_<arch>.deb — the host:
//   /opt/kyso/kyso                                        the single executable (npm run package:host, Linux)
//   /usr/bin/kyso -> /opt/kyso/kyso                       the command line
//   /opt/kyso/vn.kyso.host.json                           the host manifest (native-host/install/manifest.ts),
//                                                         "path": "/opt/kyso/kyso", only KýSố's extension allowed
//   /etc/opt/chrome/native-messaging-hosts/vn.kyso.host.json  -> /opt/kyso/vn.kyso.host.json   Google Chrome
//   /etc/chromium/native-messaging-hosts/vn.kyso.host.json    -> …                             Chromium
//   /etc/opt/edge/native-messaging-hosts/vn.kyso.host.json    -> …                             Microsoft Edge
// The manifest in /etc is a symbolic link, not a file: it is not configuration for anyone to edit, so it is not a
// conffile, and "apt remove" takes it away with the executable (a conffile would stay behind until purge,
// pointing at nothing). No maintainer scripts: dpkg itself adds and removes everything.
//
// kyso-browser-policy_<version>_all.deb — optional, when an update URL is given: the forced install for the
// three browsers (ExtensionInstallForcelist "<ID>;<update URL>" + NativeMessagingAllowlist vn.kyso.host, the
// same kyso-install.json as npm run package:policies) in their managed policy folders. These are conffiles:
// IT may edit them, and dpkg keeps their edits on upgrade. The extension's own settings (portals, TSA…) are
// specific to each organisation and stay a documented extra (dist-policies/linux/*/kyso-extension.json).

import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, rmSync, statSync, symlinkSync, writeFileSync, readdirSync, lstatSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';
import { EXTENSION_ID, HOST_NAME } from '../../../shared/protocol/extension-id.ts';
import { MANIFEST_FILE, manifestJson } from '../../../native-host/install/manifest.ts';
import { manifestDir, type Browser } from '../../../native-host/install/plan.ts';
import { BROWSERS as POLICY_BROWSERS, CHROMIUM_LINUX_DIR, linuxInstallPolicy } from '../policies/templates.ts';

export const INSTALL_DIR = '/opt/kyso';
export const EXE_PATH = `${INSTALL_DIR}/kyso`;
export const MANIFEST_PATH = `${INSTALL_DIR}/${MANIFEST_FILE}`;
const BROWSERS: Browser[] = ['chrome', 'chromium', 'edge'];
/** Where each browser looks for system-wide host manifests (the same folders kyso install-host --system uses). */
export const HOST_MANIFEST_LINKS = BROWSERS.map((b) => posix.join(manifestDir('linux', 'system', b, {}), MANIFEST_FILE));
/** The forced-install policy file in each browser's managed policy folder. */
export const POLICY_FILES = [...POLICY_BROWSERS.map((b) => b.linuxDir), CHROMIUM_LINUX_DIR].map((d) => posix.join(d, 'kyso-install.json'));

const MAINTAINER = 'KySo <kyso@example.gov.vn>';
// The Node.js 20 runtime inside the executable: glibc 2.28, libstdc++ from GCC 5 (GLIBCXX_3.4.21), libgcc_s.
export const HOST_DEPENDS = 'libc6 (>= 2.28), libstdc++6 (>= 5), libgcc-s1 | libgcc1';

/** Debian architecture of a Node.js one. */
export function debArch(nodeArch: string): string {
  const map: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'armhf', ia32: 'i386' };
  const a = map[nodeArch];
  if (!a) throw new Error(`No Debian architecture for ${nodeArch}`);
  return a;
}

/** Debian versions allow no "-" in an upstream version without a revision; ours are plain semver. */
export function debVersion(version: string): string {
  return version.replaceAll('-', '~');
}

function duKiB(root: string): number {
  let bytes = 0;
  const walk = (p: string) => {
    const st = lstatSync(p);
    if (st.isDirectory()) for (const e of readdirSync(p)) walk(join(p, e));
    else bytes += st.size;
  };
  for (const e of readdirSync(root)) if (e !== 'DEBIAN') walk(join(root, e));
  return Math.ceil(bytes / 1024);
}

function control(fields: Record<string, string>, description: string[]): string {
  const lines = Object.entries(fields).map(([k, v]) => `${k}: ${v}`);
  const [summary, ...rest] = description;
  lines.push(`Description: ${summary}`, ...rest.map((l) => (l ? ` ${l}` : ' .')));
  return lines.join('\n') + '\n';
}

function put(root: string, path: string, data: string | Buffer, mode: number): void {
  const p = join(root, path);
  mkdirSync(dirname(p), { recursive: true, mode: 0o755 });
  writeFileSync(p, data);
  chmodSync(p, mode);
}

/** xz for releases (smallest; dpkg everywhere reads it); none builds in a second (the tests). */
export type DebCompression = 'xz' | 'gzip' | 'none';

function dpkgDeb(root: string, out: string, compression: DebCompression): void {
  // Directories in the tree as dpkg installs them: 0755, whatever the umask was.
  const fix = (p: string) => {
    if (lstatSync(p).isDirectory()) {
      chmodSync(p, 0o755);
      for (const e of readdirSync(p)) fix(join(p, e));
    }
  };
  fix(root);
  const r = spawnSync('dpkg-deb', ['--root-owner-group', `-Z${compression}`, '--build', root, out], { encoding: 'utf8' });
  if (r.error) throw new Error(`dpkg-deb could not run (${r.error.message}): apt-get install dpkg`);
  if (r.status !== 0) throw new Error(`dpkg-deb --build failed (${r.status}):\n${r.stdout}${r.stderr}`);
}

const copyright = (name: string) => `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: ${name}
Comment: The executable bundles the Node.js runtime (MIT licence), pdf.js (Apache-2.0), pkcs11js (MIT) and the
 Liberation Serif fonts (SIL Open Font License 1.1); their licence texts are inside the executable's legal
 comments and assets.

Files: *
Copyright: 2026 KySo authors
License: unspecified
 The project has not published its licence terms yet.
`;

/** A native package's changelog, gzip -9n (no name or time in the gzip header: the same input, the same bytes). */
function changelog(name: string, version: string): Buffer {
  const date = new Date(Number(process.env.SOURCE_DATE_EPOCH ?? 0) * 1000 || Date.now()).toUTCString().replace('GMT', '+0000');
  const text = `${name} (${version}) unstable; urgency=medium\n\n  * Release ${version}.\n\n -- ${MAINTAINER}  ${date}\n`;
  return gzipSync(text, { level: 9 });
}

/**
 * Lintian's objections that are deliberate here: a vendor package in /opt and /etc/opt (as Google's and Microsoft's
 * browser packages are; the browsers look for managed files in /etc/opt), and the Node.js single executable, which
 * must not be stripped (the application is a note section postject added) and is Node's own official build.
 */
const HOST_OVERRIDES = [
  'dir-or-file-in-opt',
  'dir-or-file-in-etc-opt',
  'unstripped-binary-or-object',
  'embedded-library',
  'hardening-no-pie',
  'no-manual-page',
];

export interface DebInput {
  /** The Linux single executable (dist-host/linux-<arch>/kyso). */
  exe: string;
  version: string;
  /** Node.js architecture of exe (x64, arm64). */
  arch: string;
  outDir: string;
  workDir: string;
  compression?: DebCompression;
}

export function buildHostDeb({ exe, version, arch, outDir, workDir, compression = 'xz' }: DebInput): string {
  const root = join(workDir, 'kyso');
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  mkdirSync(join(root, INSTALL_DIR.slice(1)), { recursive: true });
  copyFileSync(exe, join(root, EXE_PATH.slice(1)));
  chmodSync(join(root, EXE_PATH.slice(1)), 0o755);
  put(root, MANIFEST_PATH.slice(1), manifestJson(EXE_PATH), 0o644);
  for (const link of HOST_MANIFEST_LINKS) {
    mkdirSync(join(root, dirname(link).slice(1)), { recursive: true });
    symlinkSync(MANIFEST_PATH, join(root, link.slice(1)));
  }
  mkdirSync(join(root, 'usr/bin'), { recursive: true });
  symlinkSync(EXE_PATH, join(root, 'usr/bin/kyso'));
  const deb = debVersion(version);
  put(root, 'usr/share/doc/kyso/copyright', copyright('kyso'), 0o644);
  put(root, 'usr/share/doc/kyso/changelog.gz', changelog('kyso', deb), 0o644);
  put(root, 'usr/share/lintian/overrides/kyso', HOST_OVERRIDES.map((t) => `kyso: ${t}`).join('\n') + '\n', 0o644);
  const a = debArch(arch);
  put(
    root,
    'DEBIAN/control',
    control(
      {
        Package: 'kyso',
        Version: deb,
        Architecture: a,
        Maintainer: MAINTAINER,
        'Installed-Size': String(duKiB(root)),
        Depends: HOST_DEPENDS,
        Suggests: 'kyso-browser-policy, opensc-pkcs11',
        Section: 'utils',
        Priority: 'optional',
        Homepage: 'https://kyso.example.gov.vn/',
      },
      [
        'sign PDF documents with a USB token from Chrome, Edge and Chromium',
        `The native messaging host ${HOST_NAME} for the KySo browser extension`,
        `${EXTENSION_ID}, and the kyso command line.`,
        'Registers the host for Google Chrome, Chromium and Microsoft Edge for every',
        'user of the machine.',
        '',
        'KýSố: ký số văn bản PDF bằng USB token ngay trong trình duyệt.',
      ],
    ),
    0o644,
  );
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, `kyso_${deb}_${a}.deb`);
  dpkgDeb(root, out, compression);
  return out;
}

export function buildPolicyDeb({ version, updateUrl, outDir, workDir }: { version: string; updateUrl: string; outDir: string; workDir: string }): string {
  const root = join(workDir, 'kyso-browser-policy');
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const text = linuxInstallPolicy(updateUrl);
  for (const f of POLICY_FILES) put(root, f.slice(1), text, 0o644);
  const deb = debVersion(version);
  put(root, 'usr/share/doc/kyso-browser-policy/copyright', copyright('kyso-browser-policy'), 0o644);
  put(root, 'usr/share/doc/kyso-browser-policy/changelog.gz', changelog('kyso-browser-policy', deb), 0o644);
  put(root, 'usr/share/lintian/overrides/kyso-browser-policy', 'kyso-browser-policy: dir-or-file-in-etc-opt\n', 0o644);
  put(root, 'DEBIAN/conffiles', POLICY_FILES.join('\n') + '\n', 0o644);
  put(
    root,
    'DEBIAN/control',
    control(
      {
        Package: 'kyso-browser-policy',
        Version: deb,
        Architecture: 'all',
        Maintainer: MAINTAINER,
        'Installed-Size': String(duKiB(root)),
        Recommends: 'kyso',
        Section: 'utils',
        Priority: 'optional',
      },
      [
        'force-install the KySo extension in Chrome, Chromium and Edge',
        'Managed browser policy: ExtensionInstallForcelist for the extension',
        `${EXTENSION_ID}`,
        `from ${updateUrl}`,
        `and NativeMessagingAllowlist ${HOST_NAME}.`,
      ],
    ),
    0o644,
  );
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, `kyso-browser-policy_${deb}_all.deb`);
  dpkgDeb(root, out, 'xz');
  return out;
}

/** Size check helper for callers that want to print it. */
export function sizeMiB(path: string): string {
  return (statSync(path).size / 1048576).toFixed(1);
}
