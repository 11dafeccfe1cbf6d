// The jobs the content scripts opened, by id. Kept in storage.session as well as in memory: Chrome stops an idle
// service worker, and the signing page must still find its job when the worker comes back. No document bytes are
// kept here, only where the document is and where the signed file goes.

import type { Job } from '../../shared/jobs.ts';

export interface SessionArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

/** Jobs older than this are forgotten (a signing page left open overnight asks the user to start again). */
export const JOB_TTL_MS = 12 * 60 * 60 * 1000;
const KEY = 'kysoJobs';

export class JobStore {
  private readonly jobs = new Map<string, Job>();
  private loaded = false;

  constructor(
    private readonly session: SessionArea | null,
    private readonly now: () => number = Date.now,
  ) {}

  async add(job: Job): Promise<void> {
    await this.load();
    this.jobs.set(job.id, job);
    this.prune();
    await this.persist();
  }

  async get(id: string): Promise<Job | undefined> {
    await this.load();
    this.prune();
    return this.jobs.get(id);
  }

  private prune(): void {
    const limit = this.now() - JOB_TTL_MS;
    for (const [id, j] of this.jobs) if (j.createdAt < limit) this.jobs.delete(id);
  }

  private async load(): Promise<void> {
    if (this.loaded || !this.session) return;
    this.loaded = true;
    const got = (await this.session.get(KEY))[KEY];
    if (Array.isArray(got)) for (const j of got as Job[]) if (j && typeof j.id === 'string') this.jobs.set(j.id, j);
  }

  private async persist(): Promise<void> {
    if (this.session) await this.session.set({ [KEY]: [...this.jobs.values()] });
  }
}
