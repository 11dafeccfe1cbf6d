// Q-Office-like document management ("Chi tiết văn bản chờ ban hành"): the draft under "File dự thảo", the issuing
// form (Số văn bản + Ký hiệu, Địa điểm, Ngày ban hành) and its "Đính kèm file văn bản đi" field. On the issuing
// form the clerk issues (number, date, seal: mode issue); on other pages of the family a leader approves.

import { findPdfCandidates } from '../find-pdfs.ts';
import type { Prefill } from '../../shared/jobs.ts';
import type { Adapter } from './types.ts';
import { fieldValue, fileInput, fileInputByLabel, labelText, pageText, parseVnDate } from './dom.ts';

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
  prefill(doc) {
    const number = fieldValue(doc, 'soVanBan');
    if (!number && !doc.querySelector('#frmBanHanh')) return { mode: 'approval' };
    const symbol = fieldValue(doc, 'kyHieu');
    const p: Prefill = { mode: 'issue' };
    if (number) p.docNumber = symbol ? `${number}${symbol.startsWith('/') ? '' : '/'}${symbol}` : number;
    const place = fieldValue(doc, 'diaDiem');
    if (place) p.place = place;
    const date = parseVnDate(fieldValue(doc, 'ngayBanHanh'));
    if (date) p.date = date;
    return p;
  },
};
