// What the user can do about an error, in both languages, shown under the error's own text on the extension's pages.

import { ERROR_TEXTS, type ErrorCode, type ErrorPayload } from '@kyso/shared/protocol/errors';
import type { Language } from './i18n-core.ts';

type Hints = { vi: readonly string[]; en: readonly string[] };

export const ERROR_HINTS: Partial<Record<ErrorCode, Hints>> = {
  HOST_NOT_INSTALLED: {
    vi: [
      'Tải bộ cài KýSố từ trang hướng dẫn của đơn vị (hoặc nhờ bộ phận CNTT cài giúp).',
      'Chạy bộ cài: bộ cài đăng ký KýSố với Chrome và Edge trên máy này.',
      'Đóng hẳn trình duyệt rồi mở lại, sau đó bấm "Kiểm tra lại".',
    ],
    en: [
      'Get the KýSố installer from your organisation\'s instructions page (or ask your IT department to install it).',
      'Run the installer: it registers KýSố with Chrome and Edge on this computer.',
      'Quit the browser completely, open it again, then press "Check again".',
    ],
  },
  HOST_FORBIDDEN: {
    vi: ['Bản KýSố trên máy được cài cho một tiện ích khác (hoặc đã bị sửa).', 'Cài lại KýSố bằng bộ cài mới nhất, đóng hẳn trình duyệt rồi mở lại.'],
    en: ['KýSố on this computer was installed for another extension (or was modified).', 'Reinstall KýSố with the latest installer, quit the browser completely and open it again.'],
  },
  HOST_UPDATE_REQUIRED: {
    vi: ['Cài bản KýSố mới nhất rồi đóng hẳn và mở lại trình duyệt.'],
    en: ['Install the latest KýSố, then quit and reopen the browser.'],
  },
  EXTENSION_UPDATE_REQUIRED: {
    vi: ['Mở trang quản lý tiện ích (chrome://extensions hoặc edge://extensions), bật "Chế độ nhà phát triển" và bấm "Cập nhật", hoặc nhờ bộ phận CNTT cập nhật.'],
    en: ['Open the extensions page (chrome://extensions or edge://extensions), turn on "Developer mode" and press "Update", or ask your IT department to update it.'],
  },
  HOST_DISCONNECTED: {
    vi: ['Bấm "Kiểm tra lại". Nếu lỗi lặp lại, hãy cài lại KýSố.'],
    en: ['Press "Check again". If the error comes back, reinstall KýSố.'],
  },
  // The signing page
  TOKEN_NOT_FOUND: {
    vi: ['Cắm USB token vào máy, đợi đèn token sáng rồi tải lại trang.', 'Nếu vẫn không thấy: mở "Kiểm tra kết nối" của KýSố để xem thư viện PKCS#11 của token.'],
    en: ['Plug the USB token in, wait for its light, then reload the page.', 'If it is still not found: open KýSố\'s "Connection check" to see the token\'s PKCS#11 module.'],
  },
  PIN_LOCKED: {
    vi: ['Không thử thêm mã PIN nào nữa.', 'Liên hệ tổ chức cung cấp chứng thư số (VNPT-CA, Viettel-CA, Ban Cơ yếu…) để mở khóa token.'],
    en: ['Do not try any more PINs.', 'Contact your certificate provider (VNPT-CA, Viettel-CA, Government Cipher Committee…) to unlock the token.'],
  },
  CERT_REVOKED: {
    vi: ['Chọn chứng thư số khác (nếu token có), hoặc liên hệ tổ chức cung cấp dịch vụ chứng thực để được cấp chứng thư mới.'],
    en: ['Choose another certificate (if the token has one), or ask your certificate provider for a new one.'],
  },
  TSA_UNAVAILABLE: {
    vi: ['Kiểm tra kết nối mạng rồi ký lại.', 'Hoặc chọn mức chữ ký B-B (không có dấu thời gian) nếu đơn vị cho phép.'],
    en: ['Check the network connection and sign again.', 'Or choose the B-B level (no time-stamp) if your organisation allows it.'],
  },
  TSA_TIMEOUT: {
    vi: ['Máy chủ dấu thời gian có thể đang quá tải: đợi một lát rồi ký lại.'],
    en: ['The time-stamp server may be overloaded: wait a moment and sign again.'],
  },
  MARKER_NOT_FOUND: {
    vi: ['Kéo khung chữ ký tới đúng chỗ trên trang rồi bấm "Ký số".'],
    en: ['Drag the signature box to the right place on the page, then press "Sign".'],
  },
};

export function errorHints(code: ErrorCode, lang: Language): readonly string[] | undefined {
  return ERROR_HINTS[code]?.[lang];
}

/**
 * The error's text for people: Vietnamese as the error carries it; in English the code's English text with the
 * payload's English detail (`message` starts with that text when the error was made by KysoError).
 */
export function errorText(error: ErrorPayload, lang: Language): string {
  if (lang === 'vi') return error.messageVi;
  const base = ERROR_TEXTS[error.code]?.en;
  if (!base) return error.message || error.messageVi;
  if (!error.message || !error.message.startsWith(base)) return base;
  // A wrapped error repeats its code's text ("X. X. detail"): once is enough.
  let m = error.message;
  while (m.startsWith(`${base} ${base}`)) m = m.slice(base.length + 1);
  return m;
}
