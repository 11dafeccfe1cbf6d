// Output files appear whole or not at all: written to a temporary file beside the target, then renamed.

import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { KysoError } from '@kyso/shared/protocol/errors';

export function writeFileAtomic(target: string, data: Uint8Array): void {
  const abs = resolve(target);
  const tmp = join(dirname(abs), `.${basename(abs)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, abs);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      /* nothing was created */
    }
    throw new KysoError('IO_ERROR', `Cannot write ${target}: ${(e as Error).message}`, undefined, { cause: e });
  }
}
