import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  buildChain,
  canSign,
  certValidity,
  decodeAsn1String,
  derToPem,
  parseCertificate,
  pemToDer,
  sameName,
  type CertInfo,
} from '../../shared/pki/certificate.ts';
import { isKysoError } from '../../shared/protocol/errors.ts';
import { EC_CN, makeTestPki, ROOT_CN, RSA_CN, RSA_O, SUB_CN, type TestPki } from './helpers.ts';

const TRUST = path.resolve(import.meta.dirname, '../../../shared/trust');

let pki: TestPki;
let root: CertInfo, sub: CertInfo, rsa: CertInfo, ec: CertInfo, ec384: CertInfo;

afterAll(() => {
  if (pki) fs.rmSync(pki.dir, { recursive: true, force: true });
});

beforeAll(() => {
  pki = makeTestPki();
  root = parseCertificate(pki.root.der);
  sub = parseCertificate(pki.sub.der);
  rsa = parseCertificate(pki.rsaLeaf.der);
  ec = parseCertificate(pki.ecLeaf.der);
  ec384 = parseCertificate(pki.ec384Leaf.der);
});

describe('parseCertificate', () => {
  test('Vietnamese UTF8String names are decoded exactly', () => {
    expect(rsa.subject.CN).toBe(RSA_CN);
    expect(rsa.subject.O).toBe(RSA_O);
    expect(rsa.subject.OU).toEqual(['Văn phòng UBND tỉnh']);
    expect(rsa.subject.L).toBe('Tam Kỳ');
    expect(rsa.subject.ST).toBe('Quảng Nam');
    expect(rsa.subject.C).toBe('VN');
    expect(rsa.subject.UID).toEqual(['CMND:201234567']);
    expect(rsa.subject.identifiers).toEqual([{ type: 'CMND', value: '201234567', from: 'UID' }]);
    expect(rsa.subjectString).toBe(
      'UID=CMND:201234567,CN=Nguyễn Văn Thành,OU=Văn phòng UBND tỉnh,O=UBND tỉnh Quảng Nam,L=Tam Kỳ,ST=Quảng Nam,C=VN',
    );
    expect(rsa.subject.rdns[0]).toEqual([{ oid: '2.5.4.6', name: 'C', value: 'VN' }]);
    expect(rsa.issuer.CN).toBe(SUB_CN);
    expect(ec.subject.CN).toBe(EC_CN);
    expect(ec.subject.identifiers).toEqual([{ type: 'MST', value: '6101234567', from: 'UID' }]);
    expect(root.subject.CN).toBe(ROOT_CN);
    expect(root.subject.O).toBe('Ban Cơ yếu Chính phủ (TEST)');
  });

  test('BMPString and T61String names (openssl string_mask=default) are decoded exactly', () => {
    // openssl wrote O, ST and CN as BMPString and L ("Cà Mau", Latin-1 only) as T61String
    expect(sub.subject.CN).toBe(SUB_CN);
    expect(sub.subject.O).toBe('Ban Cơ yếu Chính phủ (TEST)');
    expect(sub.subject.ST).toBe('Hà Nội');
    expect(sub.subject.L).toBe('Cà Mau');
  });

  test('the name text agrees with openssl -nameopt RFC2253 for the leaf', () => {
    const out = execFileSync('openssl', ['x509', '-in', pki.rsaLeaf.certPath, '-noout', '-subject', '-nameopt', 'RFC2253,-esc_msb'], { encoding: 'utf8' });
    expect(out.trim()).toBe(`subject=${rsa.subjectString}`);
  });

  test('serial, version, validity, key types, fingerprints', () => {
    expect(rsa.serialNumber).toBe('F1E2D3C4B5A6978800');
    expect(ec.serialNumber).toBe('102'); // 0x0102: no leading zeros
    expect(root.serialNumber).toBe('1');
    expect(rsa.version).toBe(3);
    expect(rsa.keyType).toEqual({ kind: 'rsa', bits: 2048, pssOnly: false });
    expect(ec.keyType).toEqual({ kind: 'ec', curve: 'P-256', curveOid: '1.2.840.10045.3.1.7', bits: 256 });
    expect(ec384.keyType).toMatchObject({ kind: 'ec', curve: 'P-384', bits: 384 });
    const x = new crypto.X509Certificate(pki.rsaLeaf.der);
    expect(rsa.fingerprints.sha256).toBe(x.fingerprint256.replace(/:/g, ''));
    expect(rsa.fingerprints.sha1).toBe(x.fingerprint.replace(/:/g, ''));
    expect(rsa.notBefore.getTime()).toBe(new Date(x.validFrom).getTime());
    expect(rsa.notAfter.getTime()).toBe(new Date(x.validTo).getTime());
    expect(rsa.signatureAlgorithm).toBe('1.2.840.113549.1.1.11');
    expect(Buffer.from(rsa.der).equals(Buffer.from(pki.rsaLeaf.der))).toBe(true);
    expect(crypto.createPublicKey({ key: Buffer.from(rsa.spki), format: 'der', type: 'spki' }).asymmetricKeyType).toBe('rsa');
  });

  test('key usage, extended key usage, basic constraints', () => {
    expect(rsa.keyUsage).toEqual(['digitalSignature', 'nonRepudiation']);
    expect(ec.keyUsage).toEqual(['digitalSignature']);
    expect(root.keyUsage).toEqual(['keyCertSign', 'cRLSign']);
    expect(rsa.extendedKeyUsage).toEqual(['1.3.6.1.5.5.7.3.4', '1.3.6.1.4.1.311.10.3.12']);
    expect(ec.extendedKeyUsage).toBeNull();
    expect(rsa.isCA).toBe(false);
    expect(sub.isCA).toBe(true);
    expect(sub.pathLength).toBe(0);
    expect(root.isCA).toBe(true);
    expect(canSign(rsa)).toBe(true);
    expect(canSign(ec)).toBe(true);
    expect(canSign(root)).toBe(false);
    expect(canSign({ ...root, keyUsage: null })).toBe(true);
  });

  test('AIA, CRL distribution points, key identifiers', () => {
    expect(rsa.authorityInfoAccess).toEqual({ ocsp: ['http://ocsp.test.kyso.vn'], caIssuers: ['http://ca.test.kyso.vn/sub.crt'] });
    expect(rsa.crlDistributionPoints).toEqual(['http://crl.test.kyso.vn/sub.crl']);
    expect(sub.crlDistributionPoints).toEqual(['http://crl.test.kyso.vn/root.crl']);
    expect(ec.authorityInfoAccess).toEqual({ ocsp: [], caIssuers: [] });
    expect(rsa.subjectKeyIdentifier).toMatch(/^[0-9A-F]{40}$/);
    expect(rsa.authorityKeyIdentifier).toBe(sub.subjectKeyIdentifier);
    expect(sub.authorityKeyIdentifier).toBe(root.subjectKeyIdentifier);
  });

  test('certValidity', () => {
    expect(certValidity(rsa, new Date())).toBe('valid');
    expect(certValidity(rsa, new Date(rsa.notBefore.getTime() - 1000))).toBe('not-yet-valid');
    expect(certValidity(rsa, new Date(rsa.notAfter.getTime() + 1000))).toBe('expired');
    expect(certValidity(rsa, rsa.notAfter)).toBe('valid');
  });

  test('real Vietnamese CA certificates', () => {
    const vgca = parseCertificate(pemToDer(fs.readFileSync(path.join(TRUST, 'vgca-rootca-g2.pem'), 'utf8'))[0]);
    expect(vgca.subject.CN).toBe('RootCA chuyên dùng Chính phủ G2');
    expect(vgca.subject.O).toBe('Ban Cơ yếu Chính phủ');
    expect(vgca.subject.C).toBe('VN');
    expect(vgca.isCA).toBe(true);
    expect(sameName(vgca.subject, vgca.issuer)).toBe(true);
    expect(buildChain(vgca, [])).toHaveLength(1);

    const vnpt = parseCertificate(pemToDer(fs.readFileSync(path.join(TRUST, 'vnpt-ca-sha2.pem'), 'utf8'))[0]);
    expect(vnpt.subject.CN).toBe('VNPT-CA SHA2');
    expect(vnpt.subject.O).toBe('VIETNAM POSTS AND TELECOMMUNICATIONS GROUP');
    expect(vnpt.issuer.CN).toBe('Vietnam National Root CA');
    expect(vnpt.isCA).toBe(true);
    for (const info of [vgca, vnpt]) {
      const x = new crypto.X509Certificate(info.der);
      expect(info.fingerprints.sha256).toBe(x.fingerprint256.replace(/:/g, ''));
      expect(info.serialNumber).toBe(x.serialNumber.replace(/^0+(?=.)/, '').toUpperCase());
      expect(info.keyType.kind).toBe('rsa');
    }
  });

  test('bad input throws CERT_INVALID', () => {
    for (const bad of [new Uint8Array(0), Uint8Array.of(1, 2, 3), new TextEncoder().encode('not a cert'), pki.rsaLeaf.der.subarray(0, 200), Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01)]) {
      let err: unknown;
      try {
        parseCertificate(bad);
      } catch (e) {
        err = e;
      }
      expect(isKysoError(err, 'CERT_INVALID')).toBe(true);
    }
    expect(() => pemToDer('hello')).toThrow(/CERTIFICATE/);
  });

  test('PEM text given as bytes is accepted', () => {
    const pem = new TextEncoder().encode(fs.readFileSync(pki.ecLeaf.certPath, 'utf8'));
    expect(parseCertificate(pem).fingerprints.sha256).toBe(ec.fingerprints.sha256);
  });
});

