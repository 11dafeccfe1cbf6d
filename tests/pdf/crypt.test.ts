import { describe, expect, test } from 'vitest';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Aes, aesCbcDecrypt, aesCbcEncryptNoPad, hashR6, rc4 } from '../../shared/pdf/crypt.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('AES', () => {
  test('FIPS-197 appendix C vectors (128 and 256)', () => {
    const pt = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const out = new Uint8Array(16);
    new Aes(Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex')).encryptBlock(pt, out);
    expect(hex(out)).toBe('69c4e0d86a7b0430d8cdb78070b4c55a');
    const k256 = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
    new Aes(k256).encryptBlock(pt, out);
    expect(hex(out)).toBe('8ea2b7ca516745bfeafc49904b496089');
    const back = new Uint8Array(16);
    new Aes(k256).decryptBlock(out, back);
    expect(hex(back)).toBe('00112233445566778899aabbccddeeff');
  });

  test('CBC matches node:crypto', () => {
    for (const keyLen of [16, 32]) {
      for (let i = 0; i < 20; i++) {
        const key = randomBytes(keyLen);
        const iv = randomBytes(16);
        const data = randomBytes(16 * (1 + i));
        const c = createCipheriv(keyLen === 16 ? 'aes-128-cbc' : 'aes-256-cbc', key, iv).setAutoPadding(false);
        const expected = Buffer.concat([c.update(data), c.final()]);
        expect(hex(aesCbcEncryptNoPad(key, iv, data))).toBe(hex(expected));
        // decryption with PKCS#7 padding removed
        const padded = createCipheriv(keyLen === 16 ? 'aes-128-cbc' : 'aes-256-cbc', key, iv);
        const ct = Buffer.concat([padded.update(data.subarray(0, 16 * i + 5)), padded.final()]);
        expect(hex(aesCbcDecrypt(key, iv, ct, true))).toBe(hex(data.subarray(0, 16 * i + 5)));
        const d = createDecipheriv(keyLen === 16 ? 'aes-128-cbc' : 'aes-256-cbc', key, iv).setAutoPadding(false);
        expect(hex(aesCbcDecrypt(key, iv, expected, false))).toBe(hex(Buffer.concat([d.update(expected), d.final()])));
      }
    }
  });
});

test('RC4 known vectors', () => {
  expect(hex(rc4(Buffer.from('Key'), Buffer.from('Plaintext')))).toBe('bbf316e8d940af0ad3');
  expect(hex(rc4(Buffer.from('Wiki'), Buffer.from('pedia')))).toBe('1021bf0420');
});
