// What install-host writes and uninstall-host removes, per platform, scope and browser: a pure function of its
// input (platform, environment, program), so the Windows and macOS plans are tested on Linux. execute.ts carries
// a plan out.
//
// Where the browsers look (Chrome, Edge and Chromium documentation; Linux honours XDG_CONFIG_HOME like Chrome):
//   Linux   user    $XDG_CONFIG_HOME|~/.config/{google-chrome,microsoft-edge,chromium}/NativeMessagingHosts
//           system  /etc/opt/chrome, /etc/opt/edge, /etc/chromium + /native-messaging-hosts
//   macOS   user    ~/Library/Application Support/{Google/Chrome,Microsoft Edge,Chromium}/NativeMessagingHosts
//           system  /Library/Google/Chrome, /Library/Microsoft/Edge, /Library/Application Support/Chromium
//                   + /NativeMessagingHosts
//   Windows the registry key HKCU|HKLM\Software\{Google\Chrome,Microsoft\Edge,Chromium}\NativeMessagingHosts\
//           vn.kyso.host, default value = full path of the manifest, which lives in KýSố's own folder.
// KýSố's own folder (the launcher; on Windows also the manifest and the .reg files):
//   Linux   $XDG_DATA_HOME|~/.local/share/kyso      system /usr/local/lib/kyso
//   macOS   ~/Library/Application Support/KySo       system /Library/Application Support/KySo
//   Windows %LOCALAPPDATA%\KySo                       system %ProgramFiles%\KySo
// --dir replaces KýSố's folder (an installer may put it next to kyso.exe); --reg-dir only where .reg files go.

import { posix, win32 } from 'node:path';
import { HOST_NAME } from '@kyso/shared/protocol/extension-id';
import { KysoError } from '@kyso/shared/protocol/errors';
import { MANIFEST_FILE, manifestJson } from './manifest.ts';
import { posixLauncher, windowsLauncher, type HostProgram } from './program.ts';
import { REG_INSTALL_FILE, REG_UNINSTALL_FILE, regFile, type Hive, type RegistryValue } from './reg-file.ts';

export type Platform = 'linux' | 'darwin' | 'win32';
export type Scope = 'user' | 'system';
export type Browser = 'chrome' | 'edge' | 'chromium';

export const PLATFORMS: readonly Platform[] = ['linux', 'darwin', 'win32'];
export const BROWSERS: readonly Browser[] = ['chrome', 'edge', 'chromium'];
export const BROWSER_NAMES: Record<Browser, string> = { chrome: 'Google Chrome', edge: 'Microsoft Edge', chromium: 'Chromium' };

export type Env = Readonly<Record<string, string | undefined>>;

export interface PlanInput {
  platform: Platform;
  scope: Scope;
  browsers: readonly Browser[];
  /** HOME, XDG_CONFIG_HOME, XDG_DATA_HOME; on Windows LOCALAPPDATA, USERPROFILE, ProgramFiles, SystemDrive. */
  env: Env;
  program: HostProgram;
  /** Absolute; replaces KýSố's own folder. */
  dir?: string;
  /** Absolute; Windows only: where the .reg files go (default: KýSố's folder). */
  regDir?: string;
}

export type FileKind = 'manifest' | 'launcher' | 'reg-install' | 'reg-uninstall';

export interface PlannedFile {
  kind: FileKind;
  path: string;
  data: Uint8Array;
  /** POSIX permission bits set after writing (Windows ignores them). */
  mode: number;
  /** The browsers this file serves (a Windows manifest serves all of them). */
  browsers: Browser[];
}

export interface RegistryOp extends RegistryValue {
  browser: Browser;
}

export interface Plan {
  platform: Platform;
  scope: Scope;
  browsers: Browser[];
  program: HostProgram;
  /** KýSố's own folder; uninstall removes it when it is left empty. */
  dataDir: string;
  /** The manifest's "path": the single executable or the launcher. */
  hostPath: string;
  /** Where the launcher lives; written only for node + bundle, removed on uninstall either way (when ours). */
  launcherPath: string;
  /** In the order they are written. */
  files: PlannedFile[];
  /** Windows only, in the order they are set. */
  registry: RegistryOp[];
}

const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

const WINDOWS_KEYS: Record<Browser, string> = {
  chrome: 'Software\\Google\\Chrome\\NativeMessagingHosts',
  edge: 'Software\\Microsoft\\Edge\\NativeMessagingHosts',
  chromium: 'Software\\Chromium\\NativeMessagingHosts',
};

const LINUX_USER_DIRS: Record<Browser, string> = { chrome: 'google-chrome', edge: 'microsoft-edge', chromium: 'chromium' };
const LINUX_SYSTEM_DIRS: Record<Browser, string> = {
  chrome: '/etc/opt/chrome/native-messaging-hosts',
  edge: '/etc/opt/edge/native-messaging-hosts',
  chromium: '/etc/chromium/native-messaging-hosts',
};
const MAC_USER_DIRS: Record<Browser, string> = { chrome: 'Google/Chrome', edge: 'Microsoft Edge', chromium: 'Chromium' };
const MAC_SYSTEM_DIRS: Record<Browser, string> = {
  chrome: '/Library/Google/Chrome/NativeMessagingHosts',
  edge: '/Library/Microsoft/Edge/NativeMessagingHosts',
  chromium: '/Library/Application Support/Chromium/NativeMessagingHosts',
};

