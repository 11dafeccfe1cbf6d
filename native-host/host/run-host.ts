// The native messaging host: checks the caller's origin, reads framed requests from stdin, answers on stdout
// through the guarded channel, and ends cleanly.
//
// Exit codes:
//   0  stdin closed (the browser disconnected the port), SIGTERM/SIGINT, or stdout closed
//   2  the caller's origin is not the KýSố extension (after a HOST_FORBIDDEN reply to its first message)
//   3  a length prefix above 64 MiB, which no browser sends: the stream cannot be followed (after a
//      MESSAGE_TOO_LARGE reply with id "")
//  70  the host could not start (an internal error before the first message)

import { KysoError } from '@kyso/shared/protocol/errors';
import { EXTENSION_ORIGIN } from '@kyso/shared/protocol/extension-id';
import { MAX_REQUEST_BYTES, type Reply } from '@kyso/shared/protocol/messages';
import type { HostConfig } from './command.ts';
import { Dispatcher, describe, MAX_ID_LENGTH } from './dispatcher.ts';
import { BROWSER_MAX_REQUEST_BYTES, encodeFrame, FrameReader, idFromHead } from './framing.ts';
import { createLogger, type Logger } from './log.ts';
import { callerOrigin } from './mode.ts';
import type { Channel } from './stdout-guard.ts';

export const EXIT_OK = 0;
export const EXIT_FORBIDDEN = 2;
export const EXIT_STREAM_BROKEN = 3;
export const EXIT_INTERNAL = 70;

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_SIGN_TIMEOUT_MS = 120_000;

/** Requests in flight before the host stops reading stdin for a while. */
const MAX_PENDING = 64;
/** After stdin closes, how long requests already at a token may take to finish. */
const CLOSE_GRACE_MS = 10_000;
/** How long the last replies may take to reach the pipe before the process exits anyway. */
const FLUSH_GRACE_MS = 2_000;

function envMs(name: string, fallback: number, log: Logger): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 86_400_000) {
    log.warn(`${name}=${JSON.stringify(raw.slice(0, 20))} is not a number of milliseconds; using ${fallback}`);
    return fallback;
  }
  return n;
}

