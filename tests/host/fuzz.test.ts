// Fuzz: over 10,000 random and mutated frames to one host process, in batches. Random bytes, bit-flipped valid
// requests, random JSON where the id, the command or the params belong, truncated and extended length prefixes.
// A model of the framing predicts how many replies each batch must bring (one per frame the host can delimit) and
// how many filler bytes bring the stream back in step. The host may exit only on purpose (exit 3 after a length
// prefix no browser sends; then it is restarted and the restart counted); it never dies from a signal or another
// code, never writes anything but reply frames, never reports INTERNAL_ERROR, and answers hello after every batch.
// No signing here: only hello, list and cancel style commands, or invalid ones.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_TEXTS } from '../../shared/protocol/errors.ts';
import { MAX_REQUEST_BYTES } from '../../shared/protocol/messages.ts';
import { ensureTestEnv, type TestEnv } from '../../scripts/testenv/testenv.ts';
import { codeOf, frame, helloParams, HostProcess } from './host-process.ts';

const TARGET_FRAMES = 10_000;
const BATCH = 100;
const HARD_LIMIT = 64 * 1024 * 1024;

/** xorshift32, seeded: a failure can be replayed with KYSO_FUZZ_SEED. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
  return {
    u32: next,
    int: (n: number) => next() % n,
    chance: (p: number) => next() / 0x1_0000_0000 < p,
    pick<T>(a: readonly T[]): T {
      return a[next() % a.length];
    },
  };
}
type Rng = ReturnType<typeof rng>;

const STRINGS = ['', 'hello', 'listTokens', 'listCertificates', 'logout', 'cancel', 'sign', '__proto__', 'constructor', 'toString', 'id', '\u0000', '\ud800', 'Ký Số', 'x'.repeat(70), '/usr/lib/x.so', 'C:\\Windows\\System32\\eTPKCS11.dll', 'KySo Demo', '01', '=='];

function randomString(r: Rng): string {
  if (r.chance(0.5)) return r.pick(STRINGS);
  let s = '';
  const n = r.int(24);
  for (let i = 0; i < n; i++) s += String.fromCharCode(r.chance(0.8) ? 0x20 + r.int(0x5f) : r.int(0x10000));
  return s;
}

function randomJson(r: Rng, depth = 0): unknown {
  const k = r.int(depth > 3 ? 4 : 7);
  switch (k) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return r.pick([0, -1, 1, 1.5, 64, 65, 1e21, -1e308, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, r.u32() - 2 ** 31]);
    case 3:
      return randomString(r);
    case 4:
      return Array.from({ length: r.int(5) }, () => randomJson(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      const n = r.int(5);
      for (let i = 0; i < n; i++) o[r.pick(['modules', 'module', 'token', 'offset', 'limit', 'requestId', 'protocolVersion', 'extensionVersion', 'pin', randomString(r)])] = randomJson(r, depth + 1);
      return o;
    }
  }
}

/** Hello, list and cancel requests: the valid material bits are flipped in. No sign. */
function templates(env: TestEnv): object[] {
  return [
    { command: 'hello', params: helloParams() },
    { command: 'hello', params: helloParams(2) },
    { command: 'listCertificates', params: { module: env.softhsmModule, token: env.demoToken, offset: 1, limit: 2 } },
    { command: 'listCertificates', params: { module: '/nonexistent/libnone.so', token: env.demoToken } },
    { command: 'logout', params: { token: env.demoToken } },
    { command: 'cancel', params: { requestId: 'f1' } },
    { command: 'listTokens', params: { modules: ['/nonexistent/libnone.so'] } },
  ];
}

interface Generated {
  bytes: Buffer;
  kind: string;
}

