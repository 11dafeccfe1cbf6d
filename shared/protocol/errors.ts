// Every failure the product can report: a stable code, a Vietnamese text for people, an English one for logs.
// The host, the CLI and the extension all speak these codes, so the list lives in one place.

export interface ErrorText {
  readonly vi: string;
  readonly en: string;
}

export const ERROR_TEXTS = {
  // Token and PKCS#11
  MODULE_NOT_FOUND: { vi: 'Không tìm thấy thư viện PKCS#11 của token.', en: 'PKCS#11 module not found.' },
  MODULE_LOAD_FAILED: { vi: 'Không nạp được thư viện PKCS#11 của token.', en: 'PKCS#11 module could not be loaded.' },
  TOKEN_NOT_FOUND: { vi: 'Không tìm thấy USB token. Hãy cắm token vào máy.', en: 'No token found.' },
  TOKEN_NOT_PRESENT: { vi: 'Token chưa được cắm vào khe đọc.', en: 'Token not present in the slot.' },
  TOKEN_REMOVED: { vi: 'Token đã bị rút ra trong khi đang ký. Hãy cắm lại và ký lại.', en: 'Token was removed during the operation.' },
  CERT_NOT_FOUND: { vi: 'Không tìm thấy chứng thư số đã chọn trên token.', en: 'Certificate not found on the token.' },
  KEY_NOT_FOUND: { vi: 'Không tìm thấy khóa bí mật ứng với chứng thư số.', en: 'Private key for the certificate not found.' },
  PIN_REQUIRED: { vi: 'Cần nhập mã PIN của token.', en: 'PIN required.' },
  PIN_INCORRECT: { vi: 'Mã PIN không đúng.', en: 'Incorrect PIN.' },
  PIN_LOCKED: { vi: 'Token đã bị khóa do nhập sai PIN quá số lần cho phép. Liên hệ tổ chức cung cấp chứng thư số để mở khóa.', en: 'PIN is locked.' },
  PIN_INVALID: { vi: 'Mã PIN không hợp lệ (độ dài hoặc ký tự không đúng).', en: 'PIN has an invalid length or characters.' },
  PIN_EXPIRED: { vi: 'Mã PIN của token đã hết hạn hoặc phải đổi trước khi dùng. Hãy đổi PIN bằng phần mềm quản lý token rồi ký lại.', en: 'The PIN has expired or must be changed first.' },
  MECHANISM_UNSUPPORTED: { vi: 'Token không hỗ trợ thuật toán ký cần dùng.', en: 'Signing mechanism not supported by the token.' },
  TOKEN_ERROR: { vi: 'Token báo lỗi khi thực hiện thao tác.', en: 'Token reported an error.' },
  USER_CANCELLED: { vi: 'Người dùng đã hủy thao tác.', en: 'Cancelled by the user.' },
  TIMEOUT: { vi: 'Thao tác quá thời gian chờ.', en: 'Operation timed out.' },

  // Certificates
  CERT_EXPIRED: { vi: 'Chứng thư số đã hết hạn, không dùng để ký được.', en: 'Certificate has expired.' },
  CERT_NOT_YET_VALID: { vi: 'Chứng thư số chưa đến thời hạn sử dụng.', en: 'Certificate is not yet valid.' },
  CERT_NO_SIGNING_USAGE: { vi: 'Chứng thư số không có mục đích ký số.', en: 'Certificate has no digital signature key usage.' },
  CERT_INVALID: { vi: 'Chứng thư số không đọc được.', en: 'Certificate could not be parsed.' },
  CERT_REVOKED: { vi: 'Chứng thư số đã bị thu hồi, không dùng để ký được. Liên hệ tổ chức cung cấp dịch vụ chứng thực để được cấp chứng thư mới.', en: 'Certificate has been revoked.' },
  REVOCATION_UNKNOWN: { vi: 'Không kiểm tra được trạng thái thu hồi của chứng thư số (máy chủ OCSP/CRL không trả lời hoặc trả lời không hợp lệ).', en: 'Revocation status could not be determined.' },

  // Timestamps and long-term validation (PAdES B-T, B-LT, B-LTA)
  TSA_UNAVAILABLE: { vi: 'Không kết nối được máy chủ cấp dấu thời gian (TSA). Kiểm tra kết nối mạng hoặc địa chỉ TSA rồi ký lại.', en: 'Time-stamping authority unreachable.' },
  TSA_TIMEOUT: { vi: 'Máy chủ cấp dấu thời gian (TSA) không trả lời kịp thời gian chờ. Hãy ký lại sau.', en: 'Time-stamping authority did not answer in time.' },
  TSA_REJECTED: { vi: 'Máy chủ cấp dấu thời gian (TSA) từ chối yêu cầu.', en: 'Time-stamping authority rejected the request.' },
  TSA_RESPONSE_INVALID: { vi: 'Dấu thời gian nhận được từ máy chủ TSA không hợp lệ (sai chữ ký, sai dữ liệu hoặc sai số ngẫu nhiên).', en: 'Time-stamp response is invalid.' },
  NETWORK_URL_FORBIDDEN: { vi: 'Địa chỉ mạng không được phép (chỉ dùng http/https lấy từ chứng thư số, tùy chọn hoặc chính sách).', en: 'URL not allowed.' },

  // PDF input and output
  PDF_INVALID: { vi: 'Tệp không phải là PDF hợp lệ hoặc đã bị hỏng.', en: 'Not a valid PDF or damaged beyond repair.' },
  PDF_EMPTY: { vi: 'Tệp PDF rỗng.', en: 'The PDF file is empty.' },
  PDF_ENCRYPTED: { vi: 'Tệp PDF được mã hóa theo cách KýSố chưa hỗ trợ. Hãy xin bản không mã hóa.', en: 'This kind of PDF encryption is not supported.' },
  PDF_PASSWORD_REQUIRED: { vi: 'Tệp PDF được bảo vệ bằng mật khẩu.', en: 'The PDF needs a password to open.' },
  PDF_NO_PAGES: { vi: 'Tệp PDF không có trang nào.', en: 'The PDF has no pages.' },
  PDF_PAGE_OUT_OF_RANGE: { vi: 'Số trang không tồn tại trong tệp PDF.', en: 'Page number out of range.' },
  PDF_TOO_LARGE: { vi: 'Tệp PDF quá lớn.', en: 'The PDF is too large.' },
  PDF_SIGNING_NOT_ALLOWED: { vi: 'Tệp PDF không cho phép ký thêm (đã được chứng nhận khóa thay đổi, hoặc tác giả cấm thêm chữ ký).', en: 'The document forbids further signatures.' },
  MARKER_NOT_FOUND: { vi: 'Không tìm thấy vị trí ký trong văn bản. Hãy chọn vị trí bằng tay.', en: 'Placement marker not found.' },
  PLACEMENT_INVALID: { vi: 'Vị trí ký không hợp lệ.', en: 'Invalid signature placement.' },
  IMAGE_INVALID: { vi: 'Ảnh chữ ký hoặc con dấu không hợp lệ (cần tệp PNG).', en: 'Signature or seal image is not a valid PNG.' },
  FONT_MISSING_GLYPH: { vi: 'Phông chữ không có ký tự cần vẽ.', en: 'The embedded font lacks a glyph for the text.' },
  SIGNATURE_TOO_LARGE: { vi: 'Chữ ký lớn hơn chỗ dành sẵn trong tệp.', en: 'The CMS signature does not fit the reserved space.' },
  SIGNATURE_INVALID: { vi: 'Chữ ký tạo ra không hợp lệ.', en: 'The produced signature does not verify.' },
  IO_ERROR: { vi: 'Không đọc hoặc ghi được tệp.', en: 'File read or write failed.' },
  PDF_NOT_SIGNED: { vi: 'Tệp PDF không có chữ ký số nào.', en: 'The PDF holds no signature.' },
  TRUST_ANCHOR_INVALID: { vi: 'Tệp chứng thư tin cậy (--trust) không đọc được.', en: 'A trust anchor file could not be read.' },

  // Usage and protocol
  HOST_NOT_INSTALLED: { vi: 'Chưa cài phần mềm KýSố trên máy (thành phần ký số chạy cùng trình duyệt). Hãy tải và cài bộ cài KýSố, hoặc nhờ bộ phận CNTT cài, rồi mở lại trình duyệt.', en: 'Native host not installed.' },
  HOST_FORBIDDEN: { vi: 'Phần mềm KýSố trên máy không cho phép tiện ích này kết nối. Hãy cài lại KýSố.', en: 'Native host refused this caller.' },
  HOST_UPDATE_REQUIRED: { vi: 'Phần mềm KýSố trên máy đã cũ. Hãy cài bản mới nhất.', en: 'Native host too old for this extension.' },
  EXTENSION_UPDATE_REQUIRED: { vi: 'Tiện ích KýSố trên trình duyệt đã cũ. Hãy cập nhật tiện ích.', en: 'Extension too old for this native host.' },
  HOST_DISCONNECTED: { vi: 'Mất kết nối với phần mềm KýSố trên máy. Hãy thử lại.', en: 'Native host disconnected.' },
  CALLER_FORBIDDEN: { vi: 'Chỉ các trang của tiện ích KýSố mới được dùng chức năng này.', en: 'Caller is not one of the extension\'s own pages.' },
  BAD_MESSAGE: { vi: 'Thông điệp gửi tới phần mềm KýSố không hợp lệ.', en: 'Malformed message.' },
  UNKNOWN_COMMAND: { vi: 'Lệnh không được phần mềm KýSố hỗ trợ.', en: 'Unknown command.' },
  MESSAGE_TOO_LARGE: { vi: 'Dữ liệu gửi tới phần mềm KýSố quá lớn.', en: 'Message too large.' },
  REPLY_TOO_LARGE: { vi: 'Kết quả phần mềm KýSố trả về quá lớn để gửi cho trình duyệt.', en: 'Reply would exceed the native messaging size limit.' },
  INVALID_ARGUMENT: { vi: 'Tham số không hợp lệ.', en: 'Invalid argument.' },

  // Portals and the extension's pages
  JOB_NOT_FOUND: { vi: 'Phiên ký này không còn (trình duyệt đã khởi động lại hoặc đã quá lâu). Hãy bấm "Ký số" lại trên cổng thông tin.', en: 'Signing job not found or expired.' },
  PORTAL_PAGE_GONE: { vi: 'Trang cổng thông tin chứa văn bản đã đóng hoặc đã chuyển sang trang khác. Hãy mở lại văn bản và bấm "Ký số".', en: 'The portal page of the job is gone.' },
  DOCUMENT_FETCH_FAILED: { vi: 'Không tải được văn bản từ cổng thông tin (phiên đăng nhập hết hạn hoặc mất mạng). Hãy đăng nhập lại cổng rồi thử lại.', en: 'The document could not be fetched from the portal.' },
  NOT_A_PDF: { vi: 'Tệp tải về từ cổng thông tin không phải là PDF.', en: 'The portal did not return a PDF.' },
  UPLOAD_FAILED: { vi: 'Không đưa được tệp đã ký lên cổng thông tin. Tệp đã ký được tải về máy để bạn tự đính kèm.', en: 'Putting the signed file back into the portal failed.' },
  PORTAL_NOT_ALLOWED: { vi: 'Cổng thông tin này chưa có trong danh sách được phép dùng KýSố. Hãy thêm trong Tùy chọn hoặc nhờ bộ phận CNTT.', en: 'Portal not in the allowlist.' },

  // Installing the host for the browsers (kyso install-host / uninstall-host)
  INSTALL_FAILED: { vi: 'Không cài được phần mềm KýSố cho trình duyệt; những gì đã ghi đã được gỡ lại.', en: 'Native host installation failed; what had been written was rolled back.' },
  UNINSTALL_FAILED: { vi: 'Không gỡ được hết phần mềm KýSố khỏi trình duyệt. Hãy chạy lại lệnh gỡ.', en: 'Native host removal failed part way; run it again.' },
  PERMISSION_DENIED: { vi: 'Không đủ quyền ghi vào thư mục hoặc khóa registry của hệ thống. Hãy chạy với quyền quản trị/sudo, hoặc cài cho riêng người dùng này (--user).', en: 'Permission denied; run as administrator/root or install for the current user only.' },
  INTERNAL_ERROR: { vi: 'Lỗi không mong muốn trong KýSố.', en: 'Unexpected internal error.' },
} as const satisfies Record<string, ErrorText>;

