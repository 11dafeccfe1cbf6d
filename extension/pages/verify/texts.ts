// The verification page's texts (the panel's own are in ../common/texts.ts).

import { defineTexts } from '../../shared/i18n.ts';

export const VERIFY_PAGE_TEXTS = defineTexts({
  title: { vi: 'Kiểm tra chữ ký số', en: 'Verify digital signatures' },
  docTitle: { vi: '{name} – Kiểm tra chữ ký số – KýSố', en: '{name} – Verify digital signatures – KýSố' },
  portal: { vi: 'cổng thông tin', en: 'the portal' },
  portalAt: { vi: 'cổng thông tin {url}', en: 'the portal {url}' },
  localFile: { vi: 'tệp trên máy', en: 'a file on this computer' },
  fetching: { vi: 'Đang tải văn bản từ', en: 'Loading the document from' },
  fetchFailed: { vi: 'Không lấy được văn bản để kiểm tra.', en: 'The document to verify could not be loaded.' },
  source: { vi: 'Nguồn: {from}', en: 'Source: {from}' },
  chooseHint: { vi: 'Chọn tệp PDF trên máy (hoặc kéo thả vào đây) để kiểm tra các chữ ký số trong đó.', en: 'Choose a PDF file on this computer (or drop it here) to verify its digital signatures.' },
  chooseAgain: { vi: 'Kiểm tra tệp khác…', en: 'Verify another file…' },
  choose: { vi: 'Chọn tệp PDF', en: 'Choose a PDF file' },
});
