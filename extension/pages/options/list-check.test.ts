// Line-by-line checks of the portal patterns and PKCS#11 paths on the options page: each mistake named on its
// line, with the same verdicts the background gives on saving (shared/policy/validate.ts).

import { describe, expect, it } from 'vitest';
import { validateValue } from '@kyso/shared/policy/validate';
import { lineIssues } from './list-check.ts';

describe('lineIssues', () => {
  it('accepts good portal patterns and ignores blank lines', () => {
    expect(lineIssues('portals', 'https://qlvb.example.gov.vn/*\n\n  https://*.motcua.example.gov.vn/*  \n')).toEqual([]);
  });

  it('names each bad portal line with the reason and what is missing', () => {
    const text = ['https://qlvb.example.gov.vn/*', 'qlvb.example.gov.vn', 'https://dvc.example.gov.vn', 'ftp://files.example.gov.vn/*', 'https://qlvb.example.gov.vn/*'].join('\n');
    expect(lineIssues('portals', text)).toEqual([
      { line: 2, value: 'qlvb.example.gov.vn', messageVi: 'Mẫu địa chỉ (match pattern) không hợp lệ: thiếu https:// ở đầu' },
      { line: 3, value: 'https://dvc.example.gov.vn', messageVi: 'Mẫu địa chỉ (match pattern) không hợp lệ: thiếu đường dẫn ở cuối, thêm /*' },
      { line: 4, value: 'ftp://files.example.gov.vn/*', messageVi: 'Mẫu địa chỉ (match pattern) không hợp lệ: chỉ dùng http, https hoặc *' },
      { line: 5, value: 'https://qlvb.example.gov.vn/*', messageVi: 'Giá trị bị lặp (giống dòng 1)' },
    ]);
  });

  it('names relative PKCS#11 paths and too many modules', () => {
    expect(lineIssues('pkcs11Modules', 'C:\\Windows\\System32\\vnpt-ca_csp11.dll\n/usr/lib/softhsm/libsofthsm2.so\n\\\\server\\share\\x.dll')).toEqual([]);
    const bad = lineIssues('pkcs11Modules', '/usr/lib/a.so\nvnpt-ca_csp11.dll');
    expect(bad).toEqual([{ line: 2, value: 'vnpt-ca_csp11.dll', messageVi: expect.stringMatching(/^Không phải đường dẫn tuyệt đối: cần đường dẫn đầy đủ/) }]);
    const many = Array.from({ length: 17 }, (_, i) => `/usr/lib/m${i}.so`).join('\n');
    expect(lineIssues('pkcs11Modules', many)).toEqual([{ line: 0, value: '', messageVi: 'Giá trị quá dài hoặc quá nhiều mục: tối đa 16 thư viện' }]);
  });

  it('agrees with the background: what passes here is saved, what fails here is refused', () => {
    const cases: ['portals' | 'pkcs11Modules', string[]][] = [
      ['portals', ['https://qlvb.example.gov.vn/*']],
      ['portals', ['https://qlvb.example.gov.vn']],
      ['portals', ['*://10.0.0.5:8080/qlvb/*', 'http://*.gov.vn/*']],
      ['portals', ['https://a.vn/*', 'https://a.vn/*']],
      ['pkcs11Modules', ['/usr/lib/a.so']],
      ['pkcs11Modules', ['lib.so']],
    ];
    for (const [key, list] of cases) {
      expect(lineIssues(key, list.join('\n')).length === 0, `${key}: ${list.join(' | ')}`).toBe(validateValue(key, list, 'user').ok);
    }
  });
});
