// Native messaging framing: each message is a 4-byte little-endian length followed by that many bytes of UTF-8
// JSON. The reader never trusts the length: a frame above the request limit is skipped without being kept in
// memory, and a length no browser can send means the stream is out of step for good.

import { MAX_REQUEST_BYTES } from '@kyso/shared/protocol/messages';

/** Chrome and Edge send at most 64 MiB to a host; a longer length prefix cannot come from a browser. */
export const BROWSER_MAX_REQUEST_BYTES = 64 * 1024 * 1024;

/** How much of a skipped frame is kept to find its request id. */
const OVERSIZE_HEAD_BYTES = 256;

export interface FrameHandlers {
  /** A whole frame of at most maxBytes (possibly empty). */
  onFrame(payload: Buffer): void;
  /** A frame above maxBytes; `head` is its first bytes (for the id). The rest is skipped as it arrives. */
  onOversize(length: number, head: Buffer): void;
  /** A length above the browser limit: the stream cannot be followed any more. Nothing is read after this. */
  onFatal(length: number): void;
}

export interface FrameReaderOptions {
  maxBytes?: number;
  hardLimit?: number;
}

type State =
  | { kind: 'header'; have: number }
  | { kind: 'body'; buf: Buffer; have: number }
  | { kind: 'skip'; length: number; head: Buffer; have: number; reported: boolean }
  | { kind: 'dead' };

export class FrameReader {
  private readonly header = Buffer.alloc(4);
  private state: State = { kind: 'header', have: 0 };
  private readonly maxBytes: number;
  private readonly hardLimit: number;

  constructor(
    private readonly handlers: FrameHandlers,
    opts: FrameReaderOptions = {},
  ) {
    this.maxBytes = opts.maxBytes ?? MAX_REQUEST_BYTES;
    this.hardLimit = opts.hardLimit ?? BROWSER_MAX_REQUEST_BYTES;
  }

  /** Feeds bytes as they arrive from stdin; calls the handlers synchronously, in order. */
  push(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length) {
      const st = this.state;
      if (st.kind === 'dead') return;
      if (st.kind === 'header') {
        const n = Math.min(4 - st.have, chunk.length - pos);
        chunk.copy(this.header, st.have, pos, pos + n);
        st.have += n;
        pos += n;
        if (st.have < 4) continue;
        this.startFrame(this.header.readUInt32LE(0));
      } else if (st.kind === 'body') {
        const n = Math.min(st.buf.length - st.have, chunk.length - pos);
        chunk.copy(st.buf, st.have, pos, pos + n);
        st.have += n;
        pos += n;
        if (st.have === st.buf.length) {
          this.state = { kind: 'header', have: 0 };
          this.handlers.onFrame(st.buf);
        }
      } else {
        const n = Math.min(st.length - st.have, chunk.length - pos);
        if (st.have < st.head.length) chunk.copy(st.head, st.have, pos, pos + Math.min(n, st.head.length - st.have));
        st.have += n;
        pos += n;
        if (!st.reported && st.have >= st.head.length) {
          st.reported = true;
          this.handlers.onOversize(st.length, st.head);
        }
        if (st.have === st.length) this.state = { kind: 'header', have: 0 };
      }
    }
  }

  /** At end of input: the bytes of an unfinished frame, 0 when the stream ended between frames. */
  pendingBytes(): number {
    const st = this.state;
    if (st.kind === 'header') return st.have;
    if (st.kind === 'body') return 4 + st.have;
    if (st.kind === 'skip') return 4 + st.have;
    return 0;
  }

  /** The announced length of the unfinished frame, if a header was read. */
  pendingLength(): number | null {
    const st = this.state;
    if (st.kind === 'body') return st.buf.length;
    if (st.kind === 'skip') return st.length;
    return null;
  }

  private startFrame(length: number): void {
    if (length > this.hardLimit) {
      this.state = { kind: 'dead' };
      this.handlers.onFatal(length);
      return;
    }
    if (length > this.maxBytes) {
      this.state = { kind: 'skip', length, head: Buffer.alloc(Math.min(OVERSIZE_HEAD_BYTES, length)), have: 0, reported: false };
      return;
    }
    if (length === 0) {
      this.state = { kind: 'header', have: 0 };
      this.handlers.onFrame(Buffer.alloc(0));
      return;
    }
    // At most maxBytes: the allocation is bounded whatever the peer announces.
    this.state = { kind: 'body', buf: Buffer.allocUnsafe(length), have: 0 };
  }
}

/** One frame: the length prefix and the UTF-8 JSON. */
export function encodeFrame(json: string): Buffer {
  const body = Buffer.from(json, 'utf8');
  const out = Buffer.allocUnsafe(4 + body.length);
  out.writeUInt32LE(body.length, 0);
  body.copy(out, 4);
  return out;
}

/**
 * The request id at the start of a frame that is not parsed as a whole (too large): `{"id":"…"` as the extension
 * writes it. "" when it is not there.
 */
export function idFromHead(head: Buffer): string {
  const m = /^\s*\{\s*"id"\s*:\s*"([^"\\\u0000-\u001f]{1,64})"/.exec(head.toString('latin1'));
  if (!m) return '';
  // The id was read as latin1 to survive a cut in a multi-byte character; give it back as UTF-8.
  const id = Buffer.from(m[1], 'latin1').toString('utf8');
  return id.includes('\uFFFD') ? '' : id;
}
