// The single executable (npm run package:host) as a user gets it: the file alone in an empty folder, run from
// another folder with a bare environment (no NODE_PATH, no repository paths, a fresh HOME). It must list the
// SoftHSM token through the pkcs11js addon it carries, sign at a #ChuKyLanhDao marker (pdf.js inside it) with the
// fonts it carries, and answer the extension's hello in host mode. On Linux, strace (when installed) shows that
// it opens nothing of the repository but the test tokens.

import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSignaturePng } from '../../scripts/samples/images.ts';
import { makeVnDocument } from '../../scripts/samples/vn-document.ts';
import { ensureTestEnv, type TestEnv } from '../../scripts/testenv/testenv.ts';
import { EXTENSION_ORIGIN } from '../../shared/protocol/extension-id.ts';
import { PROTOCOL_VERSION } from '../../shared/protocol/messages.ts';
import { PdfReader } from '../../shared/pdf/reader.ts';
import { signatureWidgets } from '../../shared/sign/fields.ts';
import { ROOT } from '../helpers/pki.ts';
import { expectGoodSignatures, tmpDir } from '../helpers/validators.ts';

const EXE_NAME = process.platform === 'win32' ? 'kyso.exe' : 'kyso';
const BUILT = join(ROOT, 'dist-host', `${process.platform}-${process.arch}`, EXE_NAME);
const HOST_MODE = join(ROOT, 'native-host', 'host', 'run-host.ts');
/** Host mode is there once main.ts hands chrome-extension:// invocations to native-host/host/. */
const hostModeWired = existsSync(HOST_MODE) && /host\//.test(readFileSync(join(ROOT, 'native-host', 'main.ts'), 'utf8'));
const hasStrace = process.platform === 'linux' && spawnSync('strace', ['-V']).status === 0;

let env: TestEnv;
let base: string | undefined;
let exe: string;
let work: string;
let home: string;

/** Only what a user's session would have: PATH, HOME, and the SoftHSM configuration of the test tokens. */
function bareEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8', SOFTHSM2_CONF: env.softhsmConf, ...extra };
  if (process.platform === 'win32') Object.assign(e, { PATH: process.env.PATH, SYSTEMROOT: process.env.SYSTEMROOT, LOCALAPPDATA: join(home, 'AppData', 'Local') });
  return e;
}

