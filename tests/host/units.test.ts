// The host's pieces on their own: the frame reader against every way bytes can arrive, the certificate pager's size
// budget, and the stdout guard (console output in host mode must not reach the channel).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isKysoError } from '../../shared/protocol/errors.ts';
import { MAX_REPLY_BYTES, type CertificateInfo, type Reply } from '../../shared/protocol/messages.ts';
import { encodeFrame, FrameReader, idFromHead } from '../../native-host/host/framing.ts';
import { page, PAGE_BUDGET_BYTES } from '../../native-host/host/commands/list-certificates.ts';
import { REPO_ROOT } from '../../scripts/testenv/testenv.ts';
import { Dispatcher } from '../../native-host/host/dispatcher.ts';
import { hello } from '../../native-host/host/commands/hello.ts';

function collect(maxBytes = 100, hardLimit = 1000) {
  const events: string[] = [];
  const reader = new FrameReader(
    {
      onFrame: (b) => events.push(`frame:${b.toString('utf8')}`),
      onOversize: (n, head) => events.push(`oversize:${n}:${head.length}`),
      onFatal: (n) => events.push(`fatal:${n}`),
    },
    { maxBytes, hardLimit },
  );
  return { events, reader };
}

describe('FrameReader', () => {
  it('reads frames whole, split at every byte, or glued together', () => {
    const bytes = Buffer.concat([encodeFrame('{"a":1}'), encodeFrame(''), encodeFrame('"ký số"')]);
    const whole = collect();
    whole.reader.push(bytes);
    const split = collect();
    for (const b of bytes) split.reader.push(Buffer.from([b]));
    expect(whole.events).toEqual(['frame:{"a":1}', 'frame:', 'frame:"ký số"']);
    expect(split.events).toEqual(whole.events);
    expect(split.reader.pendingBytes()).toBe(0);
  });

  it('skips a frame above maxBytes without keeping it, reporting its head once, and reads on', () => {
    const { events, reader } = collect(100, 1000);
    const big = Buffer.alloc(500, 0x61);
    const bytes = Buffer.concat([encodeFrame(big.toString()), encodeFrame('ok')]);
    for (let i = 0; i < bytes.length; i += 7) reader.push(bytes.subarray(i, i + 7));
    expect(events).toEqual(['oversize:500:256', 'frame:ok']);
  });

  it('stops for good at a length above the hard limit', () => {
    const { events, reader } = collect(100, 1000);
    reader.push(Buffer.concat([Buffer.from([0xff, 0xff, 0xff, 0xff]), encodeFrame('never')]));
    reader.push(encodeFrame('never either'));
    expect(events).toEqual(['fatal:4294967295']);
  });

  it('says what is left of an unfinished frame', () => {
    const { reader } = collect();
    reader.push(encodeFrame('{"x":1}').subarray(0, 6));
    expect(reader.pendingBytes()).toBe(6);
    expect(reader.pendingLength()).toBe(7);
  });

  it('finds the id at the head of a skipped frame', () => {
    expect(idFromHead(Buffer.from('{"id":"r-17","command":"sign","params":{"digest":"'))).toBe('r-17');
    expect(idFromHead(Buffer.from(' { "id" : "ký số" , '))).toBe('ký số');
    expect(idFromHead(Buffer.from('{"command":"sign","id":"late"}'))).toBe('');
    expect(idFromHead(Buffer.from(`{"id":"${'x'.repeat(65)}"`))).toBe('');
    expect(idFromHead(Buffer.from([0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x22, 0xff, 0x22]))).toBe('');
  });
});

describe('certificate pages', () => {
  const cert = (i: number, bytes: number): CertificateInfo => ({ id: i.toString(16).padStart(2, '0'), label: `c${i}`, certificate: 'A'.repeat(bytes), hasPrivateKey: false, keyType: 'rsa' });

  it('end early when the next certificate would outgrow the reply budget', () => {
    const all = Array.from({ length: 10 }, (_, i) => cert(i, 300_000));
    const first = page(all, 0, 100);
    expect(first.certificates.length).toBe(3);
    expect(first.total).toBe(10);
    expect(Buffer.byteLength(JSON.stringify({ id: 'x'.repeat(64), ok: true, result: first }))).toBeLessThanOrEqual(MAX_REPLY_BYTES);
    // Continuing from offset + length covers everything exactly once.
    const seen: CertificateInfo[] = [];
    for (let offset = 0; offset < all.length; ) {
      const p = page(all, offset, 100);
      seen.push(...p.certificates);
      offset += p.certificates.length;
    }
    expect(seen).toEqual(all);
  });

  it('refuse a certificate that alone exceeds the budget with REPLY_TOO_LARGE naming the offset to skip to', () => {
    const all = [cert(0, 10), cert(1, PAGE_BUDGET_BYTES), cert(2, 10)];
    expect(page(all, 0, 100).certificates.length).toBe(1);
    try {
      page(all, 1, 100);
      throw new Error('expected REPLY_TOO_LARGE');
    } catch (e) {
      expect(isKysoError(e, 'REPLY_TOO_LARGE')).toBe(true);
    }
    expect(page(all, 2, 100).certificates.length).toBe(1);
  });
});

