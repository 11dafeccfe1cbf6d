// The pure half of install-host: the manifest's exact bytes, where each platform's browsers look, the Windows
// registry keys and .reg files, and the launchers. Windows and macOS are planned here on Linux from injected
// environments.

import { describe, expect, it } from 'vitest';
import { manifestJson, isOurManifest } from '../../native-host/install/manifest.ts';
import { planHost, type Plan, type PlanInput } from '../../native-host/install/plan.ts';
import { posixLauncher, windowsLauncher, type HostProgram } from '../../native-host/install/program.ts';
import { isOurRegFile, regFile } from '../../native-host/install/reg-file.ts';

const NODE_LINUX: HostProgram = { kind: 'node', node: '/usr/bin/node', script: '/srv/kyso/native-host/bin/kyso.mjs' };
const NODE_WIN: HostProgram = { kind: 'node', node: 'C:\\Program Files\\nodejs\\node.exe', script: 'C:\\src\\kyso\\native-host\\bin\\kyso.mjs' };
const SEA_WIN: HostProgram = { kind: 'executable', path: 'C:\\Program Files\\KySo\\kyso.exe' };
const WIN_ENV = { LOCALAPPDATA: 'C:\\Users\\An\\AppData\\Local', USERPROFILE: 'C:\\Users\\An', ProgramFiles: 'C:\\Program Files' };
const ALL = ['chrome', 'edge', 'chromium'] as const;

const plan = (p: Partial<PlanInput> & Pick<PlanInput, 'platform' | 'env' | 'program'>): Plan => planHost({ scope: 'user', browsers: ALL, ...p });
const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');
const paths = (p: Plan) => p.files.map((f) => [f.kind, f.path]);
const decodeReg = (b: Uint8Array) => Buffer.from(b.subarray(2)).toString('utf16le');

describe('host manifest', () => {
  it('is exactly this JSON: our name, both languages, the program, stdio, only our extension', () => {
    expect(manifestJson('/home/an/.local/share/kyso/kyso-host')).toBe(
      `{
  "name": "vn.kyso.host",
  "description": "KýSố – ký số văn bản PDF bằng USB token / KýSố – sign PDF documents with a USB token",
  "path": "/home/an/.local/share/kyso/kyso-host",
  "type": "stdio",
  "allowed_origins": [
    "chrome-extension://kkikmailolohkgijeoakdjhpnacmlfgi/"
  ]
}
`,
    );
  });

  it('escapes a Windows path as JSON', () => {
    expect(manifestJson('C:\\Program Files\\KySo\\kyso.exe')).toContain('"path": "C:\\\\Program Files\\\\KySo\\\\kyso.exe",');
    expect(JSON.parse(manifestJson('C:\\Program Files\\KySo\\kyso.exe')).path).toBe('C:\\Program Files\\KySo\\kyso.exe');
  });

  it('is recognised as ours only with our name', () => {
    expect(isOurManifest(manifestJson('/x'))).toBe(true);
    expect(isOurManifest(JSON.stringify({ name: 'com.other.host', path: '/x' }))).toBe(false);
    expect(isOurManifest('not json')).toBe(false);
    expect(isOurManifest('null')).toBe(false);
  });
});

