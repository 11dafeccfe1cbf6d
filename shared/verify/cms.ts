// One CMS SignedData checked against the bytes it signs: signer certificate, digest algorithm, signed attributes
// (content-type, message-digest, signing-certificate(-v2)), and the signature value. Used for PDF signatures
// (detached content) and for RFC 3161 timestamp tokens (encapsulated TSTInfo).

import { parseCms, type ParsedCms } from '../pades/signed-data.ts';
import { bytesEqual, childrenOf, contentOf, isContext, isUniversal, oidOf, readDer, compareDer, type Asn1 } from '../pki/der.ts';
import { parseCertificate, type CertInfo } from '../pki/certificate.ts';
import { issuerAndSerialOf, parseAttributes } from '../pades/attributes.ts';
import { digestOf, hashBytes, verifyWithKey, type WebHash } from './algorithms.ts';

export const OIDS = {
  data: '1.2.840.113549.1.7.1',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signatureTimeStamp: '1.2.840.113549.1.9.16.2.14',
  adbeRevocation: '1.2.840.113583.1.1.8',
};

export type CmsStatus = 'ok' | 'digest-mismatch' | 'bad-signature' | 'unsupported' | 'malformed' | 'no-certificate';

export interface CmsCheck {
  status: CmsStatus;
  reason?: string;
  cms?: ParsedCms;
  signer?: CertInfo;
  hash?: WebHash;
  /** The encapsulated content (TSTInfo of a timestamp, SHA-1 digest of adbe.pkcs7.sha1), when present. */
  eContent?: Uint8Array;
  warnings: string[];
}

