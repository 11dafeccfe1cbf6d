// NativeHost against a fake port: hello first, ids and replies matched, timeouts, and Chrome's disconnect reasons
// mapped to typed errors.

import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Request } from '@kyso/shared/protocol/messages';
import { PROTOCOL_VERSION } from '@kyso/shared/protocol/messages';
import { CHROME_ERRORS, NativeHost, mapDisconnect, type NativePort } from './native-host.ts';

class FakePort implements NativePort {
  sent: Request[] = [];
  private messageListeners: ((m: unknown) => void)[] = [];
  private disconnectListeners: (() => void)[] = [];
  disconnected = false;
  constructor(private readonly fake: FakeChrome) {}
  postMessage(m: unknown) {
    if (this.disconnected) throw new Error('Attempting to use a disconnected port object');
    this.sent.push(m as Request);
    this.fake.onPost?.(this, m as Request);
  }
  disconnect() {
    this.disconnected = true;
  }
  onMessage = { addListener: (cb: (m: unknown) => void) => void this.messageListeners.push(cb) };
  onDisconnect = { addListener: (cb: () => void) => void this.disconnectListeners.push(cb) };
  reply(m: unknown) {
    for (const l of this.messageListeners) l(m);
  }
  /** Chrome closes the port, with lastError set only during the callbacks. */
  close(reason?: string) {
    this.disconnected = true;
    this.fake.lastError = reason;
    for (const l of this.disconnectListeners) l();
    this.fake.lastError = undefined;
  }
}

class FakeChrome {
  ports: FakePort[] = [];
  lastError: string | undefined;
  onPost?: (port: FakePort, m: Request) => void;
  host(opts: Partial<ConstructorParameters<typeof NativeHost>[0]> = {}) {
    return new NativeHost({
      extensionVersion: '0.1.0',
      connect: () => {
        const p = new FakePort(this);
        this.ports.push(p);
        return p;
      },
      lastError: () => this.lastError,
      ...opts,
    });
  }
}

const HELLO = { hostVersion: '0.1.0', protocolVersion: PROTOCOL_VERSION, platform: 'linux', arch: 'x64', modules: [] };