describe('Linux plan', () => {
  it('per user: ~/.config/{google-chrome,microsoft-edge,chromium}/NativeMessagingHosts, launcher in ~/.local/share/kyso', () => {
    const p = plan({ platform: 'linux', env: { HOME: '/home/an' }, program: NODE_LINUX });
    expect(paths(p)).toEqual([
      ['launcher', '/home/an/.local/share/kyso/kyso-host'],
      ['manifest', '/home/an/.config/google-chrome/NativeMessagingHosts/vn.kyso.host.json'],
      ['manifest', '/home/an/.config/microsoft-edge/NativeMessagingHosts/vn.kyso.host.json'],
      ['manifest', '/home/an/.config/chromium/NativeMessagingHosts/vn.kyso.host.json'],
    ]);
    expect(p.files.map((f) => f.browsers)).toEqual([[...ALL], ['chrome'], ['edge'], ['chromium']]);
    expect(p.files.map((f) => f.mode)).toEqual([0o755, 0o644, 0o644, 0o644]);
    expect(p.hostPath).toBe('/home/an/.local/share/kyso/kyso-host');
    expect(text(p.files[1].data)).toBe(manifestJson('/home/an/.local/share/kyso/kyso-host'));
    expect(text(p.files[0].data)).toBe(posixLauncher('/usr/bin/node', '/srv/kyso/native-host/bin/kyso.mjs'));
    expect(p.registry).toEqual([]);
  });

  it('system-wide: /etc/opt/chrome, /etc/opt/edge, /etc/chromium native-messaging-hosts; launcher in /usr/local/lib/kyso', () => {
    const p = plan({ platform: 'linux', scope: 'system', env: {}, program: NODE_LINUX });
    expect(paths(p)).toEqual([
      ['launcher', '/usr/local/lib/kyso/kyso-host'],
      ['manifest', '/etc/opt/chrome/native-messaging-hosts/vn.kyso.host.json'],
      ['manifest', '/etc/opt/edge/native-messaging-hosts/vn.kyso.host.json'],
      ['manifest', '/etc/chromium/native-messaging-hosts/vn.kyso.host.json'],
    ]);
  });

  it('honours XDG_CONFIG_HOME and XDG_DATA_HOME like Chrome, a browser subset and --dir', () => {
    const env = { HOME: '/home/an', XDG_CONFIG_HOME: '/cfg', XDG_DATA_HOME: '/data' };
    expect(paths(plan({ platform: 'linux', env, program: NODE_LINUX, browsers: ['chromium', 'chrome'] }))).toEqual([
      ['launcher', '/data/kyso/kyso-host'],
      ['manifest', '/cfg/google-chrome/NativeMessagingHosts/vn.kyso.host.json'],
      ['manifest', '/cfg/chromium/NativeMessagingHosts/vn.kyso.host.json'],
    ]);
    expect(plan({ platform: 'linux', env: { HOME: '/home/an', XDG_CONFIG_HOME: 'relative' }, program: NODE_LINUX }).files[1].path).toBe(
      '/home/an/.config/google-chrome/NativeMessagingHosts/vn.kyso.host.json',
    );
    expect(plan({ platform: 'linux', env: { HOME: '/home/an' }, program: NODE_LINUX, dir: '/opt/kyso' }).hostPath).toBe('/opt/kyso/kyso-host');
  });

  it('points a single executable at itself and writes no launcher', () => {
    const p = plan({ platform: 'linux', env: { HOME: '/home/an' }, program: { kind: 'executable', path: '/opt/kyso/kyso' } });
    expect(p.files.map((f) => f.kind)).toEqual(['manifest', 'manifest', 'manifest']);
    expect(p.hostPath).toBe('/opt/kyso/kyso');
    expect(p.launcherPath).toBe('/home/an/.local/share/kyso/kyso-host'); // still looked at by uninstall
    expect(JSON.parse(text(p.files[0].data)).path).toBe('/opt/kyso/kyso');
  });

  it('fails with a typed error without HOME, and on an empty browser list or a relative --dir', () => {
    expect(() => plan({ platform: 'linux', env: {}, program: NODE_LINUX })).toThrow(expect.objectContaining({ code: 'INSTALL_FAILED' }));
    expect(() => plan({ platform: 'linux', env: { HOME: '/h' }, program: NODE_LINUX, browsers: [] })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => plan({ platform: 'linux', env: { HOME: '/h' }, program: NODE_LINUX, dir: 'rel' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('macOS plan', () => {
  it('per user: ~/Library/Application Support/{Google/Chrome,Microsoft Edge,Chromium}/NativeMessagingHosts', () => {
    const p = plan({ platform: 'darwin', env: { HOME: '/Users/an' }, program: { kind: 'node', node: '/opt/homebrew/bin/node', script: '/Users/an/kyso/native-host/bin/kyso.mjs' } });
    expect(paths(p)).toEqual([
      ['launcher', '/Users/an/Library/Application Support/KySo/kyso-host'],
      ['manifest', '/Users/an/Library/Application Support/Google/Chrome/NativeMessagingHosts/vn.kyso.host.json'],
      ['manifest', '/Users/an/Library/Application Support/Microsoft Edge/NativeMessagingHosts/vn.kyso.host.json'],
      ['manifest', '/Users/an/Library/Application Support/Chromium/NativeMessagingHosts/vn.kyso.host.json'],
    ]);
    expect(JSON.parse(text(p.files[2].data)).path).toBe('/Users/an/Library/Application Support/KySo/kyso-host');
  });

  it('system-wide: /Library/Google/Chrome, /Library/Microsoft/Edge, /Library/Application Support/Chromium', () => {
    const p = plan({ platform: 'darwin', scope: 'system', env: { HOME: '/Users/an' }, program: { kind: 'executable', path: '/Applications/KySo.app/Contents/MacOS/kyso' } });
    expect(paths(p)).toEqual([
      ['manifest', '/Library/Google/Chrome/NativeMessagingHosts/vn.kyso.host.json'],
      ['manifest', '/Library/Microsoft/Edge/NativeMessagingHosts/vn.kyso.host.json'],
      ['manifest', '/Library/Application Support/Chromium/NativeMessagingHosts/vn.kyso.host.json'],
    ]);
    expect(p.launcherPath).toBe('/Library/Application Support/KySo/kyso-host');
    expect(p.hostPath).toBe('/Applications/KySo.app/Contents/MacOS/kyso');
  });
});

describe('Windows plan', () => {
  it('per user: launcher, manifest and .reg files in %LOCALAPPDATA%\\KySo, HKCU keys for Chrome, Edge and Chromium', () => {
    const p = plan({ platform: 'win32', env: WIN_ENV, program: NODE_WIN });
    const dir = 'C:\\Users\\An\\AppData\\Local\\KySo';
    expect(paths(p)).toEqual([
      ['launcher', `${dir}\\kyso-host.bat`],
      ['manifest', `${dir}\\vn.kyso.host.json`],
      ['reg-install', `${dir}\\kyso-host-install.reg`],
      ['reg-uninstall', `${dir}\\kyso-host-uninstall.reg`],
    ]);
    expect(p.hostPath).toBe(`${dir}\\kyso-host.bat`);
    expect(JSON.parse(text(p.files[1].data)).path).toBe(`${dir}\\kyso-host.bat`);
    expect(p.registry).toEqual([
      { browser: 'chrome', hive: 'HKCU', key: 'Software\\Google\\Chrome\\NativeMessagingHosts\\vn.kyso.host', value: `${dir}\\vn.kyso.host.json` },
      { browser: 'edge', hive: 'HKCU', key: 'Software\\Microsoft\\Edge\\NativeMessagingHosts\\vn.kyso.host', value: `${dir}\\vn.kyso.host.json` },
      { browser: 'chromium', hive: 'HKCU', key: 'Software\\Chromium\\NativeMessagingHosts\\vn.kyso.host', value: `${dir}\\vn.kyso.host.json` },
    ]);
  });

  it('system-wide: %ProgramFiles%\\KySo and HKLM keys; a single executable is the path itself', () => {
    const p = plan({ platform: 'win32', scope: 'system', env: WIN_ENV, program: SEA_WIN });
    expect(paths(p)).toEqual([
      ['manifest', 'C:\\Program Files\\KySo\\vn.kyso.host.json'],
      ['reg-install', 'C:\\Program Files\\KySo\\kyso-host-install.reg'],
      ['reg-uninstall', 'C:\\Program Files\\KySo\\kyso-host-uninstall.reg'],
    ]);
    expect(p.hostPath).toBe('C:\\Program Files\\KySo\\kyso.exe');
    expect(p.registry.map((r) => `${r.hive}\\${r.key}=${r.value}`)).toEqual([
      'HKLM\\Software\\Google\\Chrome\\NativeMessagingHosts\\vn.kyso.host=C:\\Program Files\\KySo\\vn.kyso.host.json',
      'HKLM\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\vn.kyso.host=C:\\Program Files\\KySo\\vn.kyso.host.json',
      'HKLM\\Software\\Chromium\\NativeMessagingHosts\\vn.kyso.host=C:\\Program Files\\KySo\\vn.kyso.host.json',
    ]);
  });

  it('reads the environment case-insensitively, falls back to USERPROFILE, honours --dir and --reg-dir', () => {
    expect(plan({ platform: 'win32', env: { localappdata: 'D:\\L' }, program: SEA_WIN }).files[0].path).toBe('D:\\L\\KySo\\vn.kyso.host.json');
    expect(plan({ platform: 'win32', env: { USERPROFILE: 'C:\\Users\\Bình' }, program: SEA_WIN }).files[0].path).toBe('C:\\Users\\Bình\\AppData\\Local\\KySo\\vn.kyso.host.json');
    expect(plan({ platform: 'win32', scope: 'system', env: {}, program: SEA_WIN }).files[0].path).toBe('C:\\Program Files\\KySo\\vn.kyso.host.json');
    const p = plan({ platform: 'win32', scope: 'system', env: WIN_ENV, program: SEA_WIN, browsers: ['edge'], dir: 'C:\\Program Files\\KySo\\bin', regDir: 'D:\\deploy' });
    expect(paths(p)).toEqual([
      ['manifest', 'C:\\Program Files\\KySo\\bin\\vn.kyso.host.json'],
      ['reg-install', 'D:\\deploy\\kyso-host-install.reg'],
      ['reg-uninstall', 'D:\\deploy\\kyso-host-uninstall.reg'],
    ]);
    expect(p.registry.map((r) => r.key)).toEqual(['Software\\Microsoft\\Edge\\NativeMessagingHosts\\vn.kyso.host']);
    expect(() => plan({ platform: 'win32', env: {}, program: SEA_WIN })).toThrow(expect.objectContaining({ code: 'INSTALL_FAILED' }));
  });

  it('writes .reg files as regedit does: UTF-16LE with BOM, version 5.00 header, CRLF, escaped backslashes', () => {
    const p = plan({ platform: 'win32', env: WIN_ENV, program: NODE_WIN, browsers: ['chrome', 'edge'] });
    const install = p.files.find((f) => f.kind === 'reg-install')!.data;
    const uninstall = p.files.find((f) => f.kind === 'reg-uninstall')!.data;
    for (const b of [install, uninstall]) {
      expect([...b.subarray(0, 6)]).toEqual([0xff, 0xfe, 0x57, 0x00, 0x69, 0x00]); // BOM, "Wi" in UTF-16LE
      expect(b.length % 2).toBe(0);
      expect(isOurRegFile(b)).toBe(true);
    }
    expect(decodeReg(install)).toBe(
      'Windows Registry Editor Version 5.00\r\n' +
        '\r\n' +
        '; KySo native messaging host vn.kyso.host: registration, the same as "kyso install-host".\r\n' +
        '\r\n' +
        '[HKEY_CURRENT_USER\\Software\\Google\\Chrome\\NativeMessagingHosts\\vn.kyso.host]\r\n' +
        '@="C:\\\\Users\\\\An\\\\AppData\\\\Local\\\\KySo\\\\vn.kyso.host.json"\r\n' +
        '\r\n' +
        '[HKEY_CURRENT_USER\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\vn.kyso.host]\r\n' +
        '@="C:\\\\Users\\\\An\\\\AppData\\\\Local\\\\KySo\\\\vn.kyso.host.json"\r\n' +
        '\r\n',
    );
    expect(decodeReg(uninstall)).toBe(
      'Windows Registry Editor Version 5.00\r\n' +
        '\r\n' +
        '; KySo native messaging host vn.kyso.host: removal, the same as "kyso uninstall-host".\r\n' +
        '\r\n' +
        '[-HKEY_CURRENT_USER\\Software\\Google\\Chrome\\NativeMessagingHosts\\vn.kyso.host]\r\n' +
        '\r\n' +
        '[-HKEY_CURRENT_USER\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\vn.kyso.host]\r\n' +
        '\r\n',
    );
  });

  it('encodes Vietnamese letters in .reg values as UTF-16 and uses HKEY_LOCAL_MACHINE system-wide', () => {
    const bytes = regFile([{ hive: 'HKLM', key: 'Software\\Chromium\\NativeMessagingHosts\\vn.kyso.host', value: 'C:\\Users\\Nguyễn\\"q".json' }], 'install');
    expect(decodeReg(bytes)).toContain('[HKEY_LOCAL_MACHINE\\Software\\Chromium\\NativeMessagingHosts\\vn.kyso.host]\r\n@="C:\\\\Users\\\\Nguyễn\\\\\\"q\\".json"\r\n');
    expect(Buffer.from(bytes).indexOf(Buffer.from('ễ', 'utf16le'))).toBeGreaterThan(0);
    expect(isOurRegFile(new Uint8Array(Buffer.from('Windows Registry Editor Version 5.00', 'utf8')))).toBe(false);
  });
});

describe('launchers', () => {
  it('POSIX: sh script that execs this Node on the kyso script with every argument, quoted literally', () => {
    expect(posixLauncher('/usr/bin/node', '/srv/kyso/native-host/bin/kyso.mjs')).toBe(
      '#!/bin/sh\n' +
        '# kyso-launcher for vn.kyso.host: written by "kyso install-host", removed by "kyso uninstall-host".\n' +
        '# The browser starts the host manifest\'s "path" directly; this runs kyso with the Node that installed it.\n' +
        "exec '/usr/bin/node' '/srv/kyso/native-host/bin/kyso.mjs' \"$@\"\n",
    );
    expect(posixLauncher('/n', "/it's $HOME/`x`/k.mjs")).toContain(`exec '/n' '/it'\\''s $HOME/\`x\`/k.mjs' "$@"\n`);
  });

  it('Windows: batch file with echo off, %* passed on, % doubled, chcp 65001 only for non-ASCII paths', () => {
    expect(windowsLauncher('C:\\Program Files\\nodejs\\node.exe', 'C:\\src\\kyso\\native-host\\bin\\kyso.mjs')).toBe(
      '@echo off\r\n' +
        'rem kyso-launcher for vn.kyso.host: written by "kyso install-host", removed by "kyso uninstall-host".\r\n' +
        '"C:\\Program Files\\nodejs\\node.exe" "C:\\src\\kyso\\native-host\\bin\\kyso.mjs" %*\r\n',
    );
    const vi = windowsLauncher('C:\\node\\node.exe', 'C:\\Users\\Nguyễn\\100%\\kyso.mjs');
    expect(vi.split('\r\n')).toEqual(['@echo off', expect.stringContaining('rem kyso-launcher'), 'chcp 65001 >nul', '"C:\\node\\node.exe" "C:\\Users\\Nguyễn\\100%%\\kyso.mjs" %*', '']);
  });
});
