// For the portal browser tests: click a "Ký số" / "Kiểm tra" button and get the extension page it opened, read
// the job from that page, and send the content messages the signing page sends (as that page, so the content
// script's sender check applies).

import type { Frame, Page } from 'puppeteer-core';
import type { ContentMessageMap, ContentMessageType, ContentReply, Job } from '../../extension/shared/jobs.ts';
import type { KysoBrowser } from './browser.ts';

export type JobPage = 'sign' | 'verify';

/** Clicks in the portal and waits for pages/<sign|verify>/index.html?job=… to be a live extension page. */
export async function clickAndOpen(kb: KysoBrowser, target: Page | Frame, selector: string, which: JobPage = 'sign'): Promise<{ page: Page; jobId: string }> {
  const prefix = `chrome-extension://${kb.extensionId}/pages/${which}/index.html?job=`;
  // waitForTarget also returns targets that exist already: only a tab this click opens counts.
  const before = new Set(kb.browser.targets());
  const opened = kb.browser.waitForTarget((t) => !before.has(t) && t.url().startsWith(prefix), { timeout: 20_000 });
  await target.click(selector);
  const t = await opened;
  const jobId = new URL(t.url()).searchParams.get('job') ?? '';
  const page = (await t.page())!;
  // The new tab starts as about:blank; wait for the extension page itself before talking from it.
  await page.waitForFunction(() => location.protocol === 'chrome-extension:' && !!globalThis.chrome?.runtime?.sendMessage, { timeout: 20_000 });
  return { page, jobId };
}

export async function getJob(page: Page, id: string): Promise<Job> {
  const reply = (await page.evaluate((jobId) => chrome.runtime.sendMessage({ kyso: 1, type: 'getJob', params: { id: jobId } }), id)) as
    | { ok: true; result: Job }
    | { ok: false; error: { code: string; message: string } };
  if (!reply.ok) throw new Error(`getJob: ${reply.error.code} ${reply.error.message}`);
  return reply.result;
}

/** tabs.sendMessage from the extension page to the job's frame, as job-io does. */
export async function askContent<T extends ContentMessageType>(page: Page, job: Job, type: T, params: ContentMessageMap[T]['params']): Promise<ContentReply<T>> {
  return (await page.evaluate(
    (tabId, frameId, message) => chrome.tabs.sendMessage(tabId, message, { frameId }),
    job.tabId,
    job.frameId,
    { kysoContent: 1, type, params } as never,
  )) as ContentReply<T>;
}

export async function buttonUrls(f: Page | Frame): Promise<string[]> {
  return f.$$eval('span.kyso-actions', (ss) => ss.map((s) => (s as HTMLElement).dataset.kysoUrl ?? ''));
}
