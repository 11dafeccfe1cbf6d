// What the user can do about an error, in Vietnamese, shown under the error's own text on the extension's pages.

import type { ErrorCode } from '@kyso/shared/protocol/errors';

export const ERROR_HINTS: Partial<Record<ErrorCode, readonly string[]>> = {
  HOST_NOT_INSTALLED: [
    'Tải bộ cài KýSố từ trang hướng dẫn của đơn vị (hoặc nhờ bộ phận CNTT cài giúp).',
    'Chạy bộ cài: bộ cài đăng ký KýSố với Chrome và Edge trên máy này.',
    'Đóng hẳn trình duyệt rồi mở lại, sau đó bấm "Kiểm tra lại".',
  ],
  HOST_FORBIDDEN: [
    'Bản KýSố trên máy được cài cho một tiện ích khác (hoặc đã bị sửa).',
    'Cài lại KýSố bằng bộ cài mới nhất, đóng hẳn trình duyệt rồi mở lại.',
  ],
  HOST_UPDATE_REQUIRED: ['Cài bản KýSố mới nhất rồi đóng hẳn và mở lại trình duyệt.'],
  EXTENSION_UPDATE_REQUIRED: ['Mở trang quản lý tiện ích (chrome://extensions hoặc edge://extensions), bật "Chế độ nhà phát triển" và bấm "Cập nhật", hoặc nhờ bộ phận CNTT cập nhật.'],
  HOST_DISCONNECTED: ['Bấm "Kiểm tra lại". Nếu lỗi lặp lại, hãy cài lại KýSố.'],
  // The signing page
  TOKEN_NOT_FOUND: ['Cắm USB token vào máy, đợi đèn token sáng rồi tải lại trang.', 'Nếu vẫn không thấy: mở "Kiểm tra kết nối" của KýSố để xem thư viện PKCS#11 của token.'],
  PIN_LOCKED: ['Không thử thêm mã PIN nào nữa.', 'Liên hệ tổ chức cung cấp chứng thư số (VNPT-CA, Viettel-CA, Ban Cơ yếu…) để mở khóa token.'],
  CERT_REVOKED: ['Chọn chứng thư số khác (nếu token có), hoặc liên hệ tổ chức cung cấp dịch vụ chứng thực để được cấp chứng thư mới.'],
  TSA_UNAVAILABLE: ['Kiểm tra kết nối mạng rồi ký lại.', 'Hoặc chọn mức chữ ký B-B (không có dấu thời gian) nếu đơn vị cho phép.'],
  TSA_TIMEOUT: ['Máy chủ dấu thời gian có thể đang quá tải: đợi một lát rồi ký lại.'],
  MARKER_NOT_FOUND: ['Kéo khung chữ ký tới đúng chỗ trên trang rồi bấm "Ký số".'],
};
