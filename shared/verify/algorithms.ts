// Signature and digest algorithms a verifier meets in PDF signatures, mapped onto WebCrypto. Anything WebCrypto
// cannot check (Ed25519/Ed448, SHA-3, SHA-224, DSA, curves other than the NIST ones) is reported as unsupported,
// never guessed.

import { childrenOf, contentOf, isContext, isUniversal, oidOf, readDer, rawOf, concatBytes, type Asn1 } from '../pki/der.ts';

export type WebHash = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

export const DIGEST_OIDS: Record<string, WebHash> = {
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};

/** Digest OIDs we know but WebCrypto cannot compute. */
const UNSUPPORTED_DIGESTS: Record<string, string> = {
  '2.16.840.1.101.3.4.2.4': 'SHA-224',
  '2.16.840.1.101.3.4.2.7': 'SHA3-224',
  '2.16.840.1.101.3.4.2.8': 'SHA3-256',
  '2.16.840.1.101.3.4.2.9': 'SHA3-384',
  '2.16.840.1.101.3.4.2.10': 'SHA3-512',
  '2.16.840.1.101.3.4.2.11': 'SHAKE128',
  '2.16.840.1.101.3.4.2.12': 'SHAKE256',
  '1.2.840.113549.2.5': 'MD5',
};

const RSA_PKCS1: Record<string, WebHash | null> = {
  '1.2.840.113549.1.1.5': 'SHA-1',
  '1.2.840.113549.1.1.11': 'SHA-256',
  '1.2.840.113549.1.1.12': 'SHA-384',
  '1.2.840.113549.1.1.13': 'SHA-512',
  '1.2.840.113549.1.1.1': null, // rsaEncryption: the hash is the SignerInfo's digestAlgorithm
};
const ECDSA: Record<string, WebHash | null> = {
  '1.2.840.10045.4.1': 'SHA-1',
  '1.2.840.10045.4.3.2': 'SHA-256',
  '1.2.840.10045.4.3.3': 'SHA-384',
  '1.2.840.10045.4.3.4': 'SHA-512',
  '1.2.840.10045.2.1': null, // id-ecPublicKey used as a signature algorithm by some signers
};
/** BSI TR-03111 plain ECDSA (r‖s, not DER). */
const ECDSA_PLAIN: Record<string, WebHash> = {
  '0.4.0.127.0.7.1.1.4.1.1': 'SHA-1',
  '0.4.0.127.0.7.1.1.4.1.3': 'SHA-256',
  '0.4.0.127.0.7.1.1.4.1.4': 'SHA-384',
  '0.4.0.127.0.7.1.1.4.1.5': 'SHA-512',
};
const RSA_PSS = '1.2.840.113549.1.1.10';
const NAMED_UNSUPPORTED: Record<string, string> = {
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
  '2.16.840.1.101.3.4.3.13': 'RSA with SHA3-224',
  '2.16.840.1.101.3.4.3.14': 'RSA with SHA3-256',
  '2.16.840.1.101.3.4.3.15': 'RSA with SHA3-384',
  '2.16.840.1.101.3.4.3.16': 'RSA with SHA3-512',
  '2.16.840.1.101.3.4.3.10': 'ECDSA with SHA3-256',
  '1.2.840.10040.4.3': 'DSA with SHA-1',
  '2.16.840.1.101.3.4.3.2': 'DSA with SHA-256',
  '1.2.840.113549.1.1.14': 'RSA with SHA-224',
  '1.2.840.113549.1.1.4': 'RSA with MD5',
};

const CURVES: Record<string, { name: 'P-256' | 'P-384' | 'P-521'; size: number }> = {
  '1.2.840.10045.3.1.7': { name: 'P-256', size: 32 },
  '1.3.132.0.34': { name: 'P-384', size: 48 },
  '1.3.132.0.35': { name: 'P-521', size: 66 },
};

export type CheckResult = { ok: true } | { ok: false; unsupported?: string; reason: string };

