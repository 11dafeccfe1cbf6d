// Test PKI made with openssl, and software DigestSigners that sign a precomputed digest the way a PKCS#11 token does.
//
// node:crypto's sign() always hashes its input (even with algorithm null it falls back to the key's default
// digest for RSA and EC keys), so it cannot stand in for a token that signs a digest. Instead:
// - RSA PKCS#1 v1.5 (CKM_RSA_PKCS): privateEncrypt with RSA_PKCS1_PADDING over the DER DigestInfo. That is
//   exactly EMSA-PKCS1-v1_5 + RSASP1.
// - RSASSA-PSS (CKM_RSA_PKCS_PSS): EMSA-PSS-ENCODE of the digest here (RFC 8017 §9.1.1), then RSASP1 with
//   privateEncrypt and RSA_NO_PADDING.
// - ECDSA (CKM_ECDSA): the ECDSA signing equation with BigInt over the key's private scalar (exported as JWK);
//   it returns r‖s like a token, which goes through ecdsaRawToDer.

import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { digestInfo, ecdsaRawToDer, type HashAlg, type SignatureScheme } from '../../shared/pades/algorithms.ts';
import type { DigestSigner } from '../../shared/pades/signer.ts';

export function openssl(args: string[], opts: { cwd?: string; input?: string | Uint8Array } = {}): string {
  return execFileSync('openssl', args, { cwd: opts.cwd, input: opts.input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Runs openssl and reports success/failure instead of throwing, with stdout and stderr together. */
export function opensslStatus(args: string[], cwd?: string): { ok: boolean; out: string } {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

export interface TestCert {
  name: string;
  keyPath: string;
  certPath: string;
  der: Uint8Array;
  key: crypto.KeyObject;
}

export interface TestPki {
  dir: string;
  root: TestCert;
  sub: TestCert;
  rsaLeaf: TestCert;
  ecLeaf: TestCert;
  ec384Leaf: TestCert;
}

export const ROOT_CN = 'RootCA chuyên dùng Chính phủ G2 (TEST)';
export const SUB_CN = 'Cơ quan chứng thực chữ ký số chuyên dùng (TEST)';
export const RSA_CN = 'Nguyễn Văn Thành';
export const RSA_O = 'UBND tỉnh Quảng Nam';
export const EC_CN = 'Trần Thị Hoà';

const EXT_CNF = `
[ v3_root ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[ v3_sub ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
crlDistributionPoints = URI:http://crl.test.kyso.vn/root.crl

[ v3_leaf ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = emailProtection, 1.3.6.1.4.1.311.10.3.12
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
authorityInfoAccess = OCSP;URI:http://ocsp.test.kyso.vn, caIssuers;URI:http://ca.test.kyso.vn/sub.crt
crlDistributionPoints = URI:http://crl.test.kyso.vn/sub.crl

[ v3_ec_leaf ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
`;

// string_mask decides the ASN.1 string types openssl writes: utf8only → UTF8String; default → PrintableString,
// T61String (Latin-1 only text) or BMPString (anything beyond Latin-1). The intermediate uses the latter so
// the tests see BMPString and T61String decoding too.
function reqCnf(stringMask: 'utf8only' | 'default'): string {
  return `[ req ]\ndistinguished_name = dn\nstring_mask = ${stringMask}\nutf8 = yes\nprompt = no\n[ dn ]\n${EXT_CNF}`;
}

function load(dir: string, name: string): TestCert {
  const keyPath = path.join(dir, `${name}.key`);
  const certPath = path.join(dir, `${name}.pem`);
  const pem = fs.readFileSync(certPath, 'utf8');
  const der = new Uint8Array(new crypto.X509Certificate(pem).raw);
  return { name, keyPath, certPath, der, key: crypto.createPrivateKey(fs.readFileSync(keyPath)) };
}

/** Root → intermediate → leaves (RSA-2048, ECDSA P-256, ECDSA P-384) in a fresh temp dir. */
export function makeTestPki(): TestPki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyso-pades-'));
  fs.writeFileSync(path.join(dir, 'ext.cnf'), EXT_CNF);
  fs.writeFileSync(path.join(dir, 'utf8.cnf'), reqCnf('utf8only'));
  fs.writeFileSync(path.join(dir, 'default.cnf'), reqCnf('default'));
  const run = (args: string[]) => openssl(args, { cwd: dir });

  const genRsa = (name: string) => run(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', `${name}.key`]);
  const genEc = (name: string, curve: string) => run(['genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${curve}`, '-out', `${name}.key`]);
  const csr = (name: string, subj: string, cnf: string) =>
    run(['req', '-new', '-config', cnf, '-utf8', '-key', `${name}.key`, '-subj', subj, '-out', `${name}.csr`]);
  const issue = (name: string, ca: string, ext: string, serial: string, days: number) =>
    run(['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-set_serial', serial, '-days', String(days), '-sha256', '-extfile', 'ext.cnf', '-extensions', ext, '-out', `${name}.pem`]);

  genRsa('root');
  run(['req', '-new', '-x509', '-config', 'utf8.cnf', '-extensions', 'v3_root', '-utf8', '-key', 'root.key', '-subj', `/C=VN/O=Ban Cơ yếu Chính phủ (TEST)/CN=${ROOT_CN}`, '-days', '3650', '-sha256', '-set_serial', '0x01', '-out', 'root.pem']);

  genRsa('sub');
  csr('sub', `/C=VN/O=Ban Cơ yếu Chính phủ (TEST)/L=Cà Mau/ST=Hà Nội/CN=${SUB_CN}`, 'default.cnf');
  issue('sub', 'root', 'v3_sub', '0x2A', 3000);

  genRsa('rsa-leaf');
  csr('rsa-leaf', `/C=VN/ST=Quảng Nam/L=Tam Kỳ/O=${RSA_O}/OU=Văn phòng UBND tỉnh/CN=${RSA_CN}/UID=CMND:201234567`, 'utf8.cnf');
  issue('rsa-leaf', 'sub', 'v3_leaf', '0x00F1E2D3C4B5A6978800', 730);

  genEc('ec-leaf', 'P-256');
  csr('ec-leaf', `/C=VN/O=Sở Tư pháp tỉnh Kon Tum/CN=${EC_CN}/UID=MST:6101234567`, 'utf8.cnf');
  issue('ec-leaf', 'sub', 'v3_ec_leaf', '0x0102', 730);

  genEc('ec384-leaf', 'P-384');
  csr('ec384-leaf', '/C=VN/O=Test/CN=Lê Văn Bảo', 'utf8.cnf');
  issue('ec384-leaf', 'sub', 'v3_ec_leaf', '0x0103', 730);

  return {
    dir,
    root: load(dir, 'root'),
    sub: load(dir, 'sub'),
    rsaLeaf: load(dir, 'rsa-leaf'),
    ecLeaf: load(dir, 'ec-leaf'),
    ec384Leaf: load(dir, 'ec384-leaf'),
  };
}

// ---------- software signers ----------

const NODE_HASH: Record<HashAlg, string> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

function modulusBits(key: crypto.KeyObject): number {
  const d = key.asymmetricKeyDetails;
  if (!d?.modulusLength) throw new Error('not an RSA key');
  return d.modulusLength;
}

function mgf1(seed: Buffer, length: number, hash: HashAlg): Buffer {
  const out: Buffer[] = [];
  for (let c = 0; Buffer.concat(out).length < length; c++) {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(c);
    out.push(crypto.createHash(NODE_HASH[hash]).update(seed).update(counter).digest());
  }
  return Buffer.concat(out).subarray(0, length);
}

/** EMSA-PSS-ENCODE (RFC 8017 §9.1.1) of an already computed mHash. */
export function emsaPssEncode(mHash: Uint8Array, emBits: number, hash: HashAlg, saltLength: number): Buffer {
  const hLen = mHash.length;
  const emLen = Math.ceil(emBits / 8);
  if (emLen < hLen + saltLength + 2) throw new Error('encoding error');
  const salt = crypto.randomBytes(saltLength);
  const mPrime = Buffer.concat([Buffer.alloc(8), mHash, salt]);
  const h = crypto.createHash(NODE_HASH[hash]).update(mPrime).digest();
  const db = Buffer.concat([Buffer.alloc(emLen - saltLength - hLen - 2), Buffer.of(1), salt]);
  const mask = mgf1(h, emLen - hLen - 1, hash);
  for (let i = 0; i < db.length; i++) db[i] ^= mask[i];
  db[0] &= 0xff >> (8 * emLen - emBits);
  return Buffer.concat([db, h, Buffer.of(0xbc)]);
}

// ECDSA over a precomputed digest (SEC 1 §4.1.3), BigInt arithmetic on the short Weierstrass curves P-256/P-384.
interface Curve {
  p: bigint;
  a: bigint;
  n: bigint;
  gx: bigint;
  gy: bigint;
  bytes: number;
}
const CURVES: Record<string, Curve> = {
  'P-256': {
    p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
    a: 0xffffffff00000001000000000000000000000000fffffffffffffffffffffffcn,
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    gx: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
    gy: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
    bytes: 32,
  },
  'P-384': {
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
    a: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000fffffffcn,
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    gx: 0xaa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7n,
    gy: 0x3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5fn,
    bytes: 48,
  },
};

const mod = (x: bigint, m: bigint) => ((x % m) + m) % m;
function inv(x: bigint, m: bigint): bigint {
  let [a, b, u, v] = [mod(x, m), m, 1n, 0n];
  while (b !== 0n) {
    const q = a / b;
    [a, b] = [b, a - q * b];
    [u, v] = [v, u - q * v];
  }
  return mod(u, m);
}
type Pt = { x: bigint; y: bigint } | null;
function add(c: Curve, P: Pt, Q: Pt): Pt {
  if (!P) return Q;
  if (!Q) return P;
  let l: bigint;
  if (P.x === Q.x) {
    if (mod(P.y + Q.y, c.p) === 0n) return null;
    l = mod((3n * P.x * P.x + c.a) * inv(2n * P.y, c.p), c.p);
  } else {
    l = mod((Q.y - P.y) * inv(Q.x - P.x, c.p), c.p);
  }
  const x = mod(l * l - P.x - Q.x, c.p);
  return { x, y: mod(l * (P.x - x) - P.y, c.p) };
}
function mul(c: Curve, k: bigint, P: Pt): Pt {
  let R: Pt = null;
  for (let Q = P; k > 0n; k >>= 1n, Q = add(c, Q, Q)) if (k & 1n) R = add(c, R, Q);
  return R;
}
const toBig = (b: Uint8Array) => (b.length ? BigInt('0x' + Buffer.from(b).toString('hex')) : 0n);
const toBytes = (x: bigint, len: number) => Buffer.from(x.toString(16).padStart(len * 2, '0'), 'hex');

/** ECDSA signature r‖s (what CKM_ECDSA returns) over a digest. */
export function ecdsaSignDigestRaw(key: crypto.KeyObject, digestValue: Uint8Array): Uint8Array {
  const jwk = key.export({ format: 'jwk' });
  const c = CURVES[jwk.crv ?? ''];
  if (!c || !jwk.d) throw new Error(`unsupported EC key ${jwk.crv}`);
  const d = toBig(Buffer.from(jwk.d, 'base64url'));
  const nBits = c.n.toString(2).length;
  let z = toBig(digestValue);
  if (digestValue.length * 8 > nBits) z >>= BigInt(digestValue.length * 8 - nBits);
  for (;;) {
    const k = mod(toBig(crypto.randomBytes(c.bytes + 8)), c.n - 1n) + 1n;
    const R = mul(c, k, { x: c.gx, y: c.gy });
    if (!R) continue;
    const r = mod(R.x, c.n);
    if (r === 0n) continue;
    const s = mod(inv(k, c.n) * (z + r * d), c.n);
    if (s === 0n) continue;
    return Buffer.concat([toBytes(r, c.bytes), toBytes(s, c.bytes)]);
  }
}

/** Signs a digest like a PKCS#11 token would, for the given scheme. */
export function signDigestWithKey(key: crypto.KeyObject, scheme: SignatureScheme, digestValue: Uint8Array, hash: HashAlg): Uint8Array {
  switch (scheme.kind) {
    case 'rsa-pkcs1':
      return new Uint8Array(crypto.privateEncrypt({ key, padding: crypto.constants.RSA_PKCS1_PADDING }, digestInfo(hash, digestValue)));
    case 'rsa-pss': {
      const bits = modulusBits(key);
      const em = emsaPssEncode(digestValue, bits - 1, hash, scheme.saltLength);
      const k = Math.ceil(bits / 8);
      const block = Buffer.concat([Buffer.alloc(k - em.length), em]);
      return new Uint8Array(crypto.privateEncrypt({ key, padding: crypto.constants.RSA_NO_PADDING }, block));
    }
    case 'ecdsa':
      return ecdsaRawToDer(ecdsaSignDigestRaw(key, digestValue));
  }
}

export function softwareSigner(leaf: TestCert, chain: TestCert[], scheme: SignatureScheme): DigestSigner & { calls: number } {
  const s = {
    certificate: leaf.der,
    chain: chain.map((c) => c.der),
    scheme,
    calls: 0,
    async signDigest(d: Uint8Array, hash: HashAlg): Promise<Uint8Array> {
      s.calls++;
      return signDigestWithKey(leaf.key, scheme, d, hash);
    },
  };
  return s;
}
