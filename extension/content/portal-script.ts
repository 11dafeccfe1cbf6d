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
import { relabelActions } from './buttons.ts';
import { followLanguage, loadContentLanguage } from './language.ts';

const PING = 'kyso:portal-script-alive';

/** False once the extension was updated, reloaded or removed: this copy of the script is then an orphan. */
function alive(): boolean {
  try {
    return !!chrome.runtime?.id;
  } catch {
    return false;
  }
}

// The registered script and executeScript can both reach a frame that was open when the allowlist changed, and an
// update leaves the old copy behind, orphaned, with dead buttons. Copies ask each other through a DOM event (shared
// by every world of the frame): a live copy cancels it, so the newcomer stays quiet; an orphan does not, so the
// newcomer removes the orphan's buttons and takes over.
function anotherLiveCopy(): boolean {
  return !document.dispatchEvent(new CustomEvent(PING, { cancelable: true }));
}

if (!anotherLiveCopy()) {
  document.querySelectorAll('span.kyso-actions, .kyso-tip').forEach((e) => e.remove());
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

  document.addEventListener(PING, (e) => {
    if (alive()) e.preventDefault();
  });
  let stop = () => {};
  const scan = () => {
    if (!alive()) return stop(); // orphaned: leave the page to the next copy
    void page.scan().catch((e: unknown) => console.warn('KýSố: scanning the page failed', e));
  };
  // The first scan waits for the language (one storage read), so the buttons appear labelled once.
  void loadContentLanguage().finally(() => {
    if (!alive()) return;
    scan();
    stop = observeChanges(document, scan);
    followLanguage(() => relabelActions(document));
  });
}