function generate(r: Rng, env: TestEnv, seq: number): Generated {
  const id = `f${seq}`;
  const roll = r.int(100);
  if (roll < 20) {
    const body = Buffer.alloc(r.int(r.chance(0.1) ? 4096 : 200));
    for (let i = 0; i < body.length; i++) body[i] = r.int(256);
    return { bytes: frame(body), kind: 'random bytes' };
  }
  if (roll < 55) {
    const t = r.pick(templates(env));
    const body = Buffer.from(JSON.stringify({ id, ...t }), 'utf8');
    const flips = 1 + r.int(4);
    for (let i = 0; i < flips; i++) body[r.int(body.length)] ^= 1 << r.int(8);
    return { bytes: frame(body), kind: 'bit flips' };
  }
  if (roll < 80) {
    // Random params for a real command (never sign).
    const command = r.pick(['hello', 'listCertificates', 'logout', 'cancel', 'listTokens']);
    let params = randomJson(r);
    // listTokens with params {} would scan every module: keep it, but rarely.
    if (command === 'listTokens' && typeof params === 'object' && params !== null && !Array.isArray(params) && Object.keys(params).length === 0 && r.chance(0.9)) params = null;
    return { bytes: frame({ id, command, params }), kind: 'random params' };
  }
  if (roll < 90) {
    const msg = r.chance(0.5) ? randomJson(r) : { id: r.chance(0.5) ? randomJson(r) : id, command: r.chance(0.5) ? randomJson(r) : randomString(r), params: randomJson(r) };
    return { bytes: frame(JSON.stringify(msg) ?? 'undefined'), kind: 'random envelope' };
  }
  if (roll < 95) return { bytes: frame({ id, command: 'hello', params: helloParams() }), kind: 'valid hello' };
  // Valid JSON, truncated inside.
  const whole = Buffer.from(JSON.stringify({ id, command: 'hello', params: helloParams() }));
  return { bytes: frame(whole.subarray(0, 1 + r.int(whole.length - 1))), kind: 'cut JSON' };
}

/** The last frame of some batches: a length prefix that lies (shorter, longer, or any 32-bit value). */
function lyingFrame(r: Rng, seq: number): Buffer {
  const f = frame({ id: `f${seq}`, command: 'hello', params: helloParams() });
  const actual = f.length - 4;
  const roll = r.int(3);
  const declared = roll === 0 ? Math.max(0, actual - 1 - r.int(actual)) : roll === 1 ? actual + 1 + r.int(64) : r.u32();
  f.writeUInt32LE(declared >>> 0, 0);
  return f;
}

/** The host's framing rules, to know how many replies are due and what the stream still needs. */
class FramingModel {
  header: number[] = [];
  remaining = 0;
  mode: 'header' | 'body' | 'skip' | 'dead' = 'header';
  replies = 0;

  feed(bytes: Buffer): void {
    let pos = 0;
    while (pos < bytes.length && this.mode !== 'dead') {
      if (this.mode === 'header') {
        this.header.push(bytes[pos++]);
        if (this.header.length === 4) {
          const len = Buffer.from(this.header).readUInt32LE(0);
          this.header = [];
          if (len > HARD_LIMIT) {
            this.mode = 'dead';
            this.replies++;
          } else if (len > MAX_REQUEST_BYTES) {
            this.mode = 'skip';
            this.remaining = len;
            this.replies++; // MESSAGE_TOO_LARGE
          } else if (len === 0) this.replies++;
          else {
            this.mode = 'body';
            this.remaining = len;
          }
        }
      } else {
        const n = Math.min(this.remaining, bytes.length - pos);
        pos += n;
        this.remaining -= n;
        if (this.remaining === 0) {
          if (this.mode === 'body') this.replies++;
          this.mode = 'header';
        }
      }
    }
  }

  /** Bytes that complete the unfinished frame, if any (a header is completed with zero bytes). */
  filler(): Buffer {
    if (this.mode === 'header' && this.header.length > 0) return Buffer.alloc(4 - this.header.length);
    if (this.mode === 'body' || this.mode === 'skip') return Buffer.alloc(this.remaining, 0x20);
    return Buffer.alloc(0);
  }
}

let env: TestEnv;
const hosts: HostProcess[] = [];

beforeAll(() => {
  env = ensureTestEnv();
});
afterAll(() => {
  for (const h of hosts) h.kill();
});

