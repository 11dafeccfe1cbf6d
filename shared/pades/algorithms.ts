// Hash and signature algorithms of the CMS signatures KýSố makes, and the conversions tokens need:
// DigestInfo for CKM_RSA_PKCS, r‖s → DER for CKM_ECDSA.

import { KysoError } from '../protocol/errors.ts';
import { concatBytes, derNull, derOctetString, derOid, derSequence, derSmallInteger, derUnsignedInteger, readDer, childrenOf, contentOf, isUniversal, tlv, TAG } from '../pki/der.ts';

export type HashAlg = 'SHA-256' | 'SHA-384' | 'SHA-512';

export type SignatureScheme = { kind: 'rsa-pkcs1' } | { kind: 'rsa-pss'; saltLength: number } | { kind: 'ecdsa' };

export const HASH_ALGS: readonly HashAlg[] = ['SHA-256', 'SHA-384', 'SHA-512'];

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsassaPss: '1.2.840.113549.1.1.10',
  mgf1: '1.2.840.113549.1.1.8',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  sha384WithRSAEncryption: '1.2.840.113549.1.1.12',
  sha512WithRSAEncryption: '1.2.840.113549.1.1.13',
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  ecdsaWithSHA384: '1.2.840.10045.4.3.3',
  ecdsaWithSHA512: '1.2.840.10045.4.3.4',
} as const;

const HASH_OID: Record<HashAlg, string> = { 'SHA-256': OID.sha256, 'SHA-384': OID.sha384, 'SHA-512': OID.sha512 };
const ECDSA_OID: Record<HashAlg, string> = { 'SHA-256': OID.ecdsaWithSHA256, 'SHA-384': OID.ecdsaWithSHA384, 'SHA-512': OID.ecdsaWithSHA512 };

export function hashLength(hash: HashAlg): number {
  switch (hash) {
    case 'SHA-256':
      return 32;
    case 'SHA-384':
      return 48;
    case 'SHA-512':
      return 64;
    default:
      throw new KysoError('INVALID_ARGUMENT', `Unsupported hash algorithm ${String(hash)}.`);
  }
}

export function hashOid(hash: HashAlg): string {
  hashLength(hash);
  return HASH_OID[hash];
}

/** The HashAlg of a digest algorithm OID, or null when it is not one KýSố produces. */
export function hashFromOid(oid: string): HashAlg | null {
  for (const h of HASH_ALGS) if (HASH_OID[h] === oid) return h;
  return null;
}

/** SHA-2 digest through WebCrypto (Node 20 and browsers alike). */
export async function digest(hash: HashAlg, data: Uint8Array): Promise<Uint8Array> {
  hashLength(hash);
  return new Uint8Array(await globalThis.crypto.subtle.digest(hash, data as Uint8Array<ArrayBuffer>));
}

/**
 * AlgorithmIdentifier of a SHA-2 digest with the parameters absent (RFC 5754 §2: implementations SHOULD generate
 * them absent), as used in SignedData.digestAlgorithms and SignerInfo.digestAlgorithm.
 */
export function digestAlgorithmIdentifier(hash: HashAlg): Uint8Array {
  return derSequence(derOid(hashOid(hash)));
}

/** The same with NULL parameters, as RFC 4055/RFC 8017 write them inside RSASSA-PSS-params and DigestInfo. */
function hashIdentifierWithNull(hash: HashAlg): Uint8Array {
  return derSequence(derOid(hashOid(hash)), derNull());
}

/** RSASSA-PSS-params (RFC 4055 §3.1): hash, MGF1 with the same hash, salt length; trailerField left at its default. */
export function pssParams(hash: HashAlg, saltLength: number): Uint8Array {
  if (!Number.isInteger(saltLength) || saltLength < 0 || saltLength > 1024) {
    throw new KysoError('INVALID_ARGUMENT', `Invalid RSASSA-PSS salt length ${saltLength}.`);
  }
  return derSequence(
    tlv(TAG.context(0), hashIdentifierWithNull(hash)),
    tlv(TAG.context(1), derSequence(derOid(OID.mgf1), hashIdentifierWithNull(hash))),
    // DER leaves out a value equal to the DEFAULT (20).
    saltLength === 20 ? new Uint8Array(0) : tlv(TAG.context(2), derSmallInteger(saltLength)),
  );
}

