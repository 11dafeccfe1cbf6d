// The CLI's fetch for the signing engine's network calls (TSA, OCSP, CRL, caIssuers): node:http/https, through the
// proxy named by HTTPS_PROXY / HTTP_PROXY (either case) unless NO_PROXY matches the host. http:// targets go to
// the proxy in absolute form; https:// targets through a CONNECT tunnel, TLS end to end. Loopback hosts never use
// the proxy. Proxy credentials in the proxy URL are sent as Basic Proxy-Authorization. Redirects are not followed.

import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import type { Socket } from 'node:net';
import type { FetchLike, FetchResponseLike } from '@kyso/shared/ltv/net';

function envGet(env: NodeJS.ProcessEnv, name: string): string | undefined {
  return env[name] ?? env[name.toLowerCase()] ?? undefined;
}

function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\./.test(h);
}

/** The proxy for a target URL, or undefined to connect directly. */
export function proxyFor(target: URL, env: NodeJS.ProcessEnv = process.env): URL | undefined {
  if (isLoopback(target.hostname)) return undefined;
  const noProxy = (envGet(env, 'NO_PROXY') ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const host = target.hostname.toLowerCase();
  for (const n of noProxy) {
    if (n === '*') return undefined;
    const bare = n.replace(/^\*?\./, '').replace(/:\d+$/, '');
    if (host === bare || host.endsWith('.' + bare)) return undefined;
  }
  const raw = target.protocol === 'https:' ? envGet(env, 'HTTPS_PROXY') : envGet(env, 'HTTP_PROXY');
  if (!raw) return undefined;
  try {
    const u = new URL(raw.includes('://') ? raw : `http://${raw}`);
    return u.protocol === 'http:' ? u : undefined; // only plain-HTTP proxies
  } catch {
    return undefined;
  }
}

function proxyAuth(proxy: URL): Record<string, string> {
  if (!proxy.username) return {};
  const cred = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'Proxy-Authorization': `Basic ${Buffer.from(cred).toString('base64')}` };
}

function collect(res: IncomingMessage): Promise<FetchResponseLike> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('error', reject);
    res.on('end', () => {
      const body = Buffer.concat(chunks);
      resolve({
        status: res.statusCode ?? 0,
        headers: { get: (n: string) => (res.headers[n.toLowerCase()] as string | undefined) ?? null },
        arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.length) as ArrayBuffer,
      });
    });
  });
}

export function nodeFetch(env: NodeJS.ProcessEnv = process.env): FetchLike {
  return (url, init) =>
    new Promise<FetchResponseLike>((resolve, reject) => {
      const target = new URL(url);
      const proxy = proxyFor(target, env);
      const headers: Record<string, string> = { ...(init.headers ?? {}), Connection: 'close' };
      if (init.body) headers['Content-Length'] = String(init.body.length);
      const signal = init.signal;
      const fail = (e: unknown) => reject(Object.assign(new Error(e instanceof Error ? e.message : String(e)), { cause: e }));
      const send = (req: ReturnType<typeof httpRequest>) => {
        req.on('response', (res) => collect(res).then(resolve, fail));
        req.on('error', fail);
        if (init.body) req.write(init.body);
        req.end();
      };
      if (signal?.aborted) return reject(new Error('aborted'));
      const base: RequestOptions = { method: init.method, headers, signal };
      if (!proxy) {
        send((target.protocol === 'https:' ? httpsRequest : httpRequest)(target, base));
      } else if (target.protocol === 'http:') {
        send(httpRequest({ ...base, host: proxy.hostname, port: proxy.port || 80, path: target.href, headers: { ...headers, Host: target.host, ...proxyAuth(proxy) } }));
      } else {
        const port = target.port || '443';
        const connectReq = httpRequest({ host: proxy.hostname, port: proxy.port || 80, method: 'CONNECT', path: `${target.hostname}:${port}`, headers: { Host: `${target.hostname}:${port}`, ...proxyAuth(proxy) }, signal });
        connectReq.on('connect', (res: IncomingMessage, socket: Socket) => {
          if (res.statusCode !== 200) {
            socket.destroy();
            fail(new Error(`proxy CONNECT answered ${res.statusCode}`));
            return;
          }
          send(httpsRequest(target, { ...base, createConnection: () => tlsConnect({ socket, servername: target.hostname }) }));
        });
        connectReq.on('error', fail);
        connectReq.end();
      }
    });
}