describe('PEM', () => {
  test('bundles round-trip and match openssl', () => {
    const bundle = [pki.rsaLeaf, pki.sub, pki.root].map((c) => fs.readFileSync(c.certPath, 'utf8')).join('\r\n');
    const ders = pemToDer(bundle);
    expect(ders).toHaveLength(3);
    expect(Buffer.from(ders[1]).equals(Buffer.from(pki.sub.der))).toBe(true);
    const pem = derToPem(ders);
    expect(pemToDer(pem).map((d) => Buffer.from(d).toString('hex'))).toEqual(ders.map((d) => Buffer.from(d).toString('hex')));
    // derToPem of one certificate is what openssl writes
    expect(derToPem(pki.rsaLeaf.der)).toBe(fs.readFileSync(pki.rsaLeaf.certPath, 'utf8'));
    for (let n = 0; n < 5; n++) {
      const b = crypto.randomBytes(n + 1);
      expect(Buffer.from(pemToDer(derToPem(b, 'X'), 'X')[0]).equals(b)).toBe(true);
    }
  });
});

describe('decodeAsn1String', () => {
  const utf8 = new TextEncoder().encode('Nguyễn Văn Thành');
  test('UTF8String, BMPString, UniversalString, PrintableString', () => {
    expect(decodeAsn1String(12, utf8)).toBe('Nguyễn Văn Thành');
    const bmp = Buffer.from('Đặng Thị Ánh', 'utf16le').swap16();
    expect(decodeAsn1String(30, bmp)).toBe('Đặng Thị Ánh');
    const u32 = Buffer.alloc(8);
    u32.writeUInt32BE(0x1ec5, 0);
    u32.writeUInt32BE(0x1f600, 4);
    expect(decodeAsn1String(28, u32)).toBe('ễ😀');
    expect(decodeAsn1String(19, new TextEncoder().encode('VN'))).toBe('VN');
    expect(decodeAsn1String(4, utf8)).toBeNull();
  });
  test('TeletexString: UTF-8 bytes when valid UTF-8, Latin-1 otherwise', () => {
    expect(decodeAsn1String(20, utf8)).toBe('Nguyễn Văn Thành');
    expect(decodeAsn1String(20, Buffer.from('Cà Mau', 'latin1'))).toBe('Cà Mau');
    expect(decodeAsn1String(20, Buffer.from('Plain'))).toBe('Plain');
  });
});

