// Carries out a plan. Install is all or nothing: every directory created, file replaced and registry value set is
// journalled, and on the first failure the journal is undone in reverse (created directories removed, replaced
// files restored byte for byte, new keys deleted, changed keys set back). Uninstall removes only what KýSố
// wrote — a manifest named vn.kyso.host, a launcher carrying our mark, our .reg files, our registry keys — leaves
// the browsers' folders and everyone else's manifests alone, and does nothing the second time.

import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmdirSync, symlinkSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { ERROR_TEXTS, KysoError, isKysoError } from '@kyso/shared/protocol/errors';
import { writeFileAtomic } from '../cli/write-file.ts';
import { isOurManifest } from './manifest.ts';
import type { FileKind, Plan, RegistryOp } from './plan.ts';
import { LAUNCHER_MARK } from './program.ts';
import { isOurRegFile, type Hive } from './reg-file.ts';
import type { Registry } from './registry.ts';

export interface ExecuteOptions {
  /** Required when the plan has registry values (Windows); regExe in production, a fake in tests. */
  registry?: Registry;
}

export interface InstallResult {
  files: { kind: FileKind; path: string }[];
  registry: RegistryOp[];
}

export interface UninstallResult {
  removed: { kind: FileKind; path: string }[];
  registryRemoved: RegistryOp[];
  /** Files at our paths that KýSố did not write; left in place. */
  kept: { kind: FileKind; path: string }[];
  /** KýSố's folder, when it was left empty and removed. */
  removedDir?: string;
}

const PERMISSION_CODES = new Set(['EACCES', 'EPERM', 'EROFS']);

