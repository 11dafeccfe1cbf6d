// Which signing mode the page starts in: what the portal's adapter read from the page, else the mode the settings
// name for this portal, else issuing when the document already carries a signature (the leader has signed, the
// clerk issues), else approval.

import type { SigningMode } from '@kyso/shared/modes/plan';
import { matchPattern } from '../../background/services/portals.ts';
import type { Job } from '../../shared/jobs.ts';

export function defaultMode(job: Pick<Job, 'prefill' | 'pageUrl'> | undefined, defaultModes: Record<string, SigningMode>, documentSigned: boolean): SigningMode {
  if (job?.prefill.mode) return job.prefill.mode;
  if (job?.pageUrl) {
    let url: URL | undefined;
    try {
      url = new URL(job.pageUrl);
    } catch {
      url = undefined;
    }
    if (url) for (const [pattern, mode] of Object.entries(defaultModes)) if (matchPattern(pattern, url)) return mode;
  }
  return documentSigned ? 'issue' : 'approval';
}
