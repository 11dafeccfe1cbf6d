// The content script's side of ContentMessageMap: fetchDocument and deliverSigned from the signing / verification
// page, jobForLink from the background's context menu. Only the extension itself is answered: a message whose
// sender is not this extension, or is one of its content scripts in a web page, gets CALLER_FORBIDDEN.

import { asKysoError, KysoError } from '@kyso/shared/protocol/errors';
import { isContentRequest, type ContentReply } from '../shared/jobs.ts';
import { deliverSigned, type MakeFileList } from './deliver.ts';
import { fetchDocumentMessage } from './fetch-document.ts';
import type { FetchLike } from './find-pdfs.ts';
import type { PortalPage } from './portal-page.ts';

export interface MessageSender {
  id?: string;
  url?: string;
  origin?: string;
  tab?: unknown;
}

export interface ContentContext {
  extensionId: string;
  /** chrome-extension://<id>/ */
  extensionOrigin: string;
  doc: Document;
  page: PortalPage;
  fetchFn?: FetchLike;
  makeFiles?: MakeFileList;
}

export function fromOwnExtension(sender: MessageSender, ctx: Pick<ContentContext, 'extensionId' | 'extensionOrigin'>): boolean {
  if (sender.id !== ctx.extensionId) return false;
  if (typeof sender.url === 'string') return sender.url.startsWith(ctx.extensionOrigin);
  // The service worker may be reported by origin only.
  return typeof sender.origin === 'string' && `${sender.origin}/` === ctx.extensionOrigin && sender.tab === undefined;
}

/** undefined: not a content message (left to other listeners); otherwise always a typed reply. */
export function handleContentMessage(message: unknown, sender: MessageSender, ctx: ContentContext): Promise<ContentReply> | undefined {
  if (!isContentRequest(message)) return undefined;
  if (!fromOwnExtension(sender, ctx)) {
    return Promise.resolve({ ok: false, error: new KysoError('CALLER_FORBIDDEN', `Content message from ${sender.url ?? sender.id ?? 'unknown'}.`).toPayload() });
  }
  const run = async (): Promise<ContentReply> => {
    switch (message.type) {
      case 'fetchDocument':
        return { ok: true, result: await fetchDocumentMessage(String(message.params.url), ctx.fetchFn) };
      case 'deliverSigned':
        return { ok: true, result: await deliverSigned(message.params, { doc: ctx.doc, fetchFn: ctx.fetchFn, makeFiles: ctx.makeFiles }) };
      case 'jobForLink':
        return ctx.page.jobForLink(String(message.params.url), message.params.action === 'verify' ? 'verify' : 'sign');
    }
  };
  return run().catch((e: unknown) => ({ ok: false, error: asKysoError(e).toPayload() }));
}
