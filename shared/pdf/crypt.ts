// Standard security handler (ISO 32000-2 §7.6.4): whether a file opens with the EMPTY user password, its file
// key, and the per-object encryption of strings and streams (§7.6.3) the reader and the incremental writer use.
// RC4 and AES (FIPS-197) are implemented here; hashes come from @noble/hashes.

import { md5 } from '@noble/hashes/legacy';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2';
import { PdfDict, PdfName, PdfString, type PdfObject } from './objects.ts';

const PASSWORD_PAD = Uint8Array.from([
  0x28, 0xbf, 0x4e, 0x5e, 0x4e, 0x75, 0x8a, 0x41, 0x64, 0x00, 0x4e, 0x56, 0xff, 0xfa, 0x01, 0x08, 0x2e, 0x2e, 0x00, 0xb6, 0xd0, 0x68, 0x3e, 0x80, 0x2f,
  0x0c, 0xa9, 0xfe, 0x64, 0x53, 0x69, 0x7a,
]);

// ------------------------------------------------------------------------------------------------ RC4

export function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i] + key[i % key.length]) & 0xff;
    const t = s[i];
    s[i] = s[j];
    s[j] = t;
  }
  const out = new Uint8Array(data.length);
  for (let k = 0, i = 0, j = 0; k < data.length; k++) {
    i = (i + 1) & 0xff;
    j = (j + s[i]) & 0xff;
    const t = s[i];
    s[i] = s[j];
    s[j] = t;
    out[k] = data[k] ^ s[(s[i] + s[j]) & 0xff];
  }
  return out;
}

// ------------------------------------------------------------------------------------------------ AES

const SBOX = new Uint8Array(256);
const INV_SBOX = new Uint8Array(256);
(() => {
  // Build the S-box from the multiplicative inverse in GF(2^8) followed by the affine transform.
  let p = 1;
  let q = 1;
  do {
    p = p ^ ((p << 1) & 0xff) ^ (p & 0x80 ? 0x1b : 0); // p *= 3
    q ^= q << 1; // q /= 3
    q ^= q << 2;
    q ^= q << 4;
    q &= 0xff;
    if (q & 0x80) q ^= 0x09;
    const x = q ^ rotl8(q, 1) ^ rotl8(q, 2) ^ rotl8(q, 3) ^ rotl8(q, 4);
    SBOX[p] = (x ^ 0x63) & 0xff;
  } while (p !== 1);
  SBOX[0] = 0x63;
  for (let i = 0; i < 256; i++) INV_SBOX[SBOX[i]] = i;
})();

function rotl8(x: number, s: number): number {
  return ((x << s) | (x >> (8 - s))) & 0xff;
}
function xtime(x: number): number {
  return ((x << 1) ^ (x & 0x80 ? 0x1b : 0)) & 0xff;
}
function gmul(a: number, b: number): number {
  let r = 0;
  while (b) {
    if (b & 1) r ^= a;
    a = xtime(a);
    b >>= 1;
  }
  return r;
}

// Encryption T-tables (big-endian column words), for the hot loop of the R6 hash.
const TE0 = new Uint32Array(256);
const TE1 = new Uint32Array(256);
const TE2 = new Uint32Array(256);
const TE3 = new Uint32Array(256);
for (let i = 0; i < 256; i++) {
  const sb = SBOX[i];
  const s2 = xtime(sb);
  const s3 = s2 ^ sb;
  const w = ((s2 << 24) | (sb << 16) | (sb << 8) | s3) >>> 0;
  TE0[i] = w;
  TE1[i] = ((w >>> 8) | (w << 24)) >>> 0;
  TE2[i] = ((w >>> 16) | (w << 16)) >>> 0;
  TE3[i] = ((w >>> 24) | (w << 8)) >>> 0;
}

