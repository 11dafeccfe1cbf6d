// What an adapter knows about one portal family: how to recognise its pages, where its PDFs are, where a signed
// file goes back, what the page says that the signing page can prefill, and the portal's file-name rules.

import type { FileNameRule, PortalFamily, Prefill } from '../../shared/jobs.ts';
import type { Candidate } from '../find-pdfs.ts';

/** Where the signed file goes, as elements (the content script marks an input with a token when a job opens). */
export type UploadFound =
  | { kind: 'input'; input: HTMLInputElement; label?: string }
  | { kind: 'url'; url: string; field: string; extra?: Record<string, string> }
  | { kind: 'none' };

export interface Adapter {
  family: PortalFamily;
  /** By URL or page markers (ids, texts the family's pages carry). */
  matches(url: URL, doc: Document): boolean;
  /** The PDFs of the page (frame), in document order. */
  find(doc: Document): Candidate[];
  /** Read when the user clicks, so values the user typed into the portal's form count. */
  upload(doc: Document, c: Candidate): UploadFound;
  prefill(doc: Document, c: Candidate): Prefill;
  fileNameRule?: FileNameRule;
}
