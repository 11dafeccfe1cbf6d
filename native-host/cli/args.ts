// Argument parsing shared by the subcommands: typed values, Vietnamese errors for bad usage.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { KysoError } from '@kyso/shared/protocol/errors';
import { checkUrl } from '@kyso/shared/ltv/net';

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

/** --tsa (http/https only) and --net-timeout (seconds), as `sign` and `extend` take them. */
export function networkOptions(values: { tsa?: string; 'net-timeout'?: string }): { tsa?: string; timeoutMs?: number } {
  if (values.tsa) {
    try {
      checkUrl(values.tsa);
    } catch {
      throw usage('--tsa must be an http:// or https:// URL.', '--tsa phải là địa chỉ http:// hoặc https://.');
    }
  }
  let timeoutMs: number | undefined;
  if (values['net-timeout']) {
    timeoutMs = Number(values['net-timeout']) * 1000;
    if (!(timeoutMs > 0)) throw usage('--net-timeout must be a number of seconds.', '--net-timeout phải là số giây.');
  }
  return { tsa: values.tsa, timeoutMs };
}