// Decryption T-tables (equivalent inverse cipher, FIPS-197 §5.3.5).
const TD0 = new Uint32Array(256);
const TD1 = new Uint32Array(256);
const TD2 = new Uint32Array(256);
const TD3 = new Uint32Array(256);
for (let i = 0; i < 256; i++) {
  const si = INV_SBOX[i];
  const w = ((gmul(si, 14) << 24) | (gmul(si, 9) << 16) | (gmul(si, 13) << 8) | gmul(si, 11)) >>> 0;
  TD0[i] = w;
  TD1[i] = ((w >>> 8) | (w << 24)) >>> 0;
  TD2[i] = ((w >>> 16) | (w << 16)) >>> 0;
  TD3[i] = ((w >>> 24) | (w << 8)) >>> 0;
}

export class Aes {
  private readonly rk: Uint8Array;
  private readonly rounds: number;
  constructor(key: Uint8Array) {
    const nk = key.length / 4;
    if (nk !== 4 && nk !== 6 && nk !== 8) throw new Error('AES key must be 16, 24 or 32 bytes');
    this.rounds = nk + 6;
    const total = 16 * (this.rounds + 1);
    const w = new Uint8Array(total);
    w.set(key);
    let rcon = 1;
    for (let i = key.length; i < total; i += 4) {
      let t0 = w[i - 4], t1 = w[i - 3], t2 = w[i - 2], t3 = w[i - 1];
      const wi = i / 4;
      if (wi % nk === 0) {
        const tmp = t0;
        t0 = SBOX[t1] ^ rcon;
        t1 = SBOX[t2];
        t2 = SBOX[t3];
        t3 = SBOX[tmp];
        rcon = xtime(rcon);
      } else if (nk > 6 && wi % nk === 4) {
        t0 = SBOX[t0]; t1 = SBOX[t1]; t2 = SBOX[t2]; t3 = SBOX[t3];
      }
      const b = i - key.length;
      w[i] = w[b] ^ t0;
      w[i + 1] = w[b + 1] ^ t1;
      w[i + 2] = w[b + 2] ^ t2;
      w[i + 3] = w[b + 3] ^ t3;
    }
    this.rk = w;
    this.rkw = new Uint32Array(total / 4);
    for (let i = 0; i < total / 4; i++) this.rkw[i] = ((w[4 * i] << 24) | (w[4 * i + 1] << 16) | (w[4 * i + 2] << 8) | w[4 * i + 3]) >>> 0;
  }

  private readonly rkw: Uint32Array;
  private dkw: Uint32Array | undefined;

  /** Decryption round keys: the encryption ones in reverse order, InvMixColumns applied to the inner rounds. */
  private decryptionKeys(): Uint32Array {
    if (this.dkw) return this.dkw;
    const ek = this.rkw;
    const nr = this.rounds;
    const dk = new Uint32Array(ek.length);
    for (let r = 0; r <= nr; r++) {
      for (let j = 0; j < 4; j++) {
        const w = ek[(nr - r) * 4 + j];
        dk[r * 4 + j] = r === 0 || r === nr ? w : (TD0[SBOX[w >>> 24]] ^ TD1[SBOX[(w >>> 16) & 255]] ^ TD2[SBOX[(w >>> 8) & 255]] ^ TD3[SBOX[w & 255]]) >>> 0;
      }
    }
    this.dkw = dk;
    return dk;
  }

  /** Decrypts in place the 4 big-endian words s[0..3] (T-table implementation). */
  decryptWords(s: Uint32Array): void {
    const rk = this.decryptionKeys();
    let s0 = s[0] ^ rk[0], s1 = s[1] ^ rk[1], s2 = s[2] ^ rk[2], s3 = s[3] ^ rk[3];
    let k = 4;
    for (let r = 1; r < this.rounds; r++) {
      const t0 = TD0[s0 >>> 24] ^ TD1[(s3 >>> 16) & 255] ^ TD2[(s2 >>> 8) & 255] ^ TD3[s1 & 255] ^ rk[k];
      const t1 = TD0[s1 >>> 24] ^ TD1[(s0 >>> 16) & 255] ^ TD2[(s3 >>> 8) & 255] ^ TD3[s2 & 255] ^ rk[k + 1];
      const t2 = TD0[s2 >>> 24] ^ TD1[(s1 >>> 16) & 255] ^ TD2[(s0 >>> 8) & 255] ^ TD3[s3 & 255] ^ rk[k + 2];
      const t3 = TD0[s3 >>> 24] ^ TD1[(s2 >>> 16) & 255] ^ TD2[(s1 >>> 8) & 255] ^ TD3[s0 & 255] ^ rk[k + 3];
      s0 = t0; s1 = t1; s2 = t2; s3 = t3;
      k += 4;
    }
    const f = (a: number, b: number, c: number, d: number, key: number) =>
      (((INV_SBOX[a >>> 24] << 24) | (INV_SBOX[(b >>> 16) & 255] << 16) | (INV_SBOX[(c >>> 8) & 255] << 8) | INV_SBOX[d & 255]) ^ key) >>> 0;
    s[0] = f(s0, s3, s2, s1, rk[k]);
    s[1] = f(s1, s0, s3, s2, rk[k + 1]);
    s[2] = f(s2, s1, s0, s3, rk[k + 2]);
    s[3] = f(s3, s2, s1, s0, rk[k + 3]);
  }

