// The CLI's fetch: which requests go through HTTP(S)_PROXY, and that they do (a stand-in proxy on 127.0.0.1 sees
// the absolute-form request, or the CONNECT for an https target).

import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFetch, proxyFor } from '../../native-host/cli/net-fetch.ts';
import { httpExchange } from '../../shared/ltv/net.ts';

const seen: { method: string; url: string; auth?: string }[] = [];
const proxy = createServer((req, res) => {
  seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers['proxy-authorization'] });
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', Connection: 'close' });
  res.end(Buffer.from('via proxy'));
});
proxy.on('connect', (req: IncomingMessage, socket: Socket) => {
  seen.push({ method: 'CONNECT', url: req.url ?? '' });
  socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
});
let port = 0;
beforeAll(async () => {
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
  proxy.unref();
  port = (proxy.address() as AddressInfo).port;
});
afterAll(async () => {
  proxy.closeAllConnections();
  await new Promise((r) => proxy.close(() => r(undefined)));
});

describe('proxy selection', () => {
  const env = { HTTP_PROXY: 'http://proxy.local:3128', https_proxy: 'http://u:p@proxy.local:3129', NO_PROXY: 'ca.gov.vn,.internal' };
  it('by scheme, either case; NO_PROXY by host and domain; loopback never', () => {
    expect(proxyFor(new URL('http://ocsp.ca.vn/'), env)?.port).toBe('3128');
    expect(proxyFor(new URL('https://tsa.ca.vn/'), env)?.port).toBe('3129');
    expect(proxyFor(new URL('http://ca.gov.vn/crl'), env)).toBeUndefined();
    expect(proxyFor(new URL('http://x.internal/'), env)).toBeUndefined();
    expect(proxyFor(new URL('http://127.0.0.1:8788/'), env)).toBeUndefined();
    expect(proxyFor(new URL('http://localhost/'), env)).toBeUndefined();
    expect(proxyFor(new URL('http://ocsp.ca.vn/'), {})).toBeUndefined();
  });
});

describe('through the proxy', () => {
  it('http targets in absolute form, with Basic proxy credentials', async () => {
    const f = nodeFetch({ HTTP_PROXY: `http://kyso:secret@127.0.0.1:${port}` });
    const body = await httpExchange('http://ocsp.example.vn/ocsp', { fetch: f, body: new Uint8Array([1, 2, 3]), contentType: 'application/ocsp-request', timeoutMs: 5000 });
    expect(Buffer.from(body).toString()).toBe('via proxy');
    const last = seen[seen.length - 1];
    expect(last).toMatchObject({ method: 'POST', url: 'http://ocsp.example.vn/ocsp' });
    expect(last.auth).toBe(`Basic ${Buffer.from('kyso:secret').toString('base64')}`);
  });

  it('https targets through CONNECT (a refusing proxy gives a network failure)', async () => {
    const f = nodeFetch({ HTTPS_PROXY: `http://127.0.0.1:${port}` });
    await expect(httpExchange('https://tsa.example.vn/', { fetch: f, body: new Uint8Array([1]), timeoutMs: 5000 })).rejects.toMatchObject({ kind: 'unavailable' });
    expect(seen[seen.length - 1]).toMatchObject({ method: 'CONNECT', url: 'tsa.example.vn:443' });
  });
});
