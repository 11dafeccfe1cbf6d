// Validation of every key, good and bad values, with the typed reason and the path of the bad part; the merge of
// policy, user values and defaults.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { POLICY_KEYS, defaultValues, type PolicyKey } from '../../shared/policy/schema.ts';
import { certificateDer, isAbsolutePath, isMatchPattern, validateAll, validateValue, type IssueReason } from '../../shared/policy/validate.ts';
import { resolveSettings } from '../../shared/policy/resolve.ts';

const PEM = readFileSync(join(import.meta.dirname, 'test-root.pem'), 'utf8');
const B64 = PEM.replace(/-----[A-Z ]+-----|\s/g, '');

const GOOD: Record<PolicyKey, unknown[]> = {
  portals: [[], ['https://qlvb.example.gov.vn/*', '*://*.motcua.example.gov.vn/*', 'http://10.0.0.5:8080/qlvb/*']],
  markers: [{ signature: ['#KyDuyet'] }, {}, '{"number": ["#So"]}'],
  defaultModes: [{}, { 'https://qlvb.example.gov.vn/*': 'approval', 'https://*.motcua.example.gov.vn/*': 'certify' }, '{"https://a.example/*": "copy"}'],
  pkcs11Modules: [['C:\\Windows\\System32\\vnpt.dll', '/usr/lib/libsofthsm2.so', 'D:/tokens/x.dll', '\\\\server\\share\\p11.dll']],
  tsaUrl: ['', 'http://tsa.example.gov.vn/tsa', 'https://ca.gov.vn:8443/tsa?x=1'],
  signatureLevel: ['B-B', 'B-T', 'B-LT', 'B-LTA'],
  trustAnchors: [[], [PEM], [B64], [PEM.replaceAll('\n', ' ')]],
  onlineRevocation: [true, false],
  language: ['vi', 'en'],
};

