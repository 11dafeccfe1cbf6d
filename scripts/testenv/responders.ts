// Revocation services of the test PKI on 127.0.0.1 only: OCSP at the URL the test certificates name (each
// request answered by `openssl ocsp -reqin/-respout` against the intermediate's index) and the CRLs and CA
// certificates at their distribution points. `openssl ocsp -port` would listen on every interface, so it is not used.

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const OCSP_PORT = 8788;
export const PKI_PORT = 8789;
const MAX_REQUEST = 64 * 1024;

export interface Responders {
  close(): Promise<void>;
  /** OCSP requests answered so far. */
  ocspCount(): number;
}

/** A request body, refused past MAX_REQUEST bytes (the test servers read nothing unbounded). */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_REQUEST) {
        reject(new Error('request too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

export async function startResponders(pkiDir: string): Promise<Responders> {
  const work = mkdtempSync(join(tmpdir(), 'kyso-ocsp-'));
  let count = 0;
  let seq = 0;
  const ocsp = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    try {
      let der: Buffer;
      if (req.method === 'POST') der = await readBody(req);
      else if (req.method === 'GET') der = Buffer.from(decodeURIComponent((req.url ?? '/').slice(1)), 'base64');
      else throw new Error('method');
      const n = ++seq;
      const reqFile = join(work, `req${n}.der`);
      const respFile = join(work, `resp${n}.der`);
      writeFileSync(reqFile, der);
      await run('openssl', ['ocsp', '-index', join(pkiDir, 'sub-ca', 'index.txt'), '-CA', join(pkiDir, 'sub.cert.pem'), '-rsigner', join(pkiDir, 'sub.cert.pem'), '-rkey', join(pkiDir, 'sub.key.pem'), '-reqin', reqFile, '-respout', respFile, '-nmin', '60'], { timeout: 10_000 });
      const resp = readFileSync(respFile);
      if (!process.env.KYSO_KEEP_OCSP) {
        rmSync(reqFile, { force: true });
        rmSync(respFile, { force: true });
      }
      count++;
      // NSS's OCSP client reads one answer per connection, as from openssl's own responder.
      res.writeHead(200, { 'Content-Type': 'application/ocsp-response', 'Content-Length': resp.length, Connection: 'close' });
      res.end(resp);
    } catch {
      res.writeHead(400);
      res.end();
    }
  });
  const files: Record<string, [string, string]> = {
    '/crl/sub.crl': ['sub.crl.der', 'application/pkix-crl'],
    '/crl/root.crl': ['root.crl.der', 'application/pkix-crl'],
    '/ca/sub.cer': ['sub.cert.der', 'application/pkix-cert'],
    '/ca/root.cer': ['root.cert.der', 'application/pkix-cert'],
  };
  const pki = createServer((req, res) => {
    const f = files[(req.url ?? '').split('?')[0]];
    const path = f ? join(pkiDir, f[0]) : undefined;
    if (!f || !path || !existsSync(path)) {
      res.writeHead(404);
      res.end();
      return;
    }
    const data = readFileSync(path);
    res.writeHead(200, { 'Content-Type': f[1], 'Content-Length': data.length, Connection: 'close' });
    res.end(data);
  });
  await listen(ocsp, OCSP_PORT);
  try {
    await listen(pki, PKI_PORT);
  } catch (e) {
    ocsp.close();
    throw e;
  }
  // Never keep a process alive on their account.
  ocsp.unref();
  pki.unref();
  return {
    ocspCount: () => count,
    close: async () => {
      await Promise.all([new Promise((r) => ocsp.close(() => r(undefined))), new Promise((r) => pki.close(() => r(undefined)))]);
      if (!process.env.KYSO_KEEP_OCSP) rmSync(work, { recursive: true, force: true });
    },
  };
}
