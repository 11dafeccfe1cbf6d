// openJob (content script: the user clicked "Ký số" or "Kiểm tra" in a portal) and getJob (the page it opened).

import { KysoError } from '@kyso/shared/protocol/errors';
import type { Job, JobRequest } from '../../shared/jobs.ts';
import type { RouterContext, Sender } from '../router.ts';

const PAGES = { sign: 'pages/sign/index.html', verify: 'pages/verify/index.html' } as const;

function checkRequest(r: JobRequest): void {
  const bad = (what: string) => new KysoError('BAD_MESSAGE', `openJob: ${what}.`);
  if (r.action !== 'sign' && r.action !== 'verify') throw bad('action');
  if (!r.document || typeof r.document.url !== 'string' || typeof r.document.name !== 'string') throw bad('document');
  let u: URL;
  try {
    u = new URL(r.document.url);
  } catch {
    throw bad('document url');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw bad('document url scheme');
  if (!r.upload || !['input', 'url', 'none'].includes(r.upload.kind)) throw bad('upload');
  if (typeof r.prefill !== 'object' || r.prefill === null) throw bad('prefill');
}

export async function openJob(ctx: RouterContext, request: JobRequest, sender: Sender): Promise<{ jobId: string }> {
  checkRequest(request);
  const tabId = sender.tab?.id;
  if (typeof tabId !== 'number' || typeof sender.url !== 'string') throw new KysoError('CALLER_FORBIDDEN', 'openJob without a tab.');
  const job: Job = {
    action: request.action,
    portal: request.portal,
    document: { url: request.document.url, name: request.document.name },
    upload: request.upload,
    prefill: request.prefill,
    fileNameRule: request.fileNameRule,
    id: crypto.randomUUID(),
    tabId,
    frameId: sender.frameId ?? 0,
    pageUrl: sender.url,
    createdAt: Date.now(),
  };
  await ctx.jobs.add(job);
  await ctx.openPage(`${PAGES[job.action]}?job=${encodeURIComponent(job.id)}`, tabId);
  return { jobId: job.id };
}

export async function getJob(ctx: RouterContext, params: { id: string }): Promise<Job> {
  const job = typeof params.id === 'string' ? await ctx.jobs.get(params.id) : undefined;
  if (!job) {
    throw new KysoError('JOB_NOT_FOUND', `No job ${String(params.id)}.`);
  }
  return job;
}
