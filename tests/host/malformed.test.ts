// Whatever arrives on stdin, the host answers with a typed error or exits cleanly with a documented code, never
// with a crash, a hang or anything but frames on stdout; a fresh host afterwards answers hello.

import { createHash } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_REQUEST_BYTES } from '../../shared/protocol/messages.ts';
import { ensureTestEnv, type TestEnv } from '../../scripts/testenv/testenv.ts';
import { codeOf, frame, helloParams, HostProcess } from './host-process.ts';

let env: TestEnv;
const hosts: HostProcess[] = [];

function start(): HostProcess {
  const h = new HostProcess({ env: { KYSO_HOST_LOG: 'warn' } });
  hosts.push(h);
  return h;
}

beforeAll(() => {
  env = ensureTestEnv();
});

afterEach(async () => {
  for (const h of hosts.splice(0)) {
    const exit = h.hasExited ? await h.exited : await h.end();
    expect(exit.signal).toBeNull();
    expect([0, 3]).toContain(exit.code);
    expect(h.badFrames).toEqual([]);
    expect(h.strayBytes).toBe(0);
    expect(h.stderr).not.toMatch(/^\s+at /m); // no stack trace: nothing was unexpected
  }
  // Whatever the previous host went through, a new one answers.
  const fresh = start();
  expect(codeOf(await fresh.request('hello', helloParams()))).toBe('ok');
  hosts.splice(0);
  expect(await fresh.end()).toEqual({ code: 0, signal: null });
});

/** Sends raw bytes and waits for the next reply. */
async function next(h: HostProcess, bytes: Buffer): Promise<{ id: string; code: string; message: string }> {
  const before = h.replies.length;
  h.write(bytes);
  const r = await h.waitFor(() => h.replies.length > before, 30_000);
  const reply = h.replies[before] ?? r;
  return { id: reply.id, code: codeOf(reply), message: reply.ok ? '' : reply.error.message };
}

const hex = (s: string) => Buffer.from(s, 'hex');

