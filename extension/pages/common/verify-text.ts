// What the verification panel says about a signature report: the colour and the Vietnamese label of each verdict,
// the signing time, the level, each change after signing, the engine's warnings. Pure: no DOM, no extension APIs.

import type { ChangeAfter, ChangeKind, Level, SignatureReport, Verdict } from '@kyso/shared/verify/index';

export type VerdictColor = 'green' | 'yellow' | 'red';

// The colours follow Acrobat's three states, which the people who receive these files already know:
// - green, "valid": the signature holds. VALID_WITH_ALLOWED_CHANGES is green too, as in Acrobat ("the document
//   has been changed since it was signed, but the changes are permitted"): in a Vietnamese office a document is
//   approved, then numbered and signed by the office (Nghị định 30), so nearly every issued file carries an earlier
//   signature followed by an allowed one. Yellow there would teach people to ignore yellow. The changes are listed.
// - yellow, "validity unknown": nothing is known to be wrong, but the identity or the status cannot be confirmed —
//   an issuer we do not trust (a foreign or test CA, a root IT has not added), revocation that could not be
//   checked (offline, responder down), an algorithm we cannot check. The user decides, or IT adds the root.
// - red, "invalid": something is known to be wrong — content changed after signing, a digest or signature value
//   that does not match, a certificate expired or revoked at signing time, a malformed or spoofed signature.
const COLORS: Record<Verdict, VerdictColor> = {
  VALID: 'green',
  VALID_WITH_ALLOWED_CHANGES: 'green',
  UNTRUSTED_CHAIN: 'yellow',
  REVOCATION_UNKNOWN: 'yellow',
  UNSUPPORTED: 'yellow',
  INVALID_MODIFIED: 'red',
  INVALID_DIGEST: 'red',
  INVALID_SIGNATURE: 'red',
  EXPIRED_AT_SIGNING: 'red',
  REVOKED: 'red',
  MALFORMED: 'red',
};

const LABELS: Record<Verdict, string> = {
  VALID: 'Hợp lệ',
  VALID_WITH_ALLOWED_CHANGES: 'Hợp lệ (có thay đổi được phép sau khi ký)',
  UNTRUSTED_CHAIN: 'Chưa xác định được người ký (tổ chức cấp chứng thư chưa được tin cậy)',
  REVOCATION_UNKNOWN: 'Chưa kiểm tra được tình trạng thu hồi chứng thư',
  UNSUPPORTED: 'Chưa hỗ trợ kiểm tra loại chữ ký này',
  INVALID_MODIFIED: 'Không hợp lệ: văn bản bị sửa sau khi ký',
  INVALID_DIGEST: 'Không hợp lệ: nội dung đã ký bị thay đổi',
  INVALID_SIGNATURE: 'Không hợp lệ: giá trị chữ ký sai',
  EXPIRED_AT_SIGNING: 'Không hợp lệ: chứng thư hết hạn hoặc chưa có hiệu lực khi ký',
  REVOKED: 'Không hợp lệ: chứng thư đã bị thu hồi',
  MALFORMED: 'Không hợp lệ: chữ ký sai cấu trúc',
};

export function verdictColor(v: Verdict): VerdictColor {
  return COLORS[v];
}

export function verdictLabel(v: Verdict): string {
  return LABELS[v];
}

/** The whole document's colour: the worst of its signatures (none: no colour). */
export function overallColor(verdicts: readonly Verdict[]): VerdictColor | undefined {
  const cs = verdicts.map(verdictColor);
  if (cs.includes('red')) return 'red';
  if (cs.includes('yellow')) return 'yellow';
  return cs.length ? 'green' : undefined;
}

