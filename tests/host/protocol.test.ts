// The host as Chrome runs it, against the SoftHSM demo token: every command's round trip, signatures verified
// with node:crypto against the certificate the host listed, version negotiation both ways, the origin rule, and
// a stdout that holds nothing but frames.

import { constants, createHash, verify, X509Certificate } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_ID, EXTENSION_ORIGIN } from '../../shared/protocol/extension-id.ts';
import { MAX_REPLY_BYTES, PROTOCOL_VERSION, type CertificateInfo, type Reply } from '../../shared/protocol/messages.ts';
import { ensureTestEnv, type TestEnv } from '../../scripts/testenv/testenv.ts';
import { codeOf, frame, helloParams, HostProcess } from './host-process.ts';
import hostPackage from '../../native-host/package.json' with { type: 'json' };

let env: TestEnv;
let host: HostProcess | null = null;

function start(opts: ConstructorParameters<typeof HostProcess>[0] = {}): HostProcess {
  host = new HostProcess(opts);
  return host;
}

beforeAll(() => {
  env = ensureTestEnv();
});

afterEach(async () => {
  const h = host;
  host = null;
  if (!h) return;
  // Whatever the test did: stdout held frames only, each a reply, and closing stdin ends the host with 0.
  const exit = h.hasExited ? await h.exited : await h.end();
  expect(h.badFrames).toEqual([]);
  expect(h.strayBytes).toBe(0);
  expect(exit.signal).toBeNull();
  expect([0, 2, 3]).toContain(exit.code);
});

const data = Buffer.from('Quyết định số 123/QĐ-UBND về việc phê duyệt kế hoạch', 'utf8');
const digestOf = (alg: string) => createHash(alg).update(data).digest();

function ok<T>(r: Reply): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.result as T;
}

async function allCertificates(h: HostProcess, limit: number): Promise<{ pages: CertificateInfo[][]; total: number }> {
  const pages: CertificateInfo[][] = [];
  let offset = 0;
  let total = 0;
  do {
    const r = ok<{ certificates: CertificateInfo[]; total: number }>(await h.request('listCertificates', { module: env.softhsmModule, token: env.demoToken, offset, limit }));
    total = r.total;
    expect(r.certificates.length).toBeGreaterThan(0);
    expect(r.certificates.length).toBeLessThanOrEqual(limit);
    pages.push(r.certificates);
    offset += r.certificates.length;
  } while (offset < total);
  return { pages, total };
}

