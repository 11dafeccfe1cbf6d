// How the CLI reports: results on stdout, errors on stderr as "CODE: Vietnamese text" plus the English text.

import { asKysoError, type KysoError } from '@kyso/shared/protocol/errors';

export function printError(e: unknown, json = false): KysoError {
  const err = asKysoError(e);
  if (json) process.stderr.write(JSON.stringify({ error: err.toPayload() }) + '\n');
  else process.stderr.write(`${err.code}: ${err.messageVi}\n  (${err.message})\n`);
  if (process.env.KYSO_DEBUG && err.cause instanceof Error && err.cause.stack) process.stderr.write(err.cause.stack + '\n');
  return err;
}

/** Exit codes: 0 success, 1 a failure the user can act on, 2 bad usage, 3 internal error. */
export function exitCodeFor(err: KysoError): number {
  if (err.code === 'INVALID_ARGUMENT') return 2;
  if (err.code === 'INTERNAL_ERROR') return 3;
  return 1;
}