  /** Encrypts in place the 4 big-endian words s[0..3] (T-table implementation). */
  encryptWords(s: Uint32Array): void {
    const rk = this.rkw;
    let s0 = s[0] ^ rk[0], s1 = s[1] ^ rk[1], s2 = s[2] ^ rk[2], s3 = s[3] ^ rk[3];
    let k = 4;
    for (let r = 1; r < this.rounds; r++) {
      const t0 = TE0[s0 >>> 24] ^ TE1[(s1 >>> 16) & 255] ^ TE2[(s2 >>> 8) & 255] ^ TE3[s3 & 255] ^ rk[k];
      const t1 = TE0[s1 >>> 24] ^ TE1[(s2 >>> 16) & 255] ^ TE2[(s3 >>> 8) & 255] ^ TE3[s0 & 255] ^ rk[k + 1];
      const t2 = TE0[s2 >>> 24] ^ TE1[(s3 >>> 16) & 255] ^ TE2[(s0 >>> 8) & 255] ^ TE3[s1 & 255] ^ rk[k + 2];
      const t3 = TE0[s3 >>> 24] ^ TE1[(s0 >>> 16) & 255] ^ TE2[(s1 >>> 8) & 255] ^ TE3[s2 & 255] ^ rk[k + 3];
      s0 = t0; s1 = t1; s2 = t2; s3 = t3;
      k += 4;
    }
    const f = (a: number, b: number, c: number, d: number, key: number) =>
      (((SBOX[a >>> 24] << 24) | (SBOX[(b >>> 16) & 255] << 16) | (SBOX[(c >>> 8) & 255] << 8) | SBOX[d & 255]) ^ key) >>> 0;
    s[0] = f(s0, s1, s2, s3, rk[k]);
    s[1] = f(s1, s2, s3, s0, rk[k + 1]);
    s[2] = f(s2, s3, s0, s1, rk[k + 2]);
    s[3] = f(s3, s0, s1, s2, rk[k + 3]);
  }

  encryptBlock(inp: Uint8Array, out: Uint8Array): void {
    const s = new Uint8Array(16);
    const rk = this.rk;
    for (let i = 0; i < 16; i++) s[i] = inp[i] ^ rk[i];
    const t = new Uint8Array(16);
    for (let r = 1; r <= this.rounds; r++) {
      // SubBytes + ShiftRows (state is column-major: s[col*4 + row])
      for (let c = 0; c < 4; c++) for (let row = 0; row < 4; row++) t[c * 4 + row] = SBOX[s[((c + row) % 4) * 4 + row]];
      if (r !== this.rounds) {
        for (let c = 0; c < 4; c++) {
          const a0 = t[c * 4], a1 = t[c * 4 + 1], a2 = t[c * 4 + 2], a3 = t[c * 4 + 3];
          const all = a0 ^ a1 ^ a2 ^ a3;
          s[c * 4] = a0 ^ all ^ xtime(a0 ^ a1);
          s[c * 4 + 1] = a1 ^ all ^ xtime(a1 ^ a2);
          s[c * 4 + 2] = a2 ^ all ^ xtime(a2 ^ a3);
          s[c * 4 + 3] = a3 ^ all ^ xtime(a3 ^ a0);
        }
      } else s.set(t);
      const o = r * 16;
      for (let i = 0; i < 16; i++) s[i] ^= rk[o + i];
    }
    out.set(s);
  }

