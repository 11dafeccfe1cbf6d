// VNPT-iOffice-like ("Văn bản đi / Duyệt văn bản đi / VB chờ duyệt"): the list lives in a frame (mainFrame) and its
// rows are rendered by script, page by page; each row's attachment is a download endpoint without .pdf
// (download.jsp?fileId=101). The signed file goes back by POST to upload.jsp?fileId=<id> beside it. Sốp Cộp's guide
// limits file names to 30 characters.

import { candidateFor, findPdfCandidates, type Candidate } from '../find-pdfs.ts';
import type { Adapter } from './types.ts';
import { pageText } from './dom.ts';

const ATTACHMENT = 'a.lnk-tai-file';
const LIST = '#tblVbChoDuyet';

function fileId(c: Candidate): string | undefined {
  const row = c.element.closest('tr[data-file-id]');
  const fromRow = row?.getAttribute('data-file-id');
  if (fromRow) return fromRow;
  try {
    return new URL(c.url).searchParams.get('fileId') ?? undefined;
  } catch {
    return undefined;
  }
}

export const iofficeAdapter: Adapter = {
  family: 'ioffice',
  matches(url, doc) {
    if (/\/ioffice(\/|$)/i.test(url.pathname)) return true;
    if (doc.querySelector(`${LIST}, ${ATTACHMENT}`)) return true;
    return /VNPT-?iOffice/i.test(pageText(doc));
  },
  find(doc) {
    const own: Candidate[] = [];
    for (const a of doc.querySelectorAll(ATTACHMENT)) {
      // The attachment column holds documents even when the endpoint's name says nothing: always ask the server.
      const c = candidateFor(a);
      const href = (a as HTMLAnchorElement).href;
      if (c) own.push({ ...c, evidence: c.evidence === 'pdf' ? 'pdf' : 'probe' });
      else if (href && /^https?:/.test(href)) own.push({ url: href, name: a.textContent?.trim() || undefined, element: a, evidence: 'probe' });
    }
    // Elsewhere on the page (and the list's own "Xem | Ký số" links, which are the portal's actions): generic rules.
    const rest = findPdfCandidates(doc).filter((c) => !c.element.closest(LIST) && !c.element.matches(ATTACHMENT));
    return [...own, ...rest];
  },
  upload(_doc, c) {
    const id = fileId(c);
    if (!id) return { kind: 'none' };
    return { kind: 'url', url: new URL(`upload.jsp?fileId=${encodeURIComponent(id)}`, c.url).href, field: 'file' };
  },
  prefill: () => ({ mode: 'approval' }),
  fileNameRule: { maxLength: 30 },
};