const BAD: Record<PolicyKey, [unknown, IssueReason, string][]> = {
  portals: [
    ['https://a.example/*', 'WRONG_TYPE', 'portals'],
    [['https://a.example/*', 'a.example'], 'BAD_MATCH_PATTERN', 'portals[1]'],
    [['<all_urls>'], 'BAD_MATCH_PATTERN', 'portals[0]'],
    [['file:///etc/*'], 'BAD_MATCH_PATTERN', 'portals[0]'],
    [['https://*a.example/*'], 'BAD_MATCH_PATTERN', 'portals[0]'],
    [['https://a.example'], 'BAD_MATCH_PATTERN', 'portals[0]'],
    [['https://a.example/*', 'https://a.example/*'], 'DUPLICATE', 'portals[1]'],
    [[''], 'EMPTY', 'portals[0]'],
    [[42], 'WRONG_TYPE', 'portals[0]'],
    [Array.from({ length: 201 }, (_, i) => `https://a${i}.example/*`), 'TOO_LONG', 'portals'],
  ],
  markers: [
    [['#A'], 'WRONG_TYPE', 'markers'],
    ['{"signature": [', 'BAD_JSON', 'markers'],
    [{ leader: ['#A'] }, 'UNKNOWN_ROLE', 'markers.leader'],
    [{ signature: '#A' }, 'WRONG_TYPE', 'markers.signature'],
    [{ signature: ['#Chu Ky'] }, 'NOT_ALLOWED_VALUE', 'markers.signature[0]'],
  ],
  defaultModes: [
    [{ 'qlvb.example.gov.vn': 'approval' }, 'BAD_MATCH_PATTERN', 'defaultModes["qlvb.example.gov.vn"]'],
    [{ 'https://a.example/*': 'sign' }, 'NOT_ALLOWED_VALUE', 'defaultModes["https://a.example/*"]'],
    [{ 'https://a.example/*': 1 }, 'WRONG_TYPE', 'defaultModes["https://a.example/*"]'],
    [true, 'WRONG_TYPE', 'defaultModes'],
  ],
  pkcs11Modules: [
    [['vnpt.dll'], 'NOT_ABSOLUTE_PATH', 'pkcs11Modules[0]'],
    [['./lib/x.so'], 'NOT_ABSOLUTE_PATH', 'pkcs11Modules[0]'],
    [['C:relative.dll'], 'NOT_ABSOLUTE_PATH', 'pkcs11Modules[0]'],
    [['/a\nb'], 'NOT_ABSOLUTE_PATH', 'pkcs11Modules[0]'],
    ['/usr/lib/x.so', 'WRONG_TYPE', 'pkcs11Modules'],
    [Array.from({ length: 17 }, (_, i) => `/opt/p11-${i}.so`), 'TOO_LONG', 'pkcs11Modules'],
  ],
  tsaUrl: [
    ['tsa.example.gov.vn', 'BAD_URL', 'tsaUrl'],
    ['ftp://tsa.example.gov.vn/', 'BAD_URL', 'tsaUrl'],
    ['http://tsa example/', 'BAD_URL', 'tsaUrl'],
    [['http://a/'], 'WRONG_TYPE', 'tsaUrl'],
  ],
  signatureLevel: [
    ['B-LTV', 'NOT_ALLOWED_VALUE', 'signatureLevel'],
    ['b-lt', 'NOT_ALLOWED_VALUE', 'signatureLevel'],
    [2, 'WRONG_TYPE', 'signatureLevel'],
  ],
  trustAnchors: [
    [['-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----'], 'BAD_CERTIFICATE', 'trustAnchors[0]'],
    [[btoa('hello world')], 'BAD_CERTIFICATE', 'trustAnchors[0]'],
    [[PEM.replace('CERTIFICATE', 'PRIVATE KEY')], 'BAD_CERTIFICATE', 'trustAnchors[0]'],
    [[B64.slice(0, -8)], 'BAD_CERTIFICATE', 'trustAnchors[0]'],
    [PEM, 'WRONG_TYPE', 'trustAnchors'],
  ],
  onlineRevocation: [
    ['true', 'WRONG_TYPE', 'onlineRevocation'],
    [1, 'WRONG_TYPE', 'onlineRevocation'],
  ],
  language: [
    ['fr', 'NOT_ALLOWED_VALUE', 'language'],
    [['vi'], 'WRONG_TYPE', 'language'],
  ],
};

describe('validateValue', () => {
  for (const key of POLICY_KEYS) {
    it.each(GOOD[key].map((v) => [JSON.stringify(v).slice(0, 60), v]))(`${key}: accepts %s`, (_, v) => {
      expect(validateValue(key, v)).toMatchObject({ ok: true });
    });
    it.each(BAD[key].map(([v, reason, path]) => [reason, path, v]))(`${key}: %s at %s`, (reason, path, v) => {
      const r = validateValue(key, v);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.issues[0]).toMatchObject({ source: 'policy', key, path, reason });
      expect(r.issues[0].messageVi.length).toBeGreaterThan(5);
      expect(r.issues[0].messageEn.length).toBeGreaterThan(5);
    });
  }

  it('normalises: trims entries, keeps default roles for markers, parses JSON text objects', () => {
    expect(validateValue('portals', ['  https://a.example/*  '])).toEqual({ ok: true, value: ['https://a.example/*'] });
    const m = validateValue('markers', '{"signature": ["#KyDuyet"]}');
    expect(m.ok && m.value).toEqual({ ...defaultValues().markers, signature: ['#KyDuyet'] });
    expect(validateValue('trustAnchors', [PEM])).toEqual({ ok: true, value: [PEM.trim()] });
  });

  it('reports every bad entry of a list, not only the first', () => {
    const r = validateValue('portals', ['x', 'https://ok.example/*', 'y']);
    expect(r.ok === false && r.issues.map((i) => i.path)).toEqual(['portals[0]', 'portals[2]']);
  });

  it('shows the offending value, shortened', () => {
    const r = validateValue('tsaUrl', `x${'a'.repeat(500)}`);
    expect(r.ok === false && r.issues[0].value).toMatch(/^xa{116}…$/);
  });

  it('helpers', () => {
    expect(isMatchPattern('https://*/*')).toBe(true);
    expect(isMatchPattern('https://a.*/*')).toBe(false);
    expect(isAbsolutePath('/x')).toBe(true);
    expect(isAbsolutePath('x/y')).toBe(false);
    expect(certificateDer(PEM)?.[0]).toBe(0x30);
  });
});

