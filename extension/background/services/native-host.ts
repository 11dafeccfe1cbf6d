// The one connection to the kyso native host (chrome.runtime.connectNative(HOST_NAME)): request ids, a timeout per
// request, typed replies, and Chrome's connection errors turned into typed errors. The first message on every
// connection is hello; requests wait for it, so a host that is too old or too new is reported before anything else.
//
// webextension-polyfill does not help here: Chrome reports why a native port closed only through
// chrome.runtime.lastError inside onDisconnect (port.error is Firefox's), so this file uses chrome.* directly behind
// the small NativePort interface, which also lets the tests drive it with a fake host.

import { KysoError, ERROR_TEXTS, type ErrorCode, type ErrorPayload } from '@kyso/shared/protocol/errors';
import { HOST_NAME } from '@kyso/shared/protocol/extension-id';
import { PROTOCOL_VERSION, type Command, type CommandMap, type HelloResult, type Reply, type Request } from '@kyso/shared/protocol/messages';

/** The part of chrome.runtime.Port used here. */
export interface NativePort {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(cb: (message: unknown) => void): void };
  onDisconnect: { addListener(cb: () => void): void };
}

export interface NativeHostOptions {
  extensionVersion: string;
  /** Opens the port; chrome.runtime.connectNative by default. */
  connect?: (name: string) => NativePort;
  /** Why the port closed, read inside onDisconnect; chrome.runtime.lastError by default. */
  lastError?: () => string | undefined;
  /** How long hello may take (the host starts, finds the PKCS#11 modules). */
  helloTimeoutMs?: number;
  /** Default per-request timeout. */
  requestTimeoutMs?: number;
  /** Close the port after this long with nothing in flight, so the host (and any token session) goes away. */
  idleMs?: number;
}

export interface RequestOptions {
  /** Overrides the default; signing with a PIN pad waits for the user. */
  timeoutMs?: number;
  /** Aborting sends the host `cancel` for this request and rejects it with USER_CANCELLED (the signing page's Cancel). */
  signal?: AbortSignal;
}

/** Chrome's texts for a native port that failed or closed (extensions/browser/api/messaging/native_message_port). */
export const CHROME_ERRORS = {
  notFound: 'Specified native messaging host not found.',
  forbidden: 'Access to the specified native messaging host is forbidden.',
  exited: 'Native host has exited.',
  failedToStart: 'Failed to start native messaging host.',
  invalidName: 'Invalid native messaging host name specified.',
  io: 'Error when communicating with the native messaging host.',
} as const;

/** Chrome's reason for a closed native port → a typed error. */
export function mapDisconnect(chromeMessage: string | undefined): KysoError {
  const msg = chromeMessage ?? '';
  const details = msg ? { chromeError: msg } : undefined;
  if (msg.includes(CHROME_ERRORS.notFound) || msg.includes(CHROME_ERRORS.invalidName)) {
    return new KysoError('HOST_NOT_INSTALLED', msg, details);
  }
  if (msg.includes(CHROME_ERRORS.forbidden)) return new KysoError('HOST_FORBIDDEN', msg, details);
  if (msg.includes(CHROME_ERRORS.failedToStart)) {
    // The manifest is registered but the program it names is missing or will not run: a broken install.
    return new KysoError('HOST_NOT_INSTALLED', msg, details, {
      vi: 'Phần mềm KýSố đã được đăng ký với trình duyệt nhưng không khởi động được (tệp chương trình bị thiếu hoặc hỏng). Hãy cài lại KýSố rồi mở lại trình duyệt.',
    });
  }
  return new KysoError('HOST_DISCONNECTED', msg || 'The port closed without a reason.', details);
}

/** A typed error the host sent back, kept as the host worded it; an unknown code (a newer host) stays visible in details. */
export function errorFromPayload(p: ErrorPayload | undefined): KysoError {
  if (!p || typeof p !== 'object' || typeof p.code !== 'string') return new KysoError('BAD_MESSAGE', 'Error reply without a code.');
  const known = Object.hasOwn(ERROR_TEXTS, p.code);
  const code: ErrorCode = known ? p.code : 'INTERNAL_ERROR';
  const details = { ...(p.details ?? {}), ...(known ? {} : { hostCode: String(p.code) }) };
  const e = new KysoError(code, undefined, Object.keys(details).length ? details : undefined, {
    vi: typeof p.messageVi === 'string' && p.messageVi ? p.messageVi : undefined,
  });
  if (typeof p.message === 'string' && p.message) e.message = p.message;
  return e;
}

