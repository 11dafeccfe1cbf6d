// The executor on real files in a temporary folder, with an in-memory registry standing in for reg.exe: a Windows
// plan's files and keys, rollback when a key cannot be set (earlier keys set back, files and folders gone),
// uninstall touching only what is ours, twice.

import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, win32 } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installHost, uninstallHost } from '../../native-host/install/execute.ts';
import { planHost, type Plan } from '../../native-host/install/plan.ts';
import type { Hive } from '../../native-host/install/reg-file.ts';
import type { Registry } from '../../native-host/install/registry.ts';
import { tmpDir } from '../helpers/validators.ts';

class FakeRegistry implements Registry {
  readonly keys = new Map<string, string>();
  failOn?: string;
  get(hive: Hive, key: string) {
    return this.keys.get(`${hive}\\${key}`);
  }
  set(hive: Hive, key: string, value: string) {
    if (this.failOn && key.includes(this.failOn)) throw Object.assign(new Error('ERROR: Access is denied.'), { code: 'EACCES' });
    this.keys.set(`${hive}\\${key}`, value);
  }
  remove(hive: Hive, key: string) {
    this.keys.delete(`${hive}\\${key}`);
  }
}

let dir: string;
beforeEach(() => {
  dir = tmpDir('kyso-install-exec-');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A Windows plan whose files land in dir/KySo (Windows paths cannot be written on Linux). */
function windowsPlanIn(root: string): Plan {
  const p = planHost({
    platform: 'win32',
    scope: 'user',
    browsers: ['chrome', 'edge', 'chromium'],
    env: { LOCALAPPDATA: 'C:\\Users\\An\\AppData\\Local' },
    program: { kind: 'node', node: 'C:\\node\\node.exe', script: 'C:\\kyso\\native-host\\bin\\kyso.mjs' },
  });
  const here = (w: string) => join(root, 'KySo', win32.basename(w));
  return { ...p, dataDir: join(root, 'KySo'), launcherPath: here(p.launcherPath), files: p.files.map((f) => ({ ...f, path: here(f.path) })) };
}

const CHROME = 'HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\vn.kyso.host';

describe('executor with a registry', () => {
  it('writes the files, then sets one key per browser to the manifest path', () => {
    const reg = new FakeRegistry();
    const plan = windowsPlanIn(dir);
    const r = installHost(plan, { registry: reg });
    expect(r.files.map((f) => f.kind)).toEqual(['launcher', 'manifest', 'reg-install', 'reg-uninstall']);
    for (const f of plan.files) expect(new Uint8Array(readFileSync(f.path))).toEqual(f.data);
    expect([...reg.keys.keys()]).toEqual([CHROME, 'HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\vn.kyso.host', 'HKCU\\Software\\Chromium\\NativeMessagingHosts\\vn.kyso.host']);
    expect(new Set(reg.keys.values())).toEqual(new Set(['C:\\Users\\An\\AppData\\Local\\KySo\\vn.kyso.host.json']));
    expect(statSync(join(dir, 'KySo')).mode & 0o777).toBe(0o700);
  });

  it('rolls everything back when a key cannot be set: an earlier value comes back, new keys, files and folders go', () => {
    const reg = new FakeRegistry();
    reg.keys.set(CHROME, 'D:\\old\\vn.kyso.host.json');
    reg.keys.set('HKCU\\Software\\Other', 'x');
    reg.failOn = 'Chromium';
    const plan = windowsPlanIn(dir);
    expect(() => installHost(plan, { registry: reg })).toThrow(expect.objectContaining({ code: 'PERMISSION_DENIED' }));
    expect(Object.fromEntries(reg.keys)).toEqual({ [CHROME]: 'D:\\old\\vn.kyso.host.json', 'HKCU\\Software\\Other': 'x' });
    expect(existsSync(join(dir, 'KySo'))).toBe(false);
  });

  it('restores a file it replaced, byte for byte and with its mode, when a later step fails', () => {
    const reg = new FakeRegistry();
    reg.failOn = 'Edge';
    const plan = windowsPlanIn(dir);
    mkdirSync(join(dir, 'KySo'));
    writeFileSync(join(dir, 'KySo', 'vn.kyso.host.json'), 'previous install', { mode: 0o600 });
    writeFileSync(join(dir, 'KySo', 'notes.txt'), 'someone else');
    expect(() => installHost(plan, { registry: reg })).toThrow(expect.objectContaining({ code: 'PERMISSION_DENIED' }));
    expect(readFileSync(join(dir, 'KySo', 'vn.kyso.host.json'), 'utf8')).toBe('previous install');
    expect(statSync(join(dir, 'KySo', 'vn.kyso.host.json')).mode & 0o777).toBe(0o600);
    expect(existsSync(join(dir, 'KySo', 'kyso-host.bat'))).toBe(false);
    expect(reg.keys.size).toBe(0);
    expect(readFileSync(join(dir, 'KySo', 'notes.txt'), 'utf8')).toBe('someone else');
  });

  it('uninstalls keys and our files only, keeps the folder while it holds something else, and is idempotent', () => {
    const reg = new FakeRegistry();
    const plan = windowsPlanIn(dir);
    installHost(plan, { registry: reg });
    reg.keys.set('HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\com.other.host', 'C:\\other.json');
    writeFileSync(join(dir, 'KySo', 'notes.txt'), 'someone else');
    const r = uninstallHost(plan, { registry: reg });
    expect(r.registryRemoved.map((k) => k.browser)).toEqual(['chrome', 'edge', 'chromium']);
    expect(r.removed.map((f) => f.kind)).toEqual(['launcher', 'manifest', 'reg-install', 'reg-uninstall']);
    expect(r.removedDir).toBeUndefined();
    expect([...reg.keys.keys()]).toEqual(['HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\com.other.host']);
    expect(readFileSync(join(dir, 'KySo', 'notes.txt'), 'utf8')).toBe('someone else');
    const again = uninstallHost(plan, { registry: reg });
    expect(again).toEqual({ removed: [], registryRemoved: [], kept: [] });
  });

  it('leaves a file at our path that is not ours: a foreign launcher, a manifest with another name, a foreign .reg', () => {
    const reg = new FakeRegistry();
    const plan = windowsPlanIn(dir);
    mkdirSync(join(dir, 'KySo'));
    writeFileSync(join(dir, 'KySo', 'kyso-host.bat'), '@echo off\r\nsomething.exe %*\r\n');
    writeFileSync(join(dir, 'KySo', 'vn.kyso.host.json'), JSON.stringify({ name: 'com.other.host' }));
    writeFileSync(join(dir, 'KySo', 'kyso-host-install.reg'), 'REGEDIT4\r\n');
    const r = uninstallHost(plan, { registry: reg });
    expect(r.removed).toEqual([]);
    expect(r.kept.map((f) => f.kind)).toEqual(['launcher', 'manifest', 'reg-install']);
    expect(existsSync(join(dir, 'KySo', 'kyso-host.bat'))).toBe(true);
  });

  it('refuses a Windows plan without a registry', () => {
    expect(() => installHost(windowsPlanIn(dir))).toThrow(expect.objectContaining({ code: 'INTERNAL_ERROR' }));
    expect(existsSync(join(dir, 'KySo'))).toBe(false);
  });
});
