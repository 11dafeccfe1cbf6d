// Requests in, replies out. Parses each frame strictly, routes it to its command, keeps one reply per request:
// the command's result, or a typed error (BAD_MESSAGE, UNKNOWN_COMMAND, TIMEOUT, USER_CANCELLED, INTERNAL_ERROR,
// REPLY_TOO_LARGE, or the command's own). Requests to one token wait in that token's queue; every request has a
// timeout counted from its arrival.

import { AsyncLocalStorage } from 'node:async_hooks';
import { asKysoError, KysoError, type ErrorPayload } from '@kyso/shared/protocol/errors';
import { MAX_REPLY_BYTES, PROTOCOL_VERSION, type Command, type CommandMap, type Reply } from '@kyso/shared/protocol/messages';
import { COMMAND_SPECS } from './commands/index.ts';
import type { CommandContext, CommandSpec, HostConfig } from './command.ts';
import type { Logger } from './log.ts';
import { KeyedQueue } from './queue.ts';
import { bad, object, typeName } from './validate.ts';

/** Request ids are strings of 1 to 64 characters; "" answers a request whose id could not be read. */
export const MAX_ID_LENGTH = 64;

export interface DispatcherOptions {
  config: HostConfig;
  log: Logger;
  /** Writes one reply (already within MAX_REPLY_BYTES). */
  send(json: string): void;
  /** Called whenever the number of pending requests changes. */
  onLoad?(pending: number): void;
}