function cancelled(command: Command): KysoError {
  return new KysoError('USER_CANCELLED', `${command} cancelled by the user.`, { command });
}

interface Pending {
  command: Command;
  resolve: (result: unknown) => void;
  reject: (e: KysoError) => void;
  timer: ReturnType<typeof setTimeout>;
}

interface Connection {
  port: NativePort;
  pending: Map<string, Pending>;
  hello: Promise<HelloResult>;
  closed: boolean;
  idleTimer?: ReturnType<typeof setTimeout>;
}

function isReply(m: unknown): m is Reply {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as { id?: unknown; ok?: unknown };
  return typeof r.id === 'string' && typeof r.ok === 'boolean';
}

export class NativeHost {
  private readonly opts: Required<NativeHostOptions>;
  private conn: Connection | null = null;
  private seq = 0;
  private readonly prefix = Math.random().toString(36).slice(2, 8);

  constructor(options: NativeHostOptions) {
    this.opts = {
      connect: (name) => chrome.runtime.connectNative(name),
      lastError: () => chrome.runtime.lastError?.message,
      helloTimeoutMs: 15_000,
      // A little beyond the host's own 30 s (docs/protocol.md), so its TIMEOUT reply, with details, normally comes first.
      requestTimeoutMs: 35_000,
      idleMs: 120_000,
      ...options,
    };
  }

  /** The host's hello on the current connection (connecting first when needed). */
  hello(): Promise<HelloResult> {
    return this.connection().hello;
  }

  /** Sends one command after hello and resolves with its result; rejects with a KysoError. */
  async request<C extends Exclude<Command, 'hello'>>(command: C, params: CommandMap[C]['params'], options: RequestOptions = {}): Promise<CommandMap[C]['result']> {
    const conn = this.connection();
    await conn.hello;
    if (conn.closed) throw new KysoError('HOST_DISCONNECTED', 'The connection closed after hello.');
    if (options.signal?.aborted) throw cancelled(command);
    return (await this.send(conn, command, params, options.timeoutMs ?? this.opts.requestTimeoutMs, options.signal)) as CommandMap[C]['result'];
  }

  /** Closes the port; requests in flight fail with HOST_DISCONNECTED. */
  disconnect(): void {
    const conn = this.conn;
    if (!conn) return;
    this.close(conn, new KysoError('HOST_DISCONNECTED', 'Closed by the extension.'));
    try {
      conn.port.disconnect();
    } catch {
      // Already closed on Chrome's side.
    }
  }

  private connection(): Connection {
    if (this.conn && !this.conn.closed) return this.conn;
    let port: NativePort;
    try {
      port = this.opts.connect(HOST_NAME);
    } catch (e) {
      const conn = this.deadConnection(mapDisconnect(e instanceof Error ? e.message : String(e)));
      return conn;
    }
    const conn: Connection = { port, pending: new Map(), hello: Promise.resolve(null as unknown as HelloResult), closed: false };
    this.conn = conn;
    port.onMessage.addListener((m) => this.onMessage(conn, m));
    port.onDisconnect.addListener(() => this.close(conn, mapDisconnect(this.opts.lastError())));
    conn.hello = this.sayHello(conn);
    // A failed hello is reported to whoever awaits it; nothing else should see an unhandled rejection.
    conn.hello.catch(() => undefined);
    return conn;
  }

  private deadConnection(error: KysoError): Connection {
    const hello = Promise.reject(error);
    hello.catch(() => undefined);
    return { port: { postMessage() {}, disconnect() {}, onMessage: { addListener() {} }, onDisconnect: { addListener() {} } }, pending: new Map(), hello, closed: true };
  }