  decryptBlock(inp: Uint8Array, out: Uint8Array): void {
    const rk = this.rk;
    const s = new Uint8Array(16);
    const t = new Uint8Array(16);
    const o0 = this.rounds * 16;
    for (let i = 0; i < 16; i++) s[i] = inp[i] ^ rk[o0 + i];
    for (let r = this.rounds - 1; r >= 0; r--) {
      // InvShiftRows + InvSubBytes
      for (let c = 0; c < 4; c++) for (let row = 0; row < 4; row++) t[((c + row) % 4) * 4 + row] = INV_SBOX[s[c * 4 + row]];
      const o = r * 16;
      for (let i = 0; i < 16; i++) t[i] ^= rk[o + i];
      if (r !== 0) {
        for (let c = 0; c < 4; c++) {
          const a0 = t[c * 4], a1 = t[c * 4 + 1], a2 = t[c * 4 + 2], a3 = t[c * 4 + 3];
          s[c * 4] = gmul(a0, 14) ^ gmul(a1, 11) ^ gmul(a2, 13) ^ gmul(a3, 9);
          s[c * 4 + 1] = gmul(a0, 9) ^ gmul(a1, 14) ^ gmul(a2, 11) ^ gmul(a3, 13);
          s[c * 4 + 2] = gmul(a0, 13) ^ gmul(a1, 9) ^ gmul(a2, 14) ^ gmul(a3, 11);
          s[c * 4 + 3] = gmul(a0, 11) ^ gmul(a1, 13) ^ gmul(a2, 9) ^ gmul(a3, 14);
        }
      } else s.set(t);
    }
    out.set(s);
  }
}

