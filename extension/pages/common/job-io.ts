// How the signing and verification pages get a job's document and give the signed file back: through the content
// script in the portal's frame (the portal's session and its upload field), else directly. Contract; see content/.

import type { Job } from '../../shared/jobs.ts';

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

/** Fetches the job's PDF with the portal's session; typed errors DOCUMENT_FETCH_FAILED, NOT_A_PDF, PORTAL_PAGE_GONE. */
export declare function fetchJobDocument(job: Job): Promise<JobDocument>;

/**
 * Puts the signed file back: (a) the portal's upload field, (b) the adapter's upload URL, (c) a download named
 * "<name>.signed.pdf" that never overwrites an existing file. Says which happened.
 */
export declare function deliverSignedFile(job: Job, originalName: string, signed: Uint8Array): Promise<Delivery>;
