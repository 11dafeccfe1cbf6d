// kyso install-host / uninstall-host for real on Linux, through the built CLI: per user into a temporary HOME
// (manifests, an executable launcher that starts the CLI and answers a native messaging hello as Chrome would
// start it, rollback leaving HOME exactly as it was, uninstall touching nothing else), and system-wide into /etc
// and /usr/local/lib when running as root (everything written is removed again in finally, and the folders are
// compared with how they were before), plus the permission error for a user who is not root.

import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { closeSync, existsSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_ORIGIN } from '../../shared/protocol/extension-id.ts';
import { ROOT } from '../helpers/pki.ts';

const KYSO = join(ROOT, 'native-host', 'bin', 'kyso.mjs');
const MANIFEST = 'vn.kyso.host.json';
const BROWSER_DIRS = ['.config/google-chrome/NativeMessagingHosts', '.config/microsoft-edge/NativeMessagingHosts', '.config/chromium/NativeMessagingHosts'];
const isRoot = process.getuid?.() === 0;

const homes: string[] = [];
function newHome(): string {
  const h = mkdtempSync(join(tmpdir(), 'kyso-install-home-'));
  homes.push(h);
  return h;
}

function userEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
  delete env.XDG_CONFIG_HOME;
  delete env.XDG_DATA_HOME;
  delete env.KYSO_DEBUG;
  return env;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, input?: Buffer): SpawnSyncReturns<Buffer> {
  return spawnSync(cmd, args, { env, input, timeout: 60_000 });
}

