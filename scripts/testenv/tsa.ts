// The test time-stamping authority on 127.0.0.1: each RFC 3161 request (POST application/timestamp-query) is answered
// by `openssl ts -reply` with the TSA key and tsa.cnf that make-ltv.sh wrote. Listens on a free port unless told
// otherwise; `delayMs` holds every answer back (a slow TSA). The server is unref'd: it never keeps a process alive.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readBody } from './responders.ts';

const run = promisify(execFile);

export interface TestTsa {
  url: string;
  port: number;
  /** Requests answered so far. */
  count(): number;
  close(): Promise<void>;
}

export interface TsaOptions {
  port?: number;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Answer with this HTTP status and no body instead. */
  failStatus?: number;
}

export async function startTsa(pkiDir: string, opts: TsaOptions = {}): Promise<TestTsa> {
  const work = mkdtempSync(join(tmpdir(), 'kyso-tsa-'));
  let seq = 0;
  let count = 0;
  // openssl ts -reply increments tsa-db/serial: one request at a time.
  let queue: Promise<unknown> = Promise.resolve();
  const reply = (query: Buffer): Promise<Buffer> => {
    const next = queue.then(async () => {
      const n = ++seq;
      const q = join(work, `q${n}.tsq`);
      const r = join(work, `r${n}.tsr`);
      writeFileSync(q, query);
      await run('openssl', ['ts', '-reply', '-config', join(pkiDir, 'tsa.cnf'), '-queryfile', q, '-out', r], { timeout: 10_000 });
      const out = readFileSync(r);
      rmSync(q, { force: true });
      rmSync(r, { force: true });
      return out;
    });
    queue = next.catch(() => undefined);
    return next;
  };
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer(async (req, res) => {
    try {
      if (req.method !== 'POST') throw new Error('method');
      const query = await readBody(req);
      if (opts.delayMs) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            timers.delete(t);
            resolve();
          }, opts.delayMs);
          t.unref();
          timers.add(t);
        });
      }
      if (opts.failStatus) {
        res.writeHead(opts.failStatus, { Connection: 'close' });
        res.end();
        return;
      }
      const resp = await reply(query);
      count++;
      res.writeHead(200, { 'Content-Type': 'application/timestamp-reply', 'Content-Length': resp.length, Connection: 'close' });
      res.end(resp);
    } catch {
      if (!res.headersSent) res.writeHead(400, { Connection: 'close' });
      res.end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  server.unref();
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/tsa`,
    port,
    count: () => count,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise((r) => server.close(() => r(undefined)));
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** A 127.0.0.1 port nobody listens on (bound, then released): connecting to it is refused. */
export async function refusedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(() => r(undefined)));
  return port;
}