/** dd/mm/yyyy HH:MM:SS in Vietnam time (UTC+7), whatever the machine's zone. */
export function vnDateTime(iso: string): string {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  const d = new Date(t + 7 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} (giờ Việt Nam)`;
}

export interface SigningTimeText {
  text: string;
  /** Set when the time is not proven by a trusted timestamp. */
  warning?: string;
}

export function signingTimeText(s: SignatureReport): SigningTimeText {
  if (s.signingTimeSource === 'timestamp' && s.signingTime) {
    const tsa = s.timestamp?.tsa ? ` của ${s.timestamp.tsa}` : '';
    return { text: `${vnDateTime(s.signingTime)} — theo dấu thời gian${tsa}` };
  }
  if (s.signingTimeSource === 'claimed' && s.signingTime) {
    const ts = s.timestamp && !s.timestamp.trusted ? ' Dấu thời gian kèm theo không do đơn vị cấp dấu thời gian được tin cậy cấp.' : '';
    return {
      text: `${vnDateTime(s.signingTime)} — do máy người ký ghi`,
      warning: `Thời điểm ký do máy tính của người ký tự ghi, không được chứng thực bằng dấu thời gian.${ts}`,
    };
  }
  return { text: 'Không rõ', warning: 'Chữ ký không ghi thời điểm ký: chứng thư được kiểm tra tại thời điểm hiện tại.' };
}

const LEVELS: Record<Level, string> = {
  'B-B': 'PAdES B-B (chữ ký cơ bản)',
  'B-T': 'PAdES B-T (có dấu thời gian)',
  'B-LT': 'PAdES B-LT (kèm dữ liệu kiểm tra dài hạn)',
  'B-LTA': 'PAdES B-LTA (lưu trữ dài hạn, có dấu thời gian văn bản)',
};

export function levelText(level: Level | undefined): string {
  return level ? LEVELS[level] : 'Không xác định';
}

const CHANGE_VI: Record<ChangeKind, string> = {
  signature: 'Thêm chữ ký',
  'doc-timestamp': 'Thêm dấu thời gian cho văn bản',
  dss: 'Bổ sung dữ liệu kiểm tra chữ ký (chứng thư, OCSP, CRL)',
  'form-fill': 'Điền biểu mẫu',
  annotation: 'Thêm, sửa hoặc xóa chú thích',
  metadata: 'Sửa thông tin mô tả văn bản',
  'page-content': 'Sửa nội dung trang',
  pages: 'Thêm, bớt hoặc đổi thứ tự trang',
  'signature-dict': 'Sửa chữ ký đã có',
  catalog: 'Sửa cấu trúc văn bản',
  other: 'Thay đổi khác',
};

/** One change after signing, in Vietnamese: what, which field, whether the signature allows it. */
export function changeText(c: ChangeAfter): string {
  const field = c.field && (c.kind === 'signature' || c.kind === 'doc-timestamp') ? ` "${c.field}"` : '';
  return `${CHANGE_VI[c.kind]}${field} — ${c.allowed ? 'được phép' : 'không được phép'}`;
}

/** The changes after signing, same descriptions merged (a page edit touches many objects), disallowed first. */
export function changeLines(changes: readonly ChangeAfter[]): { text: string; allowed: boolean; count: number }[] {
  const byText = new Map<string, { text: string; allowed: boolean; count: number }>();
  for (const c of changes) {
    const text = changeText(c);
    const e = byText.get(text);
    if (e) e.count++;
    else byText.set(text, { text, allowed: c.allowed, count: 1 });
  }
  return [...byText.values()].sort((a, b) => Number(a.allowed) - Number(b.allowed));
}

// The engine's warnings are English (logs, tests); the ones people meet often get a Vietnamese line, the rest are
// shown as technical notes.
const WARNING_VI: [RegExp, string][] = [
  [/claimed \/M/, ''], // said by signingTimeText already
  [/no signing time/, ''],
  [/names no revocation source/, 'Chứng thư không nêu nơi kiểm tra thu hồi (OCSP/CRL); tình trạng thu hồi không được kiểm tra.'],
  [/not from a trusted TSA/, 'Dấu thời gian không do đơn vị cấp dấu thời gian được tin cậy cấp; thời điểm của nó không được dùng.'],
  [/signature timestamp does not verify/, 'Dấu thời gian kèm chữ ký không hợp lệ.'],
  [/caIssuers/, 'Chứng thư của tổ chức cấp được tải về từ địa chỉ ghi trong chứng thư.'],
  [/after the timestamped signing time/, 'Chứng thư bị thu hồi sau thời điểm ký đã được chứng thực; chữ ký vẫn có giá trị.'],
  [/SHA-1/, 'Chữ ký dùng thuật toán băm SHA-1 (yếu).'],
  [/encrypted with a key/, 'Văn bản được mã hóa: một số thông tin được hiển thị như lưu trong tệp.'],
  [/no digitalSignature\/nonRepudiation key usage/, 'Chứng thư của người ký không có mục đích ký số.'],
];

/** Vietnamese lines for the warnings the panel explains, and the rest as they are. */
export function warningLines(warnings: readonly string[]): { vi: string[]; technical: string[] } {
  const vi: string[] = [];
  const technical: string[] = [];
  for (const w of warnings) {
    const hit = WARNING_VI.find(([re]) => re.test(w));
    if (!hit) technical.push(w);
    else if (hit[1] && !vi.includes(hit[1])) vi.push(hit[1]);
  }
  return { vi, technical };
}

/** The bytes a signature covers: the file up to the end of its byte range (the signed revision). */
export function signedRevision(pdf: Uint8Array, byteRange: readonly number[] | undefined): Uint8Array | undefined {
  if (!byteRange || byteRange.length !== 4) return undefined;
  const end = byteRange[2] + byteRange[3];
  if (!Number.isSafeInteger(end) || end <= 0 || end > pdf.length) return undefined;
  return pdf.subarray(0, end);
}