function errnoOf(e: unknown): string | undefined {
  for (let c: unknown = e, i = 0; c && i < 5; c = (c as { cause?: unknown }).cause, i++) {
    const code = (c as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** A typed error for a failed step: PERMISSION_DENIED (with the sudo/administrator hint) or the given code. */
function stepError(e: unknown, code: 'INSTALL_FAILED' | 'UNINSTALL_FAILED', path: string): KysoError {
  if (isKysoError(e, 'PERMISSION_DENIED')) return e;
  const errno = errnoOf(e);
  const msg = e instanceof Error ? e.message : String(e);
  if (errno && PERMISSION_CODES.has(errno))
    return new KysoError('PERMISSION_DENIED', `${path}: ${msg}`, { path }, { cause: e, vi: `${ERROR_TEXTS.PERMISSION_DENIED.vi} (${path})` });
  return new KysoError(code, `${path}: ${msg}`, { path }, { cause: e, vi: `${ERROR_TEXTS[code].vi} (${path}: ${errno ?? msg})` });
}

type Previous = { type: 'file'; data: Uint8Array; mode: number } | { type: 'link'; target: string } | undefined;

class Journal {
  private readonly dirs: string[] = [];
  private readonly files: { path: string; previous: Previous }[] = [];
  private readonly keys: { hive: Hive; key: string; previous: string | undefined }[] = [];

  constructor(private readonly dirMode: number) {}

  /** Creates dir and its missing parents, remembering each one created. */
  ensureDir(dir: string): void {
    const missing: string[] = [];
    for (let d = dir; !existsSync(d); d = dirname(d)) {
      missing.unshift(d);
      if (dirname(d) === d) break;
    }
    for (const d of missing) {
      mkdirSync(d, { mode: this.dirMode });
      this.dirs.push(d);
      chmodSync(d, this.dirMode); // mkdir's mode goes through the umask
    }
  }

  /** Remembers what is at path before it is replaced. */
  saveFile(path: string): void {
    let previous: Previous;
    try {
      const st = lstatSync(path);
      if (st.isSymbolicLink()) previous = { type: 'link', target: readlinkSync(path) };
      else if (st.isFile()) previous = { type: 'file', data: new Uint8Array(readFileSync(path)), mode: st.mode & 0o7777 };
      else throw new KysoError('INSTALL_FAILED', `${path} exists and is not a file.`, { path }, { vi: `${path} đã có và không phải là tệp.` });
    } catch (e) {
      if (errnoOf(e) !== 'ENOENT') throw e;
    }
    this.files.push({ path, previous });
  }

  saveKey(hive: Hive, key: string, previous: string | undefined): void {
    this.keys.push({ hive, key, previous });
  }

  /** Undoes everything journalled, newest first; returns what could not be undone. */
  rollback(registry: Registry | undefined): string[] {
    const failed: string[] = [];
    const attempt = (what: string, f: () => void) => {
      try {
        f();
      } catch {
        failed.push(what);
      }
    };
    for (const k of this.keys.reverse())
      attempt(`${k.hive}\\${k.key}`, () => (k.previous === undefined ? registry?.remove(k.hive, k.key) : registry?.set(k.hive, k.key, k.previous)));
    for (const f of this.files.reverse())
      attempt(f.path, () => {
        const prev = f.previous;
        if (prev === undefined) {
          if (existsSync(f.path)) unlinkSync(f.path);
        } else if (prev.type === 'link') {
          unlinkSync(f.path);
          symlinkSync(prev.target, f.path);
        } else {
          writeFileAtomic(f.path, prev.data);
          chmodSync(f.path, prev.mode);
        }
      });
    for (const d of this.dirs.reverse()) attempt(d, () => rmdirSync(d));
    return failed;
  }
}

export function installHost(plan: Plan, opts: ExecuteOptions = {}): InstallResult {
  if (plan.registry.length > 0 && !opts.registry) throw new KysoError('INTERNAL_ERROR', 'A Windows plan needs a registry to write to.');
  // Per-user folders stay private (a browser profile folder created here is later the browser's own); system-wide
  // ones must be readable by every user the browser runs as.
  const journal = new Journal(plan.scope === 'system' ? 0o755 : 0o700);
  let current = '';
  try {
    for (const f of plan.files) {
      current = f.path;
      journal.ensureDir(dirname(f.path));
      journal.saveFile(f.path);
      writeFileAtomic(f.path, f.data);
      chmodSync(f.path, f.mode); // the temporary file's mode went through the umask
    }
    for (const r of plan.registry) {
      current = `${r.hive}\\${r.key}`;
      const registry = opts.registry as Registry;
      journal.saveKey(r.hive, r.key, registry.get(r.hive, r.key));
      registry.set(r.hive, r.key, r.value);
    }
  } catch (e) {
    const err = stepError(e, 'INSTALL_FAILED', current);
    const failed = journal.rollback(opts.registry);
    if (failed.length === 0) throw err;
    throw new KysoError(err.code, `${err.message} Rollback incomplete: ${failed.join(', ')}`, { ...err.details, rollbackFailed: failed.join('\n') }, {
      cause: err.cause,
      vi: `${err.messageVi} Không gỡ lại được: ${failed.join(', ')}.`,
    });
  }
  return { files: plan.files.map((f) => ({ kind: f.kind, path: f.path })), registry: plan.registry };
}

function ours(kind: FileKind, bytes: Uint8Array): boolean {
  if (kind === 'manifest') return isOurManifest(Buffer.from(bytes).toString('utf8'));
  if (kind === 'launcher') return Buffer.from(bytes).toString('utf8').includes(LAUNCHER_MARK);
  return isOurRegFile(bytes);
}

export function uninstallHost(plan: Plan, opts: ExecuteOptions = {}): UninstallResult {
  if (plan.registry.length > 0 && !opts.registry) throw new KysoError('INTERNAL_ERROR', 'A Windows plan needs a registry to remove from.');
  const result: UninstallResult = { removed: [], registryRemoved: [], kept: [] };
  // The launcher is looked for even when this program would not need one (a single executable replacing a checkout).
  const targets: { kind: FileKind; path: string }[] = plan.files.map((f) => ({ kind: f.kind, path: f.path }));
  if (!targets.some((t) => t.path === plan.launcherPath)) targets.unshift({ kind: 'launcher', path: plan.launcherPath });
  for (const r of plan.registry) {
    try {
      const registry = opts.registry as Registry;
      if (registry.get(r.hive, r.key) === undefined) continue;
      registry.remove(r.hive, r.key);
      result.registryRemoved.push(r);
    } catch (e) {
      throw stepError(e, 'UNINSTALL_FAILED', `${r.hive}\\${r.key}`);
    }
  }
  for (const t of targets) {
    try {
      const st = lstatSync(t.path, { throwIfNoEntry: false });
      if (!st) continue;
      if (!st.isFile() || !ours(t.kind, new Uint8Array(readFileSync(t.path)))) {
        result.kept.push(t);
        continue;
      }
      unlinkSync(t.path);
      result.removed.push(t);
    } catch (e) {
      throw stepError(e, 'UNINSTALL_FAILED', t.path);
    }
  }
  try {
    rmdirSync(plan.dataDir);
    result.removedDir = plan.dataDir;
  } catch {
    /* absent, or holds something else: leave it */
  }
  return result;
}