/**
 * SignerInfo.signatureAlgorithm.
 * - PKCS#1 v1.5: rsaEncryption with NULL parameters. RFC 3370 §3.2: CMS implementations that do RSA MUST support
 *   rsaEncryption as the signature algorithm identifier, while the combined sha*WithRSAEncryption identifiers are only
 *   a MAY; it is also what Windows CryptoAPI, BouncyCastle and OpenSSL write. The digest is named by
 *   SignerInfo.digestAlgorithm.
 * - RSASSA-PSS: id-RSASSA-PSS with full parameters.
 * - ECDSA: ecdsa-with-SHA256/384/512 with the parameters absent (RFC 5758 §3.2).
 */
export function signatureAlgorithmIdentifier(scheme: SignatureScheme, hash: HashAlg): Uint8Array {
  hashLength(hash);
  switch (scheme.kind) {
    case 'rsa-pkcs1':
      return derSequence(derOid(OID.rsaEncryption), derNull());
    case 'rsa-pss':
      return derSequence(derOid(OID.rsassaPss), pssParams(hash, scheme.saltLength));
    case 'ecdsa':
      return derSequence(derOid(ECDSA_OID[hash]));
    default:
      throw new KysoError('INVALID_ARGUMENT', `Unknown signature scheme ${JSON.stringify(scheme)}.`);
  }
}

/**
 * DER DigestInfo (RFC 8017 §9.2) for tokens that only do raw PKCS#1 v1.5 padding (CKM_RSA_PKCS): the host signs
 * these bytes, the token adds the padding.
 */
export function digestInfo(hash: HashAlg, digestValue: Uint8Array): Uint8Array {
  if (digestValue.length !== hashLength(hash)) {
    throw new KysoError('INVALID_ARGUMENT', `A ${hash} digest has ${hashLength(hash)} bytes, got ${digestValue.length}.`);
  }
  return derSequence(hashIdentifierWithNull(hash), derOctetString(digestValue));
}

/**
 * ECDSA-Sig-Value (RFC 3279 §2.2.3) from the r‖s a PKCS#11 token returns for CKM_ECDSA (r and s each half the
 * bytes): two INTEGERs in minimal form, with a 0x00 in front when the high bit is set.
 */
export function ecdsaRawToDer(raw: Uint8Array): Uint8Array {
  if (raw.length === 0 || raw.length % 2 !== 0) {
    throw new KysoError('INVALID_ARGUMENT', `An ECDSA r‖s signature has an even, non-zero length; got ${raw.length} bytes.`);
  }
  const half = raw.length / 2;
  return derSequence(derUnsignedInteger(raw.subarray(0, half)), derUnsignedInteger(raw.subarray(half)));
}

/** The reverse: r‖s with each value left-padded to `size` bytes (WebCrypto verifies ECDSA in this form). */
export function ecdsaDerToRaw(der: Uint8Array, size: number): Uint8Array {
  let seq;
  try {
    seq = readDer(der);
  } catch (e) {
    throw new KysoError('SIGNATURE_INVALID', 'ECDSA signature is not DER.', undefined, { cause: e });
  }
  const kids = childrenOf(seq);
  if (!isUniversal(seq, 16) || kids.length !== 2 || !kids.every((k) => isUniversal(k, 2))) {
    throw new KysoError('SIGNATURE_INVALID', 'ECDSA signature is not a SEQUENCE of two INTEGERs.');
  }
  const parts = kids.map((k) => {
    let v = contentOf(k);
    while (v.length > 1 && v[0] === 0) v = v.subarray(1);
    if (v.length > size) throw new KysoError('SIGNATURE_INVALID', 'ECDSA signature value larger than the curve.');
    return concatBytes(new Uint8Array(size - v.length), v);
  });
  return concatBytes(parts[0], parts[1]);
}
