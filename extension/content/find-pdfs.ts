// Finding the PDFs of a page: links to .pdf files, embedded viewers (<embed>, <object>, <iframe>), and download
// endpoints that only say what they serve when asked (download.jsp?fileId=101 answering application/pdf). The
// adapters call findPdfCandidates for what they do not know better; links that need asking go through PdfProbe.

import { fileNameFromDisposition, fileNameFromUrl, hasPdfHeader, isPdfContentType, PDF_HEADER_WINDOW } from './pdf-bytes.ts';

/** 'pdf': the page says so (.pdf, type="application/pdf"); 'probe': a download endpoint, ask the server. */
export type Evidence = 'pdf' | 'probe';

export interface Candidate {
  /** Absolute URL of the document. */
  url: string;
  /** The name the page shows for it, when it shows one. */
  name?: string;
  /** The link, embed, object or iframe it was found on; the buttons go beside it. */
  element: Element;
  evidence: Evidence;
}

const PDF_PATH = /\.pdf$/i;
/** Other office and media files: never a PDF, never probed. */
const OTHER_FILE = /\.(docx?|xlsx?|pptx?|od[tsp]|rtf|zip|rar|7z|gz|png|jpe?g|gif|bmp|tiff?|svg|txt|csv|xml|json|mp[34]|avi|exe|msi)$/i;
// Only links that look like file downloads are probed. A portal's other links (menus, "Xóa", "Chuyển") are never
// requested: servlet containers answer HEAD by running GET, and a GET link can change state in old portals.
const DOWNLOAD_LIKE = /(download|tai-?file|taifile|tai-?ve|getfile|get-?file|viewfile|view-?file|xem-?file|attachment|dinh-?kem|dinhkem|fileid|file_id|tep-?tin|teptin|\/files?\/)/i;
const STATE_CHANGING = /(^|[/_.?&=-])(xoa|delete|remove|logout|log-?off|dang-?xuat|huy|reject|approve|duyet|chuyen|ban-?hanh|submit)([/_.?&=-]|$)/i;

