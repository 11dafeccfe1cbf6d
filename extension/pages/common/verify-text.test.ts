// The panel's words and colours for the engine's verdicts, times, levels, changes and warnings.

import { describe, expect, it } from 'vitest';
import type { ChangeAfter, SignatureReport, Verdict } from '@kyso/shared/verify/index';
import { changeLines, changeText, levelText, overallColor, signedRevision, signingTimeText, verdictColor, verdictLabel, vnDateTime, warningLines } from './verify-text.ts';

const ALL: Verdict[] = ['VALID', 'VALID_WITH_ALLOWED_CHANGES', 'INVALID_MODIFIED', 'INVALID_DIGEST', 'INVALID_SIGNATURE', 'UNTRUSTED_CHAIN', 'EXPIRED_AT_SIGNING', 'REVOKED', 'REVOCATION_UNKNOWN', 'UNSUPPORTED', 'MALFORMED'];

function report(over: Partial<SignatureReport>): SignatureReport {
  return { field: 'Sig1', kind: 'signature', verdict: 'VALID', coversWholeDocument: true, changesAfter: [], reasons: [], warnings: [], chain: [], signingTimeSource: 'none', summaryVi: '', ...over };
}

describe('verdict colours and labels', () => {
  it('green when the signature holds, yellow when its validity is unknown, red when something is wrong', () => {
    const by = Object.fromEntries(ALL.map((v) => [v, verdictColor(v)]));
    expect(by).toEqual({
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
    });
  });

  it('every verdict has its own Vietnamese label; the invalid ones say "Không hợp lệ"', () => {
    const labels = ALL.map((v) => verdictLabel(v));
    expect(new Set(labels).size).toBe(ALL.length);
    for (const v of ALL) if (verdictColor(v) === 'red') expect(verdictLabel(v)).toMatch(/^Không hợp lệ/);
    expect(verdictLabel('VALID')).toBe('Hợp lệ');
  });

  it('the document takes the worst colour; no signature, no colour', () => {
    expect(overallColor(['VALID', 'VALID_WITH_ALLOWED_CHANGES'])).toBe('green');
    expect(overallColor(['VALID', 'UNTRUSTED_CHAIN'])).toBe('yellow');
    expect(overallColor(['REVOCATION_UNKNOWN', 'INVALID_MODIFIED', 'VALID'])).toBe('red');
    expect(overallColor([])).toBeUndefined();
  });
});

describe('signing time and level', () => {
  it('Vietnam time whatever the machine zone', () => {
    expect(vnDateTime('2026-11-21T17:05:09Z')).toBe('22/11/2026 00:05:09 (giờ Việt Nam)');
  });

  it('a trusted timestamp is the time, without warning; a claimed /M warns; none warns', () => {
    const ts = signingTimeText(report({ signingTime: '2026-03-01T02:00:00Z', signingTimeSource: 'timestamp', timestamp: { time: '2026-03-01T02:00:00Z', tsa: 'TSA thử nghiệm', valid: true, trusted: true } }));
    expect(ts).toEqual({ text: '01/03/2026 09:00:00 (giờ Việt Nam) — theo dấu thời gian của TSA thử nghiệm' });
    const claimed = signingTimeText(report({ signingTime: '2026-03-01T02:00:00Z', signingTimeSource: 'claimed' }));
    expect(claimed.text).toContain('do máy người ký ghi');
    expect(claimed.warning).toMatch(/không được chứng thực bằng dấu thời gian/);
    const untrustedTs = signingTimeText(report({ signingTime: '2026-03-01T02:00:00Z', signingTimeSource: 'claimed', timestamp: { time: '2026-03-01T02:00:00Z', valid: true, trusted: false } }));
    expect(untrustedTs.warning).toMatch(/không do đơn vị cấp dấu thời gian được tin cậy cấp/);
    expect(signingTimeText(report({})).warning).toMatch(/thời điểm hiện tại/);
  });

  it('levels in words', () => {
    expect(levelText('B-LTA')).toMatch(/^PAdES B-LTA/);
    expect(levelText(undefined)).toBe('Không xác định');
  });
});

describe('changes after signing', () => {
  const ch = (kind: ChangeAfter['kind'], allowed: boolean, field?: string): ChangeAfter => ({ kind, allowed, detail: 'x', field });

  it('names the kind, the new signature field, and whether it is allowed', () => {
    expect(changeText(ch('signature', true, 'Sig2'))).toBe('Thêm chữ ký "Sig2" — được phép');
    expect(changeText(ch('page-content', false))).toBe('Sửa nội dung trang — không được phép');
    expect(changeText(ch('pages', false, 'ignored'))).toBe('Thêm, bớt hoặc đổi thứ tự trang — không được phép');
  });

  it('merges the same change over many objects and lists the forbidden ones first', () => {
    const lines = changeLines([ch('signature', true, 'Sig2'), ch('page-content', false), ch('page-content', false), ch('dss', true)]);
    expect(lines).toEqual([
      { text: 'Sửa nội dung trang — không được phép', allowed: false, count: 2 },
      { text: 'Thêm chữ ký "Sig2" — được phép', allowed: true, count: 1 },
      { text: 'Bổ sung dữ liệu kiểm tra chữ ký (chứng thư, OCSP, CRL) — được phép', allowed: true, count: 1 },
    ]);
  });
});

describe('warnings', () => {
  it('known warnings in Vietnamese (the claimed-time one is said elsewhere), the rest kept as technical notes', () => {
    const w = warningLines([
      'signing time is the claimed /M of the signature dictionary, not proven by a timestamp',
      '"Sub CA" names no revocation source; not checked',
      'signed attributes are not in DER order (verified as encoded)',
    ]);
    expect(w.vi).toEqual(['Chứng thư không nêu nơi kiểm tra thu hồi (OCSP/CRL); tình trạng thu hồi không được kiểm tra.']);
    expect(w.technical).toEqual(['signed attributes are not in DER order (verified as encoded)']);
  });
});

describe('signed revision', () => {
  it('is the file up to the end of the byte range; a range past the end or malformed gives none', () => {
    const pdf = new Uint8Array(100).map((_, i) => i);
    expect([...signedRevision(pdf, [0, 10, 30, 40])!]).toEqual([...pdf.subarray(0, 70)]);
    expect(signedRevision(pdf, [0, 10, 30, 80])).toBeUndefined();
    expect(signedRevision(pdf, [0, 10])).toBeUndefined();
    expect(signedRevision(pdf, undefined)).toBeUndefined();
  });
});