function run(args: string[], extra: Record<string, string> = {}, prefix: string[] = []) {
  const [cmd, ...rest] = [...prefix, exe, ...args];
  const r = spawnSync(cmd, rest, { cwd: work, env: bareEnv(extra), encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function addonCache(): string[] {
  const dir = join(home, '.cache', 'kyso');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.node')).map((f) => join(dir, f)) : [];
}

beforeAll(() => {
  env = ensureTestEnv();
  // Reuses dist-host/ when nothing that goes into the executable changed (a content hash), else builds (~10 s).
  const b = spawnSync(process.execPath, [join(ROOT, 'scripts', 'package', 'build-host.mjs'), '--quiet'], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
  if (b.status !== 0) throw new Error(`npm run package:host failed:\n${b.stdout}${b.stderr}`);
  base = tmpDir('kyso-sea-');
  const bin = join(base, 'bin');
  work = join(base, 'work');
  home = join(base, 'home');
  for (const d of [bin, work, home]) mkdirSync(d);
  exe = join(bin, EXE_NAME);
  copyFileSync(BUILT, exe);
  chmodSync(exe, 0o755);
  writeFileSync(join(work, 'qd.pdf'), makeVnDocument({ markers: true }));
  writeFileSync(join(work, 'sig.png'), makeSignaturePng());
}, 300_000);

// The copy is 100 MB: never leave it behind.
afterAll(() => {
  if (base) rmSync(base, { recursive: true, force: true });
});

describe('kyso single executable', () => {
  it('prints its help without node’s experimental-feature warning', () => {
    const r = run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('kyso sign IN.pdf');
    expect(r.stderr).toBe('');
    expect(readdirSync(join(exe, '..'))).toEqual([EXE_NAME]);
  });

  it('lists the demo token through the pkcs11js addon it carries, written once to the user cache', () => {
    const r = run(['tokens', '--module', env.softhsmModule, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`"label": "${env.demoToken}"`);
    const [addon, ...more] = addonCache();
    expect(more).toEqual([]);
    expect(addon).toMatch(/pkcs11-[0-9a-f]{32}\.node$/);
    const first = statSync(addon);
    // Reused as it is on the next start; replaced when it is not the asset's bytes.
    expect(run(['tokens', '--module', env.softhsmModule, '--json']).code).toBe(0);
    expect(statSync(addon).mtimeMs).toBe(first.mtimeMs);
    writeFileSync(addon, 'not a library');
    const again = run(['tokens', '--module', env.softhsmModule, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(statSync(addon).size).toBe(first.size);
  });

  it('signs at the #ChuKyLanhDao marker (pdf.js inside) where the npm bundle signs, and pdfsig calls it valid', () => {
    const args = ['sign', 'qd.pdf', '-o', 'out.pdf', '--module', env.softhsmModule, '--token', env.demoToken, '--cert', 'leader', '--mode', 'approval', '--image', 'sig.png'];
    const trace = join(home, 'strace.log');
    const strace = hasStrace ? ['strace', '-f', '-qq', '-o', trace, '-e', 'trace=open,openat,openat2,execve,stat,lstat,newfstatat,statx,access,faccessat,faccessat2,readlink'] : [];
    const r = run(args, { KYSO_PIN: env.userPin }, strace);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expectGoodSignatures(join(work, 'out.pdf'), ['KySo1']);

    // The same document signed by the bundle `npx kyso` runs (pdf.js from node_modules): the same place.
    const bundle = join(ROOT, 'native-host', 'bin', 'kyso.mjs');
    if (!existsSync(join(ROOT, 'native-host', 'dist', 'kyso.mjs'))) spawnSync(process.execPath, [join(ROOT, 'native-host', 'build.mjs')], { cwd: ROOT });
    const ref = spawnSync(process.execPath, [bundle, ...args.map((a) => (a === 'out.pdf' ? 'ref.pdf' : a))], { cwd: work, env: { ...process.env, SOFTHSM2_CONF: env.softhsmConf, KYSO_PIN: env.userPin }, encoding: 'utf8' });
    expect(ref.status, ref.stderr).toBe(0);
    const rect = (f: string) => signatureWidgets(PdfReader.open(new Uint8Array(readFileSync(join(work, f))))).map((w) => w.rect);
    expect(rect('out.pdf')).toEqual(rect('ref.pdf'));
    expect(rect('out.pdf')).toHaveLength(1);

    if (hasStrace) {
      const paths = [...readFileSync(trace, 'utf8').matchAll(/"([^"]*)"/g)].map((m) => m[1]);
      expect(paths.length).toBeGreaterThan(10);
      const repo = paths.filter((p) => p.startsWith(ROOT) && !p.startsWith(join(ROOT, '.kyso')));
      expect(repo, 'files of the repository the executable looked at').toEqual([]);
      expect(paths.filter((p) => p.includes('node_modules'))).toEqual([]);
    }
  });

  it.skipIf(!hostModeWired)('answers hello in host mode (native messaging framing on stdin/stdout)', async () => {
    const child = spawn(exe, [EXTENSION_ORIGIN], { cwd: work, env: bareEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    const request = Buffer.from(JSON.stringify({ id: 'sea-1', command: 'hello', params: { protocolVersion: PROTOCOL_VERSION, extensionVersion: '0.1.0' } }));
    const header = Buffer.alloc(4);
    header.writeUInt32LE(request.length);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const reply = await new Promise<Record<string, unknown>>((resolve, reject) => {
      let buf = Buffer.alloc(0);
      const timer = setTimeout(() => reject(new Error(`no reply in 20 s; stderr: ${stderr}`)), 20_000);
      child.stdout.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        if (buf.length >= 4 && buf.length >= 4 + buf.readUInt32LE(0)) {
          clearTimeout(timer);
          resolve(JSON.parse(buf.subarray(4, 4 + buf.readUInt32LE(0)).toString('utf8')) as Record<string, unknown>);
        }
      });
      child.on('error', reject);
      child.on('exit', (code) => reject(new Error(`host exited with ${code} before replying; stderr: ${stderr}`)));
      child.stdin.write(Buffer.concat([header, request]));
    });
    expect(reply, stderr).toMatchObject({ id: 'sea-1', ok: true, result: { protocolVersion: PROTOCOL_VERSION } });
    // The browser closing the port closes stdin: the host ends by itself.
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill();
        resolve(-1);
      }, 15_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
      child.stdin.end();
    });
    expect(code, stderr).toBe(0);
  });
});