/** A host that answers hello and listTokens. */
function answering(fake: FakeChrome, hello: unknown = { ok: true, result: HELLO }) {
  fake.onPost = (port, m) => {
    queueMicrotask(() => {
      if (m.command === 'hello') port.reply({ id: m.id, ...(hello as object) });
      if (m.command === 'listTokens') port.reply({ id: m.id, ok: true, result: { tokens: [], problems: [] } });
    });
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('NativeHost', () => {
  it('says hello first with the protocol and extension versions, then sends the request', async () => {
    const fake = new FakeChrome();
    answering(fake);
    const host = fake.host();
    await expect(host.request('listTokens', {})).resolves.toEqual({ tokens: [], problems: [] });
    const [port] = fake.ports;
    expect(port.sent.map((m) => m.command)).toEqual(['hello', 'listTokens']);
    expect(port.sent[0].params).toEqual({ protocolVersion: PROTOCOL_VERSION, extensionVersion: '0.1.0' });
    expect(new Set(port.sent.map((m) => m.id)).size).toBe(2);
    // One connection for several requests.
    await host.request('listTokens', {});
    expect(fake.ports).toHaveLength(1);
  });

  it.each([
    [CHROME_ERRORS.notFound, 'HOST_NOT_INSTALLED'],
    [CHROME_ERRORS.forbidden, 'HOST_FORBIDDEN'],
    [CHROME_ERRORS.exited, 'HOST_DISCONNECTED'],
    [CHROME_ERRORS.failedToStart, 'HOST_NOT_INSTALLED'],
    [CHROME_ERRORS.io, 'HOST_DISCONNECTED'],
    [undefined, 'HOST_DISCONNECTED'],
  ])('a port closed with %j fails the request with %s', async (reason, code) => {
    const fake = new FakeChrome();
    fake.onPost = (port) => queueMicrotask(() => port.close(reason));
    const host = fake.host();
    await expect(host.request('listTokens', {})).rejects.toMatchObject({ code });
    // The next request connects again.
    answering(fake);
    await expect(host.hello()).resolves.toEqual(HELLO);
    expect(fake.ports).toHaveLength(2);
  });

  it('maps the disconnect reason with the Vietnamese text of the code', () => {
    const e = mapDisconnect(CHROME_ERRORS.notFound);
    expect(e.code).toBe('HOST_NOT_INSTALLED');
    expect(e.messageVi).toContain('Chưa cài phần mềm KýSố');
    expect(e.details).toEqual({ chromeError: CHROME_ERRORS.notFound });
  });

  it('passes on the host refusing the protocol (EXTENSION_UPDATE_REQUIRED) and drops the connection', async () => {
    const fake = new FakeChrome();
    answering(fake, { ok: false, error: { code: 'EXTENSION_UPDATE_REQUIRED', message: 'Protocol 1 no longer spoken.', messageVi: 'Tiện ích đã cũ.' } });
    const host = fake.host();
    const e = await host.request('listTokens', {}).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'EXTENSION_UPDATE_REQUIRED', messageVi: 'Tiện ích đã cũ.', message: 'Protocol 1 no longer spoken.' });
    expect(fake.ports[0].disconnected).toBe(true);
  });

  it('reports an older host as HOST_UPDATE_REQUIRED', async () => {
    const fake = new FakeChrome();
    answering(fake, { ok: true, result: { ...HELLO, protocolVersion: PROTOCOL_VERSION - 1 } });
    await expect(fake.host().hello()).rejects.toMatchObject({ code: 'HOST_UPDATE_REQUIRED' });
    const fake2 = new FakeChrome();
    answering(fake2, { ok: false, error: { code: 'UNKNOWN_COMMAND', message: 'hello?', messageVi: 'x' } });
    await expect(fake2.host().hello()).rejects.toMatchObject({ code: 'HOST_UPDATE_REQUIRED', details: { hostCode: 'UNKNOWN_COMMAND' } });
  });

  it('times a request out, asks the host to cancel it and ignores its late reply', async () => {
    vi.useFakeTimers();
    const fake = new FakeChrome();
    let held: Request | undefined;
    fake.onPost = (port, m) => {
      if (m.command === 'hello') queueMicrotask(() => port.reply({ id: m.id, ok: true, result: HELLO }));
      if (m.command === 'listTokens') held = m;
    };
    const host = fake.host({ requestTimeoutMs: 1000 });
    const p = host.request('listTokens', {}).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1001);
    expect(await p).toMatchObject({ code: 'TIMEOUT' });
    const cancel = fake.ports[0].sent.at(-1)!;
    expect(cancel).toMatchObject({ command: 'cancel', params: { requestId: held!.id } });
    fake.ports[0].reply({ id: held!.id, ok: true, result: { tokens: [], problems: [] } }); // no throw, no effect
  });

  it('aborting a request rejects it with USER_CANCELLED and sends the host cancel for its id', async () => {
    const fake = new FakeChrome();
    let held: Request | undefined;
    fake.onPost = (port, m) => {
      if (m.command === 'hello') queueMicrotask(() => port.reply({ id: m.id, ok: true, result: HELLO }));
      if (m.command === 'logout') held = m;
    };
    const host = fake.host();
    const ac = new AbortController();
    const p = host.request('logout', { token: 't' }, { signal: ac.signal }).catch((e: unknown) => e);
    await vi.waitFor(() => expect(held).toBeDefined());
    ac.abort();
    expect(await p).toMatchObject({ code: 'USER_CANCELLED' });
    expect(fake.ports[0].sent.at(-1)).toMatchObject({ command: 'cancel', params: { requestId: held!.id } });
    fake.ports[0].reply({ id: held!.id, ok: true, result: {} }); // late reply: no effect
    // An already aborted signal sends nothing.
    const before = fake.ports[0].sent.length;
    await expect(host.request('logout', { token: 't' }, { signal: ac.signal })).rejects.toMatchObject({ code: 'USER_CANCELLED' });
    expect(fake.ports[0].sent.length).toBe(before);
  });

  it('keeps the host’s error code and texts; an unknown code becomes INTERNAL_ERROR with the code kept', async () => {
    const fake = new FakeChrome();
    fake.onPost = (port, m) =>
      queueMicrotask(() => {
        if (m.command === 'hello') port.reply({ id: m.id, ok: true, result: HELLO });
        else if ((m.params as { token?: string }).token === 'a') port.reply({ id: m.id, ok: false, error: { code: 'PIN_LOCKED', message: 'locked', messageVi: 'Khóa rồi.' } });
        else port.reply({ id: m.id, ok: false, error: { code: 'FUTURE_CODE', message: 'new', messageVi: 'Mới.' } });
      });
    const host = fake.host();
    await expect(host.request('logout', { token: 'a' })).rejects.toMatchObject({ code: 'PIN_LOCKED', messageVi: 'Khóa rồi.' });
    await expect(host.request('logout', { token: 'b' })).rejects.toMatchObject({ code: 'INTERNAL_ERROR', messageVi: 'Mới.', details: { hostCode: 'FUTURE_CODE' } });
  });

  it('closes an idle connection', async () => {
    vi.useFakeTimers();
    const fake = new FakeChrome();
    answering(fake);
    const host = fake.host({ idleMs: 5000 });
    await host.request('listTokens', {});
    await vi.advanceTimersByTimeAsync(5001);
    expect(fake.ports[0].disconnected).toBe(true);
  });
});
