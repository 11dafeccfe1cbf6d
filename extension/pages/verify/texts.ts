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
  fileUrlHint: { vi: 'Để kiểm tra tệp mở trực tiếp từ máy (địa chỉ file://), hãy mở trang quản lý tiện ích (chrome://extensions hoặc edge://extensions), bấm "Chi tiết" ở KýSố và bật "Cho phép truy cập URL tệp", rồi thử lại.', en: 'To verify a file opened from this computer (a file:// address), open the extensions page (chrome://extensions or edge://extensions), press "Details" on KýSố and turn on "Allow access to file URLs", then try again. Or choose the file with the "Choose a PDF file" button below.' },
  choose: { vi: 'Chọn tệp PDF', en: 'Choose a PDF file' },
});