/** AES-CBC encryption without padding (`data.length` must be a multiple of 16). */
export function aesCbcEncryptNoPad(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const aes = new Aes(key);
  const out = new Uint8Array(data.length);
  const s = new Uint32Array(4);
  const be = (b: Uint8Array, o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
  let p0 = be(iv, 0), p1 = be(iv, 4), p2 = be(iv, 8), p3 = be(iv, 12);
  for (let i = 0; i + 16 <= data.length; i += 16) {
    s[0] = be(data, i) ^ p0;
    s[1] = be(data, i + 4) ^ p1;
    s[2] = be(data, i + 8) ^ p2;
    s[3] = be(data, i + 12) ^ p3;
    aes.encryptWords(s);
    p0 = s[0]; p1 = s[1]; p2 = s[2]; p3 = s[3];
    for (let k = 0; k < 4; k++) {
      const v = s[k];
      out[i + 4 * k] = v >>> 24;
      out[i + 4 * k + 1] = (v >>> 16) & 255;
      out[i + 4 * k + 2] = (v >>> 8) & 255;
      out[i + 4 * k + 3] = v & 255;
    }
  }
  return out;
}

/** AES-CBC decryption; `unpad` removes PKCS#7 padding when it is well formed. */
export function aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array, unpad: boolean): Uint8Array {
  const aes = new Aes(key);
  const n = data.length - (data.length % 16);
  const out = new Uint8Array(n);
  const s = new Uint32Array(4);
  const be = (b: Uint8Array, o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
  let p0 = be(iv, 0), p1 = be(iv, 4), p2 = be(iv, 8), p3 = be(iv, 12);
  for (let i = 0; i < n; i += 16) {
    const c0 = be(data, i), c1 = be(data, i + 4), c2 = be(data, i + 8), c3 = be(data, i + 12);
    s[0] = c0; s[1] = c1; s[2] = c2; s[3] = c3;
    aes.decryptWords(s);
    const w = [s[0] ^ p0, s[1] ^ p1, s[2] ^ p2, s[3] ^ p3];
    for (let k = 0; k < 4; k++) {
      const v = w[k];
      out[i + 4 * k] = v >>> 24;
      out[i + 4 * k + 1] = (v >>> 16) & 255;
      out[i + 4 * k + 2] = (v >>> 8) & 255;
      out[i + 4 * k + 3] = v & 255;
    }
    p0 = c0; p1 = c1; p2 = c2; p3 = c3;
  }
  if (unpad && n > 0) {
    const p = out[n - 1];
    if (p >= 1 && p <= 16 && out.subarray(n - p).every((x) => x === p)) return out.subarray(0, n - p);
  }
  return out;
}

// ------------------------------------------------------------------------------------------------ Standard handler

export type CipherMethod = 'none' | 'rc4' | 'aesv2' | 'aesv3';

export interface SecurityInfo {
  /** /Filter of the encryption dictionary (Standard, Adobe.PubSec, ...). */
  filter: string;
  v: number;
  r: number;
  /** True when the empty user password opens the file. */
  emptyUserPassword: boolean;
  /** File key when the empty user password works. */
  key?: Uint8Array;
  /** How streams are encrypted (from /StmF for V4/V5). */
  streamMethod: CipherMethod;
  /** How strings are encrypted (from /StrF for V4/V5). */
  stringMethod: CipherMethod;
  /** The /P permission flags (ISO 32000-2 Table 22), as a signed 32-bit integer; 0 when absent. */
  p: number;
  /** /EncryptMetadata (V4/V5; default true): when false, /Type /Metadata streams are stored in clear. */
  encryptMetadata: boolean;
}

function bytesOf(o: PdfObject | undefined): Uint8Array | undefined {
  return o instanceof PdfString ? o.bytes : undefined;
}
function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
function equalPrefix(a: Uint8Array, b: Uint8Array, n: number): boolean {
  if (a.length < n || b.length < n) return false;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** ISO 32000-2 Algorithm 2 (R2-R4): file key from a password. */
function computeKeyR4(pw: Uint8Array, o: Uint8Array, p: number, id0: Uint8Array, r: number, lengthBytes: number, encryptMetadata: boolean): Uint8Array {
  const padded = concatBytes(pw.subarray(0, 32), PASSWORD_PAD.subarray(0, 32 - Math.min(32, pw.length)));
  const pBytes = Uint8Array.of(p & 0xff, (p >>> 8) & 0xff, (p >>> 16) & 0xff, (p >>> 24) & 0xff);
  const parts = [padded, o.subarray(0, 32), pBytes, id0];
  if (r >= 4 && !encryptMetadata) parts.push(Uint8Array.of(0xff, 0xff, 0xff, 0xff));
  let h = md5(concatBytes(...parts));
  const n = r === 2 ? 5 : lengthBytes;
  if (r >= 3) for (let i = 0; i < 50; i++) h = md5(h.subarray(0, n));
  return h.slice(0, n);
}

/** Algorithms 4 and 5: does this key reproduce /U? */
function checkUserKeyR4(key: Uint8Array, u: Uint8Array, id0: Uint8Array, r: number): boolean {
  if (r === 2) return equalPrefix(rc4(key, PASSWORD_PAD), u, 32);
  let x = rc4(key, md5(concatBytes(PASSWORD_PAD, id0)));
  const k = new Uint8Array(key.length);
  for (let i = 1; i <= 19; i++) {
    for (let j = 0; j < key.length; j++) k[j] = key[j] ^ i;
    x = rc4(k, x);
  }
  return equalPrefix(x, u, 16);
}

/** ISO 32000-2 Algorithm 2.B (R6 hash). */
export function hashR6(pw: Uint8Array, salt: Uint8Array, udata: Uint8Array): Uint8Array {
  let k: Uint8Array = sha256(concatBytes(pw, salt, udata));
  let e: Uint8Array = new Uint8Array(0);
  for (let i = 0; i < 64 || e[e.length - 1] > i - 32; i++) {
    const unit = concatBytes(pw, k, udata);
    const k1 = new Uint8Array(unit.length * 64);
    for (let j = 0; j < 64; j++) k1.set(unit, j * unit.length);
    e = aesCbcEncryptNoPad(k.subarray(0, 16), k.subarray(16, 32), k1);
    let sum = 0;
    for (let j = 0; j < 16; j++) sum += e[j];
    const m = sum % 3;
    k = m === 0 ? sha256(e) : m === 1 ? sha384(e) : sha512(e);
    if (i > 1000) break; // cannot happen (last byte <= 255), bounds the loop anyway
  }
  return k.subarray(0, 32);
}

function methodOf(encrypt: PdfDict, v: number, key: 'StmF' | 'StrF' = 'StmF'): CipherMethod {
  if (v < 4) return 'rc4';
  const stmF = encrypt.get(key);
  const name = stmF instanceof PdfName ? stmF.name : 'Identity';
  if (name === 'Identity') return 'none';
  const cf = encrypt.get('CF');
  const filt = cf instanceof PdfDict ? cf.get(name) : undefined;
  const cfm = filt instanceof PdfDict ? filt.get('CFM') : undefined;
  const m = cfm instanceof PdfName ? cfm.name : 'None';
  if (m === 'V2') return 'rc4';
  if (m === 'AESV2') return 'aesv2';
  if (m === 'AESV3') return 'aesv3';
  return 'none';
}

/**
 * Examines an encryption dictionary (all values already resolved to direct objects) and tries the empty user
 * password. Never throws on odd values: a dictionary it cannot use reports emptyUserPassword = false.
 */
export function examineEncryption(encrypt: PdfDict, id0: Uint8Array | undefined, wantKey = true): SecurityInfo {
  const filterObj = encrypt.get('Filter');
  const filter = filterObj instanceof PdfName ? filterObj.name : '';
  const vObj = encrypt.get('V');
  const rObj = encrypt.get('R');
  const v = typeof vObj === 'number' ? vObj : 0;
  const r = typeof rObj === 'number' ? rObj : 0;
  const pObj = encrypt.get('P');
  const em = encrypt.get('EncryptMetadata');
  const info: SecurityInfo = {
    filter,
    v,
    r,
    emptyUserPassword: false,
    streamMethod: methodOf(encrypt, v, 'StmF'),
    stringMethod: methodOf(encrypt, v, 'StrF'),
    p: typeof pObj === 'number' ? pObj | 0 : 0,
    encryptMetadata: em !== false,
  };
  if (filter !== 'Standard') return info;
  const o = bytesOf(encrypt.get('O'));
  const u = bytesOf(encrypt.get('U'));
  if (!o || !u) return info;
  const empty = new Uint8Array(0);
  try {
    if (r >= 2 && r <= 4) {
      const lenObj = encrypt.get('Length');
      let lengthBits = typeof lenObj === 'number' ? lenObj : 40;
      if (r === 4) {
        // V4: the key length comes from the crypt filter (/Length in bytes or bits, default 128 bits).
        lengthBits = typeof lenObj === 'number' ? lenObj : 128;
      }
      if (lengthBits < 40 || lengthBits > 128 || lengthBits % 8 !== 0) lengthBits = r === 2 ? 40 : 128;
      const key = computeKeyR4(empty, o, info.p, id0 ?? empty, r, lengthBits / 8, info.encryptMetadata);
      if (checkUserKeyR4(key, u, id0 ?? empty, r)) {
        info.emptyUserPassword = true;
        info.key = key;
      }
    } else if (r === 5 || r === 6) {
      if (u.length < 48) return info;
      const hash = r === 6 ? hashR6(empty, u.subarray(32, 40), empty) : sha256(u.subarray(32, 40));
      if (equalPrefix(hash, u, 32)) {
        info.emptyUserPassword = true;
        const ue = bytesOf(encrypt.get('UE'));
        if (wantKey && ue && ue.length >= 32) {
          const ik = r === 6 ? hashR6(empty, u.subarray(40, 48), empty) : sha256(u.subarray(40, 48));
          info.key = aesCbcDecrypt(ik, new Uint8Array(16), ue.subarray(0, 32), false);
        }
      }
    }
  } catch {
    info.emptyUserPassword = false;
  }
  return info;
}

/** ISO 32000-2 Algorithm 1 (V1-V4) / Algorithm 1.A (V5): the key for the strings and streams of object num/gen. */
function objectKey(info: SecurityInfo, method: CipherMethod, num: number, gen: number): Uint8Array {
  const k = info.key!;
  if (method === 'aesv3') return k;
  const aes = method === 'aesv2';
  const ext = concatBytes(k, Uint8Array.of(num & 0xff, (num >> 8) & 0xff, (num >> 16) & 0xff, gen & 0xff, (gen >> 8) & 0xff), aes ? Uint8Array.of(0x73, 0x41, 0x6c, 0x54) : new Uint8Array(0));
  return md5(ext).subarray(0, Math.min(16, k.length + 5));
}

/** Decrypts one string or stream of object num/gen (the data as stored in the file). */
export function decryptBytes(info: SecurityInfo, kind: 'string' | 'stream', num: number, gen: number, data: Uint8Array): Uint8Array {
  const method = kind === 'string' ? info.stringMethod : info.streamMethod;
  if (!info.key || method === 'none') return data;
  const key = objectKey(info, method, num, gen);
  if (method === 'rc4') return rc4(key, data);
  if (data.length < 16) return new Uint8Array(0);
  return aesCbcDecrypt(key, data.subarray(0, 16), data.subarray(16), true);
}

/**
 * Encrypts one string or stream of object num/gen: RC4 for V1/V2 (and V4 /V2 crypt filters), AES-CBC with a
 * random 16-byte IV in front and PKCS#7 padding for /AESV2 and /AESV3 (ISO 32000-2 §7.6.3).
 */
export function encryptBytes(info: SecurityInfo, kind: 'string' | 'stream', num: number, gen: number, data: Uint8Array): Uint8Array {
  const method = kind === 'string' ? info.stringMethod : info.streamMethod;
  if (method === 'none') return data;
  if (!info.key) throw new Error('no file key');
  const key = objectKey(info, method, num, gen);
  if (method === 'rc4') return rc4(key, data);
  const pad = 16 - (data.length % 16);
  const padded = new Uint8Array(data.length + pad);
  padded.set(data);
  padded.fill(pad, data.length);
  const iv = new Uint8Array(16);
  globalThis.crypto.getRandomValues(iv);
  return concatBytes(iv, aesCbcEncryptNoPad(key, iv, padded));
}

/** Decrypts the bytes of the stream of object num/gen (used for object streams only). */
export function decryptStreamBytes(info: SecurityInfo, num: number, gen: number, data: Uint8Array): Uint8Array {
  return decryptBytes(info, 'stream', num, gen, data);
}

/**
 * May a signature be added under the file's /P flags? ISO 32000-2 Table 22: bit 6 (value 32) "modify annotations,
 * fill in interactive form fields"; bit 9 (value 256, R >= 3) "fill in existing interactive form fields, including
 * signature fields, even if bit 6 is clear". Signing is allowed when either is set; with both clear the author has
 * forbidden form filling and annotations alike, and signing would be against their will. (Bit 9 alone is what
 * Acrobat reports as "Signing: Allowed"; KýSố then adds its own signature field, as Acrobat does.)
 */
/**
 * May annotations other than the signature's own widget be added (/P bit 6)? Modes that print the number and date
 * as stamp annotations (ký ban hành) need it: bit 9 alone allows filling in (signature) fields only.
 */
export function annotationsPermitted(info: SecurityInfo): boolean {
  return (info.p & 32) !== 0;
}

export function signingPermitted(info: SecurityInfo): boolean {
  if (info.p & 32) return true;
  return info.r >= 3 && (info.p & 256) !== 0;
}

/** A stream whose first filter is /Crypt with /Name /Identity (or no /Name) is stored in clear (ISO 32000-2 §7.4.10). */
export function streamHasIdentityCrypt(dict: PdfDict): boolean {
  const f = dict.get('Filter');
  const first = Array.isArray(f) ? f[0] : f;
  if (!(first instanceof PdfName) || first.name !== 'Crypt') return false;
  const dp = dict.get('DecodeParms');
  const p = Array.isArray(dp) ? dp[0] : dp;
  const nm = p instanceof PdfDict ? p.get('Name') : undefined;
  return !(nm instanceof PdfName) || nm.name === 'Identity';
}