describe('buildChain', () => {
  test('orders leaf → root from an unordered pool with extras', () => {
    const pool = [root, ec, sub, ec384];
    expect(buildChain(rsa, pool).map((c) => c.subject.CN)).toEqual([RSA_CN, SUB_CN, ROOT_CN]);
    expect(buildChain(ec, [root, sub]).map((c) => c.subject.CN)).toEqual([EC_CN, SUB_CN, ROOT_CN]);
  });
  test('stops when the issuer is missing, and at a self-signed root', () => {
    expect(buildChain(rsa, [root])).toHaveLength(1);
    expect(buildChain(root, [root, sub])).toEqual([root]);
  });
  test('skips a same-name certificate whose key identifier does not match', () => {
    const impostor: CertInfo = { ...sub, subjectKeyIdentifier: 'DEADBEEF', fingerprints: { sha1: 'x', sha256: 'x' } };
    expect(buildChain(rsa, [impostor, root]).map((c) => c.fingerprints.sha256)).toEqual([rsa.fingerprints.sha256]);
    expect(buildChain(rsa, [impostor, sub, root])[1]).toBe(sub);
  });
  test('is loop-safe', () => {
    // Two certificates that name each other as issuer (no key identifiers): must end.
    const a: CertInfo = { ...sub, authorityKeyIdentifier: undefined, subjectKeyIdentifier: undefined, issuer: ec.subject, fingerprints: { sha1: 'a', sha256: 'a' } };
    const b: CertInfo = { ...ec, authorityKeyIdentifier: undefined, subjectKeyIdentifier: undefined, issuer: sub.subject, fingerprints: { sha1: 'b', sha256: 'b' } };
    const chain = buildChain(a, [a, b, { ...a, fingerprints: { sha1: 'c', sha256: 'c' } }]);
    expect(chain.length).toBeLessThanOrEqual(3);
  });
});
