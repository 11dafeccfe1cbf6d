// The portal script's texts: the buttons, their titles and its own messages.

import { defineTexts } from '../shared/i18n-core.ts';

export const CONTENT_TEXTS = defineTexts({
  sign: { vi: 'Ký số', en: 'Sign' },
  verify: { vi: 'Kiểm tra', en: 'Verify' },
  signTitle: { vi: 'Ký số tệp PDF này bằng USB token (KýSố)', en: 'Sign this PDF with your USB token (KýSố)' },
  verifyTitle: { vi: 'Kiểm tra chữ ký số trong tệp PDF này (KýSố)', en: 'Verify the digital signatures in this PDF (KýSố)' },
  noTarget: { vi: 'Cổng không có ô đính kèm hay địa chỉ nhận tệp.', en: 'The portal has no attachment field or upload address.' },
  fieldNamed: { vi: 'ô "{label}"', en: 'the field "{label}"' },
  field: { vi: 'ô đính kèm tệp', en: 'the attachment field' },
  putInto: { vi: 'Đã đưa tệp "{name}" vào {where} của cổng. Hãy bấm nút lưu/ban hành của cổng để hoàn tất.', en: 'The file "{name}" was put into {where} of the portal. Press the portal\'s save/issue button to finish.' },
  posted: { vi: 'Đã gửi tệp "{name}" lên cổng thông tin.', en: 'The file "{name}" was sent to the portal.' },
  unreachable: { vi: 'Không mở được KýSố ({reason}). Hãy tải lại trang rồi thử lại.', en: 'KýSố could not be opened ({reason}). Reload the page and try again.' },
});
