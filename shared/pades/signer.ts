// Builds the CMS of a PAdES baseline B-B signature around an external signer: the token signs one digest, the
// hash of the signed attributes; everything else is assembled here.

import { asKysoError, KysoError } from '../protocol/errors.ts';
import { parseCertificate, type CertInfo } from '../pki/certificate.ts';
import { bytesEqual, concatBytes } from '../pki/der.ts';
import { digest, ecdsaDerToRaw, hashLength, OID, signatureAlgorithmIdentifier, type HashAlg, type SignatureScheme } from './algorithms.ts';
import { padesSignedAttributes, issuerAndSerialOf } from './attributes.ts';
import { addUnsignedAttribute, assembleSignedData, type CmsSizeInfo } from './signed-data.ts';

/** Anything that can sign a digest: the PKCS#11 token (through the host) or a software key in tests. */
export interface DigestSigner {
  /** Signer certificate, DER. */
  certificate: Uint8Array;
  /** Intermediates (+ root, optionally), DER. */
  chain: Uint8Array[];
  scheme: SignatureScheme;
  /**
   * Sign the hash of the DER-encoded signed attributes.
   * RSA PKCS#1 v1.5: the raw signature (with CKM_RSA_PKCS, sign digestInfo(hash, digest)).
   * RSASSA-PSS: the raw signature (CKM_RSA_PKCS_PSS over the digest, MGF1 with the same hash, the scheme's salt length).
   * ECDSA: DER ECDSA-Sig-Value (SEQUENCE r, s); a token's CKM_ECDSA r‖s goes through ecdsaRawToDer.
   */
  signDigest(digest: Uint8Array, hash: HashAlg): Promise<Uint8Array>;
}

export interface BuildPadesCmsOptions {
  /** Hash of the PDF's byte ranges, with `hash`. */
  contentDigest: Uint8Array;
  hash: HashAlg;
  signer: DigestSigner;
  /**
   * Claimed signing time. PAdES baseline forbids the signing-time attribute in the CMS; this time belongs in the
   * signature dictionary's /M, which the PDF code writes. Accepted here so callers pass one set of options; it is
   * not put into the CMS.
   */
  signingTime?: Date;
  /**
   * B-T hook: called with the signature value once the token has signed; returns an RFC 3161 TimeStampToken
   * (DER ContentInfo) whose message imprint is the hash of that value. It is added as the
   * signature-time-stamp unsigned attribute.
   */
  timestamp?: (signatureValue: Uint8Array, hash: HashAlg) => Promise<Uint8Array>;
  /**
   * Check the signature against the certificate's public key (WebCrypto) before returning, so a token that signed
   * with another key or returned garbage is caught here rather than by the reader of the PDF. Default true.
   * Skipped silently when WebCrypto cannot import the key.
   */
  verifySignature?: boolean;
}

/** Certificates for the CMS: the signer first, then the chain, without duplicates. */
export function cmsCertificates(signer: Pick<DigestSigner, 'certificate' | 'chain'>): Uint8Array[] {
  const out: Uint8Array[] = [signer.certificate];
  for (const c of signer.chain) if (!out.some((o) => bytesEqual(o, c))) out.push(c);
  return out;
}

/** The exact inputs of estimateCmsSize for a signer. */
export function cmsSizeInfo(signer: Pick<DigestSigner, 'certificate' | 'chain'>): CmsSizeInfo {
  const info = parseCertificate(signer.certificate);
  const { issuer, serial } = issuerAndSerialOf(signer.certificate);
  const pk = info.keyType;
  return {
    certificatesBytes: cmsCertificates(signer).reduce((n, c) => n + c.length, 0),
    keyBits: pk.kind === 'other' ? 4096 : pk.bits,
    keyType: pk.kind === 'other' ? undefined : pk.kind,
    issuerNameBytes: issuer.length,
    serialBytes: serial.length,
  };
}

/**
 * The scheme KýSố signs with for a certificate's key: ECDSA for EC keys, PKCS#1 v1.5 for RSA (what Vietnamese
 * tokens and validators expect), RSASSA-PSS with a SHA-256-sized salt only for PSS-only keys; null for other keys.
 */
export function defaultSchemeFor(cert: CertInfo): SignatureScheme | null {
  const k = cert.keyType;
  if (k.kind === 'ec') return { kind: 'ecdsa' };
  if (k.kind === 'rsa') return k.pssOnly ? { kind: 'rsa-pss', saltLength: hashLength('SHA-256') } : { kind: 'rsa-pkcs1' };
  return null;
}

function checkSchemeFitsKey(scheme: SignatureScheme, cert: CertInfo): void {
  const pk = cert.keyType;
  const ok =
    scheme.kind === 'ecdsa' ? pk.kind === 'ec' : scheme.kind === 'rsa-pkcs1' ? pk.kind === 'rsa' && !pk.pssOnly : scheme.kind === 'rsa-pss' ? pk.kind === 'rsa' : false;
  if (!ok) {
    const key = pk.kind === 'other' ? `key ${pk.oid}` : `${pk.kind} key`;
    throw new KysoError('INVALID_ARGUMENT', `Signature scheme ${scheme.kind} does not fit the certificate's ${key}.`);
  }
}

