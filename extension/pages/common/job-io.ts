// How the signing and verification pages get a job's document and give the signed file back: through the content
// script in the portal's frame (the portal's session and its upload field), else directly: a fetch from this page
// when the portal's page is gone, a download named "<name>.signed.pdf" when the portal cannot take the file back.

import browser from 'webextension-polyfill';
import { asKysoError, isKysoError, KysoError, type ErrorPayload } from '@kyso/shared/protocol/errors';
import type { ContentMessageMap, ContentMessageType, ContentReply, ContentRequest, Job } from '../../shared/jobs.ts';
import { fromBase64, toBase64 } from '@kyso/shared/pki/base64';
import { fetchPdf } from '../../content/fetch-document.ts';
import { downloadFileName, fileNameWarnings, signedFileName } from './job-names.ts';
import { currentLanguage, textsOf } from '../../shared/i18n.ts';
import { errorText } from '../../shared/hints.ts';
import { COMMON_TEXTS } from './texts.ts';

const t = textsOf(COMMON_TEXTS);

export { downloadFileName, fileNameWarnings, nameLength, signedFileName } from './job-names.ts';

export interface JobDocument {
  name: string;
  bytes: Uint8Array;
}

export type DeliveryHow = 'input' | 'url' | 'download';

export interface Delivery {
  how: DeliveryHow;
  /** What to tell the user (Vietnamese): which field, which URL, which downloaded file name. */
  detail: string;
  /** Name rules of the portal the file's name breaks (e.g. longer than 30 characters), in Vietnamese. */
  warnings: string[];
}

/** Chrome's words when the tab or frame has no listener any more (closed, navigated, script not injected). */
const GONE = /Receiving end does not exist|No tab with id|No frame with id|message port closed|Could not establish connection|frame.*(removed|not found)/i;

function errorFrom(p: ErrorPayload): KysoError {
  const e = new KysoError(p.code, undefined, p.details, { vi: p.messageVi });
  e.message = p.message;
  return e;
}

/** One message to the job's frame; PORTAL_PAGE_GONE when nothing there answers. */
export async function askContent<T extends ContentMessageType>(job: Job, type: T, params: ContentMessageMap[T]['params']): Promise<ContentMessageMap[T]['result']> {
  const request = { kysoContent: 1, type, params } as ContentRequest<T>;
  let reply: ContentReply<T> | undefined;
  try {
    reply = (await browser.tabs.sendMessage(job.tabId, request, { frameId: job.frameId })) as ContentReply<T> | undefined;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (GONE.test(msg)) throw new KysoError('PORTAL_PAGE_GONE', msg);
    throw asKysoError(e);
  }
  if (!reply || typeof reply !== 'object' || typeof reply.ok !== 'boolean') throw new KysoError('PORTAL_PAGE_GONE', 'No answer from the portal page.');
  if (!reply.ok) throw errorFrom(reply.error);
  return reply.result;
}

/** Fetches the job's PDF with the portal's session; typed errors DOCUMENT_FETCH_FAILED, NOT_A_PDF, PORTAL_PAGE_GONE. */
export async function fetchJobDocument(job: Job): Promise<JobDocument> {
  let pageGone: boolean;
  try {
    const r = await askContent(job, 'fetchDocument', { jobId: job.id, url: job.document.url });
    return { name: job.document.name || r.name, bytes: fromBase64(r.data) };
  } catch (e) {
    pageGone = isKysoError(e, 'PORTAL_PAGE_GONE');
    // A network error in the frame is also what a document on another origin gives there (CORS); this page's
    // host permissions are not bound by it.
    const network = isKysoError(e, 'DOCUMENT_FETCH_FAILED') && e.details?.network === true;
    if (!pageGone && !network) throw e;
  }
  // This page may still reach the document (host permissions send the portal's cookies).
  try {
    const d = await fetchPdf(job.document.url);
    return { name: job.document.name || d.name, bytes: d.bytes };
  } catch (e) {
    // Without the portal's page a refused fetch means the session is needed: the user opens the document again.
    if (isKysoError(e, 'NOT_A_PDF') || !pageGone) throw e;
    throw new KysoError('PORTAL_PAGE_GONE', `Direct fetch failed too: ${(e as Error).message}`);
  }
}

async function waitForDownload(id: number, timeoutMs = 15_000): Promise<{ state: string; filename?: string }> {
  return new Promise((resolve) => {
    let done = false;
    const finish = async () => {
      if (done) return;
      done = true;
      browser.downloads.onChanged.removeListener(onChanged);
      clearTimeout(timer);
      const [item] = await browser.downloads.search({ id }).catch(() => []);
      resolve({ state: item?.state ?? 'unknown', filename: item?.filename || undefined });
    };
    const onChanged = (d: browser.Downloads.OnChangedDownloadDeltaType) => {
      if (d.id === id && d.state && d.state.current !== 'in_progress') void finish();
    };
    const timer = setTimeout(() => void finish(), timeoutMs);
    browser.downloads.onChanged.addListener(onChanged);
    void browser.downloads.search({ id }).then(([item]) => {
      if (item && item.state !== 'in_progress') void finish();
    });
  });
}

/** Saves the file in the downloads folder; an existing file of that name is never overwritten (uniquify). */
export async function downloadSigned(name: string, signed: Uint8Array): Promise<string> {
  const blobUrl = URL.createObjectURL(new Blob([signed.slice().buffer as ArrayBuffer], { type: 'application/pdf' }));
  try {
    const id = await browser.downloads.download({ url: blobUrl, filename: downloadFileName(name), conflictAction: 'uniquify', saveAs: false });
    const r = await waitForDownload(id);
    if (r.state === 'interrupted') throw new KysoError('INTERNAL_ERROR', `Saving ${name} was interrupted.`, undefined, { vi: t('saveFailed', { name }) });
    const saved = r.filename?.split(/[\\/]/).pop();
    return saved || name;
  } finally {
    // The download has its bytes once it started; keep the URL a little for slow disks.
    setTimeout(() => URL.revokeObjectURL(blobUrl), 60_000);
  }
}

/**
 * Puts the signed file back: (a) the portal's upload field, (b) the adapter's upload URL, (c) a download named
 * "<name>.signed.pdf" that never overwrites an existing file. Says which happened.
 */
export async function deliverSignedFile(job: Job, originalName: string, signed: Uint8Array): Promise<Delivery> {
  const name = signedFileName(originalName);
  const warnings = fileNameWarnings(name, job.fileNameRule);
  if (job.upload.kind !== 'none') {
    try {
      const r = await askContent(job, 'deliverSigned', { jobId: job.id, name, data: toBase64(signed), target: job.upload });
      if (r.how === 'input' || r.how === 'url') return { how: r.how, detail: r.detail, warnings };
    } catch (e) {
      const k = asKysoError(e);
      warnings.push(
        k.code === 'PORTAL_PAGE_GONE'
          ? t('portalGone')
          : k.code === 'UPLOAD_FAILED'
            ? errorText(k.toPayload(), currentLanguage())
            : t('uploadFailed', { reason: errorText(k.toPayload(), currentLanguage()) }),
      );
    }
  }
  const saved = await downloadSigned(name, signed);
  return { how: 'download', detail: t('downloadedAttach', { name: saved }), warnings };
}
