// The portal script's texts: the buttons, their titles and its own messages.

import { defineTexts } from '../shared/i18n.ts';

export const CONTENT_TEXTS = defineTexts({
  sign: { vi: 'Ký số', en: 'Sign' },
  verify: { vi: 'Kiểm tra', en: 'Verify' },
  signTitle: { vi: 'Ký số tệp PDF này bằng USB token (KýSố)', en: 'Sign this PDF with your USB token (KýSố)' },
  verifyTitle: { vi: 'Kiểm tra chữ ký số trong tệp PDF này (KýSố)', en: 'Verify the digital signatures in this PDF (KýSố)' },
  unreachable: { vi: 'Không mở được KýSố ({reason}). Hãy tải lại trang rồi thử lại.', en: 'KýSố could not be opened ({reason}). Reload the page and try again.' },
});