describe('host fuzz', () => {
  it(`survives ${TARGET_FRAMES} random and mutated frames`, { timeout: 180_000 }, async () => {
    const seed = Number(process.env.KYSO_FUZZ_SEED ?? Date.now() % 0x7fffffff);
    const r = rng(seed);
    const startHost = () => {
      const h = new HostProcess({ env: { KYSO_HOST_LOG: 'error' } });
      hosts.push(h);
      return h;
    };
    let host = startHost();
    let sent = 0;
    let restarts = 0;
    let seq = 0;
    let fillerBytes = 0;
    const kinds: Record<string, number> = {};
    const codes: Record<string, number> = {};
    const started = Date.now();

    const checkHost = (h: HostProcess) => {
      expect(h.badFrames, `seed ${seed}`).toEqual([]);
      for (const rep of h.replies) {
        const c = codeOf(rep);
        codes[c] = (codes[c] ?? 0) + 1;
        if (c !== 'ok') expect(Object.hasOwn(ERROR_TEXTS, c), `seed ${seed}: code ${c}`).toBe(true);
      }
      expect(codes.INTERNAL_ERROR ?? 0, `seed ${seed}`).toBe(0);
      expect(h.stderr, `seed ${seed}`).not.toMatch(/uncaught|unhandled|dispatch failed/i);
    };

    while (sent < TARGET_FRAMES) {
      const model = new FramingModel();
      const parts: Buffer[] = [];
      for (let i = 0; i < BATCH; i++) {
        const g = generate(r, env, ++seq);
        kinds[g.kind] = (kinds[g.kind] ?? 0) + 1;
        parts.push(g.bytes);
      }
      if (r.chance(0.25)) {
        parts.push(lyingFrame(r, ++seq));
        kinds['lying length'] = (kinds['lying length'] ?? 0) + 1;
      }
      sent += parts.length;
      const batch = Buffer.concat(parts);
      const before = host.replies.length;
      model.feed(batch);
      host.write(batch);
      if (model.mode !== 'dead') {
        const fill = model.filler();
        if (fill.length > 0) {
          fillerBytes += fill.length;
          model.feed(fill);
          host.write(fill);
          // A zero-filled header may announce a frame that needs filling in turn.
          const more = model.filler();
          if (more.length > 0) {
            fillerBytes += more.length;
            model.feed(more);
            host.write(more);
          }
        }
      }
      const due = model.replies;
      if (model.mode === 'dead') {
        // On purpose: a length no browser sends. MESSAGE_TOO_LARGE, then exit 3.
        const exit = await host.waitExit(30_000);
        expect(exit, `seed ${seed}`).toEqual({ code: 3, signal: null });
        expect(host.replies.length - before, `seed ${seed}: replies before the exit`).toBe(due);
        // Requests still at work when the fatal frame came are answered before the exit, so it need not be last.
        expect(host.replies.slice(before).some((x) => x.id === '' && codeOf(x) === 'MESSAGE_TOO_LARGE'), `seed ${seed}`).toBe(true);
        checkHost(host);
        restarts++;
        host = startHost();
        continue;
      }
      // Every frame the host can delimit gets exactly one reply.
      await host.waitFor(() => host.replies.length - before >= due, 30_000, `${due} replies to batch (seed ${seed})`);
      expect(host.hasExited, `seed ${seed}: the host exited`).toBe(false);
      const probe = await host.request('hello', helloParams(), `probe${seq}`, 30_000);
      expect(codeOf(probe), `seed ${seed}`).toBe('ok');
      expect(host.replies.length - before, `seed ${seed}: replies to the batch`).toBe(due + 1);
    }
    checkHost(host);
    const last = await host.request('hello', helloParams(), 'final', 30_000);
    expect(codeOf(last)).toBe('ok');
    expect(await host.end()).toEqual({ code: 0, signal: null });
    expect(host.strayBytes).toBe(0);
    for (const h of hosts) expect(h.strayBytes).toBe(0);

    console.log(
      `host fuzz: ${sent} frames sent (seed ${seed}) in ${((Date.now() - started) / 1000).toFixed(1)} s, ${restarts} restarts after exit 3, ` +
        `${fillerBytes} filler bytes; frames ${JSON.stringify(kinds)}; replies ${JSON.stringify(codes)}`,
    );
    expect(sent).toBeGreaterThanOrEqual(TARGET_FRAMES);
  });
});