/** Bytes of the encapsulated content (OCTET STRING, also constructed), or undefined when detached. */
export function encapsulatedContent(cmsDer: Uint8Array): Uint8Array | undefined {
  const ci = readDer(cmsDer, true);
  const sd = childrenOf(childrenOf(ci)[1]!)[0]!;
  const encap = childrenOf(sd)[2];
  const explicit = encap ? childrenOf(encap)[1] : undefined;
  if (!explicit || !isContext(explicit, 0)) return undefined;
  const os = childrenOf(explicit)[0];
  if (!os) return new Uint8Array(0);
  const flatten = (b: Asn1): Uint8Array[] => (b.idBlock.isConstructed ? childrenOf(b).flatMap(flatten) : [contentOf(b)]);
  const parts = flatten(os);
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Raw DER of the SignerInfo's signed attributes are not always DER-sorted; true when they are. */
function attributesSorted(setDer: Uint8Array): boolean {
  const els = parseAttributes(setDer).map((a) => a.der);
  for (let i = 1; i < els.length; i++) if (compareDer(els[i - 1], els[i]) > 0) return false;
  return true;
}

/** signing-certificate(-v2) binding: the first ESSCertID's hash must be the signer certificate's. */
async function checkSigningCertificate(value: Uint8Array, v2: boolean, signer: CertInfo): Promise<string | null> {
  const sc = readDer(value);
  const certs = childrenOf(sc)[0];
  const first = certs ? childrenOf(certs)[0] : undefined;
  if (!first) return 'signing-certificate attribute is empty';
  const kids = childrenOf(first);
  let hash: WebHash = v2 ? 'SHA-256' : 'SHA-1';
  let i = 0;
  if (v2 && kids[0] && isUniversal(kids[0], 16)) {
    const d = digestOf(oidOf(childrenOf(kids[0])[0]!));
    if ('unsupported' in d) return null; // cannot check; not a failure of the signer
    hash = d.hash;
    i = 1;
  }
  const certHash = kids[i];
  if (!certHash || !isUniversal(certHash, 4)) return 'signing-certificate attribute has no certHash';
  const actual = await hashBytes(hash, signer.der);
  if (!bytesEqual(actual, contentOf(certHash))) return `signing-certificate${v2 ? '-v2' : ''} names a different certificate than the signer's`;
  return null;
}

/**
 * Verifies the first SignerInfo of `cmsDer` over `content` (the detached data, or the eContent when undefined).
 * `extraCertificates` are searched for the signer's certificate when the CMS does not carry it (DSS /Certs).
 */
export async function verifyCms(cmsDer: Uint8Array, content: Uint8Array | undefined, extraCertificates: Uint8Array[] = []): Promise<CmsCheck> {
  const warnings: string[] = [];
  let cms: ParsedCms;
  let eContent: Uint8Array | undefined;
  try {
    cms = parseCms(cmsDer);
    eContent = cms.hasEContent ? encapsulatedContent(cmsDer) : undefined;
  } catch (e) {
    return { status: 'malformed', reason: `CMS not readable: ${(e as Error).message}`, warnings };
  }
  const si = cms.signer;
  if (cms.signers.length > 1) warnings.push(`CMS has ${cms.signers.length} SignerInfos; only the first is checked`);
  let signerDer = si.certificate;
  if (!signerDer) {
    signerDer = extraCertificates.find((c) => {
      try {
        if (si.subjectKeyIdentifier) return parseCertificate(c).subjectKeyIdentifier === si.subjectKeyIdentifier;
        const ias = issuerAndSerialOf(c);
        return !!si.issuerAndSerial && bytesEqual(ias.issuer, si.issuerAndSerial.issuer) && bytesEqual(ias.serial, si.issuerAndSerial.serial);
      } catch {
        return false;
      }
    });
    if (signerDer) warnings.push('signer certificate not in the CMS; found in the document security store');
  }
  if (!signerDer) return { status: 'no-certificate', reason: 'the signer certificate is not in the CMS', cms, warnings };
  let signer: CertInfo;
  try {
    signer = parseCertificate(signerDer);
  } catch (e) {
    return { status: 'malformed', reason: `signer certificate not readable: ${(e as Error).message}`, cms, warnings };
  }
  const d = digestOf(si.digestAlgorithm);
  if ('unsupported' in d) {
    const isSigOid = d.unsupported.includes('is a signature algorithm');
    return { status: isSigOid ? 'malformed' : 'unsupported', reason: d.unsupported, cms, signer, warnings };
  }
  const hash = d.hash;
  if (!cms.digestAlgorithms.includes(si.digestAlgorithm)) warnings.push('SignedData.digestAlgorithms does not list the SignerInfo digest algorithm');
  if (hash === 'SHA-1') warnings.push('SHA-1 digest (weak)');
  const data = content ?? eContent;
  if (!data) return { status: 'malformed', reason: 'no content to verify', cms, signer, hash, warnings };

  const base = { cms, signer, hash, eContent, warnings };
  let signedBytes: Uint8Array;
  if (si.signedAttributesDer) {
    if (!attributesSorted(si.signedAttributesDer)) warnings.push('signed attributes are not in DER order (verified as encoded; BouncyCastle-based validators such as EU DSS reject this)');
    const ct = si.signedAttributes.filter((a) => a.oid === OIDS.contentType);
    const md = si.signedAttributes.filter((a) => a.oid === OIDS.messageDigest);
    if (ct.length !== 1 || md.length !== 1 || !si.messageDigest) return { status: 'malformed', reason: 'signed attributes must hold exactly one content-type and one message-digest', ...base };
    if (si.contentType !== cms.encapContentType) return { status: 'malformed', reason: `content-type attribute ${si.contentType} differs from the encapsulated content type ${cms.encapContentType}`, ...base };
    const actual = await hashBytes(hash, data);
    if (!bytesEqual(actual, si.messageDigest)) return { status: 'digest-mismatch', reason: 'message-digest does not match the signed bytes', ...base };
    for (const a of si.signedAttributes) {
      if (a.oid !== OIDS.signingCertificateV2 && a.oid !== OIDS.signingCertificate) continue;
      try {
        const err = await checkSigningCertificate(a.values[0]!, a.oid === OIDS.signingCertificateV2, signer);
        if (err) return { status: 'bad-signature', reason: err, ...base };
      } catch (e) {
        return { status: 'malformed', reason: `signing-certificate attribute not readable: ${(e as Error).message}`, ...base };
      }
    }
    signedBytes = si.signedAttributesDer;
  } else {
    signedBytes = data;
  }
  const r = await verifyWithKey(signer.spki, si.signatureAlgorithm.der, hash, signedBytes, si.signature);
  if (!r.ok) {
    if (r.unsupported) return { status: 'unsupported', reason: r.reason, ...base };
    return { status: 'bad-signature', reason: r.reason, ...base };
  }
  return { status: 'ok', ...base };
}

export function hasSigningCertificateAttribute(cms: ParsedCms): boolean {
  return cms.signer.signedAttributes.some((a) => a.oid === OIDS.signingCertificateV2 || a.oid === OIDS.signingCertificate);
}
