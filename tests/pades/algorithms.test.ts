import crypto from 'node:crypto';
import { describe, expect, test } from 'vitest';
import {
  digest,
  digestInfo,
  ecdsaDerToRaw,
  ecdsaRawToDer,
  pssParams,
  signatureAlgorithmIdentifier,
  type HashAlg,
} from '../../shared/pades/algorithms.ts';
import { compareDer, derSetOf } from '../../shared/pki/der.ts';
import { isKysoError } from '../../shared/protocol/errors.ts';
import { ecdsaSignDigestRaw, signDigestWithKey } from './helpers.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (h: string) => new Uint8Array(Buffer.from(h.replace(/\s/g, ''), 'hex'));

describe('ecdsaRawToDer', () => {
  test('leading zero bytes are dropped, a 0x00 goes in front of a high bit', () => {
    const r = new Uint8Array(32);
    r[31] = 0x01; // 31 zero bytes then 1 → INTEGER 1
    const s = new Uint8Array(32).fill(0x11);
    s[0] = 0x80; // high bit → 0x00 prefix
    expect(hex(ecdsaRawToDer(new Uint8Array([...r, ...s])))).toBe('3026' + '020101' + '022100' + hex(s));
  });

  test('a zero byte followed by a high-bit byte keeps exactly one zero', () => {
    const r = new Uint8Array(32).fill(0x22);
    r[0] = 0x00;
    r[1] = 0xff;
    const s = new Uint8Array(32).fill(0x33);
    const der = ecdsaRawToDer(new Uint8Array([...r, ...s]));
    expect(hex(der)).toBe('3044' + '0220' + '00ff' + '22'.repeat(30) + '0220' + '33'.repeat(32));
  });

  test('zero values encode as INTEGER 0; odd or empty input is refused', () => {
    expect(hex(ecdsaRawToDer(new Uint8Array(64)))).toBe('3006020100020100');
    for (const bad of [new Uint8Array(0), new Uint8Array(63)]) {
      let err: unknown;
      try {
        ecdsaRawToDer(bad);
      } catch (e) {
        err = e;
      }
      expect(isKysoError(err, 'INVALID_ARGUMENT')).toBe(true);
    }
  });

  test('P-521 signatures get a long-form SEQUENCE length', () => {
    const r = new Uint8Array(66).fill(0xff);
    r[0] = 0x01;
    const s = new Uint8Array(66).fill(0xff);
    const der = ecdsaRawToDer(new Uint8Array([...r, ...s]));
    expect(hex(der.subarray(0, 3))).toBe('3081' + (der.length - 3).toString(16));
    expect(ecdsaDerToRaw(der, 66)).toEqual(new Uint8Array([...r, ...s]));
  });

  test('agrees with node:crypto on real signatures (P-256, P-384, P-521)', () => {
    for (const curve of ['P-256', 'P-384', 'P-521'] as const) {
      const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: curve });
      const size = { 'P-256': 32, 'P-384': 48, 'P-521': 66 }[curve];
      for (let i = 0; i < 40; i++) {
        const msg = crypto.randomBytes(20);
        const raw = crypto.sign('sha256', msg, { key: privateKey, dsaEncoding: 'ieee-p1363' });
        const der = ecdsaRawToDer(raw);
        expect(crypto.verify('sha256', msg, publicKey, der)).toBe(true); // node reads it as DER
        expect(ecdsaDerToRaw(der, size)).toEqual(new Uint8Array(raw));
        const nodeDer = crypto.sign('sha256', msg, privateKey); // node's own DER is minimal too
        expect(hex(ecdsaRawToDer(ecdsaDerToRaw(nodeDer, size)))).toBe(hex(nodeDer));
      }
    }
  });

  test('ecdsaDerToRaw refuses what is not DER r,s', () => {
    for (const bad of [new Uint8Array(64).fill(0x11), unhex('3003020101'), unhex('30060201010401ff')]) {
      let err: unknown;
      try {
        ecdsaDerToRaw(bad, 32);
      } catch (e) {
        err = e;
      }
      expect(isKysoError(err, 'SIGNATURE_INVALID')).toBe(true);
    }
  });
});