/** The WebCrypto hash of a digest AlgorithmIdentifier OID, or an explanation. */
export function digestOf(oid: string): { hash: WebHash } | { unsupported: string } {
  const h = DIGEST_OIDS[oid];
  if (h) return { hash: h };
  if (UNSUPPORTED_DIGESTS[oid]) return { unsupported: `digest ${UNSUPPORTED_DIGESTS[oid]}` };
  if (RSA_PKCS1[oid] || ECDSA[oid] || NAMED_UNSUPPORTED[oid] || oid === RSA_PSS) return { unsupported: `digestAlgorithm ${oid} is a signature algorithm, not a digest` };
  return { unsupported: `digest algorithm ${oid}` };
}

export async function hashBytes(hash: WebHash, ...parts: Uint8Array[]): Promise<Uint8Array> {
  const data = parts.length === 1 ? parts[0] : concatBytes(...parts);
  return new Uint8Array(await globalThis.crypto.subtle.digest(hash, data as Uint8Array<ArrayBuffer>));
}

function pssParams(params: Asn1 | undefined): { hash: WebHash; saltLength: number } | { unsupported: string } {
  let hash: WebHash = 'SHA-1';
  let mgfHash: WebHash = 'SHA-1';
  let saltLength = 20;
  for (const p of params ? childrenOf(params) : []) {
    const inner = childrenOf(p)[0];
    if (!inner) continue;
    if (isContext(p, 0)) {
      const d = digestOf(oidOf(childrenOf(inner)[0]!));
      if ('unsupported' in d) return d;
      hash = d.hash;
    } else if (isContext(p, 1)) {
      const mgfParams = childrenOf(inner)[1];
      const d = mgfParams ? digestOf(oidOf(childrenOf(mgfParams)[0]!)) : { hash: 'SHA-1' as WebHash };
      if ('unsupported' in d) return d;
      mgfHash = d.hash;
    } else if (isContext(p, 2)) {
      const v = contentOf(inner);
      saltLength = v.reduce((n, x) => n * 256 + x, 0);
    }
  }
  if (mgfHash !== hash) return { unsupported: 'RSASSA-PSS with an MGF1 hash other than the message hash' };
  return { hash, saltLength };
}

function ecdsaDerToRawSafe(der: Uint8Array, size: number): Uint8Array | null {
  try {
    const seq = readDer(der);
    const kids = childrenOf(seq);
    if (!isUniversal(seq, 16) || kids.length !== 2) return null;
    const parts = kids.map((k) => {
      let v = contentOf(k);
      while (v.length > 1 && v[0] === 0) v = v.subarray(1);
      if (v.length > size) throw new Error('too long');
      return concatBytes(new Uint8Array(size - v.length), v);
    });
    return concatBytes(parts[0], parts[1]);
  } catch {
    return null;
  }
}

interface SpkiInfo {
  oid: string;
  curve?: { name: 'P-256' | 'P-384' | 'P-521'; size: number };
  curveOid?: string;
}

function spkiInfo(spki: Uint8Array): SpkiInfo {
  const s = readDer(spki);
  const alg = childrenOf(s)[0]!;
  const [oidB, params] = childrenOf(alg);
  const oid = oidOf(oidB!);
  const out: SpkiInfo = { oid };
  if (params && isUniversal(params, 6)) {
    out.curveOid = oidOf(params);
    out.curve = CURVES[out.curveOid];
  }
  return out;
}

/**
 * Checks `signature` over `data` with the public key `spki`. `algorithm` is the encoded AlgorithmIdentifier of the
 * signature; `digestHash` the hash named separately (SignerInfo.digestAlgorithm) for rsaEncryption and friends.
 */
