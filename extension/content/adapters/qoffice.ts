// Q-Office-like document management ("Chi tiết văn bản chờ ban hành"): the draft under "File dự thảo", the issuing
// form (Số văn bản + Ký hiệu, Địa điểm, Ngày ban hành) and its "Đính kèm file văn bản đi" field. The guide's order:
// the leader signs first ("Ký số lãnh đạo", the draft still "Chờ ký số": mode approval), then the clerk issues the
// leader-signed file ("Ký số và ban hành", the draft "Đã ký số": mode issue, with number, place and date).

import { findPdfCandidates } from '../find-pdfs.ts';
import type { Prefill } from '../../shared/jobs.ts';
import type { Adapter } from './types.ts';
import { fieldValue, fileInput, fileInputByLabel, labelText, pageText, parseVnDate } from './dom.ts';

/** The draft's signing status the portal shows beside it (#trangThaiKySo), or in the draft's section. */
function leaderSigned(doc: Document, near: Element): boolean {
  const status = doc.querySelector('#trangThaiKySo') ?? near.closest('.file-du-thao, td, tr, .panel, section');
  return /Đã ký số/i.test(status?.textContent ?? '');
}

const UPLOAD_LABELS = /Đính kèm file văn bản đi|Đính kèm file dự thảo/i;

export const qofficeAdapter: Adapter = {
  family: 'qoffice',
  matches(url, doc) {
    if (/\/qoffice(\/|$)/i.test(url.pathname)) return true;
    if (doc.querySelector('#frmBanHanh, .file-du-thao')) return true;
    return /\bQOffice\b/i.test(pageText(doc));
  },
  find: (doc) => findPdfCandidates(doc),
  upload(doc) {
    const input = fileInput(doc, '#fileVanBanDi, input[type="file"][name="fileVanBanDi"]') ?? fileInputByLabel(doc, UPLOAD_LABELS);
    return input ? { kind: 'input', input, label: UPLOAD_LABELS.exec(labelText(input))?.[0] ?? 'Đính kèm file văn bản đi' } : { kind: 'none' };
  },
  prefill(doc, c) {
    const p: Prefill = { mode: leaderSigned(doc, c.element) ? 'issue' : 'approval' };
    const number = fieldValue(doc, 'soVanBan');
    const symbol = fieldValue(doc, 'kyHieu');
    if (number) p.docNumber = symbol ? `${number}${symbol.startsWith('/') ? '' : '/'}${symbol}` : number;
    const place = fieldValue(doc, 'diaDiem');
    if (place) p.place = place;
    const date = parseVnDate(fieldValue(doc, 'ngayBanHanh'));
    if (date) p.date = date;
    return p;
  },
};
