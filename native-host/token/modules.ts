// Where the PKCS#11 modules of the tokens used in Vietnam live, per OS, and which of them exist on this machine.
// Pure: the file-system look-ups are injected, so the Windows and macOS lists are testable anywhere.

import { existsSync, readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';

export type HostOs = 'win32' | 'darwin' | 'linux';

/** Where a candidate came from: IT policy, the user's settings, or the built-in list. */
export type ModuleSource = 'policy' | 'user' | 'known';

export interface ModuleCandidate {
  /** Absolute path of the module file. */
  path: string;
  /** Who ships it, for people ("VNPT-CA", "SafeNet eToken", …); "" when unknown. */
  vendor: string;
  source: ModuleSource;
  /**
   * false for a 32-bit Windows module (SysWOW64) when the host runs 64-bit: it exists but cannot be loaded, and
   * the UI can say why (the vendor installed only a 32-bit driver).
   */
  loadable: boolean;
  /** A test module (SoftHSM): fine for the demo, never a real signer. */
  test?: boolean;
}

export interface DiscoverOptions {
  /** Default: process.platform (anything other than win32/darwin is treated as linux). */
  platform?: string;
  /** Default: process.arch. Decides which Windows folder holds loadable modules. */
  arch?: string;
  /** Default: process.env. Windows: SystemRoot, ProgramFiles. */
  env?: Record<string, string | undefined>;
  /** Modules named by IT policy, tried first. */
  policyPaths?: readonly string[];
  /** Modules the user pointed at. */
  userPaths?: readonly string[];
  /** Default: fs.existsSync. */
  exists?: (p: string) => boolean;
  /** Lists a directory's file names (for "Vina-CA*.dll"); default: fs.readdirSync, [] on error. */
  listDir?: (dir: string) => readonly string[];
  /**
   * Resolves symbolic links, so one library reachable by two names (Debian's /usr/lib/softhsm/libsofthsm2.so →
   * the multiarch copy) is listed once. Default: fs.realpathSync, the path itself on error.
   */
  realpath?: (p: string) => string;
}

export interface KnownName {
  /** File name; a trailing "*" before the extension is a prefix match ("Vina-CA*.dll"). */
  file: string;
  vendor: string;
}

function range(prefix: string, from: number, to: number, suffix: string, vendor: string): KnownName[] {
  const out: KnownName[] = [];
  for (let i = from; i <= to; i++) out.push({ file: `${prefix}${i}${suffix}`, vendor });
  return out;
}

/** Windows file names (System32 / SysWOW64), from the CAs' installers. */
export const WINDOWS_MODULE_NAMES: readonly KnownName[] = [
  { file: 'eTPKCS11.dll', vendor: 'SafeNet eToken' },
  { file: 'bit4xpki.dll', vendor: 'Bit4id' },
  { file: 'eps2003csp11.dll', vendor: 'Feitian ePass2003' },
  { file: 'eps2003csp11v2.dll', vendor: 'Feitian ePass2003' },
  { file: 'ShuttleCsp11_3003.dll', vendor: 'Feitian ePass3003' },
  { file: 'ngp11v211.dll', vendor: '' },
  ...range('vnptca_p11_v', 6, 10, '.dll', 'VNPT-CA'),
  { file: 'vnpt-ca_csp11.dll', vendor: 'VNPT-CA' },
  { file: 'viettel-ca.dll', vendor: 'Viettel-CA' },
  ...range('viettel-ca_v', 1, 6, '.dll', 'Viettel-CA'),
  { file: 'fpt-ca.dll', vendor: 'FPT-CA' },
  ...range('fptca_v', 3, 6, '.dll', 'FPT-CA'),
  { file: 'BkavCA.dll', vendor: 'BKAV-CA' },
  { file: 'BkavCAv2S.dll', vendor: 'BKAV-CA' },
  { file: 'st3csp11.dll', vendor: '' },
  { file: 'CA2_csp11.dll', vendor: 'CA2' },
  ...range('nca_v', 4, 9, '.dll', 'NCA'),
  { file: 'newca_v4.dll', vendor: 'NewCA' },
  { file: 'Vina-CA*.dll', vendor: 'Vina-CA' },
  { file: 'Safe-ca_v1.dll', vendor: 'SAFE-CA' },
  { file: 'efy-ca_v1.dll', vendor: 'EFY-CA' },
  { file: 'fca_v1.dll', vendor: 'FastCA' },
  { file: 'misaca_csp11_v2.dll', vendor: 'MISA-CA' },
  { file: 'IDPrimePKCS1164.dll', vendor: 'Thales IDPrime' },
  { file: 'gclib.dll', vendor: 'Gemalto Classic Client' },
  { file: 'WDPKCS.dll', vendor: 'Watchdata' },
  { file: 'opensc-pkcs11.dll', vendor: 'OpenSC' },
];

const OPENSC = 'OpenSC';
const SOFTHSM = 'SoftHSM (test)';

/** Linux: vendor drivers, then OpenSC (Debian/Ubuntu multiarch, Fedora), then SoftHSM for the demo. */
export const LINUX_MODULE_PATHS: readonly KnownName[] = [
  ...['/usr/lib/libeTPkcs11.so', '/usr/lib64/libeTPkcs11.so', '/usr/local/lib/libeTPkcs11.so'].map((file) => ({ file, vendor: 'SafeNet eToken' })),
  ...['/usr/lib/libbit4xpki.so', '/usr/lib64/libbit4xpki.so', '/usr/local/lib/libbit4xpki.so'].map((file) => ({ file, vendor: 'Bit4id' })),
  ...['/usr/lib/libcastle.so', '/usr/lib/libcastle.so.1.0.0', '/usr/lib64/libcastle.so', '/usr/local/lib/libcastle.so'].map((file) => ({ file, vendor: 'Feitian ePass2003' })),
  { file: '/usr/lib/fptca_v4.so', vendor: 'FPT-CA' },
  ...[
    '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so',
    '/usr/lib/x86_64-linux-gnu/pkcs11/opensc-pkcs11.so',
    '/usr/lib/aarch64-linux-gnu/opensc-pkcs11.so',
    '/usr/lib/aarch64-linux-gnu/pkcs11/opensc-pkcs11.so',
    '/usr/lib64/opensc-pkcs11.so',
    '/usr/lib64/pkcs11/opensc-pkcs11.so',
    '/usr/lib/opensc-pkcs11.so',
    '/usr/lib/pkcs11/opensc-pkcs11.so',
    '/usr/local/lib/opensc-pkcs11.so',
  ].map((file) => ({ file, vendor: OPENSC })),
  ...[
    '/usr/lib/softhsm/libsofthsm2.so',
    '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
    '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so',
    '/usr/lib64/pkcs11/libsofthsm2.so',
    '/usr/local/lib/softhsm/libsofthsm2.so',
  ].map((file) => ({ file, vendor: SOFTHSM })),
];

/** macOS: vendor drivers, OpenSC (installer, Homebrew on Intel and Apple silicon), SoftHSM from Homebrew. */
export const MACOS_MODULE_PATHS: readonly KnownName[] = [
  ...['/usr/local/lib/libeTPkcs11.dylib', '/Library/Frameworks/eToken.framework/Versions/Current/libeToken.dylib'].map((file) => ({ file, vendor: 'SafeNet eToken' })),
  ...['/usr/local/lib/libbit4xpki.dylib', '/Library/bit4id/pkcs11/libbit4xpki.dylib'].map((file) => ({ file, vendor: 'Bit4id' })),
  { file: '/usr/local/lib/libcastle.1.0.0.dylib', vendor: 'Feitian ePass2003' },
  ...['/Library/OpenSC/lib/opensc-pkcs11.so', '/usr/local/lib/opensc-pkcs11.so', '/opt/homebrew/lib/opensc-pkcs11.so'].map((file) => ({ file, vendor: OPENSC })),
  ...['/opt/homebrew/lib/softhsm/libsofthsm2.so', '/usr/local/lib/softhsm/libsofthsm2.so'].map((file) => ({ file, vendor: SOFTHSM })),
];

export function hostOs(platform: string = process.platform): HostOs {
  return platform === 'win32' ? 'win32' : platform === 'darwin' ? 'darwin' : 'linux';
}

function defaultListDir(dir: string): readonly string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function isPattern(file: string): boolean {
  return file.includes('*');
}

/** Names in `dir` matching "Prefix*.ext", leaving out the CSP companions "X_s.dll". */
function expandPattern(dir: string, pattern: string, listDir: (d: string) => readonly string[]): string[] {
  const star = pattern.indexOf('*');
  const prefix = pattern.slice(0, star).toLowerCase();
  const suffix = pattern.slice(star + 1).toLowerCase();
  return listDir(dir)
    .filter((name) => {
      const n = name.toLowerCase();
      return n.startsWith(prefix) && n.endsWith(suffix) && n.length >= prefix.length + suffix.length && !n.endsWith(`_s${suffix}`);
    })
    .sort();
}

/**
 * Every place the built-in list would look on `platform`, existing or not, in order of preference (patterns are
 * expanded only when listDir is given). Windows: System32 holds modules of the host's own bitness; SysWOW64
 * holds 32-bit ones, loadable only by a 32-bit host.
 */
export function knownModuleCandidates(opts: Pick<DiscoverOptions, 'platform' | 'arch' | 'env' | 'listDir'> = {}): ModuleCandidate[] {
  const os = hostOs(opts.platform);
  if (os === 'win32') {
    const env = opts.env ?? process.env;
    const systemRoot = env.SystemRoot ?? env.SYSTEMROOT ?? env.windir ?? 'C:\\Windows';
    const programFiles = env.ProgramFiles ?? 'C:\\Program Files';
    const host32 = (opts.arch ?? process.arch) === 'ia32';
    const dirs: { dir: string; loadable: boolean }[] = [
      { dir: path.win32.join(systemRoot, 'System32'), loadable: true },
      { dir: path.win32.join(systemRoot, 'SysWOW64'), loadable: host32 },
    ];
    const out: ModuleCandidate[] = [];
    for (const { dir, loadable } of dirs) {
      for (const k of WINDOWS_MODULE_NAMES) {
        const files = isPattern(k.file) ? (opts.listDir ? expandPattern(dir, k.file, opts.listDir) : []) : [k.file];
        for (const f of files) out.push({ path: path.win32.join(dir, f), vendor: k.vendor, source: 'known', loadable });
      }
    }
    out.push({ path: path.win32.join(programFiles, 'OpenSC Project', 'OpenSC', 'pkcs11', 'opensc-pkcs11.dll'), vendor: OPENSC, source: 'known', loadable: true });
    return out;
  }
  const list = os === 'darwin' ? MACOS_MODULE_PATHS : LINUX_MODULE_PATHS;
  return list.map((k) => ({ path: k.file, vendor: k.vendor, source: 'known' as const, loadable: true, ...(k.vendor === SOFTHSM ? { test: true } : {}) }));
}

/** A vendor hint for a path the user or IT gave, from its file name. */
export function vendorHint(modulePath: string): string {
  const base = (modulePath.split(/[\\/]/).pop() ?? '').toLowerCase();
  for (const k of [...WINDOWS_MODULE_NAMES, ...LINUX_MODULE_PATHS, ...MACOS_MODULE_PATHS]) {
    const name = (k.file.split('/').pop() ?? '').toLowerCase();
    if (isPattern(name) ? base.startsWith(name.slice(0, name.indexOf('*'))) : base === name) return k.vendor;
  }
  return '';
}

/**
 * The modules present on this machine: policy paths, then the user's, then the built-in list; each path once
 * (case-insensitively on Windows), only those that exist.
 */
function defaultRealpath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

export function discoverModules(opts: DiscoverOptions = {}): ModuleCandidate[] {
  const exists = opts.exists ?? existsSync;
  const os = hostOs(opts.platform);
  const listDir = opts.listDir ?? ((d: string) => defaultListDir(d));
  const real = opts.realpath ?? defaultRealpath;
  const key = (p: string) => (os === 'win32' ? p.toLowerCase().replace(/\//g, '\\') : p);
  const seen = new Set<string>();
  const out: ModuleCandidate[] = [];
  const add = (c: ModuleCandidate) => {
    const k = key(c.path);
    if (seen.has(k) || !exists(c.path)) return;
    // The first name wins (policy before user before the built-in list); later links to the same file are dropped.
    const rk = key(real(c.path));
    if (seen.has(rk)) return;
    seen.add(rk);
    seen.add(k);
    out.push(c);
  };
  for (const p of opts.policyPaths ?? []) add({ path: p, vendor: vendorHint(p), source: 'policy', loadable: true });
  for (const p of opts.userPaths ?? []) add({ path: p, vendor: vendorHint(p), source: 'user', loadable: true });
  for (const c of knownModuleCandidates({ ...opts, listDir })) add(c);
  return out;
}