export async function verifyWithKey(spki: Uint8Array, algorithm: Uint8Array, digestHash: WebHash | null, data: Uint8Array, signature: Uint8Array): Promise<CheckResult> {
  let alg: Asn1;
  let algOid: string;
  let key: SpkiInfo;
  try {
    alg = readDer(algorithm);
    algOid = oidOf(childrenOf(alg)[0]!);
    key = spkiInfo(spki);
  } catch (e) {
    return { ok: false, reason: `unreadable algorithm or key: ${(e as Error).message}` };
  }
  if (NAMED_UNSUPPORTED[algOid]) return { ok: false, unsupported: NAMED_UNSUPPORTED[algOid], reason: `${NAMED_UNSUPPORTED[algOid]} is not supported` };
  if (NAMED_UNSUPPORTED[key.oid]) return { ok: false, unsupported: NAMED_UNSUPPORTED[key.oid], reason: `${NAMED_UNSUPPORTED[key.oid]} keys are not supported` };
  const subtle = globalThis.crypto.subtle;
  const buf = (b: Uint8Array) => b as Uint8Array<ArrayBuffer>;
  try {
    if (algOid in RSA_PKCS1) {
      const hash = RSA_PKCS1[algOid] ?? digestHash;
      if (!hash) return { ok: false, unsupported: 'hash', reason: 'no usable hash for RSA PKCS#1 v1.5' };
      if (key.oid !== '1.2.840.113549.1.1.1') return { ok: false, reason: 'RSA signature with a non-RSA key' };
      const k = await subtle.importKey('spki', buf(spki), { name: 'RSASSA-PKCS1-v1_5', hash }, false, ['verify']);
      return (await subtle.verify('RSASSA-PKCS1-v1_5', k, buf(signature), buf(data))) ? { ok: true } : { ok: false, reason: 'RSA PKCS#1 v1.5 signature does not verify' };
    }
    if (algOid === RSA_PSS) {
      const p = pssParams(childrenOf(alg)[1]);
      if ('unsupported' in p) return { ok: false, unsupported: p.unsupported, reason: p.unsupported };
      let keyDer = spki;
      if (key.oid === RSA_PSS) return { ok: false, unsupported: 'id-RSASSA-PSS keys', reason: 'RSA keys restricted to PSS (id-RSASSA-PSS SPKI) are not supported by WebCrypto' };
      const k = await subtle.importKey('spki', buf(keyDer), { name: 'RSA-PSS', hash: p.hash }, false, ['verify']);
      return (await subtle.verify({ name: 'RSA-PSS', saltLength: p.saltLength }, k, buf(signature), buf(data))) ? { ok: true } : { ok: false, reason: 'RSA-PSS signature does not verify' };
    }
    const plain = ECDSA_PLAIN[algOid];
    if (algOid in ECDSA || plain) {
      const hash = plain ?? ECDSA[algOid] ?? digestHash;
      if (!hash) return { ok: false, unsupported: 'hash', reason: 'no usable hash for ECDSA' };
      if (key.oid !== '1.2.840.10045.2.1') return { ok: false, reason: 'ECDSA signature with a non-EC key' };
      if (!key.curve) return { ok: false, unsupported: `curve ${key.curveOid ?? '?'}`, reason: `EC curve ${key.curveOid ?? '?'} is not supported` };
      const raw = plain ? (signature.length === 2 * key.curve.size ? signature : null) : ecdsaDerToRawSafe(signature, key.curve.size);
      if (!raw) return { ok: false, reason: 'ECDSA signature value is malformed' };
      const k = await subtle.importKey('spki', buf(spki), { name: 'ECDSA', namedCurve: key.curve.name }, false, ['verify']);
      return (await subtle.verify({ name: 'ECDSA', hash }, k, buf(raw), buf(data))) ? { ok: true } : { ok: false, reason: 'ECDSA signature does not verify' };
    }
  } catch (e) {
    return { ok: false, reason: `key or signature rejected: ${(e as Error).message}` };
  }
  return { ok: false, unsupported: `signature algorithm ${algOid}`, reason: `signature algorithm ${algOid} is not supported` };
}

/** tbs, signature AlgorithmIdentifier and signature value of a certificate, CRL or BasicOCSPResponse. */
export function signedParts(der: Uint8Array): { tbs: Uint8Array; algorithm: Uint8Array; signature: Uint8Array } {
  const root = readDer(der, true);
  const [tbs, alg, sig] = childrenOf(root);
  if (!tbs || !alg || !sig || !isUniversal(sig, 3)) throw new Error('not a signed structure');
  return { tbs: rawOf(tbs), algorithm: rawOf(alg), signature: contentOf(sig) };
}

/** Checks the signature of a certificate, CRL or BasicOCSPResponse with the issuer's key. */
export async function verifySignedObject(der: Uint8Array, issuerSpki: Uint8Array): Promise<CheckResult> {
  let p;
  try {
    p = signedParts(der);
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  return verifyWithKey(issuerSpki, p.algorithm, null, p.tbs, p.signature);
}
