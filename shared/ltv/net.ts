// The only way the signing engine talks to the network: one HTTP exchange through an injected fetch (the extension
// passes its own, the CLI a Node one that honours HTTP(S)_PROXY, default globalThis.fetch), to a URL that came from a
// certificate (AIA, CRL distribution point), the options (--tsa) or the policy. Nothing else is ever contacted:
// callers pass those URLs only, and anything but http:/https: is refused here.

/** The part of the Fetch API used here; globalThis.fetch fits. */
export type FetchLike = (
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: Uint8Array; signal?: AbortSignal; redirect?: 'follow' | 'error' | 'manual' },
) => Promise<FetchResponseLike>;

export interface FetchResponseLike {
  status: number;
  arrayBuffer(): Promise<ArrayBuffer>;
  headers?: { get(name: string): string | null };
}

export type NetFailure = 'timeout' | 'unavailable' | 'http' | 'cancelled' | 'too-large' | 'forbidden-url';

export class NetError extends Error {
  constructor(
    readonly kind: NetFailure,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'NetError';
  }
}

export interface ExchangeOptions {
  fetch?: FetchLike;
  method?: 'GET' | 'POST';
  body?: Uint8Array;
  contentType?: string;
  accept?: string;
  /** Per attempt. Default 15 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Default 10 MB. */
  maxBytes?: number;
}

/** http: or https: URLs only (no file:, data:, ldap:, javascript:…), without credentials. */
export function checkUrl(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new NetError('forbidden-url', `Not a URL: ${url}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new NetError('forbidden-url', `Only http and https are used, not ${u.protocol} (${url}).`);
  if (u.username || u.password) throw new NetError('forbidden-url', `URL with credentials refused: ${u.host}`);
  return u;
}

/** One request, bounded in time and size; failures as NetError with a kind. */
export async function httpExchange(url: string, opts: ExchangeOptions = {}): Promise<Uint8Array> {
  checkUrl(url);
  const fetchFn: FetchLike | undefined = opts.fetch ?? (globalThis.fetch as unknown as FetchLike | undefined);
  if (!fetchFn) throw new NetError('unavailable', 'No fetch implementation available.');
  if (opts.signal?.aborted) throw new NetError('cancelled', 'Cancelled.');
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, opts.timeoutMs ?? 15_000);
  const onAbort = () => controller.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const headers: Record<string, string> = {};
  if (opts.contentType) headers['Content-Type'] = opts.contentType;
  if (opts.accept) headers.Accept = opts.accept;
  try {
    let res: FetchResponseLike;
    try {
      res = await fetchFn(url, { method: opts.method ?? (opts.body ? 'POST' : 'GET'), headers, body: opts.body, signal: controller.signal, redirect: 'error' });
    } catch (e) {
      throw classify(e, timedOut, opts.signal);
    }
    if (res.status < 200 || res.status > 299) throw new NetError('http', `HTTP ${res.status}`, res.status);
    const max = opts.maxBytes ?? 10 * 1024 * 1024;
    const len = Number(res.headers?.get('content-length') ?? NaN);
    if (len > max) throw new NetError('too-large', `${url} answers ${len} bytes (limit ${max}).`);
    let buf: ArrayBuffer;
    try {
      buf = await res.arrayBuffer();
    } catch (e) {
      throw classify(e, timedOut, opts.signal);
    }
    if (buf.byteLength > max) throw new NetError('too-large', `${url} answered ${buf.byteLength} bytes (limit ${max}).`);
    return new Uint8Array(buf);
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

function classify(e: unknown, timedOut: boolean, signal: AbortSignal | undefined): NetError {
  if (e instanceof NetError) return e;
  if (signal?.aborted) return new NetError('cancelled', 'Cancelled.', undefined, { cause: e });
  if (timedOut) return new NetError('timeout', 'no answer in time', undefined, { cause: e });
  const cause = (e as { cause?: { code?: string; message?: string } })?.cause;
  const why = cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e));
  return new NetError('unavailable', why, undefined, { cause: e });
}
