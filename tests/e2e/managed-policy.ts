// Platform policy for Debian's Chromium, for the browser tests: Chromium on Linux reads
// /etc/chromium/policies/managed/*.json at start, and the "3rdparty" → "extensions" → <id> part of a file becomes
// that extension's chrome.storage.managed. Writing there needs root and affects every Chromium on the machine, so:
// one writer at a time (an exclusive lock file; a lock whose process has gone is taken over), the folder's prior
// content recorded (every file and folder under /etc/chromium/policies with bytes and mode) and restored exactly in
// finally, and a check that it was.

import { chmodSync, closeSync, existsSync, lstatSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const POLICY_ROOT = process.env.KYSO_CHROMIUM_POLICY_ROOT ?? '/etc/chromium/policies';
export const MANAGED_DIR = join(POLICY_ROOT, 'managed');
export const TEST_POLICY_FILE = join(MANAGED_DIR, 'kyso-test.json');
export const LOCK_FILE = '/tmp/kyso-chromium-policy.lock';

export type Snapshot = Map<string, { kind: 'dir'; mode: number } | { kind: 'file'; mode: number; bytes: Buffer }>;

/** Every entry under root (root included) with its mode and, for files, bytes; empty when root does not exist. */
export function snapshot(root: string): Snapshot {
  const out: Snapshot = new Map();
  const walk = (p: string) => {
    const st = lstatSync(p);
    if (st.isDirectory()) {
      out.set(p, { kind: 'dir', mode: st.mode & 0o7777 });
      for (const e of readdirSync(p).sort()) walk(join(p, e));
    } else {
      out.set(p, { kind: 'file', mode: st.mode & 0o7777, bytes: readFileSync(p) });
    }
  };
  if (existsSync(root)) walk(root);
  return out;
}

export function sameSnapshot(a: Snapshot, b: Snapshot): boolean {
  if (a.size !== b.size) return false;
  for (const [p, x] of a) {
    const y = b.get(p);
    if (!y || y.kind !== x.kind || y.mode !== x.mode) return false;
    if (x.kind === 'file' && y.kind === 'file' && !x.bytes.equals(y.bytes)) return false;
  }
  return true;
}

/** Puts root back as recorded: removes what was added, rewrites what changed. */
export function restore(root: string, before: Snapshot): void {
  const now = snapshot(root);
  // Deepest first, so folders are empty when their turn comes.
  for (const p of [...now.keys()].sort((a, b) => b.length - a.length)) {
    if (!before.has(p)) rmSync(p, { recursive: true, force: true });
  }
  for (const [p, e] of [...before].sort(([a], [b]) => a.length - b.length)) {
    if (e.kind === 'dir') {
      mkdirSync(p, { recursive: true });
      chmodSync(p, e.mode);
    } else {
      const cur = now.get(p);
      if (!cur || cur.kind !== 'file' || !cur.bytes.equals(e.bytes)) writeFileSync(p, e.bytes);
      chmodSync(p, e.mode);
    }
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the machine-wide lock (waits up to timeoutMs); returns its release. */
export async function lockPolicy(timeoutMs = 120_000): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(LOCK_FILE, 'wx', 0o644);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(LOCK_FILE, 'utf8') === String(process.pid)) rmSync(LOCK_FILE);
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = Number(readFileSync(LOCK_FILE, 'utf8').trim());
    if (!(holder > 0) || !processAlive(holder)) {
      rmSync(LOCK_FILE, { force: true }); // left by a run that died
      continue;
    }
    if (Date.now() > deadline) throw new Error(`${LOCK_FILE} is held by process ${holder}.`);
    await sleep(250);
  }
}

export function canWritePolicy(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * Runs fn with {"3rdparty": {"extensions": {<id>: policy}}} in TEST_POLICY_FILE, under the lock, and restores
 * POLICY_ROOT exactly afterwards whatever happens (throws if the restore did not give back the same tree).
 */
export async function withExtensionPolicy<T>(extensionId: string, policy: Record<string, unknown>, fn: () => Promise<T>): Promise<T> {
  return withPolicyFile(JSON.stringify({ '3rdparty': { extensions: { [extensionId]: policy } } }, null, 2), fn);
}

/** The same with the file's text as given (a generated template, byte for byte). */
export async function withPolicyFile<T>(text: string, fn: () => Promise<T>): Promise<T> {
  const release = await lockPolicy();
  const before = snapshot(POLICY_ROOT);
  try {
    mkdirSync(MANAGED_DIR, { recursive: true, mode: 0o755 });
    writeFileSync(TEST_POLICY_FILE, text, { mode: 0o644 });
    return await fn();
  } finally {
    try {
      restore(POLICY_ROOT, before);
      if (!sameSnapshot(before, snapshot(POLICY_ROOT))) throw new Error(`${POLICY_ROOT} was not restored exactly.`);
    } finally {
      release();
    }
  }
}
