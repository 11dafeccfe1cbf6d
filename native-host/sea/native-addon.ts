// Native addons inside the single executable. A SEA asset cannot be loaded from memory: the loader writes it to a
// per-user cache folder, under a name made from its SHA-256 (so each build's addon has its own file and a file
// that is there is only ever reused when its bytes are the asset's), and loads it with process.dlopen. The write
// is atomic (temporary file, then rename), so two kyso processes starting at once never see half a library.
//
// Only the SEA bundle includes this file (scripts/package/build-host.mjs routes pkcs11js's
// require("./build/Release/pkcs11.node") here); `npx kyso` and the tests load the addon from node_modules.

import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { getAsset, isSea } from 'node:sea';

/** Where the addon may be written, best first. KYSO_CACHE_DIR overrides them all. */
export function cacheDirs(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string[] {
  if (env.KYSO_CACHE_DIR) return [env.KYSO_CACHE_DIR];
  const dirs: string[] = [];
  let home: string | undefined;
  try {
    home = homedir();
  } catch {
    home = undefined;
  }
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA ?? (home ? join(home, 'AppData', 'Local') : undefined);
    if (local) dirs.push(join(local, 'KySo', 'cache'));
  } else if (platform === 'darwin') {
    if (home) dirs.push(join(home, 'Library', 'Caches', 'KySo'));
  } else {
    const xdg = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : home ? join(home, '.cache') : undefined;
    if (xdg) dirs.push(join(xdg, 'kyso'));
  }
  // A home that is read-only or mounted noexec: a private folder in the temporary directory.
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  dirs.push(join(tmpdir(), uid === undefined ? 'kyso-cache' : `kyso-cache-${uid}`));
  return dirs;
}

/** Creates dir (owner-only) and refuses one that is a link or belongs to another user. */
function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  if (!st.isDirectory()) throw new Error(`${dir} is not a directory`);
  if (typeof process.getuid === 'function' && st.uid !== process.getuid()) throw new Error(`${dir} belongs to another user`);
}

function sameBytes(file: string, bytes: Uint8Array): boolean {
  try {
    return Buffer.from(readFileSync(file)).equals(bytes);
  } catch {
    return false;
  }
}

/** Writes bytes to dir/name unless an identical file is already there; returns the path. */
function materialize(dir: string, name: string, bytes: Uint8Array): string {
  ensurePrivateDir(dir);
  const file = join(dir, name);
  if (sameBytes(file, bytes)) return file;
  const tmp = join(dir, `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fd = openSync(tmp, 'wx', 0o700);
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(tmp, 0o700);
    try {
      renameSync(tmp, file);
    } catch (e) {
      // Windows: the file exists and another kyso has it loaded. Fine when it is the same library.
      if (!sameBytes(file, bytes)) throw e;
    }
  } finally {
    rmSync(tmp, { force: true });
  }
  return file;
}

const loaded = new Map<string, unknown>();

/**
 * The exports of the native addon stored as SEA asset `asset` (for example "pkcs11.node"): what
 * require("…/pkcs11.node") returns when the addon is a file.
 */
export function loadAddonAsset(asset: string): unknown {
  const done = loaded.get(asset);
  if (done) return done;
  if (!isSea()) throw new Error(`The native addon ${asset} is packed only inside the kyso executable.`);
  const bytes = new Uint8Array(getAsset(asset));
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 32);
  const name = asset.replace(/\.node$/, '') + `-${hash}.node`;
  const failures: string[] = [];
  for (const dir of cacheDirs()) {
    let file: string;
    try {
      file = materialize(dir, name, bytes);
    } catch (e) {
      failures.push(`${dir}: ${(e as Error).message}`);
      continue;
    }
    try {
      const module = { exports: {} as unknown };
      process.dlopen(module, file);
      loaded.set(asset, module.exports);
      return module.exports;
    } catch (e) {
      // A folder on a noexec mount writes fine and fails here; the next folder may do.
      failures.push(`${file}: ${(e as Error).message}`);
    }
  }
  throw new Error(`Cannot load the native addon ${asset}:\n  ${failures.join('\n  ')}`);
}