describe('validateAll and resolveSettings', () => {
  it('reports unknown keys and keeps the good ones', () => {
    const r = validateAll({ language: 'en', portal: ['https://a.example/*'], tsaUrl: 'nope' }, 'policy');
    expect(r.values).toEqual({ language: 'en' });
    expect(r.issues.map((i) => [i.key, i.reason])).toEqual([
      ['portal', 'UNKNOWN_KEY'],
      ['tsaUrl', 'BAD_URL'],
    ]);
  });

  it('policy wins and locks; the user’s value applies where policy is silent; defaults otherwise', () => {
    const s = resolveSettings(
      { portals: ['https://qlvb.example.gov.vn/*'], onlineRevocation: false },
      { portals: ['https://mine.example/*'], markers: { signature: ['#Ky'] }, pkcs11Modules: ['/opt/p11.so'] },
    );
    expect(s.values.portals).toEqual(['https://qlvb.example.gov.vn/*']);
    expect(s.state.portals).toEqual({ source: 'policy', locked: true, userSettable: true });
    expect(s.values.markers.signature).toEqual(['#Ky']);
    expect(s.state.markers).toEqual({ source: 'user', locked: false, userSettable: true });
    expect(s.values.pkcs11Modules).toEqual(['/opt/p11.so']);
    expect(s.state.onlineRevocation).toEqual({ source: 'policy', locked: true, userSettable: false });
    expect(s.state.tsaUrl).toEqual({ source: 'default', locked: false, userSettable: false });
    expect(s.issues).toEqual([]);
  });

  it('a bad policy value: reported, the default applies, still locked (the user’s value is not used)', () => {
    const s = resolveSettings({ pkcs11Modules: ['relative.dll'] }, { pkcs11Modules: ['/opt/p11.so'] });
    expect(s.values.pkcs11Modules).toEqual([]);
    expect(s.state.pkcs11Modules).toEqual({ source: 'default', locked: true, userSettable: true });
    expect(s.issues).toEqual([expect.objectContaining({ source: 'policy', key: 'pkcs11Modules', path: 'pkcs11Modules[0]', reason: 'NOT_ABSOLUTE_PATH', value: 'relative.dll' })]);
  });

  it('bad stored user values and values users may not set are reported, not used', () => {
    const s = resolveSettings({}, { language: 'xx', tsaUrl: 'http://evil.example/' });
    expect(s.values.language).toBe('vi');
    expect(s.values.tsaUrl).toBe('');
    expect(s.issues.map((i) => [i.source, i.key, i.reason]).sort()).toEqual([
      ['user', 'language', 'NOT_ALLOWED_VALUE'],
      ['user', 'tsaUrl', 'NOT_USER_SETTABLE'],
    ]);
  });

  it('B-T and above without a TSA: TSA_REQUIRED, B-B applies', () => {
    const s = resolveSettings({ signatureLevel: 'B-LT' }, {});
    expect(s.values.signatureLevel).toBe('B-B');
    expect(s.issues).toEqual([expect.objectContaining({ key: 'signatureLevel', reason: 'TSA_REQUIRED' })]);
    const t = resolveSettings({ signatureLevel: 'B-LT', tsaUrl: 'http://tsa.example/' }, {});
    expect(t.values.signatureLevel).toBe('B-LT');
    expect(t.issues).toEqual([]);
  });
});