/** Timeouts: KYSO_HOST_TIMEOUT_MS (default 30 s) and KYSO_HOST_SIGN_TIMEOUT_MS (default 120 s, for PIN pads). */
export function hostConfig(log: Logger): HostConfig {
  return {
    timeoutMs: envMs('KYSO_HOST_TIMEOUT_MS', DEFAULT_TIMEOUT_MS, log),
    signTimeoutMs: envMs('KYSO_HOST_SIGN_TIMEOUT_MS', DEFAULT_SIGN_TIMEOUT_MS, log),
  };
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** Runs the host until it exits; never returns. */
export async function runHost(args: readonly string[], channel: Channel): Promise<never> {
  const log = createLogger();
  let exiting = false;
  const exit = async (code: number): Promise<never> => {
    if (!exiting) {
      exiting = true;
      process.stdin.pause();
      await Promise.race([channel.flush(), delay(FLUSH_GRACE_MS)]);
      log.info(`exit ${code}`);
      process.exit(code);
    }
    return new Promise<never>(() => undefined);
  };
  const sendJson = (json: string) => channel.write(encodeFrame(json));

  try {
    const origin = callerOrigin(args);
    if (origin !== EXTENSION_ORIGIN) return refuse(origin, log, sendJson, exit);

    const config = hostConfig(log);
    log.info(`started for ${origin} (pid ${process.pid}, timeouts ${config.timeoutMs}/${config.signTimeoutMs} ms)`);
    let paused = false;
    const dispatcher = new Dispatcher({
      config,
      log,
      send: sendJson,
      onLoad(pending) {
        // Back-pressure: a peer that floods the host waits instead of growing its memory.
        if (!paused && pending >= MAX_PENDING) {
          paused = true;
          process.stdin.pause();
        } else if (paused && pending < MAX_PENDING / 2 && !exiting) {
          paused = false;
          process.stdin.resume();
        }
      },
    });

    // The first reason to stop decides the exit status (a fatal frame followed by the end of input exits 3).
    let finishing = false;
    const finish = async (code: number, reason: string) => {
      if (finishing || exiting) return;
      finishing = true;
      log.info(reason);
      process.stdin.removeAllListeners('data');
      await Promise.race([dispatcher.close(reason), delay(CLOSE_GRACE_MS)]);
      await exit(code);
    };

    const reader = new FrameReader({
      onFrame: (payload) => dispatcher.handleFrame(payload),
      onOversize: (length, head) =>
        dispatcher.replyError(
          idFromHead(head),
          new KysoError('MESSAGE_TOO_LARGE', `The message has ${length} bytes; the host accepts at most ${MAX_REQUEST_BYTES}.`, { bytes: length, limit: MAX_REQUEST_BYTES }),
        ),
      onFatal: (length) => {
        dispatcher.replyError(
          '',
          new KysoError('MESSAGE_TOO_LARGE', `Length prefix ${length} is above the ${BROWSER_MAX_REQUEST_BYTES} bytes a browser can send: the stream is out of step.`, {
            bytes: length,
            limit: MAX_REQUEST_BYTES,
          }),
        );
        void finish(EXIT_STREAM_BROKEN, 'unusable length prefix; exiting');
      },
    });

    process.on('uncaughtException', (e) => {
      const id = dispatcher.currentRequest();
      log.error(`uncaught exception${id !== null ? ` in request ${JSON.stringify(id)}` : ''}: ${describe(e)}`);
      if (id !== null) dispatcher.fail(id, new KysoError('INTERNAL_ERROR', 'Unexpected failure while handling the request.'));
    });
    process.on('unhandledRejection', (e) => {
      const id = dispatcher.currentRequest();
      log.error(`unhandled rejection${id !== null ? ` in request ${JSON.stringify(id)}` : ''}: ${describe(e)}`);
      if (id !== null) dispatcher.fail(id, new KysoError('INTERNAL_ERROR', 'Unexpected failure while handling the request.'));
    });
    for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
      process.on(sig, () => {
        log.info(`${sig}; exiting`);
        void exit(EXIT_OK);
      });
    }
    channel.onBroken(() => void exit(EXIT_OK));

    process.stdin.on('data', (chunk: Buffer) => reader.push(chunk));
    process.stdin.on('end', () => {
      const left = reader.pendingBytes();
      if (left > 0) {
        dispatcher.replyError('', new KysoError('BAD_MESSAGE', `Input ended inside a message (${left} bytes of an unfinished frame).`, { bytes: left }));
      }
      void finish(EXIT_OK, 'stdin closed; exiting');
    });
    process.stdin.on('error', (e) => void finish(EXIT_OK, `stdin failed (${(e as NodeJS.ErrnoException).code ?? e.message}); exiting`));
    return await new Promise<never>(() => undefined);
  } catch (e) {
    log.error(`host failed to start: ${describe(e)}`);
    return exit(EXIT_INTERNAL);
  }
}

/** A caller that is not the KýSố extension: HOST_FORBIDDEN to its first message, then exit 2. */
function refuse(origin: string, log: Logger, sendJson: (json: string) => void, exit: (code: number) => Promise<never>): Promise<never> {
  log.error(`caller origin ${JSON.stringify(origin.slice(0, 200))} is not allowed; only ${EXTENSION_ORIGIN} is`);
  const answer = (id: string) => {
    const err = new KysoError('HOST_FORBIDDEN', `Caller ${origin.slice(0, 200)} is not allowed.`);
    sendJson(JSON.stringify({ id, ok: false, error: err.toPayload() } satisfies Reply));
    void exit(EXIT_FORBIDDEN);
  };
  const reader = new FrameReader({
    onFrame: (payload) => answer(idOf(payload)),
    onOversize: (_length, head) => answer(idFromHead(head)),
    onFatal: () => answer(''),
  });
  process.stdin.on('data', (chunk: Buffer) => reader.push(chunk));
  process.stdin.on('end', () => void exit(EXIT_FORBIDDEN));
  process.stdin.on('error', () => void exit(EXIT_FORBIDDEN));
  return new Promise<never>(() => undefined);
}

/** The id of a request, for a reply that does not look further; "" when there is none to read. */
function idOf(payload: Buffer): string {
  try {
    const msg: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
    if (typeof msg === 'object' && msg !== null && !Array.isArray(msg)) {
      const id = (msg as Record<string, unknown>).id;
      if (typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH) return id;
    }
  } catch {
    // not JSON: no id
  }
  return '';
}
