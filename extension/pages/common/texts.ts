// The texts of what several pages share: the error view.

import { defineTexts } from '../../shared/i18n.ts';

export const COMMON_TEXTS = defineTexts({
  errorCode: { vi: 'Mã lỗi:', en: 'Error code:' },
});
