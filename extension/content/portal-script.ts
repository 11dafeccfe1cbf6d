// The content script of allowlisted portals (registered at run time for the allowlist's patterns, all frames; also
// injected into portal tabs already open when the allowlist changes). Finds the PDFs, adds the "Ký số" / "Kiểm tra"
// buttons, keeps up with content added later, and answers the extension's pages (fetch the document with the
// portal's session, put the signed file back).

import browser from 'webextension-polyfill';
import type { BackgroundReply, BackgroundRequest } from '../shared/messages.ts';
import type { JobRequest } from '../shared/jobs.ts';
import { PdfProbe } from './find-pdfs.ts';
import { handleContentMessage } from './messages.ts';
import { observeChanges } from './observe.ts';
import { PortalPage } from './portal-page.ts';

const MARK = '__kysoPortalScript';
const g = globalThis as typeof globalThis & { [MARK]?: true };

// Registered scripts and executeScript can both reach a frame that was open when the allowlist changed: run once.
if (!g[MARK]) {
  g[MARK] = true;
  start();
}

function start(): void {
  const page = new PortalPage({
    doc: document,
    probe: new PdfProbe(),
    async openJob(params: JobRequest) {
      const request: BackgroundRequest<'openJob'> = { kyso: 1, type: 'openJob', params };
      const reply = (await browser.runtime.sendMessage(request)) as BackgroundReply<'openJob'> | undefined;
      if (!reply || typeof reply.ok !== 'boolean') throw new Error('no reply from the extension');
      return reply;
    },
  });

  browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) =>
    handleContentMessage(message, sender, {
      extensionId: browser.runtime.id,
      extensionOrigin: browser.runtime.getURL(''),
      doc: document,
      page,
    }),
  );

  const scan = () => void page.scan().catch((e: unknown) => console.warn('KýSố: scanning the page failed', e));
  scan();
  observeChanges(document, scan);
}
