// One-stop TTHC portals (Kon Tum-like "Xử lý hồ sơ", tab "Thành phần hồ sơ"): the submitted papers in a table, each
// with "Chứng thực điện tử"; the certification popup holds Quyển sổ, Số chứng thực and the "Tệp kết quả" field the
// certified copy goes into (hidden until the popup opens: setting its files works all the same).

import { findPdfCandidates } from '../find-pdfs.ts';
import type { Prefill } from '../../shared/jobs.ts';
import type { Adapter } from './types.ts';
import { fieldValue, fileInput, fileInputByLabel, pageText } from './dom.ts';

export const tthcAdapter: Adapter = {
  family: 'tthc',
  matches(url, doc) {
    if (/\/tthc(\/|$)/i.test(url.pathname)) return true;
    if (doc.querySelector('#tblThanhPhanHoSo, .btn-chung-thuc')) return true;
    return /THỦ TỤC HÀNH CHÍNH|Thành phần hồ sơ|Một cửa/i.test(pageText(doc));
  },
  find: (doc) => findPdfCandidates(doc),
  upload(doc) {
    const input = fileInput(doc, 'input[type="file"][name="fileKetQua"], #fileKetQua') ?? fileInputByLabel(doc, /Tệp kết quả/i);
    return input ? { kind: 'input', input, label: 'Tệp kết quả' } : { kind: 'none' };
  },
  prefill(doc) {
    const p: Prefill = { mode: 'certify' };
    const certNumber = fieldValue(doc, 'soChungThuc');
    if (certNumber) p.certNumber = certNumber;
    const book = fieldValue(doc, 'quyenSo');
    if (book) p.book = book;
    return p;
  },
};
