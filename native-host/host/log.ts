// Host logs go to stderr (Chrome writes a host's stderr to its own log when started with --enable-logging).
// Never a PIN, a digest, a certificate or a document: request ids, commands, error codes and timings only.

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export interface Logger {
  error(msg: string): void;
  warn(msg: string): void;
  info(msg: string): void;
  debug(msg: string): void;
}

/** KYSO_HOST_LOG=error|warn|info|debug (default info). */
export function createLogger(level: string | undefined = process.env.KYSO_HOST_LOG): Logger {
  const max = RANK[(level ?? 'info') as LogLevel] ?? RANK.info;
  const emit = (l: LogLevel, msg: string) => {
    if (RANK[l] > max) return;
    // One line per record, whatever the message holds.
    process.stderr.write(`kyso-host ${new Date().toISOString()} ${l} ${msg.replace(/[\r\n]+/g, ' ')}\n`);
  };
  return {
    error: (m) => emit('error', m),
    warn: (m) => emit('warn', m),
    info: (m) => emit('info', m),
    debug: (m) => emit('debug', m),
  };
}