describe('digestInfo', () => {
  // The DigestInfo prefixes of RFC 8017 §9.2 note 1
  const prefixes: Record<HashAlg, string> = {
    'SHA-256': '3031300d060960864801650304020105000420',
    'SHA-384': '3041300d060960864801650304020205000430',
    'SHA-512': '3051300d060960864801650304020305000440',
  };
  for (const [hash, prefix] of Object.entries(prefixes) as [HashAlg, string][]) {
    test(hash, async () => {
      const d = await digest(hash, new TextEncoder().encode('abc'));
      expect(hex(d)).toBe(crypto.createHash(hash.replace('-', '').toLowerCase()).update('abc').digest('hex'));
      expect(hex(digestInfo(hash, d))).toBe(prefix + hex(d));
    });
  }
  test('a digest of the wrong length is refused', () => {
    expect(() => digestInfo('SHA-256', new Uint8Array(48))).toThrow(/32 bytes/);
  });
});

describe('signature algorithm identifiers', () => {
  test('rsaEncryption + NULL; ecdsa-with-SHA* without parameters', () => {
    expect(hex(signatureAlgorithmIdentifier({ kind: 'rsa-pkcs1' }, 'SHA-512'))).toBe('300d06092a864886f70d0101010500');
    expect(hex(signatureAlgorithmIdentifier({ kind: 'ecdsa' }, 'SHA-256'))).toBe('300a06082a8648ce3d040302');
    expect(hex(signatureAlgorithmIdentifier({ kind: 'ecdsa' }, 'SHA-384'))).toBe('300a06082a8648ce3d040303');
    expect(hex(signatureAlgorithmIdentifier({ kind: 'ecdsa' }, 'SHA-512'))).toBe('300a06082a8648ce3d040304');
  });
  test('RSASSA-PSS parameters: hash, MGF1 with the same hash, salt (left out when 20), no trailerField', () => {
    const sha256NullAlg = '300d06096086480165030402010500';
    const mgf1 = '301a06092a864886f70d010108' + sha256NullAlg;
    expect(hex(pssParams('SHA-256', 32))).toBe('3034' + 'a00f' + sha256NullAlg + 'a11c' + mgf1 + 'a203020120');
    expect(hex(pssParams('SHA-256', 20))).toBe('302f' + 'a00f' + sha256NullAlg + 'a11c' + mgf1);
    expect(hex(signatureAlgorithmIdentifier({ kind: 'rsa-pss', saltLength: 32 }, 'SHA-256'))).toBe('3041' + '06092a864886f70d01010a' + hex(pssParams('SHA-256', 32)));
    expect(() => pssParams('SHA-256', -1)).toThrow();
  });
});

describe('DER SET OF ordering', () => {
  test('compareDer pads the shorter encoding with zero octets (X.690 §11.6)', () => {
    expect(compareDer(unhex('0401'), unhex('040100'))).toBe(0);
    expect(compareDer(unhex('3003'), unhex('3102'))).toBeLessThan(0);
    expect(compareDer(unhex('300a'), unhex('3009ff'))).toBeGreaterThan(0);
    const set = derSetOf([unhex('0403616263'), unhex('020101'), unhex('0401ff')]);
    expect(hex(set)).toBe('310b' + '020101' + '0401ff' + '0403616263');
  });
});

describe('the test signers sign a precomputed digest correctly (checked with node:crypto)', () => {
  const msg = new TextEncoder().encode('chữ ký số');
  test('RSA PKCS#1 v1.5 and PSS', () => {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    for (const hash of ['SHA-256', 'SHA-384', 'SHA-512'] as HashAlg[]) {
      const alg = hash.replace('-', '').toLowerCase();
      const d = new Uint8Array(crypto.createHash(alg).update(msg).digest());
      expect(crypto.verify(alg, msg, publicKey, signDigestWithKey(privateKey, { kind: 'rsa-pkcs1' }, d, hash))).toBe(true);
      const pss = signDigestWithKey(privateKey, { kind: 'rsa-pss', saltLength: 32 }, d, hash);
      expect(crypto.verify(alg, msg, { key: publicKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, pss)).toBe(true);
      expect(crypto.verify(alg, msg, { key: publicKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 31 }, pss)).toBe(false);
    }
  });
  test('ECDSA over P-256 and P-384, including a digest longer than the curve', () => {
    for (const curve of ['P-256', 'P-384']) {
      const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: curve });
      for (const alg of ['sha256', 'sha384', 'sha512']) {
        const d = new Uint8Array(crypto.createHash(alg).update(msg).digest());
        const raw = ecdsaSignDigestRaw(privateKey, d);
        expect(crypto.verify(alg, msg, { key: publicKey, dsaEncoding: 'ieee-p1363' }, raw)).toBe(true);
      }
    }
  });
});
