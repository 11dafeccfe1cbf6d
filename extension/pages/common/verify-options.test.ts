// The verification options from the settings: policy roots read (PEM or one-line base64), bad ones left out;
// online revocation only when the setting allows it, and then only http(s) through the given fetch.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PKI, requireFixtures } from '../../../tests/helpers/pki.ts';
import { policyAnchors, revocationFetch, verifyOptions } from './verify-options.ts';

describe('verify options', () => {
  it('policy roots as DER, PEM or one-line base64; unreadable ones dropped', () => {
    requireFixtures();
    const pem = readFileSync(join(PKI, 'root.cert.pem'), 'utf8');
    const der = new Uint8Array(readFileSync(join(PKI, 'root.cert.der')));
    const oneLine = Buffer.from(der).toString('base64');
    const got = policyAnchors([pem, oneLine, 'not a certificate']);
    expect(got).toHaveLength(2);
    for (const g of got) expect(Buffer.from(g).equals(Buffer.from(der))).toBe(true);
  });

  it('no fetch when online revocation is off; bundled roots kept', () => {
    const calls: string[] = [];
    const f = async (url: string) => {
      calls.push(url);
      return { status: 200, arrayBuffer: async () => new ArrayBuffer(1) };
    };
    const off = verifyOptions({ trustAnchors: [], onlineRevocation: false }, f);
    expect(off.fetch).toBeUndefined();
    expect(off.bundledAnchors).toBe(true);
    expect(verifyOptions({ trustAnchors: [], onlineRevocation: true }, f).fetch).toBeTypeOf('function');
  });

  it('the revocation fetch posts OCSP with its content type, refuses non-http URLs and HTTP errors', async () => {
    const seen: { url: string; method: string; type?: string }[] = [];
    let status = 200;
    const f = async (url: string, init: { method: string; headers?: Record<string, string> }) => {
      seen.push({ url, method: init.method, type: init.headers?.['Content-Type'] });
      return { status, arrayBuffer: async () => new Uint8Array([1, 2, 3]).buffer };
    };
    const rf = revocationFetch(f);
    expect([...(await rf('http://ocsp.example.vn/', { method: 'POST', body: new Uint8Array([0x30]), contentType: 'application/ocsp-request' }))]).toEqual([1, 2, 3]);
    expect(seen).toEqual([{ url: 'http://ocsp.example.vn/', method: 'POST', type: 'application/ocsp-request' }]);
    await expect(rf('file:///etc/passwd', { method: 'GET' })).rejects.toThrow(/http/);
    expect(seen).toHaveLength(1);
    status = 404;
    await expect(rf('http://crl.example.vn/a.crl', { method: 'GET' })).rejects.toThrow(/404/);
  });
});