describe('malformed input', () => {
  it('answers every recoverable malformation with a typed error, then keeps working', async () => {
    const h = start();
    const digest = createHash('sha256').update('x').digest('base64');
    const cases: [string, Buffer, string, string][] = [
      ['length 0', hex('00000000'), 'BAD_MESSAGE', ''],
      ['invalid UTF-8', frame(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])), 'BAD_MESSAGE', ''],
      ['an overlong UTF-8 encoding', frame(Buffer.from([0x22, 0xc0, 0xaf, 0x22])), 'BAD_MESSAGE', ''],
      ['invalid JSON', frame('{"id":"1","command":'), 'BAD_MESSAGE', ''],
      ['a JSON array', frame('[1,2,3]'), 'BAD_MESSAGE', ''],
      ['a JSON number', frame('42'), 'BAD_MESSAGE', ''],
      ['JSON null', frame('null'), 'BAD_MESSAGE', ''],
      ['a JSON string', frame('"hello"'), 'BAD_MESSAGE', ''],
      ['no id', frame({ command: 'hello', params: helloParams() }), 'BAD_MESSAGE', ''],
      ['a numeric id', frame({ id: 7, command: 'hello', params: helloParams() }), 'BAD_MESSAGE', ''],
      ['an empty id', frame({ id: '', command: 'hello', params: helloParams() }), 'BAD_MESSAGE', ''],
      ['an id of 65 characters', frame({ id: 'x'.repeat(65), command: 'hello', params: helloParams() }), 'BAD_MESSAGE', ''],
      ['no command', frame({ id: 'm1', params: {} }), 'BAD_MESSAGE', 'm1'],
      ['a numeric command', frame({ id: 'm2', command: 1, params: {} }), 'BAD_MESSAGE', 'm2'],
      ['an unknown command', frame({ id: 'm3', command: 'formatToken', params: {} }), 'UNKNOWN_COMMAND', 'm3'],
      ['__proto__ as command', frame('{"id":"m4","command":"__proto__","params":{}}'), 'UNKNOWN_COMMAND', 'm4'],
      ['an extra top-level field', frame({ id: 'm5', command: 'hello', params: helloParams(), pin: '1' }), 'BAD_MESSAGE', 'm5'],
      ['no params', frame({ id: 'm6', command: 'hello' }), 'BAD_MESSAGE', 'm6'],
      ['params as an array', frame({ id: 'm7', command: 'listTokens', params: [] }), 'BAD_MESSAGE', 'm7'],
      ['params null', frame({ id: 'm8', command: 'listTokens', params: null }), 'BAD_MESSAGE', 'm8'],
      ['a missing field', frame({ id: 'm9', command: 'hello', params: { protocolVersion: 1 } }), 'BAD_MESSAGE', 'm9'],
      ['an unknown field', frame({ id: 'm10', command: 'hello', params: { ...helloParams(), debug: true } }), 'BAD_MESSAGE', 'm10'],
      ['a fractional version', frame({ id: 'm11', command: 'hello', params: { protocolVersion: 1.5, extensionVersion: '1' } }), 'BAD_MESSAGE', 'm11'],
      ['modules not an array', frame({ id: 'm12', command: 'listTokens', params: { modules: '/usr/lib/x.so' } }), 'BAD_MESSAGE', 'm12'],
      ['a relative module path', frame({ id: 'm13', command: 'listTokens', params: { modules: ['lib/x.so'] } }), 'BAD_MESSAGE', 'm13'],
      ['a module that is not a library', frame({ id: 'm14', command: 'listTokens', params: { modules: ['/etc/passwd'] } }), 'BAD_MESSAGE', 'm14'],
      ['a negative offset', frame({ id: 'm15', command: 'listCertificates', params: { module: env.softhsmModule, token: env.demoToken, offset: -1 } }), 'BAD_MESSAGE', 'm15'],
      ['limit 0', frame({ id: 'm16', command: 'listCertificates', params: { module: env.softhsmModule, token: env.demoToken, limit: 0 } }), 'BAD_MESSAGE', 'm16'],
      ['limit 1000', frame({ id: 'm17', command: 'listCertificates', params: { module: env.softhsmModule, token: env.demoToken, limit: 1000 } }), 'BAD_MESSAGE', 'm17'],
      ...(
        [
          ['digest not base64', { digest: 'not base64!' }],
          ['digest of the wrong length', { digest: Buffer.alloc(20).toString('base64') }],
          ['digest without padding', { digest: digest.replace(/=+$/, '') }],
          ['an unknown hash', { hash: 'SHA-1' }],
          ['an unknown scheme', { scheme: 'rsa-raw' }],
          ['a certId that is not hex', { certId: 'leader' }],
          ['an empty PIN', { pin: '' }],
          ['a numeric PIN', { pin: 123456 }],
          ['a PIN with a NUL', { pin: '12\u000034' }],
          ['a PIN of 65 characters', { pin: '1'.repeat(65) }],
          ['an empty token label', { token: '' }],
          ['no pin field at all', { pin: undefined }],
        ] as [string, Record<string, unknown>][]
      ).map(([name, patch], i): [string, Buffer, string, string] => {
        const params: Record<string, unknown> = { module: env.softhsmModule, token: env.demoToken, certId: '01', pin: '123456', digest, hash: 'SHA-256', scheme: 'rsa-pkcs1', ...patch };
        for (const k of Object.keys(params)) if (params[k] === undefined) delete params[k];
        return [`sign with ${name}`, frame({ id: `s${i}`, command: 'sign', params }), 'BAD_MESSAGE', `s${i}`];
      }),
      ['cancel without requestId', frame({ id: 'm18', command: 'cancel', params: {} }), 'BAD_MESSAGE', 'm18'],
      ['logout with a numeric token', frame({ id: 'm19', command: 'logout', params: { token: 5 } }), 'BAD_MESSAGE', 'm19'],
    ];
    for (const [name, bytes, code, id] of cases) {
      const r = await next(h, bytes);
      expect({ name, id: r.id, code: r.code }).toEqual({ name, id, code });
      if (code === 'BAD_MESSAGE') expect(r.message.length, name).toBeGreaterThan('Malformed message. '.length);
    }
    // No PIN was ever sent to the token, and none is echoed.
    expect(JSON.stringify(h.replies)).not.toContain('123456');
    expect(codeOf(await h.request('hello', helloParams()))).toBe('ok');
  });

  it('a 9 MB frame is skipped with MESSAGE_TOO_LARGE (its id kept); the host reads on', async () => {
    const h = start();
    const big = Buffer.alloc(9 * 1024 * 1024, 0x20);
    Buffer.from('{"id":"huge","command":"hello","params":{"x":"').copy(big);
    expect(big.length).toBeGreaterThan(MAX_REQUEST_BYTES);
    const r = await next(h, frame(big));
    expect(r).toMatchObject({ id: 'huge', code: 'MESSAGE_TOO_LARGE' });
    expect(codeOf(await h.request('hello', helloParams()))).toBe('ok');
  });

  it('a frame of exactly MAX_REQUEST_BYTES is read (and refused as JSON), not skipped', async () => {
    const h = start();
    const r = await next(h, frame(Buffer.alloc(MAX_REQUEST_BYTES, 0x7b)));
    expect(r).toMatchObject({ id: '', code: 'BAD_MESSAGE' });
    expect(codeOf(await h.request('hello', helloParams()))).toBe('ok');
  });

  it('length 0xFFFFFFFF: MESSAGE_TOO_LARGE, then exit 3 (the stream cannot be followed)', async () => {
    const h = start();
    const r = await next(h, hex('ffffffff7b7d'));
    expect(r).toMatchObject({ id: '', code: 'MESSAGE_TOO_LARGE' });
    expect(await h.waitExit()).toEqual({ code: 3, signal: null });
  });

  it('an unusable length prefix followed at once by EOF still exits 3', async () => {
    const h = start();
    h.write(Buffer.concat([frame({ id: 'before', command: 'hello', params: helloParams() }), hex('00000080')]));
    h.proc.stdin.end();
    expect(await h.waitExit()).toEqual({ code: 3, signal: null });
    expect(h.replies.map((r) => [r.id, codeOf(r)])).toEqual(expect.arrayContaining([['before', 'ok'], ['', 'MESSAGE_TOO_LARGE']]));
  });

  it('a truncated frame then EOF: BAD_MESSAGE, exit 0', async () => {
    const h = start();
    const f = frame({ id: 'cut', command: 'hello', params: helloParams() });
    h.write(f.subarray(0, f.length - 5));
    h.proc.stdin.end();
    expect(await h.waitExit()).toEqual({ code: 0, signal: null });
    expect(h.replies.map(codeOf)).toEqual(['BAD_MESSAGE']);
  });

  it('half a length prefix then EOF: exit 0', async () => {
    const h = start();
    h.write(hex('0500'));
    expect(await h.end()).toEqual({ code: 0, signal: null });
  });

  it('EOF with nothing sent: exit 0', async () => {
    const h = start();
    expect(await h.end()).toEqual({ code: 0, signal: null });
    expect(h.replies).toEqual([]);
  });

  it('frames split into single bytes and frames glued together are read alike', async () => {
    const h = start();
    const bytes = Buffer.concat([frame({ id: 'a', command: 'hello', params: helloParams() }), frame({ id: 'b', command: 'cancel', params: { requestId: 'zz' } })]);
    for (const b of bytes) {
      h.write(Buffer.from([b]));
      await new Promise((r) => setImmediate(r));
    }
    expect(codeOf(await h.reply('a'))).toBe('ok');
    expect(codeOf(await h.reply('b'))).toBe('ok');
    h.write(Buffer.concat(Array.from({ length: 50 }, (_, i) => frame({ id: `g${i}`, command: 'hello', params: helloParams() }))));
    for (let i = 0; i < 50; i++) expect(codeOf(await h.reply(`g${i}`))).toBe('ok');
  });

  it('a second request with the id of a pending one is refused', async () => {
    const h = start();
    const params = { module: env.softhsmModule, token: env.demoToken, certId: env.objects.leader, pin: env.userPin, digest: createHash('sha256').update('y').digest('base64'), hash: 'SHA-256', scheme: 'rsa-pkcs1' };
    h.write(Buffer.concat([frame({ id: 'dup', command: 'sign', params }), frame({ id: 'dup', command: 'hello', params: helloParams() })]));
    await h.waitFor(() => h.replies.filter((r) => r.id === 'dup').length === 2);
    expect(h.replies.filter((r) => r.id === 'dup').map(codeOf).sort()).toEqual(['BAD_MESSAGE', 'ok']);
  });
});