/** Environment lookup; case-insensitive on Windows, where variable names are. Empty counts as unset. */
function getEnv(env: Env, name: string, platform: Platform): string | undefined {
  if (platform !== 'win32') return env[name] || undefined;
  const key = Object.keys(env).find((k) => k.toLowerCase() === name.toLowerCase());
  return (key && env[key]) || undefined;
}

function noHome(what: string): KysoError {
  return new KysoError('INSTALL_FAILED', `${what} is not set; cannot tell where the browser looks.`, undefined, {
    vi: `Không xác định được thư mục của người dùng (biến môi trường ${what} chưa đặt), nên không biết trình duyệt tìm ở đâu.`,
  });
}

/** The NativeMessagingHosts folder of a browser on Linux or macOS. */
export function manifestDir(platform: 'linux' | 'darwin', scope: Scope, browser: Browser, env: Env): string {
  if (scope === 'system') return platform === 'linux' ? LINUX_SYSTEM_DIRS[browser] : MAC_SYSTEM_DIRS[browser];
  const home = getEnv(env, 'HOME', platform);
  if (!home) throw noHome('HOME');
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', MAC_USER_DIRS[browser], 'NativeMessagingHosts');
  const xdg = getEnv(env, 'XDG_CONFIG_HOME', platform);
  const config = xdg && posix.isAbsolute(xdg) ? xdg : posix.join(home, '.config');
  return posix.join(config, LINUX_USER_DIRS[browser], 'NativeMessagingHosts');
}

/** KýSố's own folder (launcher; on Windows the manifest and .reg files too). */
export function dataDir(platform: Platform, scope: Scope, env: Env): string {
  if (platform === 'win32') {
    if (scope === 'system') {
      const pf = getEnv(env, 'ProgramFiles', platform) ?? win32.join(getEnv(env, 'SystemDrive', platform) ?? 'C:', '\\Program Files');
      return win32.join(pf, 'KySo');
    }
    const local = getEnv(env, 'LOCALAPPDATA', platform);
    if (local) return win32.join(local, 'KySo');
    const profile = getEnv(env, 'USERPROFILE', platform);
    if (!profile) throw noHome('LOCALAPPDATA');
    return win32.join(profile, 'AppData', 'Local', 'KySo');
  }
  if (scope === 'system') return platform === 'linux' ? '/usr/local/lib/kyso' : '/Library/Application Support/KySo';
  const home = getEnv(env, 'HOME', platform);
  if (!home) throw noHome('HOME');
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', 'KySo');
  const xdg = getEnv(env, 'XDG_DATA_HOME', platform);
  return posix.join(xdg && posix.isAbsolute(xdg) ? xdg : posix.join(home, '.local', 'share'), 'kyso');
}

export function registryKey(browser: Browser): string {
  return `${WINDOWS_KEYS[browser]}\\${HOST_NAME}`;
}

export function planHost(input: PlanInput): Plan {
  const { platform, scope, env, program } = input;
  const browsers = BROWSERS.filter((b) => input.browsers.includes(b));
  if (browsers.length === 0) throw new KysoError('INVALID_ARGUMENT', 'No browser selected.', undefined, { vi: 'Chưa chọn trình duyệt nào (chrome, edge, chromium).' });
  const path = platform === 'win32' ? win32 : posix;
  for (const d of [input.dir, input.regDir]) {
    if (d !== undefined && !path.isAbsolute(d)) throw new KysoError('INVALID_ARGUMENT', `Not an absolute path: ${d}`, undefined, { vi: `Cần đường dẫn tuyệt đối: ${d}` });
  }
  const own = input.dir ?? dataDir(platform, scope, env);
  const launcherPath = path.join(own, platform === 'win32' ? 'kyso-host.bat' : 'kyso-host');
  const hostPath = program.kind === 'executable' ? program.path : launcherPath;
  const files: PlannedFile[] = [];
  if (program.kind === 'node') {
    const text = platform === 'win32' ? windowsLauncher(program.node, program.script) : posixLauncher(program.node, program.script);
    files.push({ kind: 'launcher', path: launcherPath, data: utf8(text), mode: 0o755, browsers });
  }
  const manifest = utf8(manifestJson(hostPath));
  const registry: RegistryOp[] = [];
  if (platform === 'win32') {
    const manifestPath = win32.join(own, MANIFEST_FILE);
    files.push({ kind: 'manifest', path: manifestPath, data: manifest, mode: 0o644, browsers });
    const hive: Hive = scope === 'system' ? 'HKLM' : 'HKCU';
    for (const b of browsers) registry.push({ browser: b, hive, key: registryKey(b), value: manifestPath });
    const regDir = input.regDir ?? own;
    files.push({ kind: 'reg-install', path: win32.join(regDir, REG_INSTALL_FILE), data: regFile(registry, 'install'), mode: 0o644, browsers });
    files.push({ kind: 'reg-uninstall', path: win32.join(regDir, REG_UNINSTALL_FILE), data: regFile(registry, 'uninstall'), mode: 0o644, browsers });
  } else {
    for (const b of browsers) files.push({ kind: 'manifest', path: posix.join(manifestDir(platform, scope, b, env), MANIFEST_FILE), data: manifest, mode: 0o644, browsers: [b] });
  }
  return { platform, scope, browsers, program, dataDir: own, hostPath, launcherPath, files, registry };
}
