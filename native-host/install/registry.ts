// The Windows registry through reg.exe (no native addon needed). Only the default value of our own keys is read,
// set and deleted. The executor takes any Registry, so tests on Linux use an in-memory one.

import { spawnSync } from 'node:child_process';
import { KysoError } from '@kyso/shared/protocol/errors';
import type { Hive } from './reg-file.ts';

export interface Registry {
  /** The key's default value; undefined when the key does not exist. */
  get(hive: Hive, key: string): string | undefined;
  /** Creates the key when needed and sets its default value (REG_SZ). */
  set(hive: Hive, key: string, value: string): void;
  /** Deletes the key with its values; nothing happens when it does not exist. */
  remove(hive: Hive, key: string): void;
}

interface RegResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

function reg(args: string[]): RegResult {
  const r = spawnSync('reg.exe', args, { encoding: 'utf8', windowsHide: true, timeout: 30_000 });
  if (r.error) throw new KysoError('INSTALL_FAILED', `reg.exe could not run: ${r.error.message}`, undefined, { cause: r.error });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function failure(what: string, hive: Hive, key: string, r: RegResult): KysoError {
  const text = (r.stderr || r.stdout).trim();
  const path = `${hive}\\${key}`;
  // reg.exe prints "ERROR: Access is denied." in the system language; HKLM without elevation is the usual cause.
  if (/access is denied|denied|từ chối/i.test(text) || (hive === 'HKLM' && r.status === 1 && what !== 'query'))
    return new KysoError('PERMISSION_DENIED', `reg ${what} ${path}: ${text}`, { path });
  return new KysoError('INSTALL_FAILED', `reg ${what} ${path} exited with ${r.status}: ${text}`, { path });
}

export const regExe: Registry = {
  get(hive, key) {
    const r = reg(['query', `${hive}\\${key}`, '/ve']);
    if (r.status !== 0) return undefined;
    // "    (Default)    REG_SZ    C:\…\vn.kyso.host.json" — "(Default)" is translated, the type is not.
    const m = /\sREG_(?:EXPAND_)?SZ\s{4}(.*)$/m.exec(r.stdout);
    return m ? m[1].replace(/\r$/, '') : '';
  },
  set(hive, key, value) {
    const r = reg(['add', `${hive}\\${key}`, '/ve', '/t', 'REG_SZ', '/d', value, '/f']);
    if (r.status !== 0) throw failure('add', hive, key, r);
  },
  remove(hive, key) {
    if (reg(['query', `${hive}\\${key}`]).status !== 0) return;
    const r = reg(['delete', `${hive}\\${key}`, '/f']);
    if (r.status !== 0) throw failure('delete', hive, key, r);
  },
};