describe('host round trips', () => {
  it('hello: host version, protocol, platform, modules; --parent-window is ignored', async () => {
    const h = start({ extraArgs: ['--parent-window=0'] });
    const r = await h.request('hello', helloParams());
    expect(codeOf(r)).toBe('ok');
    const res = ok<{ hostVersion: string; protocolVersion: number; platform: string; arch: string; modules: { path: string; vendor: string; source: string }[] }>(r);
    expect(res.hostVersion).toBe(hostPackage.version);
    expect(res.protocolVersion).toBe(PROTOCOL_VERSION);
    expect(res.platform).toBe(process.platform);
    expect(res.arch).toBe(process.arch);
    expect(Array.isArray(res.modules)).toBe(true);
    for (const m of res.modules) expect(['policy', 'user', 'known']).toContain(m.source);
  });

  it('hello with a newer protocol: HOST_UPDATE_REQUIRED; with an older one: EXTENSION_UPDATE_REQUIRED', async () => {
    const h = start();
    const newer = await h.request('hello', helloParams(PROTOCOL_VERSION + 1));
    expect(codeOf(newer)).toBe('HOST_UPDATE_REQUIRED');
    if (!newer.ok) expect(newer.error.details).toMatchObject({ hostProtocolVersion: PROTOCOL_VERSION, extensionProtocolVersion: PROTOCOL_VERSION + 1 });
    const older = await h.request('hello', helloParams(PROTOCOL_VERSION - 1));
    expect(codeOf(older)).toBe('EXTENSION_UPDATE_REQUIRED');
    if (!older.ok) expect(older.error.messageVi).toContain('cập nhật tiện ích');
    // A version is a whole number from 0.
    expect(codeOf(await h.request('hello', helloParams(-1)))).toBe('BAD_MESSAGE');
    expect(codeOf(await h.request('hello', { protocolVersion: '1', extensionVersion: '0.1.0' }))).toBe('BAD_MESSAGE');
    expect(codeOf(await h.request('hello', helloParams()))).toBe('ok');
  });

  it('listTokens finds "KySo Demo" (and reports a missing module as a problem, not a failure)', async () => {
    const h = start();
    const r = ok<{ tokens: { module: string; label: string; pinLocked: boolean }[]; problems: { module: string; error: { code: string } }[] }>(
      await h.request('listTokens', { modules: [env.softhsmModule, '/nonexistent/libnothing.so'] }),
    );
    const demo = r.tokens.find((t) => t.label === env.demoToken);
    expect(demo).toBeDefined();
    expect(demo?.pinLocked).toBe(false);
    expect(r.tokens.some((t) => t.label === '')).toBe(false);
    expect(r.problems).toContainEqual({ module: '/nonexistent/libnothing.so', error: expect.objectContaining({ code: 'MODULE_NOT_FOUND' }) });
  });

  it('listCertificates pages: limit 2 gives total 7 in pages that concatenate to the one-page listing', async () => {
    const h = start();
    const paged = await allCertificates(h, 2);
    expect(paged.total).toBe(7);
    expect(paged.pages.map((p) => p.length)).toEqual([2, 2, 2, 1]);
    const whole = await allCertificates(h, 100);
    expect(whole.pages).toHaveLength(1);
    expect(paged.pages.flat()).toEqual(whole.pages[0]);
    const byLabel = new Map(whole.pages[0].map((c) => [c.label, c]));
    expect(byLabel.get('leader')).toMatchObject({ id: env.objects.leader, hasPrivateKey: true, keyType: 'rsa', keyBits: 2048 });
    expect(byLabel.get('ecdsa')).toMatchObject({ id: env.objects.ecdsa, hasPrivateKey: true, keyType: 'ec', keyBits: 256 });
    expect(byLabel.get('ca')).toMatchObject({ hasPrivateKey: false });
    // Past the end: an empty page, same total.
    expect(ok(await h.request('listCertificates', { module: env.softhsmModule, token: env.demoToken, offset: 7 }))).toEqual({ certificates: [], total: 7 });
    expect(codeOf(await h.request('listCertificates', { module: env.softhsmModule, token: 'Không có', offset: 0 }))).toBe('TOKEN_NOT_FOUND');
  });

  it('signs a SHA-256 digest as leader (rsa-pkcs1), with RSA-PSS and with ECDSA; each verifies against the listed certificate', async () => {
    const h = start();
    const certs = (await allCertificates(h, 100)).pages[0];
    const certOf = (label: string) => new X509Certificate(Buffer.from(certs.find((c) => c.label === label)!.certificate, 'base64'));
    const sign = async (certId: string, scheme: 'rsa-pkcs1' | 'rsa-pss' | 'ecdsa', hash: 'SHA-256' | 'SHA-384' = 'SHA-256') =>
      Buffer.from(
        ok<{ signature: string }>(
          await h.request('sign', { module: env.softhsmModule, token: env.demoToken, certId, pin: env.userPin, digest: digestOf(hash.replace('-', '').toLowerCase()).toString('base64'), hash, scheme }),
        ).signature,
        'base64',
      );

    const leader = certOf('leader').publicKey;
    expect(verify('sha256', data, leader, await sign(env.objects.leader, 'rsa-pkcs1'))).toBe(true);
    expect(verify('sha384', data, leader, await sign(env.objects.leader, 'rsa-pkcs1', 'SHA-384'))).toBe(true);
    const pss = await sign(env.objects.leader, 'rsa-pss');
    expect(verify('sha256', data, { key: leader, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, pss)).toBe(true);
    const ec = await sign(env.objects.ecdsa, 'ecdsa');
    expect(ec[0]).toBe(0x30); // DER ECDSA-Sig-Value, not r‖s
    expect(verify('sha256', data, { key: certOf('ecdsa').publicKey, dsaEncoding: 'der' }, ec)).toBe(true);
    // Scheme and key must agree; a certificate without a key cannot sign.
    expect(codeOf(await h.request('sign', { module: env.softhsmModule, token: env.demoToken, certId: env.objects.ecdsa, pin: env.userPin, digest: digestOf('sha256').toString('base64'), hash: 'SHA-256', scheme: 'rsa-pkcs1' }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(await h.request('sign', { module: env.softhsmModule, token: env.demoToken, certId: env.objects.ca, pin: env.userPin, digest: digestOf('sha256').toString('base64'), hash: 'SHA-256', scheme: 'rsa-pkcs1' }))).toBe('KEY_NOT_FOUND');
  });

  it('a wrong PIN is PIN_INCORRECT with a retries hint; a null PIN on a token without a PIN pad is PIN_REQUIRED; the right PIN still works', async () => {
    const h = start();
    const base = { module: env.softhsmModule, token: env.demoToken, certId: env.objects.leader, digest: digestOf('sha256').toString('base64'), hash: 'SHA-256', scheme: 'rsa-pkcs1' } as const;
    const wrong = await h.request('sign', { ...base, pin: '000000' });
    expect(codeOf(wrong)).toBe('PIN_INCORRECT');
    if (!wrong.ok) {
      expect(['unknown', 'low', 'final']).toContain(wrong.error.details?.retries);
      expect(wrong.error.messageVi).toContain('Mã PIN không đúng');
    }
    expect(JSON.stringify(h.replies) + h.stderr).not.toContain('000000');
    expect(codeOf(await h.request('sign', { ...base, pin: null }))).toBe('PIN_REQUIRED');
    expect(codeOf(await h.request('sign', { ...base, pin: env.userPin }))).toBe('ok');
    expect(h.stderr).not.toContain(env.userPin);
    expect(h.stderr).not.toContain(base.digest);
  });

  it('logout is answered after the token\'s queued requests, and is idempotent', async () => {
    const h = start();
    const signId = h.id();
    const signReply = h.reply(signId);
    h.send({ id: signId, command: 'sign', params: { module: env.softhsmModule, token: env.demoToken, certId: env.objects.leader, pin: env.userPin, digest: digestOf('sha256').toString('base64'), hash: 'SHA-256', scheme: 'rsa-pkcs1' } });
    const out = await h.request('logout', { token: env.demoToken });
    expect(out).toEqual({ id: out.id, ok: true, result: {} });
    // The sign was queued before the logout: its reply came first.
    expect(h.replies.findIndex((r) => r.id === signId)).toBeLessThan(h.replies.findIndex((r) => r.id === out.id));
    expect(codeOf(await signReply)).toBe('ok');
    expect(codeOf(await h.request('logout', { token: env.demoToken }))).toBe('ok');
  });

  it('cancel abandons a request queued behind another on the same token: USER_CANCELLED, and it never runs', async () => {
    const h = start();
    const params = { module: env.softhsmModule, token: env.demoToken, certId: env.objects.leader, pin: env.userPin, digest: digestOf('sha256').toString('base64'), hash: 'SHA-256', scheme: 'rsa-pkcs1' };
    // One write: the second sign waits for the first, and the cancel arrives while it waits.
    h.write(Buffer.concat([
      frame({ id: 'first', command: 'sign', params }),
      frame({ id: 'second', command: 'sign', params }),
      frame({ id: 'stop', command: 'cancel', params: { requestId: 'second' } }),
    ]));
    const stop = await h.reply('stop');
    expect(stop).toEqual({ id: 'stop', ok: true, result: { cancelled: true } });
    const second = await h.reply('second');
    expect(codeOf(second)).toBe('USER_CANCELLED');
    expect(codeOf(await h.reply('first'))).toBe('ok');
    // Exactly one reply per request.
    expect(h.replies.filter((r) => r.id === 'second')).toHaveLength(1);
    // Nothing pending under that id any more; an unknown id is not cancelled.
    expect(ok(await h.request('cancel', { requestId: 'second' }))).toEqual({ cancelled: false });
    expect(ok(await h.request('cancel', { requestId: 'never-sent' }))).toEqual({ cancelled: false });
  });

  it('a caller that is not the KýSố extension gets HOST_FORBIDDEN and the host exits 2', async () => {
    const other = `chrome-extension://${'a'.repeat(32)}/`;
    expect(other).not.toBe(EXTENSION_ORIGIN);
    const h = start({ origin: other });
    const r = await h.request('hello', helloParams(), 'who');
    expect(r.id).toBe('who');
    expect(codeOf(r)).toBe('HOST_FORBIDDEN');
    expect(await h.waitExit()).toEqual({ code: 2, signal: null });
    // The real origin without its trailing slash is not the origin either.
    const h2 = new HostProcess({ origin: `chrome-extension://${EXTENSION_ID}` });
    expect(codeOf(await h2.request('listTokens', {}))).toBe('HOST_FORBIDDEN');
    expect(await h2.waitExit()).toEqual({ code: 2, signal: null });
    expect(h2.badFrames).toEqual([]);
  });

  it('every reply stays under MAX_REPLY_BYTES and stdout holds frames only', async () => {
    const h = start();
    await h.request('hello', helloParams());
    await h.request('listTokens', {});
    await h.request('listCertificates', { module: env.softhsmModule, token: env.demoToken, limit: 100 });
    for (const r of h.replies) expect(Buffer.byteLength(JSON.stringify(r))).toBeLessThanOrEqual(MAX_REPLY_BYTES);
    expect(await h.end()).toEqual({ code: 0, signal: null });
    expect(h.strayBytes).toBe(0);
    expect(h.badFrames).toEqual([]);
  });

  it('SIGTERM ends the host with 0', async () => {
    const h = start();
    expect(codeOf(await h.request('hello', helloParams()))).toBe('ok');
    h.proc.kill('SIGTERM');
    expect(await h.waitExit()).toEqual({ code: 0, signal: null });
  });
});
