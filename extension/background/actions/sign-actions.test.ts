// listSigningCertificates and signDigest/cancelSign against a scripted host (NativeHost over a fake port): every
// token and every page of certificates, a token that fails does not hide the others, Cancel reaches the host.

import { describe, expect, it, vi } from 'vitest';
import type { Request } from '@kyso/shared/protocol/messages';
import { PROTOCOL_VERSION } from '@kyso/shared/protocol/messages';
import { NativeHost, type NativePort } from '../services/native-host.ts';
import { listSigningCertificates } from './certificates.ts';
import { cancelSign, signDigest } from './sign-digest.ts';

const HELLO = { hostVersion: '0.1.0', protocolVersion: PROTOCOL_VERSION, platform: 'linux', arch: 'x64', modules: [] };

/** A host whose answers come from `answer` (undefined: no reply, the request stays pending). */
function scriptedHost(answer: (m: Request) => unknown) {
  const sent: Request[] = [];
  const listeners: ((m: unknown) => void)[] = [];
  const port: NativePort = {
    postMessage(m) {
      const r = m as Request;
      sent.push(r);
      queueMicrotask(() => {
        const reply = r.command === 'hello' ? { ok: true, result: HELLO } : answer(r);
        if (reply !== undefined) for (const l of listeners) l({ id: r.id, ...(reply as object) });
      });
    },
    disconnect() {},
    onMessage: { addListener: (cb) => void listeners.push(cb) },
    onDisconnect: { addListener() {} },
  };
  return { host: new NativeHost({ extensionVersion: '0.1.0', connect: () => port, lastError: () => undefined }), sent };
}

const token = (serial: string, label: string) => ({ module: '/m.so', label, manufacturer: 'x', model: 'y', serial, protectedAuthPath: false, pinCountLow: false, pinFinalTry: false, pinLocked: false });
const cert = (id: string) => ({ id, label: id, certificate: 'AA==', hasPrivateKey: id.startsWith('k'), keyType: 'rsa' as const, keyBits: 2048 });

describe('listSigningCertificates', () => {
  it('collects every page of every token and reports a token that fails', async () => {
    const pages: Record<string, ReturnType<typeof cert>[]> = { S1: ['k1', 'ca1', 'ca2', 'k2', 'ca3'].map(cert), S2: [] };
    const { host, sent } = scriptedHost((m) => {
      if (m.command === 'listTokens') return { ok: true, result: { tokens: [token('S1', 'One'), token('S2', 'Two'), token('S3', 'Gone')], problems: [] } };
      if (m.command === 'listCertificates') {
        const p = m.params;
        if (p.token === 'S3') return { ok: false, error: { code: 'TOKEN_NOT_PRESENT', message: 'gone', messageVi: 'Rút ra rồi.' } };
        const all = pages[p.token];
        // Two per page whatever the limit, as a host near its reply size budget does.
        return { ok: true, result: { certificates: all.slice(p.offset ?? 0, (p.offset ?? 0) + 2), total: all.length } };
      }
      return undefined;
    });
    const r = await listSigningCertificates(host, ['/extra.so']);
    expect(r.certificates.map((c) => `${c.token}:${c.id}`)).toEqual(['S1:k1', 'S1:ca1', 'S1:ca2', 'S1:k2', 'S1:ca3']);
    expect(r.certificates[0]).toMatchObject({ module: '/m.so', token: 'S1', tokenLabel: 'One', hasPrivateKey: true });
    expect(r.tokens.map((t) => t.serial)).toEqual(['S1', 'S2', 'S3']);
    expect(r.problems).toEqual([{ module: '/m.so', error: expect.objectContaining({ code: 'TOKEN_NOT_PRESENT' }) }]);
    expect(sent.find((m) => m.command === 'listTokens')!.params).toEqual({ modules: ['/extra.so'] });
    expect(sent.filter((m) => m.command === 'listCertificates' && m.params.token === 'S1').map((m) => (m.params as { offset: number }).offset)).toEqual([0, 2, 4]);
  });
});

describe('signDigest / cancelSign', () => {
  const params = { module: '/m.so', token: 'S1', certId: 'ab', pin: '123456', digest: 'AA==', hash: 'SHA-256' as const, scheme: 'rsa-pkcs1' as const };

  it('passes the sign request on and returns the signature', async () => {
    const { host, sent } = scriptedHost((m) => (m.command === 'sign' ? { ok: true, result: { signature: 'c2ln' } } : undefined));
    await expect(signDigest(host, { ...params, requestId: 'r-1' })).resolves.toEqual({ signature: 'c2ln' });
    expect(sent.find((m) => m.command === 'sign')!.params).toEqual(params); // requestId is the page's, not the host's
  });

  it('cancelSign abandons the request in flight: USER_CANCELLED, and the host gets cancel for it', async () => {
    const { host, sent } = scriptedHost(() => undefined);
    const p = signDigest(host, { ...params, requestId: 'r-2' }).catch((e: unknown) => e);
    await vi.waitFor(() => expect(sent.some((m) => m.command === 'sign')).toBe(true));
    await expect(cancelSign(host, { requestId: 'r-2' })).resolves.toEqual({ cancelled: true });
    expect(await p).toMatchObject({ code: 'USER_CANCELLED' });
    const signId = sent.find((m) => m.command === 'sign')!.id;
    expect(sent.at(-1)).toMatchObject({ command: 'cancel', params: { requestId: signId } });
  });

  it('a cancel that arrives first stops the request before it is sent', async () => {
    const { host, sent } = scriptedHost(() => ({ ok: true, result: { signature: 'c2ln' } }));
    await expect(cancelSign(host, { requestId: 'r-3' })).resolves.toEqual({ cancelled: false });
    await expect(signDigest(host, { ...params, requestId: 'r-3' })).rejects.toMatchObject({ code: 'USER_CANCELLED' });
    expect(sent.some((m) => m.command === 'sign')).toBe(false);
  });

  it('refuses a request without a usable requestId', async () => {
    const { host } = scriptedHost(() => undefined);
    await expect(signDigest(host, { ...params, requestId: '' })).rejects.toMatchObject({ code: 'BAD_MESSAGE' });
  });
});
