// One frame of an allowlisted portal: scans for PDFs with the frame's adapter, puts the button pair beside each,
// and turns a click (or the context menu's link) into an openJob request for the background.

import { KysoError } from '@kyso/shared/protocol/errors';
import type { ErrorPayload } from '@kyso/shared/protocol/errors';
import type { JobAction, JobRequest, UploadTarget } from '../shared/jobs.ts';
import { chooseAdapter, type Adapter } from './adapters/index.ts';
import { findActions, makeActions, placeActions, showTip } from './buttons.ts';
import { currentLanguage, textsOf } from '../shared/i18n-core.ts';
import { errorText } from '../shared/hints.ts';
import { CONTENT_TEXTS } from './texts.ts';
import { candidateFor, documentName, type Candidate, type PdfProbe, type ProbeResult } from './find-pdfs.ts';

export type OpenJobReply = { ok: true; result: { jobId: string } } | { ok: false; error: ErrorPayload };

export interface PortalPageDeps {
  doc: Document;
  probe: Pick<PdfProbe, 'check'>;
  /** Sends openJob to the background (browser.runtime.sendMessage in the real content script). */
  openJob(request: JobRequest): Promise<OpenJobReply>;
}

interface Known {
  candidate: Candidate;
  adapter: Adapter;
  probed?: ProbeResult;
}

/** The URL an element points at now (links, embeds, objects, frames), absolute. */
function elementUrl(el: Element): string | undefined {
  const raw = el.getAttribute(el.tagName === 'A' ? 'href' : el.tagName === 'OBJECT' ? 'data' : 'src');
  try {
    return raw === null ? undefined : new URL(raw, el.ownerDocument.baseURI).href;
  } catch {
    return undefined;
  }
}

/** A random token naming the upload input of a job (the page's ids cannot be trusted to be unique or stable). */
function newToken(): string {
  const b = crypto.getRandomValues(new Uint8Array(12));
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

export class PortalPage {
  /** Documents shown with buttons, by URL. */
  private readonly known = new Map<string, Known>();
  /** Each pair shown and the element it belongs to. */
  private readonly pairs = new Map<HTMLElement, Candidate>();

  constructor(private readonly deps: PortalPageDeps) {}

  adapter(): Adapter {
    return chooseAdapter(new URL(this.deps.doc.URL), this.deps.doc);
  }

  /** Finds the page's PDFs and decorates the new ones; resolves when every probe it started has answered. */
  async scan(): Promise<void> {
    const adapter = this.adapter();
    const pending: Promise<void>[] = [];
    this.prune();
    // One pair per document: a re-rendered row gets a new pair only when the old one went with the old row.
    // Probes are cached per URL, so scanning again asks the server nothing new.
    const shown = new Set([...this.deps.doc.querySelectorAll<HTMLElement>('span.kyso-actions')].map((s) => s.dataset.kysoUrl));
    for (const c of adapter.find(this.deps.doc)) {
      if (shown.has(c.url)) continue;
      shown.add(c.url);
      if (c.evidence === 'pdf') {
        this.decorate(c, adapter);
        continue;
      }
      pending.push(
        this.deps.probe.check(c.url).then((r) => {
          if (r.pdf && c.element.isConnected && !findActions(this.deps.doc, c.url)) this.decorate(c, adapter, r);
        }),
      );
    }
    await Promise.all(pending);
  }

  private decorate(c: Candidate, adapter: Adapter, probed?: ProbeResult): void {
    this.known.set(c.url, { candidate: c, adapter, probed });
    const span = makeActions(this.deps.doc, c.url, (action, button) => void this.clicked(c.url, action, button));
    placeActions(span, c.element);
    this.pairs.set(span, c);
  }

  /** Single-page portals reuse elements: a pair whose link now points elsewhere (or is gone) goes. */
  private prune(): void {
    for (const [span, c] of this.pairs) {
      if (span.isConnected && c.element.isConnected && elementUrl(c.element) === c.url) continue;
      span.remove();
      this.pairs.delete(span);
    }
  }

  private async clicked(url: string, action: JobAction, button: HTMLButtonElement): Promise<void> {
    const k = this.known.get(url);
    if (!k) return;
    button.disabled = true;
    try {
      const reply = await this.deps.openJob(this.request(k, action));
      if (!reply.ok) showTip(button, errorText(reply.error, currentLanguage()));
    } catch (e) {
      // The extension was updated or reloaded: this copy of the script can no longer reach it.
      showTip(button, textsOf(CONTENT_TEXTS)('unreachable', { reason: (e as Error).message }));
    } finally {
      button.disabled = false;
    }
  }

  /** The job for a document, reading the portal's form now (the user may have edited it since the page loaded). */
  request(k: Known, action: JobAction): JobRequest {
    const { candidate: c, adapter } = k;
    const doc = this.deps.doc;
    let upload: UploadTarget = { kind: 'none' };
    if (action === 'sign') {
      const found = adapter.upload(doc, c);
      if (found.kind === 'input') {
        const token = found.input.getAttribute('data-kyso-upload') || newToken();
        found.input.setAttribute('data-kyso-upload', token);
        upload = { kind: 'input', token, ...(found.label ? { label: found.label } : {}) };
      } else if (found.kind === 'url') {
        upload = { kind: 'url', url: found.url, field: found.field, ...(found.extra ? { extra: found.extra } : {}) };
      }
    }
    const r: JobRequest = {
      action,
      portal: adapter.family,
      document: { url: c.url, name: documentName(c, k.probed) },
      upload,
      prefill: action === 'sign' ? adapter.prefill(doc, c) : {},
    };
    if (adapter.fileNameRule) r.fileNameRule = adapter.fileNameRule;
    return r;
  }

  /** The context menu's "Ký số tệp PDF này" on a link of this frame: like its button, asking the server if needed. */
  async jobForLink(url: string, action: JobAction): Promise<OpenJobReply> {
    let k = this.known.get(url);
    if (!k) {
      const adapter = this.adapter();
      const link = [...this.deps.doc.querySelectorAll<HTMLAnchorElement>('a[href]')].find((a) => a.href === url);
      const c: Candidate = (link && candidateFor(link)) ?? { url, element: link ?? this.deps.doc.documentElement, evidence: 'probe', name: link?.textContent?.trim() || undefined };
      const probed = c.evidence === 'pdf' ? undefined : await this.deps.probe.check(url);
      if (probed && !probed.pdf) return { ok: false, error: new KysoError('NOT_A_PDF', `${url} is not a PDF.`).toPayload() };
      k = { candidate: { ...c, url }, adapter, probed };
    }
    return this.deps.openJob(this.request(k, action));
  }
}