  private async sayHello(conn: Connection): Promise<HelloResult> {
    let result: HelloResult;
    try {
      result = (await this.send(conn, 'hello', { protocolVersion: PROTOCOL_VERSION, extensionVersion: this.opts.extensionVersion }, this.opts.helloTimeoutMs)) as HelloResult;
    } catch (e) {
      const err = e as KysoError;
      // A host that does not know hello at all predates the protocol.
      const mapped =
        err.code === 'UNKNOWN_COMMAND' || err.code === 'BAD_MESSAGE'
          ? new KysoError('HOST_UPDATE_REQUIRED', err.message, { ...(err.details ?? {}), hostCode: err.code })
          : err;
      this.drop(conn, mapped);
      throw mapped;
    }
    if (typeof result?.protocolVersion !== 'number' || result.protocolVersion < PROTOCOL_VERSION) {
      const err = new KysoError('HOST_UPDATE_REQUIRED', `Host speaks protocol ${String(result?.protocolVersion)}, extension ${PROTOCOL_VERSION}.`, {
        hostProtocol: String(result?.protocolVersion),
        extensionProtocol: PROTOCOL_VERSION,
        hostVersion: String(result?.hostVersion),
      });
      this.drop(conn, err);
      throw err;
    }
    return result;
  }

  private send(conn: Connection, command: Command, params: unknown, timeoutMs: number, signal?: AbortSignal): Promise<unknown> {
    if (conn.closed) return Promise.reject(new KysoError('HOST_DISCONNECTED', 'The connection is closed.'));
    const id = `${this.prefix}-${++this.seq}`;
    return new Promise((resolve, reject) => {
      // Gives up on the request and tells the host to drop it too (a sign still queued never reaches the token).
      const abandon = (error: KysoError) => {
        if (!conn.pending.delete(id)) return;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        reject(error);
        if (command === 'hello') return; // sayHello drops the connection
        this.post(conn, { id: `${id}-cancel`, command: 'cancel', params: { requestId: id } });
        this.armIdle(conn);
      };
      const onAbort = () => abandon(cancelled(command));
      const timer = setTimeout(() => abandon(new KysoError('TIMEOUT', `${command} got no reply in ${timeoutMs} ms.`, { command, timeoutMs })), timeoutMs);
      const settle = <T,>(f: (v: T) => void) => (v: T) => {
        signal?.removeEventListener('abort', onAbort);
        f(v);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      conn.pending.set(id, { command, resolve: settle(resolve), reject: settle(reject), timer });
      if (conn.idleTimer) clearTimeout(conn.idleTimer);
      this.post(conn, { id, command, params } as Request);
    });
  }

  private post(conn: Connection, message: Request): void {
    try {
      conn.port.postMessage(message);
    } catch (e) {
      // Posting on a port Chrome has already closed throws; onDisconnect follows with the reason.
      this.close(conn, mapDisconnect(this.opts.lastError() ?? (e instanceof Error ? e.message : String(e))));
    }
  }

  private onMessage(conn: Connection, m: unknown): void {
    if (!isReply(m)) return; // not ours to answer; the host only ever sends replies
    const p = conn.pending.get(m.id);
    if (!p) return; // a reply after its timeout, or a cancel's reply
    conn.pending.delete(m.id);
    clearTimeout(p.timer);
    if (m.ok) p.resolve(m.result);
    else p.reject(errorFromPayload(m.error));
    this.armIdle(conn);
  }

  private armIdle(conn: Connection): void {
    if (conn.closed || conn.pending.size > 0) return;
    if (conn.idleTimer) clearTimeout(conn.idleTimer);
    conn.idleTimer = setTimeout(() => {
      if (this.conn === conn && conn.pending.size === 0) this.disconnect();
    }, this.opts.idleMs);
  }

  /** Closes a connection whose hello failed so the next request starts afresh. */
  private drop(conn: Connection, error: KysoError): void {
    if (conn.closed) return;
    this.close(conn, error);
    try {
      conn.port.disconnect();
    } catch {
      // ignore
    }
  }

  private close(conn: Connection, error: KysoError): void {
    if (conn.closed) return;
    conn.closed = true;
    if (conn.idleTimer) clearTimeout(conn.idleTimer);
    if (this.conn === conn) this.conn = null;
    for (const p of conn.pending.values()) {
      clearTimeout(p.timer);
      p.reject(error);
    }
    conn.pending.clear();
  }
}
