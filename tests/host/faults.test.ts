// The host over the kyso-fault PKCS#11 module (SoftHSM underneath, faults from KYSO_FAULTS): the PIN retry hint,
// a locked PIN, a token pulled out while signing, timeouts. The fault log shows what reached the token.

import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureTestEnv, type TestEnv } from '../../scripts/testenv/testenv.ts';
import { codeOf, frame, helloParams, HostProcess } from './host-process.ts';

const env: TestEnv = ensureTestEnv();
let dir: string;
let log: string;
let host: HostProcess | null = null;

function start(faults: string, extraEnv: Record<string, string> = {}): HostProcess {
  writeFileSync(log, '');
  host = new HostProcess({ env: { KYSO_FAULT_REAL_MODULE: env.softhsmModule, KYSO_FAULTS: faults, KYSO_FAULT_LOG: log, KYSO_FAULT_CONTROL: undefined, ...extraEnv } });
  return host;
}

function calls(fn: string): string[] {
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith(`${fn} `));
}

const signParams = (extra: Record<string, unknown> = {}) => ({
  module: env.faultModule!,
  token: env.demoToken,
  certId: env.objects.leader,
  pin: env.userPin,
  digest: createHash('sha256').update('Công văn số 88/UBND-VP').digest('base64'),
  hash: 'SHA-256',
  scheme: 'rsa-pkcs1',
  ...extra,
});

describe.skipIf(!env.faultModule)('host over the fault-injection module', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kyso-host-fault-'));
    log = join(dir, 'calls.log');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => {
    const h = host;
    host = null;
    if (!h) return;
    expect(await h.end()).toEqual({ code: 0, signal: null });
    expect(h.badFrames).toEqual([]);
    expect(h.strayBytes).toBe(0);
    // Every session the host opened was closed, every module it initialized finalized.
    expect(calls('C_CloseSession').length).toBe(calls('C_OpenSession').filter((l) => l.endsWith(' CKR_OK')).length);
    expect(calls('C_Finalize').length).toBe(calls('C_Initialize').filter((l) => l.endsWith(' CKR_OK')).length);
  });

  it('passes a signature through when no fault is set', async () => {
    const h = start('');
    expect(codeOf(await h.request('sign', signParams()))).toBe('ok');
    expect(calls('C_Login')).toHaveLength(1);
    expect(calls('C_Logout')).toHaveLength(1);
  });

  it('PIN_INCORRECT on the final try carries details.retries "final"; the PIN went to the token once', async () => {
    const h = start('login=CKR_PIN_INCORRECT;tokenflags=+CKF_USER_PIN_FINAL_TRY,-CKF_USER_PIN_COUNT_LOW');
    const r = await h.request('sign', signParams());
    expect(codeOf(r)).toBe('PIN_INCORRECT');
    if (!r.ok) {
      expect(r.error.details).toEqual({ retries: 'final' });
      expect(r.error.messageVi).toContain('lần thử cuối cùng');
    }
    expect(calls('C_Login')).toHaveLength(1);
    expect(calls('C_Sign')).toHaveLength(0);
  });

  it('CKR_PIN_LOCKED is PIN_LOCKED; a token that reports its PIN locked is refused without a login', async () => {
    const h = start('login=CKR_PIN_LOCKED');
    expect(codeOf(await h.request('sign', signParams()))).toBe('PIN_LOCKED');
    await h.end();
    host = null;
    const h2 = start('tokenflags=+CKF_USER_PIN_LOCKED');
    const tokens = await h2.request('listTokens', { modules: [env.faultModule!] });
    expect(tokens.ok && tokens.result.tokens.find((t) => t.module === env.faultModule && t.label === env.demoToken)?.pinLocked).toBe(true);
    expect(codeOf(await h2.request('sign', signParams()))).toBe('PIN_LOCKED');
    expect(calls('C_Login')).toHaveLength(0);
  });

  it('a token pulled out during C_Sign is TOKEN_REMOVED, and the next request starts afresh', async () => {
    const h = start('remove=C_Sign');
    const r = await h.request('sign', signParams());
    expect(codeOf(r)).toBe('TOKEN_REMOVED');
    if (!r.ok) expect(r.error.messageVi).toContain('rút ra');
    expect(codeOf(await h.request('hello', helloParams()))).toBe('ok');
  });

  it('sign timeout: TIMEOUT replies; requests that timed out in the queue never reach the token', async () => {
    const h = start('', { KYSO_HOST_SIGN_TIMEOUT_MS: '1' });
    h.write(Buffer.concat(['a', 'b', 'c'].map((id) => frame({ id, command: 'sign', params: signParams() }))));
    for (const id of ['a', 'b', 'c']) expect(codeOf(await h.reply(id))).toBe('TIMEOUT');
    const r = h.replies.find((x) => x.id === 'b');
    if (r && !r.ok) expect(r.error.details).toEqual({ timeoutMs: 1 });
    // The first one was already at the token: it finishes (and logs out) in the background; b and c never start.
    expect(codeOf(await h.request('logout', { token: env.demoToken }))).toBe('ok');
    expect(calls('C_Login').length).toBeLessThanOrEqual(1);
    expect(calls('C_Login').length).toBe(calls('C_Logout').length);
    // Other commands keep their own timeout.
    expect(codeOf(await h.request('hello', helloParams()))).toBe('ok');
  });
});