export type ErrorCode = keyof typeof ERROR_TEXTS;

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  messageVi: string;
  details?: Record<string, string | number | boolean>;
}

export class KysoError extends Error {
  readonly code: ErrorCode;
  readonly messageVi: string;
  readonly details?: Record<string, string | number | boolean>;

  constructor(code: ErrorCode, detail?: string, details?: Record<string, string | number | boolean>, options?: { cause?: unknown; vi?: string }) {
    const text = ERROR_TEXTS[code];
    super(detail ? `${text.en} ${detail}` : text.en, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KysoError';
    this.code = code;
    this.messageVi = options?.vi ?? text.vi;
    this.details = details;
  }

  toPayload(): ErrorPayload {
    const p: ErrorPayload = { code: this.code, message: this.message, messageVi: this.messageVi };
    if (this.details) p.details = this.details;
    return p;
  }
}

export function isKysoError(e: unknown, code?: ErrorCode): e is KysoError {
  return e instanceof KysoError && (code === undefined || e.code === code);
}

/** Wraps anything thrown into a KysoError so callers always report a typed code. */
export function asKysoError(e: unknown, fallback: ErrorCode = 'INTERNAL_ERROR'): KysoError {
  if (e instanceof KysoError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new KysoError(fallback, msg, undefined, { cause: e });
}

/** PIN_INCORRECT with the hint PKCS#11 tokens give (they report flags, not a count). */
export function pinIncorrect(retries: 'unknown' | 'low' | 'final'): KysoError {
  const vi =
    retries === 'final'
      ? 'Mã PIN không đúng. Đây là lần thử cuối cùng: nhập sai một lần nữa token sẽ bị khóa.'
      : retries === 'low'
        ? 'Mã PIN không đúng. Chỉ còn ít lần thử trước khi token bị khóa.'
        : 'Mã PIN không đúng. Hãy kiểm tra và nhập lại.';
  return new KysoError('PIN_INCORRECT', `Retries: ${retries}.`, { retries }, { vi });
}
