// In host mode stdout is the message channel: a single stray byte breaks the framing for good. guardStdout() keeps
// the real writer for the frames and sends everything else written to process.stdout (console.log, console.info,
// console.table, a library's process.stdout.write) to stderr instead, where Chrome's log picks it up.
// main.ts calls it before any other host module is evaluated. (A native library writing to file descriptor 1
// directly is beyond its reach.)

export interface Channel {
  /** Writes bytes to the real stdout. */
  write(bytes: Buffer): void;
  /** Resolves when everything written has been handed to the OS (or the pipe is gone). */
  flush(): Promise<void>;
  /** Set once stdout failed (EPIPE: the browser closed the pipe). */
  readonly broken: boolean;
  /** Called once when stdout fails. */
  onBroken(fn: () => void): void;
}

let installed: Channel | null = null;

export function guardStdout(): Channel {
  if (installed) return installed;
  const out = process.stdout;
  const realWrite = out.write.bind(out) as (chunk: Uint8Array, cb: (err?: Error | null) => void) => boolean;
  const errWrite = process.stderr.write.bind(process.stderr) as (...a: unknown[]) => boolean;
  out.write = ((...a: unknown[]) => errWrite(...a)) as typeof out.write;
  // console writes through process.stdout.write, which is redirected now; these make the intent explicit and cover
  // consoles that cached the stream's method.
  const toErr = console.error.bind(console);
  console.log = toErr;
  console.info = toErr;
  console.debug = toErr;

  let pending = 0;
  let waiters: (() => void)[] = [];
  let broken = false;
  const brokenListeners: (() => void)[] = [];
  const settle = () => {
    if (pending > 0) return;
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  out.on('error', () => {
    if (broken) return;
    broken = true;
    pending = 0;
    settle();
    for (const f of brokenListeners) f();
  });
  // A closed stderr must not turn a log line into an uncaught 'error' event.
  process.stderr.on('error', () => undefined);
  installed = {
    write(bytes: Buffer) {
      if (broken) return;
      pending++;
      realWrite(bytes, () => {
        pending = Math.max(0, pending - 1);
        settle();
      });
    },
    flush() {
      if (pending === 0 || broken) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    get broken() {
      return broken;
    },
    onBroken(fn: () => void) {
      if (broken) fn();
      else brokenListeners.push(fn);
    },
  };
  return installed;
}