/** RSA signatures are as long as the modulus (RFC 8017 §8.2.1); some tokens drop leading zero bytes. */
function normalizeSignature(sig: Uint8Array, scheme: SignatureScheme, cert: CertInfo): Uint8Array {
  const pk = cert.keyType;
  if (scheme.kind === 'ecdsa') {
    if (pk.kind === 'ec') ecdsaDerToRaw(sig, Math.ceil(pk.bits / 8)); // throws SIGNATURE_INVALID unless DER r,s
    return sig;
  }
  if (pk.kind !== 'rsa') return sig;
  const k = Math.ceil(pk.bits / 8);
  if (sig.length === k) return sig;
  if (sig.length > 0 && sig.length < k) return concatBytes(new Uint8Array(k - sig.length), sig);
  throw new KysoError('SIGNATURE_INVALID', `RSA signature of ${sig.length} bytes for a ${pk.bits}-bit key.`);
}

/** true: verified; false: the signature does not match the key; null: WebCrypto could not import the key. */
async function checkSignature(cert: CertInfo, scheme: SignatureScheme, hash: HashAlg, signedAttrs: Uint8Array, sig: Uint8Array): Promise<boolean | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  const pk = cert.keyType;
  const spki = cert.spki as Uint8Array<ArrayBuffer>;
  const data = signedAttrs as Uint8Array<ArrayBuffer>;
  let key: CryptoKey;
  let alg: AlgorithmIdentifier | RsaPssParams | EcdsaParams;
  let value = sig;
  try {
    if (scheme.kind === 'rsa-pkcs1') {
      key = await subtle.importKey('spki', spki, { name: 'RSASSA-PKCS1-v1_5', hash }, false, ['verify']);
      alg = { name: 'RSASSA-PKCS1-v1_5' };
    } else if (scheme.kind === 'rsa-pss') {
      key = await subtle.importKey('spki', spki, { name: 'RSA-PSS', hash }, false, ['verify']);
      alg = { name: 'RSA-PSS', saltLength: scheme.saltLength };
    } else {
      if (pk.kind !== 'ec' || !pk.curve) return null;
      key = await subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: pk.curve }, false, ['verify']);
      alg = { name: 'ECDSA', hash };
      value = ecdsaDerToRaw(sig, Math.ceil(pk.bits / 8));
    }
  } catch {
    return null;
  }
  return subtle.verify(alg, key, value as Uint8Array<ArrayBuffer>, data);
}

/**
 * The CMS (DER ContentInfo) of a PAdES B-B signature over `contentDigest`: SignedData v1, detached id-data,
 * certificates = signer + chain, one SignerInfo v1 (issuerAndSerialNumber) whose signed attributes are
 * content-type, message-digest and signing-certificate-v2, DER-sorted; the signature is made over their DER
 * encoding with the SET tag. With `timestamp`, a signature-time-stamp unsigned attribute is added (B-T).
 */
export async function buildPadesCms(opts: BuildPadesCmsOptions): Promise<Uint8Array> {
  const { contentDigest, hash, signer } = opts;
  hashLength(hash);
  if (!(contentDigest instanceof Uint8Array) || contentDigest.length !== hashLength(hash)) {
    throw new KysoError('INVALID_ARGUMENT', `The content digest must be a ${hashLength(hash)}-byte ${hash} value.`);
  }
  const cert = parseCertificate(signer.certificate);
  checkSchemeFitsKey(signer.scheme, cert);
  const signatureAlgorithm = signatureAlgorithmIdentifier(signer.scheme, hash);

  const signedAttributes = await padesSignedAttributes({ contentDigest, hash, certificate: signer.certificate });
  const toSign = await digest(hash, signedAttributes);

  let signature: Uint8Array;
  try {
    signature = await signer.signDigest(toSign, hash);
  } catch (e) {
    throw asKysoError(e, 'TOKEN_ERROR');
  }
  if (!(signature instanceof Uint8Array) || signature.length === 0) throw new KysoError('SIGNATURE_INVALID', 'The signer returned no signature.');
  signature = normalizeSignature(signature, signer.scheme, cert);

  if (opts.verifySignature !== false) {
    const ok = await checkSignature(cert, signer.scheme, hash, signedAttributes, signature);
    if (ok === false) {
      throw new KysoError('SIGNATURE_INVALID', "The signature does not match the certificate's public key (wrong key on the token, or wrong mechanism).");
    }
  }

  let cms = assembleSignedData({
    hash,
    certificates: cmsCertificates(signer),
    signerCertificate: signer.certificate,
    signedAttributes,
    signatureAlgorithm,
    signature,
  });
  if (opts.timestamp) {
    const token = await opts.timestamp(signature, hash);
    cms = addUnsignedAttribute(cms, OID.signatureTimeStampToken, token);
  }
  return cms;
}
