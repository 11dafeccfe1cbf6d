// A kyso host started the way Chrome starts it: the built bundle, the extension's origin as first argument,
// framed JSON on stdin and stdout. Every byte of stdout is parsed as frames; anything else is recorded.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EXTENSION_ORIGIN } from '../../shared/protocol/extension-id.ts';
import { PROTOCOL_VERSION, type Command, type CommandMap, type Reply } from '../../shared/protocol/messages.ts';
import { REPO_ROOT } from '../../scripts/testenv/testenv.ts';

export const KYSO = join(REPO_ROOT, 'native-host', 'bin', 'kyso.mjs');

export interface HostExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StartOptions {
  origin?: string;
  extraArgs?: string[];
  env?: Record<string, string | undefined>;
}

export function frame(payload: Buffer | string | object): Buffer {
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload), 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt32LE(body.length, 0);
  return Buffer.concat([head, body]);
}

export function helloParams(protocolVersion = PROTOCOL_VERSION) {
  return { protocolVersion, extensionVersion: '0.1.0' };
}

export class HostProcess {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly replies: Reply[] = [];
  /** stdout frames that were not a JSON reply object. */
  readonly badFrames: string[] = [];
  stderr = '';
  readonly exited: Promise<HostExit>;
  private buf = Buffer.alloc(0);
  private waiters: { pred: (r: Reply) => boolean; resolve: (r: Reply) => void }[] = [];
  private nextId = 0;
  private exitInfo: HostExit | null = null;

  constructor(opts: StartOptions = {}) {
    if (!existsSync(join(REPO_ROOT, 'native-host', 'dist', 'kyso.mjs'))) throw new Error('Build first: npm run build (npm test does it).');
    const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
    for (const [k, v] of Object.entries(opts.env ?? {})) if (v === undefined) delete env[k];
    this.proc = spawn(process.execPath, [KYSO, opts.origin ?? EXTENSION_ORIGIN, ...(opts.extraArgs ?? [])], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdin.on('error', () => undefined); // the host may exit before reading everything
    this.proc.stdout.on('data', (d: Buffer) => this.onStdout(d));
    this.proc.stderr.on('data', (d: Buffer) => {
      // Keep the tail only: the fuzz makes a lot of log lines.
      this.stderr = (this.stderr + d.toString('utf8')).slice(-200_000);
    });
    this.exited = new Promise((resolve) =>
      this.proc.on('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      }),
    );
  }

  get hasExited(): boolean {
    return this.exitInfo !== null;
  }

  /** Bytes of stdout not (yet) forming a whole frame. */
  get strayBytes(): number {
    return this.buf.length;
  }

  write(bytes: Buffer): void {
    if (!this.proc.stdin.destroyed) this.proc.stdin.write(bytes);
  }

  send(msg: Buffer | string | object): void {
    this.write(frame(msg));
  }

  id(): string {
    return `t${++this.nextId}`;
  }

  /** Sends a request and waits for the reply with its id. */
  request<C extends Command>(command: C, params: CommandMap[C]['params'] | Record<string, unknown>, id = this.id(), timeoutMs = 60_000): Promise<Reply<C>> {
    const p = this.reply(id, timeoutMs);
    this.send({ id, command, params });
    return p as Promise<Reply<C>>;
  }

  /** The reply with this id (already received or to come). */
  reply(id: string, timeoutMs = 60_000): Promise<Reply> {
    return this.waitFor((r) => r.id === id, timeoutMs, `reply ${JSON.stringify(id)}`);
  }

  waitFor(pred: (r: Reply) => boolean, timeoutMs = 60_000, what = 'reply'): Promise<Reply> {
    const have = this.replies.find(pred);
    if (have) return Promise.resolve(have);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no ${what} within ${timeoutMs} ms; stderr:\n${this.stderr.slice(-4000)}`)), timeoutMs);
      this.waiters.push({
        pred,
        resolve: (r) => {
          clearTimeout(t);
          resolve(r);
        },
      });
    });
  }

  /** Closes stdin and waits for the exit. */
  async end(timeoutMs = 30_000): Promise<HostExit> {
    this.proc.stdin.end();
    return this.waitExit(timeoutMs);
  }

  async waitExit(timeoutMs = 30_000): Promise<HostExit> {
    let t: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      t = setTimeout(() => reject(new Error(`host did not exit within ${timeoutMs} ms; stderr:\n${this.stderr.slice(-4000)}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(t);
    }
  }

  kill(): void {
    if (!this.hasExited) this.proc.kill('SIGKILL');
  }

  private onStdout(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    while (this.buf.length >= 4) {
      const n = this.buf.readUInt32LE(0);
      if (this.buf.length < 4 + n) break;
      const body = this.buf.subarray(4, 4 + n).toString('utf8');
      this.buf = this.buf.subarray(4 + n);
      let reply: Reply | null = null;
      try {
        const v: unknown = JSON.parse(body);
        if (typeof v === 'object' && v !== null && typeof (v as Reply).id === 'string' && typeof (v as Reply).ok === 'boolean') reply = v as Reply;
      } catch {
        // recorded below
      }
      if (!reply || n > 1024 * 1024) {
        this.badFrames.push(body.slice(0, 500));
        continue;
      }
      this.replies.push(reply);
      for (const w of [...this.waiters]) {
        if (w.pred(reply)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(reply);
        }
      }
    }
  }
}

/** The error code of a reply, or "ok". */
export function codeOf(r: Reply): string {
  return r.ok ? 'ok' : r.error.code;
}
