// Any allowlisted page no family adapter knows: every PDF link, embed and download endpoint. The signed file goes
// into a file input only when it sits in the same form or table row as the document (anything further away could
// be an unrelated field); otherwise it is downloaded.

import { findPdfCandidates, type Candidate } from '../find-pdfs.ts';
import type { Adapter, UploadFound } from './types.ts';
import { labelText } from './dom.ts';

function acceptsPdf(i: HTMLInputElement): boolean {
  const a = (i.getAttribute('accept') ?? '').toLowerCase();
  return !a || a.split(',').some((t) => ['.pdf', 'application/pdf', '*/*', 'application/*'].includes(t.trim()));
}

export function nearbyFileInput(c: Candidate): UploadFound {
  const scope = c.element.closest('form, tr');
  const input = scope ? [...scope.querySelectorAll<HTMLInputElement>('input[type="file"]')].find((i) => !i.disabled && acceptsPdf(i)) : undefined;
  return input ? { kind: 'input', input, label: labelText(input) || undefined } : { kind: 'none' };
}

export const genericAdapter: Adapter = {
  family: 'generic',
  matches: () => true,
  find: (doc) => findPdfCandidates(doc),
  upload: (_doc, c) => nearbyFileInput(c),
  prefill: () => ({}),
};
