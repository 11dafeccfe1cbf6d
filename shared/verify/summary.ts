// One line in Vietnamese per signature, for people.

import type { SignatureReport } from './types.ts';

const KIND_VI: Record<string, string> = {
  signature: 'thêm chữ ký',
  'doc-timestamp': 'thêm dấu thời gian',
  dss: 'bổ sung dữ liệu kiểm tra',
  'form-fill': 'điền biểu mẫu',
  annotation: 'thêm/sửa chú thích',
  metadata: 'sửa thông tin mô tả',
  'page-content': 'sửa nội dung trang',
  pages: 'thêm/bớt trang',
  'signature-dict': 'sửa chữ ký đã có',
  catalog: 'sửa cấu trúc văn bản',
  other: 'thay đổi khác',
};

/** dd/mm/yyyy HH:MM in Vietnam time (UTC+7). */
export function vnTime(iso: string | undefined): string {
  if (!iso) return 'không rõ thời điểm';
  const d = new Date(new Date(iso).getTime() + 7 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCHours())}:${p(d.getUTCMinutes())} ngày ${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

function kinds(r: SignatureReport, allowed: boolean): string {
  const k = [...new Set(r.changesAfter.filter((c) => c.allowed === allowed).map((c) => KIND_VI[c.kind] ?? c.kind))];
  return k.join(', ');
}

export function summaryVi(r: SignatureReport): string {
  const who = r.signer?.name ?? 'người ký không rõ';
  const what = r.kind === 'doc-timestamp' ? 'Dấu thời gian' : 'Chữ ký';
  switch (r.verdict) {
    case 'VALID':
      return `${what} của ${who} hợp lệ (ký lúc ${vnTime(r.signingTime)}); văn bản không bị thay đổi sau khi ký.`;
    case 'VALID_WITH_ALLOWED_CHANGES':
      return `${what} của ${who} hợp lệ (ký lúc ${vnTime(r.signingTime)}); sau khi ký chỉ có thay đổi được phép: ${kinds(r, true)}.`;
    case 'INVALID_MODIFIED':
      return `${what} của ${who} không còn giá trị: văn bản đã bị thay đổi sau khi ký (${kinds(r, false)}).`;
    case 'INVALID_DIGEST':
      return `${what} của ${who} không hợp lệ: nội dung đã ký bị thay đổi.`;
    case 'INVALID_SIGNATURE':
      return `${what} của ${who} không hợp lệ: giá trị chữ ký không khớp với chứng thư số.`;
    case 'UNTRUSTED_CHAIN':
      return `Chưa tin cậy được ${what.toLowerCase()} của ${who}: chứng thư số không do tổ chức chứng thực được tin cậy cấp.`;
    case 'EXPIRED_AT_SIGNING':
      return `${what} của ${who} không hợp lệ: chứng thư số hết hạn hoặc chưa có hiệu lực tại thời điểm ký (${vnTime(r.signingTime)}).`;
    case 'REVOKED':
      return `${what} của ${who} không hợp lệ: chứng thư số đã bị thu hồi.`;
    case 'REVOCATION_UNKNOWN':
      return `Chưa kết luận được ${what.toLowerCase()} của ${who}: không kiểm tra được tình trạng thu hồi của chứng thư số.`;
    case 'UNSUPPORTED':
      return `Không kiểm tra được ${what.toLowerCase()} của ${who}: thuật toán chưa được hỗ trợ.`;
    case 'MALFORMED':
      return `${what} sai cấu trúc hoặc có dấu hiệu bị can thiệp; không có giá trị.`;
  }
}