function kyso(args: string[], env: NodeJS.ProcessEnv) {
  const r = run(process.execPath, [KYSO, ...args], env);
  return { code: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}

/** The manifest install-host must write for a launcher at path, spelled out. */
function expectedManifest(path: string): string {
  return (
    '{\n' +
    '  "name": "vn.kyso.host",\n' +
    '  "description": "KýSố – ký số văn bản PDF bằng USB token / KýSố – sign PDF documents with a USB token",\n' +
    `  "path": ${JSON.stringify(path)},\n` +
    '  "type": "stdio",\n' +
    '  "allowed_origins": [\n' +
    '    "chrome-extension://kkikmailolohkgijeoakdjhpnacmlfgi/"\n' +
    '  ]\n' +
    '}\n'
  );
}

/** Every entry under dir: type, permission bits, content — to prove a failed or undone step left nothing behind. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isDirectory()) {
        out[p] = `dir ${mode}`;
        walk(p);
      } else if (st.isSymbolicLink()) out[p] = `link ${readlinkSync(p)}`;
      else out[p] = `file ${mode} ${readFileSync(p).toString('base64')}`;
    }
  };
  walk(dir);
  return out;
}

/** Chrome's way of starting a host: the manifest's path, the origin as argument, framed JSON on stdin. `asUser`
 *  prefixes a command that changes user (setpriv). */
function helloThrough(program: string, env: NodeJS.ProcessEnv, asUser: string[] = []) {
  const body = Buffer.from(JSON.stringify({ id: 'h1', command: 'hello', params: { protocolVersion: 1, extensionVersion: '0.1.0' } }));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(body.length);
  const [cmd, ...args] = [...asUser, program, EXTENSION_ORIGIN];
  const r = spawnSync(cmd, args, { env, input: Buffer.concat([len, body]), cwd: dirname(program), timeout: 60_000 });
  expect(r.status, r.stderr.toString()).toBe(0);
  expect(r.stdout.readUInt32LE(0)).toBe(r.stdout.length - 4);
  return JSON.parse(r.stdout.subarray(4).toString('utf8')) as { id: string; ok: boolean; result?: { protocolVersion: number } };
}

beforeAll(() => {
  if (!existsSync(join(ROOT, 'native-host', 'dist', 'kyso.mjs'))) throw new Error('Build first: npm run build (npm test does it).');
});
afterAll(() => {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

describe('kyso install-host --user (Linux, temporary HOME)', () => {
  it('writes one manifest per browser and an executable launcher that starts kyso; uninstall removes them', () => {
    const home = newHome();
    const env = userEnv(home);
    const r = kyso(['install-host', '--user', '--browser', 'chrome,edge,chromium', '--json'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const launcher = join(home, '.local', 'share', 'kyso', 'kyso-host');
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ action: 'install', dryRun: false, platform: 'linux', scope: 'user', hostPath: launcher, browsers: ['chrome', 'edge', 'chromium'] });
    expect(out.files.map((f: { path: string }) => f.path)).toEqual([launcher, ...BROWSER_DIRS.map((d) => join(home, d, MANIFEST))]);

    for (const d of BROWSER_DIRS) {
      const m = join(home, d, MANIFEST);
      expect(readFileSync(m, 'utf8')).toBe(expectedManifest(launcher));
      expect(statSync(m).mode & 0o777).toBe(0o644);
      expect(readdirSync(join(home, d))).toEqual([MANIFEST]); // no temporary files left behind
    }
    // Folders created per user stay private.
    expect(statSync(join(home, '.config', 'google-chrome')).mode & 0o777).toBe(0o700);

    expect(statSync(launcher).mode & 0o777).toBe(0o755);
    const script = readFileSync(launcher, 'utf8');
    expect(script.startsWith('#!/bin/sh\n')).toBe(true);
    expect(script).toContain(`exec '${process.execPath}' '${realpathSync(KYSO)}' "$@"\n`);

    // The launcher runs the CLI with its arguments intact…
    const help = run(launcher, ['--help'], env);
    expect(help.status).toBe(0);
    expect(help.stdout.toString('utf8')).toContain('kyso install-host [--user | --system]');
    const dry = run(launcher, ['install-host', '--dry-run', '--json', '--dir', '/tmp/a b/$HOME "q"'], env);
    expect(dry.status, dry.stderr.toString()).toBe(0);
    expect(JSON.parse(dry.stdout.toString('utf8')).dataDir).toBe('/tmp/a b/$HOME "q"');
    // …and started the way Chrome starts a host, it is the host.
    expect(helloThrough(launcher, env)).toMatchObject({ id: 'h1', ok: true, result: { protocolVersion: 1 } });

    // Another application's manifest in the same folder stays.
    const other = join(home, BROWSER_DIRS[0], 'com.other.host.json');
    writeFileSync(other, JSON.stringify({ name: 'com.other.host', path: '/usr/bin/other', type: 'stdio', allowed_origins: [] }));
    const u = kyso(['uninstall-host', '--user', '--browser', 'chrome,edge,chromium', '--json'], env);
    expect(u.code, u.stderr).toBe(0);
    const removed = JSON.parse(u.stdout);
    expect(removed.removed.map((f: { path: string }) => f.path).sort()).toEqual([launcher, ...BROWSER_DIRS.map((d) => join(home, d, MANIFEST))].sort());
    expect(removed.removedDir).toBe(join(home, '.local', 'share', 'kyso'));
    for (const d of BROWSER_DIRS) expect(existsSync(join(home, d, MANIFEST))).toBe(false);
    expect(existsSync(launcher)).toBe(false);
    expect(existsSync(other)).toBe(true);

    // A second uninstall finds nothing and succeeds.
    const again = kyso(['uninstall-host'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Không có gì để gỡ');
  });

  it('defaults to --user and all three browsers, and installs again over itself', () => {
    const home = newHome();
    const env = userEnv(home);
    expect(kyso(['install-host'], env).code).toBe(0);
    const first = snapshot(home);
    const r = kyso(['install-host'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Đã cài vn.kyso.host cho người dùng hiện tại');
    expect(snapshot(home)).toEqual(first);
    expect(Object.keys(first).filter((p) => p.endsWith(MANIFEST))).toHaveLength(3);
  });

  it('--browser chooses the browsers; uninstall of one browser leaves the others', () => {
    const home = newHome();
    const env = userEnv(home);
    expect(kyso(['install-host', '--browser', 'edge,chrome'], env).code).toBe(0);
    expect(existsSync(join(home, BROWSER_DIRS[0], MANIFEST))).toBe(true);
    expect(existsSync(join(home, BROWSER_DIRS[1], MANIFEST))).toBe(true);
    expect(existsSync(join(home, '.config', 'chromium'))).toBe(false);
    expect(kyso(['uninstall-host', '--browser', 'edge'], env).code).toBe(0);
    expect(existsSync(join(home, BROWSER_DIRS[1], MANIFEST))).toBe(false);
    expect(readFileSync(join(home, BROWSER_DIRS[0], MANIFEST), 'utf8')).toContain('"name": "vn.kyso.host"');
  });

  it('rolls back on a failure part way: HOME ends exactly as it was, an earlier manifest restored byte for byte', () => {
    const home = newHome();
    const env = userEnv(home);
    mkdirSync(join(home, BROWSER_DIRS[0]), { recursive: true });
    writeFileSync(join(home, BROWSER_DIRS[0], MANIFEST), '{"name":"vn.kyso.host","path":"/old/kyso"}\n', { mode: 0o640 });
    writeFileSync(join(home, '.config', 'chromium'), 'a file where Chromium\'s folder should be');
    const before = snapshot(home);
    const r = kyso(['install-host'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^INSTALL_FAILED: Không cài được phần mềm KýSố cho trình duyệt; những gì đã ghi đã được gỡ lại\. \(.*\.config\/chromium\/NativeMessagingHosts\/vn\.kyso\.host\.json: ENOTDIR\)/);
    expect(r.stdout).toBe('');
    expect(snapshot(home)).toEqual(before);
  });

  it('a dry run writes nothing and shows the plan, for this platform or (with --platform) for Windows', () => {
    const home = newHome();
    const r = kyso(['install-host', '--dry-run'], userEnv(home));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Chạy thử, chưa ghi gì');
    expect(r.stdout).toContain(join(home, BROWSER_DIRS[2], MANIFEST));
    const w = kyso(['install-host', '--platform', 'win32', '--system', '--dry-run', '--json', '--browser', 'chrome'], { ...userEnv(home), ProgramFiles: 'C:\\Program Files' });
    expect(w.code, w.stderr).toBe(0);
    expect(JSON.parse(w.stdout).registry).toEqual([
      { browser: 'chrome', key: 'HKLM\\Software\\Google\\Chrome\\NativeMessagingHosts\\vn.kyso.host', value: 'C:\\Program Files\\KySo\\vn.kyso.host.json' },
    ]);
    expect(kyso(['uninstall-host', '--dry-run'], userEnv(home)).code).toBe(0);
    expect(readdirSync(home)).toEqual([]);
  });

  it('reports bad usage with code INVALID_ARGUMENT and exit status 2', () => {
    const env = userEnv(newHome());
    for (const args of [
      ['install-host', '--user', '--system'],
      ['install-host', '--browser', 'firefox'],
      ['install-host', 'extra'],
      ['install-host', '--platform', 'win32'],
      ['uninstall-host', '--bogus'],
    ]) {
      const r = kyso(args, env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^INVALID_ARGUMENT: /);
    }
  });
});

// --system on this machine: the real folders. Serialised against another test run from any checkout by a lock
// file, and everything the test created is removed in finally; the folders are compared before and after.
const SYSTEM_FILES = [
  '/usr/local/lib/kyso/kyso-host',
  '/etc/opt/chrome/native-messaging-hosts/vn.kyso.host.json',
  '/etc/opt/edge/native-messaging-hosts/vn.kyso.host.json',
  '/etc/chromium/native-messaging-hosts/vn.kyso.host.json',
];
const LOCK = join(tmpdir(), 'kyso-install-host-system-test.lock');

/** Every folder from / down to each file's folder. */
function systemDirs(): string[] {
  const dirs = new Set<string>();
  for (const f of SYSTEM_FILES) for (let d = dirname(f); d !== '/'; d = dirname(d)) dirs.add(d);
  return [...dirs].sort((a, b) => a.length - b.length || a.localeCompare(b));
}

function systemState(): Record<string, string> {
  const out: Record<string, string> = {};
  // Only the entries install-host may create are compared: other tests (the Chromium policy suites write
  // /etc/chromium/policies) and the system itself change the rest of /etc meanwhile.
  const ours = new Set<string>([...systemDirs(), ...SYSTEM_FILES]);
  for (const d of systemDirs()) {
    const st = lstatSync(d, { throwIfNoEntry: false });
    const entries = st?.isDirectory() ? readdirSync(d).filter((e) => ours.has(join(d, e))).sort().join(',') : '';
    out[d] = st ? `${st.isDirectory() ? 'dir' : 'other'} ${(st.mode & 0o7777).toString(8)} [${entries}]` : 'absent';
  }
  for (const f of SYSTEM_FILES) out[f] = existsSync(f) ? 'present' : 'absent';
  return out;
}

function withLock<T>(f: () => T): T {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      const fd = openSync(LOCK, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number(readFileSync(LOCK, 'utf8'));
      let alive = true;
      try {
        process.kill(holder, 0);
      } catch {
        alive = false;
      }
      if (!alive) unlinkSync(LOCK);
      else if (Date.now() > deadline) throw new Error(`${LOCK} held by process ${holder} for two minutes.`);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    return f();
  } finally {
    unlinkSync(LOCK);
  }
}

/** Removes what the test wrote: our files, then the folders that did not exist before, deepest first. */
function restoreSystem(before: Record<string, string>): void {
  for (const f of SYSTEM_FILES) if (before[f] === 'absent') rmSync(f, { force: true });
  for (const d of systemDirs().reverse()) if (before[d] === 'absent') rmSync(d, { recursive: true, force: true });
}

/** The unprivileged user nobody, the way a browser of an ordinary user runs. */
const AS_NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'];
function kysoAsNobody(args: string[], env: NodeJS.ProcessEnv) {
  const r = spawnSync(AS_NOBODY[0], [...AS_NOBODY.slice(1), process.execPath, KYSO, ...args], { env, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}
const hasSetpriv = spawnSync('setpriv', ['--version']).status === 0;

describe('kyso install-host --system (Linux)', () => {
  it('writes the manifests into /etc and the launcher into /usr/local/lib/kyso, readable and runnable by every user; uninstall removes them', (ctx) => {
    if (!isRoot) return ctx.skip('needs root: --system writes to /etc and /usr/local/lib (run the tests as root to cover it)');
    withLock(() => {
      const before = systemState();
      const present = SYSTEM_FILES.filter((f) => before[f] !== 'absent');
      if (present.length) return ctx.skip(`a KýSố system install is already on this machine (${present.join(', ')}); not touching it`);
      const env = userEnv(newHome());
      try {
        const r = kyso(['install-host', '--system', '--browser', 'chrome,edge,chromium'], env);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toContain('cho mọi người dùng trên máy');
        const launcher = SYSTEM_FILES[0];
        for (const m of SYSTEM_FILES.slice(1)) {
          expect(readFileSync(m, 'utf8')).toBe(expectedManifest(launcher));
          expect(statSync(m).mode & 0o777).toBe(0o644);
          for (let d = dirname(m); d !== '/'; d = dirname(d)) expect(statSync(d).mode & 0o005, d).toBe(0o005);
        }
        expect(statSync(launcher).mode & 0o777).toBe(0o755);
        expect(statSync(dirname(launcher)).mode & 0o777).toBe(0o755);
        expect(run(launcher, ['--help'], env).stdout.toString('utf8')).toContain('kyso uninstall-host');
        if (hasSetpriv) {
          // What a browser running as an ordinary user does: read the manifest, start the path, say hello.
          const cat = spawnSync(AS_NOBODY[0], [...AS_NOBODY.slice(1), 'cat', SYSTEM_FILES[1]]);
          expect(cat.stdout.toString('utf8')).toBe(expectedManifest(launcher));
          expect(helloThrough(launcher, { ...env, HOME: '/nonexistent' }, AS_NOBODY)).toMatchObject({ ok: true, result: { protocolVersion: 1 } });
        }

        const u = kyso(['uninstall-host', '--system'], env);
        expect(u.code, u.stderr).toBe(0);
        for (const f of SYSTEM_FILES) expect(existsSync(f), f).toBe(false);
        expect(existsSync('/usr/local/lib/kyso')).toBe(before['/usr/local/lib/kyso'] !== 'absent');
        expect(kyso(['uninstall-host', '--system'], env).code).toBe(0);
      } finally {
        restoreSystem(before);
      }
      expect(systemState()).toEqual(before);
    });
  });

  it('without root: PERMISSION_DENIED with the sudo hint, nothing written', (ctx) => {
    if (!isRoot) return ctx.skip('needs root to start the CLI as the unprivileged user nobody');
    if (!hasSetpriv) return ctx.skip('setpriv (util-linux) is not installed');
    withLock(() => {
      const before = systemState();
      try {
        const env = userEnv('/nonexistent');
        const r = kysoAsNobody(['install-host', '--system'], env);
        expect(r.code, r.stderr).toBe(1);
        expect(r.stderr).toMatch(/^PERMISSION_DENIED: Không đủ quyền .* Hãy chạy với quyền quản trị\/sudo, hoặc cài cho riêng người dùng này \(--user\)\. \(\/usr\/local\/lib\/kyso\/kyso-host\)\n/);
        expect(r.stdout).toBe('');
        const j = kysoAsNobody(['install-host', '--system', '--json'], env);
        expect(JSON.parse(j.stderr).error).toMatchObject({ code: 'PERMISSION_DENIED', details: { path: '/usr/local/lib/kyso/kyso-host' } });
        // Nothing of ours is there, so there is nothing to be refused.
        expect(kysoAsNobody(['uninstall-host', '--system'], env).code).toBe(0);
      } finally {
        restoreSystem(before);
      }
      expect(systemState()).toEqual(before);
    });
  });
});
