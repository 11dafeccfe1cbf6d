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
};
