// CMS attributes (RFC 5652 §5.3) of a PAdES baseline signature.
//
// B-B signed attributes are exactly: content-type, message-digest, signing-certificate-v2 (ETSI EN 319 142-1
// §6.3 and EN 319 122-1 §5.2). No signing-time: PAdES puts the claimed time in the signature dictionary's /M.

import { KysoError } from '../protocol/errors.ts';
import { childrenOf, compareDer, derOctetString, derOid, derSequence, derSetOf, oidOf, rawOf, readDer, tlv, TAG, expectChild } from '../pki/der.ts';
import { digest, hashLength, OID, type HashAlg } from './algorithms.ts';

/** One Attribute, already encoded: SEQUENCE { attrType OID, attrValues SET OF ANY }. */
export function encodeAttribute(oid: string, values: Uint8Array[]): Uint8Array {
  if (values.length === 0) throw new KysoError('INVALID_ARGUMENT', `Attribute ${oid} needs at least one value.`);
  return derSequence(derOid(oid), derSetOf(values));
}

/** SET OF Attribute in DER order (tag 0x31): the bytes that are hashed and signed (RFC 5652 §5.4). */
export function encodeAttributeSet(attributes: Uint8Array[]): Uint8Array {
  return derSetOf(attributes);
}

/** Whether the elements of an encoded SET are in DER order. */
export function isDerSorted(elements: Uint8Array[]): boolean {
  for (let i = 1; i < elements.length; i++) if (compareDer(elements[i - 1], elements[i]) > 0) return false;
  return true;
}

export function contentTypeAttribute(contentTypeOid: string = OID.data): Uint8Array {
  return encodeAttribute(OID.contentType, [derOid(contentTypeOid)]);
}

export function messageDigestAttribute(value: Uint8Array): Uint8Array {
  return encodeAttribute(OID.messageDigest, [derOctetString(value)]);
}

/** Where a certificate sits in the TBSCertificate: its issuer Name and serialNumber INTEGER, byte for byte. */
export function issuerAndSerialOf(certDer: Uint8Array): { issuer: Uint8Array; serial: Uint8Array } {
  try {
    const tbs = expectChild(readDer(certDer, true), 0, 'TBSCertificate');
    const kids = childrenOf(tbs);
    const off = kids[0] && kids[0].idBlock.tagClass === 3 && kids[0].idBlock.tagNumber === 0 ? 1 : 0;
    const serial = kids[off];
    const issuer = kids[off + 2];
    if (!serial || !issuer) throw new Error('Truncated TBSCertificate');
    return { issuer: rawOf(issuer), serial: rawOf(serial) };
  } catch (e) {
    throw new KysoError('CERT_INVALID', e instanceof Error ? e.message : String(e), undefined, { cause: e });
  }
}

/**
 * signing-certificate-v2 (RFC 5035): SigningCertificateV2 { certs SEQUENCE OF ESSCertIDv2 } with one ESSCertIDv2 for
 * the signer: hashAlgorithm left out (DEFAULT id-sha256, so DER omits it), certHash = SHA-256 of the certificate,
 * issuerSerial = { GeneralNames [ directoryName [4] issuer ], serialNumber }.
 */
export async function signingCertificateV2Attribute(certDer: Uint8Array): Promise<Uint8Array> {
  const { issuer, serial } = issuerAndSerialOf(certDer);
  const certHash = await digest('SHA-256', certDer);
  const generalNames = derSequence(tlv(TAG.context(4), issuer));
  const essCertIdV2 = derSequence(derOctetString(certHash), derSequence(generalNames, serial));
  return encodeAttribute(OID.signingCertificateV2, [derSequence(derSequence(essCertIdV2))]);
}

/** The signed attributes of a PAdES B-B signature, sorted, as the SET that gets signed. */
export async function padesSignedAttributes(opts: { contentDigest: Uint8Array; hash: HashAlg; certificate: Uint8Array }): Promise<Uint8Array> {
  if (opts.contentDigest.length !== hashLength(opts.hash)) {
    throw new KysoError('INVALID_ARGUMENT', `The content digest has ${opts.contentDigest.length} bytes; ${opts.hash} has ${hashLength(opts.hash)}.`);
  }
  return encodeAttributeSet([
    contentTypeAttribute(),
    messageDigestAttribute(opts.contentDigest),
    await signingCertificateV2Attribute(opts.certificate),
  ]);
}

export interface ParsedAttribute {
  oid: string;
  /** Each value exactly as encoded. */
  values: Uint8Array[];
  /** The whole Attribute exactly as encoded. */
  der: Uint8Array;
}

/** Reads a SET OF Attribute (signed or unsigned; the outer tag is not checked). */
export function parseAttributes(setDer: Uint8Array): ParsedAttribute[] {
  const set = readDer(setDer);
  return childrenOf(set).map((attr) => {
    const [type, values] = childrenOf(attr);
    if (!type || !values) throw new Error('Malformed Attribute');
    return { oid: oidOf(type), values: childrenOf(values).map(rawOf), der: rawOf(attr) };
  });
}