interface Pending {
  id: string;
  command: Command;
  arrived: number;
  settled: boolean;
  started: boolean;
  abort: AbortController;
  timer: NodeJS.Timeout | null;
  forget(): void;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export class Dispatcher {
  private readonly pending = new Map<string, Pending>();
  private readonly queue = new KeyedQueue();
  private readonly context = new AsyncLocalStorage<{ id: string }>();
  private running = 0;
  private idleWaiters: (() => void)[] = [];
  private closing = false;

  constructor(private readonly opts: DispatcherOptions) {}

  get pendingCount(): number {
    return this.pending.size;
  }

  /** One whole frame from the browser. Never throws. */
  handleFrame(payload: Buffer): void {
    try {
      this.dispatch(payload);
    } catch (e) {
      // A bug in the parsing above, not the peer's fault; the request id is unknown here.
      this.opts.log.error(`dispatch failed: ${describe(e)}`);
      this.replyError('', new KysoError('INTERNAL_ERROR', 'The request could not be handled.'));
    }
  }

  /** A reply that is not the result of a command (framing errors, refusals). */
  replyError(id: string, err: KysoError): void {
    this.opts.log.info(`request ${JSON.stringify(id)} refused: ${err.code} ${err.message}`);
    this.write({ id, ok: false, error: err.toPayload() });
  }

  /** The id of the request whose code threw, when an uncaught exception or rejection escapes a command. */
  currentRequest(): string | null {
    return this.context.getStore()?.id ?? null;
  }

  /** Settles a pending request with an error (an uncaught exception in its code). */
  fail(id: string, err: KysoError): void {
    const p = this.pending.get(id);
    if (p) this.settle(p, { error: err.toPayload() });
  }

  /**
   * Input is over: requests still waiting for their token are answered USER_CANCELLED and never run; resolves when
   * the ones already at a token have finished.
   */
  close(reason: string): Promise<void> {
    this.closing = true;
    for (const p of [...this.pending.values()]) {
      if (!p.started) this.settle(p, { error: new KysoError('USER_CANCELLED', reason).toPayload() });
    }
    return this.whenIdle();
  }

  whenIdle(): Promise<void> {
    if (this.running === 0 && this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  // ---- internals ------------------------------------------------------------------------------------------

  private dispatch(payload: Buffer): void {
    if (payload.length === 0) return this.replyError('', bad('', 'The message is empty (length 0).'));
    let text: string;
    try {
      text = utf8.decode(payload);
    } catch {
      return this.replyError('', bad('', 'The message is not valid UTF-8.'));
    }
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      // The parser's own message quotes the input; it stays out of replies and logs.
      return this.replyError('', bad('', 'The message is not valid JSON.'));
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
      return this.replyError('', bad('', `A request is a JSON object, got ${typeName(msg)}.`));
    }
    const raw = msg as Record<string, unknown>;
    const id = raw.id;
    if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) {
      return this.replyError('', bad('id', `must be a string of 1 to ${MAX_ID_LENGTH} characters, got ${typeName(id)}${typeof id === 'string' ? ` of length ${id.length}` : ''}.`));
    }
    let command: Command;
    try {
      object(raw, '', ['id', 'command'], ['params']);
      if (typeof raw.command !== 'string') throw bad('command', `must be a string, got ${typeName(raw.command)}.`);
      if (!Object.hasOwn(COMMAND_SPECS, raw.command)) {
        throw new KysoError('UNKNOWN_COMMAND', `"${raw.command.slice(0, 64)}" is not a command of protocol version ${PROTOCOL_VERSION}.`, { command: raw.command.slice(0, 64) });
      }
      command = raw.command as Command;
      if (this.pending.has(id)) throw bad('id', `a request with id ${JSON.stringify(id)} is still pending.`);
      if (this.closing) throw new KysoError('USER_CANCELLED', 'The host is shutting down.');
    } catch (e) {
      return this.replyError(id, asKysoError(e));
    }
    this.start(id, COMMAND_SPECS[command] as CommandSpec<Command>, raw.params);
  }

  private start<C extends Command>(id: string, spec: CommandSpec<C>, rawParams: unknown): void {
    let params: CommandMap[C]['params'];
    try {
      params = spec.parse(rawParams);
    } catch (e) {
      return this.replyError(id, asKysoError(e, 'BAD_MESSAGE'));
    }
    const p: Pending = {
      id,
      command: spec.command,
      arrived: Date.now(),
      settled: false,
      started: false,
      abort: new AbortController(),
      timer: null,
      forget: () => spec.forget?.(params),
    };
    this.pending.set(id, p);
    this.opts.onLoad?.(this.pending.size);
    const ms = spec.timeout === 'sign' ? this.opts.config.signTimeoutMs : this.opts.config.timeoutMs;
    p.timer = setTimeout(() => {
      this.settle(p, { error: new KysoError('TIMEOUT', `No result within ${ms} ms.`, { timeoutMs: ms }).toPayload() });
    }, ms);

    const ctx: CommandContext = {
      id,
      signal: p.abort.signal,
      log: this.opts.log,
      config: this.opts.config,
      cancelRequest: (requestId) => this.cancel(requestId, id),
      drainToken: (token) => this.queue.drain((key) => key.endsWith(`\u0000${token}`)),
    };
    const work = async (): Promise<void> => {
      // Cancelled or timed out while it waited for its token: it never reaches the token.
      if (p.settled) return;
      p.started = true;
      this.running++;
      try {
        const result = await this.context.run({ id }, () => spec.run(params, ctx));
        this.settle(p, { result });
      } catch (e) {
        const err = asKysoError(e);
        if (err.code === 'INTERNAL_ERROR') this.opts.log.error(`request ${JSON.stringify(id)} (${spec.command}) failed: ${describe(e)}`);
        this.settle(p, { error: err.toPayload() });
      } finally {
        this.running--;
        p.forget();
        this.checkIdle();
      }
    };
    const key = spec.queueKey(params);
    if (key === null) void work();
    else void this.queue.run(key, work);
  }

  private cancel(requestId: string, by: string): boolean {
    const p = this.pending.get(requestId);
    if (!p) return false;
    this.settle(p, { error: new KysoError('USER_CANCELLED', `Cancelled by request ${JSON.stringify(by)}.`, { cancelledBy: by }).toPayload() });
    return true;
  }

  private settle(p: Pending, outcome: { result: CommandMap[Command]['result'] } | { error: ErrorPayload }): void {
    if (p.settled) return;
    p.settled = true;
    if (p.timer) clearTimeout(p.timer);
    this.pending.delete(p.id);
    p.abort.abort();
    if (!p.started) p.forget();
    const ms = Date.now() - p.arrived;
    if ('error' in outcome) {
      this.opts.log.info(`request ${JSON.stringify(p.id)} ${p.command}: ${outcome.error.code} after ${ms} ms`);
      this.write({ id: p.id, ok: false, error: outcome.error });
    } else {
      this.opts.log.info(`request ${JSON.stringify(p.id)} ${p.command}: ok after ${ms} ms`);
      this.write({ id: p.id, ok: true, result: outcome.result });
    }
    this.opts.onLoad?.(this.pending.size);
    this.checkIdle();
  }

  /** Serializes a reply; one that would outgrow the browser's limit becomes REPLY_TOO_LARGE. */
  private write(reply: Reply): void {
    let json = JSON.stringify(reply);
    const bytes = Buffer.byteLength(json, 'utf8');
    if (bytes > MAX_REPLY_BYTES) {
      this.opts.log.warn(`reply to ${JSON.stringify(reply.id)} has ${bytes} bytes; sent REPLY_TOO_LARGE instead`);
      const err = new KysoError('REPLY_TOO_LARGE', `The reply would have ${bytes} bytes; the limit is ${MAX_REPLY_BYTES}.`, { bytes, limit: MAX_REPLY_BYTES });
      json = JSON.stringify({ id: reply.id, ok: false, error: err.toPayload() } satisfies Reply);
    }
    this.opts.send(json);
  }

  private checkIdle(): void {
    if (this.running !== 0 || this.pending.size !== 0) return;
    const w = this.idleWaiters;
    this.idleWaiters = [];
    for (const f of w) f();
  }
}

export function describe(e: unknown): string {
  if (e instanceof Error) return e.stack ?? `${e.name}: ${e.message}`;
  return String(e);
}