function absolute(raw: string | null, base: string): URL | undefined {
  if (!raw) return undefined;
  try {
    const u = new URL(raw, base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : undefined;
  } catch {
    return undefined;
  }
}

function decodedPath(u: URL): string {
  try {
    return decodeURIComponent(u.pathname);
  } catch {
    return u.pathname;
  }
}

/** What a URL (and the text or type the page gives it) says about being a PDF; undefined: not a document. */
export function classifyUrl(u: URL, hints: { text?: string; type?: string | null; download?: string | null } = {}): Evidence | undefined {
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  const path = decodedPath(u);
  const text = (hints.text ?? '').trim();
  if (hints.type && isPdfContentType(hints.type)) return 'pdf';
  if (PDF_PATH.test(path) || PDF_PATH.test(hints.download ?? '') || PDF_PATH.test(text)) return 'pdf';
  for (const v of u.searchParams.values()) if (PDF_PATH.test(v)) return 'pdf';
  if (OTHER_FILE.test(path) || OTHER_FILE.test(text) || OTHER_FILE.test(hints.download ?? '')) return undefined;
  const where = path + u.search;
  if (DOWNLOAD_LIKE.test(where) && !STATE_CHANGING.test(where)) return 'probe';
  return undefined;
}

function linkText(a: Element): string | undefined {
  const t = (a.textContent ?? '').replace(/\s+/g, ' ').trim();
  return t && t.length <= 200 ? t : undefined;
}

function pageUrl(a: Element): string {
  return a.ownerDocument?.baseURI ?? 'about:blank';
}

/** One candidate per element; a link to the page itself ("#", javascript:) is none. */
export function candidateFor(el: Element): Candidate | undefined {
  if (el.closest('.kyso-actions')) return undefined;
  const tag = el.tagName.toLowerCase();
  const base = pageUrl(el);
  if (tag === 'a') {
    const u = absolute(el.getAttribute('href'), base);
    if (!u) return undefined;
    const here = absolute(base, base);
    if (here && u.href.split('#')[0] === here.href.split('#')[0] && u.hash) return undefined;
    const text = linkText(el);
    const evidence = classifyUrl(u, { text, type: el.getAttribute('type'), download: el.getAttribute('download') });
    if (!evidence) return undefined;
    const named = [el.getAttribute('download'), text].find((n) => n && PDF_PATH.test(n.trim()));
    return { url: u.href, name: named?.trim() ?? (evidence === 'probe' ? text : undefined), element: el, evidence };
  }
  const src = tag === 'object' ? el.getAttribute('data') : tag === 'embed' || tag === 'iframe' ? el.getAttribute('src') : null;
  const u = absolute(src, base);
  if (!u) return undefined;
  const evidence = classifyUrl(u, { type: el.getAttribute('type') });
  if (!evidence) return undefined;
  return { url: u.href, element: el, evidence };
}

export const CANDIDATE_SELECTOR = 'a[href], embed[src], object[data], iframe[src]';

/** Every PDF candidate under root, in document order (the root itself included when it is one). */
export function findPdfCandidates(root: ParentNode): Candidate[] {
  const out: Candidate[] = [];
  const els = [...root.querySelectorAll(CANDIDATE_SELECTOR)];
  if (root instanceof Element && root.matches(CANDIDATE_SELECTOR)) els.unshift(root);
  for (const el of els) {
    const c = candidateFor(el);
    if (c) out.push(c);
  }
  return out;
}

export interface ProbeResult {
  pdf: boolean;
  /** From Content-Disposition, when the server names the file. */
  fileName?: string;
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/**
 * Asks a download endpoint whether it serves a PDF, in the page's context (the portal's cookies): HEAD first, and a
 * GET of the first 1024 bytes when HEAD is refused or the type says nothing (application/octet-stream). One answer
 * per URL for the life of the page.
 */
export class PdfProbe {
  private readonly cache = new Map<string, Promise<ProbeResult>>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  /** maxInFlight: a list of a hundred attachments must not send the portal a hundred requests at once. */
  constructor(
    private readonly fetchFn: FetchLike = (i, init) => fetch(i, init),
    private readonly maxInFlight = 4,
  ) {}

  check(url: string): Promise<ProbeResult> {
    let p = this.cache.get(url);
    if (!p) {
      p = this.limited(() => this.ask(url)).catch(() => ({ pdf: false }));
      this.cache.set(url, p);
    }
    return p;
  }

  private async limited<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.maxInFlight) await new Promise<void>((r) => this.waiting.push(r));
    this.running++;
    try {
      return await job();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  private async ask(url: string): Promise<ProbeResult> {
    let fileName: string | undefined;
    try {
      const head = await this.fetchFn(url, { method: 'HEAD', credentials: 'include', redirect: 'follow' });
      if (head.ok) {
        const ct = head.headers.get('content-type');
        fileName = fileNameFromDisposition(head.headers.get('content-disposition'));
        if (isPdfContentType(ct)) return { pdf: true, fileName };
        if (ct && /^\s*(text\/|image\/|application\/(json|xml|xhtml))/i.test(ct)) return { pdf: false, fileName };
      }
    } catch {
      // HEAD refused by the network layer: try the range GET.
    }
    const res = await this.fetchFn(url, { method: 'GET', credentials: 'include', headers: { Range: `bytes=0-${PDF_HEADER_WINDOW - 1}` } });
    if (!res.ok) return { pdf: false, fileName };
    fileName = fileNameFromDisposition(res.headers.get('content-disposition')) ?? fileName;
    const first = await firstBytes(res, PDF_HEADER_WINDOW);
    return { pdf: hasPdfHeader(first), fileName };
  }
}

/** Reads at most n bytes and drops the rest (a server that ignores Range sends the whole file). */
async function firstBytes(res: Response, n: number): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array(await res.arrayBuffer()).subarray(0, n);
  const reader = res.body.getReader();
  const out = new Uint8Array(n);
  let got = 0;
  try {
    while (got < n) {
      const { done, value } = await reader.read();
      if (done || !value) break;
      const take = Math.min(value.length, n - got);
      out.set(value.subarray(0, take), got);
      got += take;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
  return out.subarray(0, got);
}

/** The name to show and send: what the page shows when it is a file name, else the server's, else the URL's. */
export function documentName(c: Candidate, probed?: ProbeResult): string {
  if (c.name && PDF_PATH.test(c.name)) return c.name;
  if (probed?.fileName) return probed.fileName;
  if (c.name) return `${c.name}.pdf`;
  const fromUrl = fileNameFromUrl(c.url);
  return fromUrl && PDF_PATH.test(fromUrl) ? fromUrl : 'van-ban.pdf';
}
