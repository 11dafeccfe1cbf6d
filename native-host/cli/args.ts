// Argument parsing shared by the subcommands: typed values, Vietnamese errors for bad usage.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { KysoError } from '@kyso/shared/protocol/errors';

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new KysoError('INVALID_ARGUMENT', (e as Error).message, undefined, { vi: `Tham số không hợp lệ: ${(e as Error).message}` });
  }
}

export function usage(en: string, vi: string): KysoError {
  return new KysoError('INVALID_ARGUMENT', en, undefined, { vi });
}