describe('stdout guard', () => {
  it('sends console.log, console.info, console.table and process.stdout.write to stderr; only frames reach stdout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-guard-'));
    try {
      const script = join(dir, 'guarded.mts');
      writeFileSync(
        script,
        `import { guardStdout } from ${JSON.stringify(join(REPO_ROOT, 'native-host', 'host', 'stdout-guard.ts'))};
import { encodeFrame } from ${JSON.stringify(join(REPO_ROOT, 'native-host', 'host', 'framing.ts'))};
const channel = guardStdout();
console.log('log line');
console.info('info line');
console.debug('debug line');
console.table([{ a: 1 }]);
console.dir({ dir: true });
process.stdout.write('raw write\\n');
channel.write(encodeFrame('{"id":"1","ok":true,"result":{}}'));
await channel.flush();
`,
      );
      const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: REPO_ROOT, encoding: 'buffer' });
      expect(r.status, r.stderr.toString()).toBe(0);
      expect(r.stdout).toEqual(encodeFrame('{"id":"1","ok":true,"result":{}}'));
      const err = r.stderr.toString();
      for (const s of ['log line', 'info line', 'debug line', 'raw write', 'dir: true']) expect(err).toContain(s);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Dispatcher', () => {
  const config = { timeoutMs: 1000, signTimeoutMs: 1000 };
  const quiet = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

  async function withPatchedHello(run: typeof hello.run, fn: (d: Dispatcher, out: Reply[]) => Promise<void>, timeoutMs = 1000): Promise<void> {
    const original = hello.run;
    hello.run = run;
    try {
      const out: Reply[] = [];
      const d = new Dispatcher({ config: { ...config, timeoutMs }, log: quiet, send: (json) => out.push(JSON.parse(json) as Reply) });
      await fn(d, out);
    } finally {
      hello.run = original;
    }
  }
  const helloFrame = (id: string) => Buffer.from(JSON.stringify({ id, command: 'hello', params: { protocolVersion: 1, extensionVersion: '1' } }));

  it('turns an exception escaping a command into INTERNAL_ERROR for that request, and the request id is known to it', async () => {
    let seen: string | null = null;
    await withPatchedHello(
      async () => {
        seen = dispatcherRef?.currentRequest() ?? null;
        throw new TypeError('x is undefined');
      },
      async (d, out) => {
        dispatcherRef = d;
        d.handleFrame(helloFrame('boom'));
        await d.whenIdle();
        expect(out).toEqual([{ id: 'boom', ok: false, error: expect.objectContaining({ code: 'INTERNAL_ERROR' }) }]);
        expect(seen).toBe('boom');
      },
    );
  });

  it('replaces a reply above MAX_REPLY_BYTES with REPLY_TOO_LARGE', async () => {
    await withPatchedHello(
      async () => ({ hostVersion: 'x'.repeat(MAX_REPLY_BYTES), protocolVersion: 1, platform: 'linux', arch: 'x64', modules: [] }),
      async (d, out) => {
        d.handleFrame(helloFrame('big'));
        await d.whenIdle();
        expect(out).toHaveLength(1);
        expect(out[0]).toMatchObject({ id: 'big', ok: false, error: { code: 'REPLY_TOO_LARGE' } });
      },
    );
  });

  it('answers TIMEOUT once, and drops the late result', async () => {
    await withPatchedHello(
      () => new Promise((resolve) => setTimeout(() => resolve({ hostVersion: '1', protocolVersion: 1, platform: 'linux', arch: 'x64', modules: [] }), 80)),
      async (d, out) => {
        d.handleFrame(helloFrame('slow'));
        await d.whenIdle();
        expect(out).toEqual([{ id: 'slow', ok: false, error: expect.objectContaining({ code: 'TIMEOUT', details: { timeoutMs: 20 } }) }]);
      },
      20,
    );
  });
});

let dispatcherRef: Dispatcher | null = null;
