// A job: one PDF found in a portal that the user wants to sign or check. The content script describes it, the
// background records where it came from (tab and frame, taken from the sender, never from the message) and opens
// the signing or verification page with the job's id. That page then talks to the content script in that frame
// directly: it fetches the document with the portal's session and hands the signed file back (ContentMessageMap).

import type { CivilDate } from '@kyso/shared/modes/vn-time';
import type { CopyForm, SigningMode } from '@kyso/shared/modes/plan';
import type { ErrorPayload } from '@kyso/shared/protocol/errors';

/** Portal families, one adapter file each in content/adapters/. */
export type PortalFamily = 'generic' | 'qoffice' | 'ioffice' | 'tthc';

export interface PortalDocument {
  /** Absolute URL of the PDF (a .pdf link, a download endpoint, an embed's src). */
  url: string;
  /** File name as the portal shows it ("Format file ky so.pdf"); derived from the URL when the portal shows none. */
  name: string;
}

/** Where the signed file goes back, as the adapter found it; tried in this order by the page. */
export type UploadTarget =
  /** A file input of the portal near the document, marked by the content script with data-kyso-upload="<token>". */
  | { kind: 'input'; token: string; label?: string }
  /** A URL the adapter knows the portal accepts uploads on (multipart POST, same origin as the frame). */
  | { kind: 'url'; url: string; field: string; extra?: Record<string, string> }
  | { kind: 'none' };

/** What the adapter could read from the portal's page to prefill the signing page's fields. */
export interface Prefill {
  mode?: SigningMode;
  docNumber?: string;
  place?: string;
  date?: CivilDate;
  copyForm?: CopyForm;
  certNumber?: string;
  book?: string;
}

/** A portal's rules for the uploaded file's name (Sốp Cộp: at most 30 characters). */
export interface FileNameRule {
  maxLength?: number;
}

export type JobAction = 'sign' | 'verify';

/** content script → background: what it sends when the user clicks "Ký số" or "Kiểm tra". */
export interface JobRequest {
  action: JobAction;
  portal: PortalFamily;
  document: PortalDocument;
  upload: UploadTarget;
  prefill: Prefill;
  fileNameRule?: FileNameRule;
}

export interface Job extends JobRequest {
  id: string;
  /** From the sender: the tab and frame whose content script fetches the document and takes the signed file back. */
  tabId: number;
  frameId: number;
  /** The frame's URL when the job was made (which portal page). */
  pageUrl: string;
  createdAt: number;
}

// The signing / verification page (and the background, for the context menu) → the content script in the job's
// frame (browser.tabs.sendMessage with { frameId }). The content script answers only the extension itself.

export interface ContentMessageMap {
  /** The document's bytes, fetched in the portal's frame with its cookies. */
  fetchDocument: { params: { jobId: string; url: string }; result: { name: string; contentType: string; data: string /* base64 */ } };
  /** Put the signed file into the upload field, or POST it to the upload URL. `how: 'none'`: neither exists. */
  deliverSigned: {
    params: { jobId: string; name: string; data: string /* base64 */; target: UploadTarget };
    result: { how: 'input' | 'url' | 'none'; detail: string };
  };
  /**
   * background → the content script of the frame where the user chose "Ký số tệp PDF này" on a link (context menu):
   * open the job for that link as if its "Ký số" button had been clicked.
   */
  jobForLink: { params: { url: string; action: JobAction }; result: { jobId: string } };
}

export type ContentMessageType = keyof ContentMessageMap;
export const CONTENT_MESSAGE_TYPES: readonly ContentMessageType[] = ['fetchDocument', 'deliverSigned', 'jobForLink'];

export type ContentRequest<T extends ContentMessageType = ContentMessageType> = {
  [K in T]: { kysoContent: 1; type: K; params: ContentMessageMap[K]['params'] };
}[T];

export type ContentReply<T extends ContentMessageType = ContentMessageType> =
  | { ok: true; result: ContentMessageMap[T]['result'] }
  | { ok: false; error: ErrorPayload };

export function isContentRequest(m: unknown): m is ContentRequest {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as { kysoContent?: unknown; type?: unknown; params?: unknown };
  return r.kysoContent === 1 && (CONTENT_MESSAGE_TYPES as readonly unknown[]).includes(r.type) && typeof r.params === 'object' && r.params !== null;
}
