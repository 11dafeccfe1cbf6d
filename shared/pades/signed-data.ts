// CMS SignedData (RFC 5652 §5) for a detached PAdES signature: assembling it, reading it back, adding unsigned
// attributes (the signature-time-stamp of B-T) and sizing the space the PDF must reserve for it.

import { KysoError } from '../protocol/errors.ts';
import {
  type Asn1,
  bytesEqual,
  childrenOf,
  contentOf,
  derOctetString,
  derOid,
  derSequence,
  derSetOf,
  derSmallInteger,
  isContext,
  isUniversal,
  oidOf,
  rawOf,
  readDer,
  retag,
  tlv,
  TAG,
  toHex,
} from '../pki/der.ts';
import { parseCertificate } from '../pki/certificate.ts';
import { digestAlgorithmIdentifier, hashFromOid, OID, type HashAlg } from './algorithms.ts';
import { encodeAttribute, issuerAndSerialOf, parseAttributes, type ParsedAttribute } from './attributes.ts';

export interface SignedDataParts {
  hash: HashAlg;
  /** Signer certificate first, then the chain; each exactly as given (no duplicates). */
  certificates: Uint8Array[];
  /** The signer certificate (for issuerAndSerialNumber). */
  signerCertificate: Uint8Array;
  /** Signed attributes as signed: the SET OF Attribute with tag 0x31. */
  signedAttributes: Uint8Array;
  /** Encoded AlgorithmIdentifier of the signature. */
  signatureAlgorithm: Uint8Array;
  signature: Uint8Array;
  /** Encoded Attributes (unsigned), if any. */
  unsignedAttributes?: Uint8Array[];
}

/**
 * ContentInfo { id-signedData, SignedData v1 } with a detached id-data content, the certificates, and one
 * SignerInfo v1 identified by issuerAndSerialNumber. The certificates keep the order given (signer first): several
 * validators take the first certificate as the signer's, so it is not re-sorted.
 */
export function assembleSignedData(p: SignedDataParts): Uint8Array {
  if (p.signedAttributes[0] !== TAG.SET) throw new KysoError('INTERNAL_ERROR', 'Signed attributes must be passed as a SET (0x31).');
  const { issuer, serial } = issuerAndSerialOf(p.signerCertificate);
  const digestAlg = digestAlgorithmIdentifier(p.hash);
  const unsigned = p.unsignedAttributes?.length ? [unsignedAttributesField(p.unsignedAttributes)] : [];
  const signerInfo = derSequence(
    derSmallInteger(1),
    derSequence(issuer, serial),
    digestAlg,
    retag(p.signedAttributes, TAG.context(0)), // [0] IMPLICIT SET OF Attribute
    p.signatureAlgorithm,
    derOctetString(p.signature),
    ...unsigned,
  );
  const signedData = derSequence(
    derSmallInteger(1),
    derSetOf([digestAlg]),
    derSequence(derOid(OID.data)), // EncapsulatedContentInfo without eContent: detached
    tlv(TAG.context(0), ...p.certificates), // [0] IMPLICIT CertificateSet
    derSetOf([signerInfo]),
  );
  return derSequence(derOid(OID.signedData), tlv(TAG.context(0), signedData));
}

/** [1] IMPLICIT SET OF Attribute, DER-sorted. */
function unsignedAttributesField(attributes: Uint8Array[]): Uint8Array {
  return retag(derSetOf(attributes), TAG.context(1));
}

// ---------- reading ----------

export interface ParsedSignerInfo {
  version: number;
  /** issuerAndSerialNumber: the issuer Name and serial INTEGER exactly as encoded, plus the serial in hex. */
  issuerAndSerial?: { issuer: Uint8Array; serial: Uint8Array; serialHex: string };
  /** subjectKeyIdentifier (SignerInfo v3), hex */
  subjectKeyIdentifier?: string;
  digestAlgorithm: string;
  /** The digest algorithm when it is SHA-256/384/512. */
  hash: HashAlg | null;
  signedAttributes: ParsedAttribute[];
  /** The signed attributes with the SET tag 0x31: the bytes the signature covers. Null when absent. */
  signedAttributesDer: Uint8Array | null;
  signatureAlgorithm: { oid: string; der: Uint8Array };
  signature: Uint8Array;
  unsignedAttributes: ParsedAttribute[];
  /** message-digest value, when present */
  messageDigest?: Uint8Array;
  /** content-type value (OID), when present */
  contentType?: string;
  /** The signer's certificate from the certificates field, when it is there. */
  certificate?: Uint8Array;
  /** The SignerInfo exactly as encoded. */
  der: Uint8Array;
}

export interface ParsedCms {
  version: number;
  digestAlgorithms: string[];
  encapContentType: string;
  /** False for a detached signature. */
  hasEContent: boolean;
  /** Certificates (only X.509 ones), each exactly as encoded. */
  certificates: Uint8Array[];
  signers: ParsedSignerInfo[];
  /** The first signer with its certificate (a PDF signature has one). */
  signer: ParsedSignerInfo;
  signerCertificate?: Uint8Array;
}

function intOf(b: Asn1 | undefined): number {
  if (!b || !isUniversal(b, 2)) throw new Error('Expected an INTEGER');
  const v = contentOf(b);
  let n = 0;
  for (const x of v) n = n * 256 + x;
  return n;
}

function signedDataOf(cmsDer: Uint8Array): { contentInfo: Asn1; signedData: Asn1 } {
  const contentInfo = readDer(cmsDer, true);
  const [typeB, explicit] = childrenOf(contentInfo);
  if (!typeB || !explicit || oidOf(typeB) !== OID.signedData || !isContext(explicit, 0)) throw new Error('Not a CMS SignedData ContentInfo');
  const signedData = childrenOf(explicit)[0];
  if (!signedData || !isUniversal(signedData, 16)) throw new Error('Missing SignedData');
  return { contentInfo, signedData };
}

function parseSignerInfo(si: Asn1, certificates: Uint8Array[]): ParsedSignerInfo {
  const kids = childrenOf(si);
  let i = 0;
  const version = intOf(kids[i++]);
  const sid = kids[i++];
  if (!sid) throw new Error('Missing sid');
  const out: Partial<ParsedSignerInfo> = { version, der: rawOf(si), signedAttributes: [], unsignedAttributes: [], signedAttributesDer: null };
  if (isUniversal(sid, 16)) {
    const [issuer, serial] = childrenOf(sid);
    if (!issuer || !serial) throw new Error('Malformed issuerAndSerialNumber');
    out.issuerAndSerial = { issuer: rawOf(issuer), serial: rawOf(serial), serialHex: toHex(contentOf(serial)).replace(/^0+(?=.)/, '') };
  } else if (isContext(sid, 0)) {
    out.subjectKeyIdentifier = toHex(contentOf(sid));
  }
  const digestAlg = kids[i++];
  out.digestAlgorithm = oidOf(expectFirst(digestAlg));
  out.hash = hashFromOid(out.digestAlgorithm);
  if (kids[i] && isContext(kids[i], 0)) {
    out.signedAttributesDer = retag(rawOf(kids[i]), TAG.SET);
    out.signedAttributes = parseAttributes(out.signedAttributesDer);
    i++;
  }
  const sigAlg = kids[i++];
  out.signatureAlgorithm = { oid: oidOf(expectFirst(sigAlg)), der: rawOf(sigAlg!) };
  const sig = kids[i++];
  if (!sig || !isUniversal(sig, 4)) throw new Error('Missing signature value');
  out.signature = contentOf(sig);
  if (kids[i] && isContext(kids[i], 1)) out.unsignedAttributes = parseAttributes(retag(rawOf(kids[i]), TAG.SET));

  for (const a of out.signedAttributes!) {
    const v = a.values[0];
    if (!v) continue;
    if (a.oid === OID.messageDigest) out.messageDigest = contentOf(readDer(v));
    if (a.oid === OID.contentType) out.contentType = oidOf(readDer(v));
  }
  out.certificate = certificates.find((c) => {
    try {
      if (out.subjectKeyIdentifier) return parseCertificate(c).subjectKeyIdentifier === out.subjectKeyIdentifier;
      if (!out.issuerAndSerial) return false;
      const ias = issuerAndSerialOf(c);
      return bytesEqual(ias.issuer, out.issuerAndSerial.issuer) && bytesEqual(ias.serial, out.issuerAndSerial.serial);
    } catch {
      return false;
    }
  });
  return out as ParsedSignerInfo;
}

function expectFirst(b: Asn1 | undefined): Asn1 {
  const c = b ? childrenOf(b)[0] : undefined;
  if (!c) throw new Error('Malformed AlgorithmIdentifier');
  return c;
}

/**
 * Reads a CMS SignedData ContentInfo: certificates, and per signer the signed attributes (and the exact bytes
 * signed), the signature algorithm and value, the unsigned attributes. Verifies nothing.
 * @throws KysoError('SIGNATURE_INVALID') when the bytes are not a SignedData.
 */
export function parseCms(cmsDer: Uint8Array): ParsedCms {
  try {
    const { signedData } = signedDataOf(cmsDer);
    const kids = childrenOf(signedData);
    let i = 0;
    const version = intOf(kids[i++]);
    const digestAlgorithms = childrenOf(kids[i++]!).map((a) => oidOf(expectFirst(a)));
    const encap = kids[i++];
    if (!encap) throw new Error('Missing encapContentInfo');
    const [eType, eContent] = childrenOf(encap);
    const certificates: Uint8Array[] = [];
    if (kids[i] && isContext(kids[i], 0)) {
      for (const c of childrenOf(kids[i])) if (isUniversal(c, 16)) certificates.push(rawOf(c));
      i++;
    }
    if (kids[i] && isContext(kids[i], 1)) i++; // crls
    const signerInfos = kids[i];
    if (!signerInfos || !isUniversal(signerInfos, 17)) throw new Error('Missing signerInfos');
    const signers = childrenOf(signerInfos).map((si) => parseSignerInfo(si, certificates));
    if (signers.length === 0) throw new Error('No SignerInfo');
    return {
      version,
      digestAlgorithms,
      encapContentType: oidOf(eType!),
      hasEContent: eContent !== undefined,
      certificates,
      signers,
      signer: signers[0],
      signerCertificate: signers[0].certificate,
    };
  } catch (e) {
    if (e instanceof KysoError) throw e;
    throw new KysoError('SIGNATURE_INVALID', `Not a readable CMS SignedData: ${e instanceof Error ? e.message : String(e)}`, undefined, { cause: e });
  }
}

// ---------- unsigned attributes ----------

/**
 * Adds an unsigned attribute to one SignerInfo (the first by default) and re-encodes only the enclosing
 * containers; everything signed stays byte for byte. For B-T: oid = OID.signatureTimeStampToken
 * (1.2.840.113549.1.9.16.2.14), valueDer = the RFC 3161 TimeStampToken (a ContentInfo) over the signature value.
 */
export function addUnsignedAttribute(cmsDer: Uint8Array, oid: string, valueDer: Uint8Array, signerIndex = 0): Uint8Array {
  try {
    readDer(valueDer);
  } catch (e) {
    throw new KysoError('INVALID_ARGUMENT', 'The attribute value is not one DER element.', undefined, { cause: e });
  }
  let parts;
  try {
    parts = signedDataOf(cmsDer);
  } catch (e) {
    throw new KysoError('SIGNATURE_INVALID', `Not a readable CMS SignedData: ${e instanceof Error ? e.message : String(e)}`, undefined, { cause: e });
  }
  const { contentInfo, signedData } = parts;
  const sdKids = childrenOf(signedData);
  const signerInfos = sdKids[sdKids.length - 1];
  const infos = signerInfos ? childrenOf(signerInfos) : [];
  if (!signerInfos || !isUniversal(signerInfos, 17) || !infos[signerIndex]) throw new KysoError('INVALID_ARGUMENT', `No SignerInfo #${signerIndex}.`);

  const siKids = childrenOf(infos[signerIndex]);
  const last = siKids[siKids.length - 1];
  const existing = last && isContext(last, 1) ? parseAttributes(retag(rawOf(last), TAG.SET)).map((a) => a.der) : [];
  const kept = (last && isContext(last, 1) ? siKids.slice(0, -1) : siKids).map(rawOf);
  const newSignerInfo = derSequence(...kept, unsignedAttributesField([...existing, encodeAttribute(oid, [valueDer])]));

  const newSignerInfos = tlv(TAG.SET, ...infos.map((si, i) => (i === signerIndex ? newSignerInfo : rawOf(si))));
  const newSignedData = derSequence(...sdKids.slice(0, -1).map(rawOf), newSignerInfos);
  const typeB = childrenOf(contentInfo)[0]!;
  return derSequence(rawOf(typeB), tlv(TAG.context(0), newSignedData));
}

// ---------- size ----------

export interface CmsSizeInfo {
  /** Total DER bytes of every certificate that goes into the CMS (signer + chain)… */
  certificatesBytes?: number;
  /** …or the certificates themselves (then the issuer and serial sizes are read from the first, the signer's). */
  certificates?: Uint8Array[];
  /** RSA modulus bits or EC curve bits of the signer key. */
  keyBits: number;
  /** Unknown: the larger of the RSA and ECDSA signature sizes is assumed. */
  keyType?: 'rsa' | 'ec';
  /** Encoded size of the signer certificate's issuer Name; unknown: 1024 is assumed. */
  issuerNameBytes?: number;
  /** Encoded size of the signer certificate's serial INTEGER; unknown: 40 is assumed. */
  serialBytes?: number;
}

/** Room assumed for an RFC 3161 TimeStampToken when none is given: a token with a TSA chain of two or three certificates. */
export const DEFAULT_TIMESTAMP_ALLOWANCE = 10 * 1024;

/** Everything in the CMS that is neither a certificate, nor the issuer/serial, nor the signature, with margin. */
const FIXED_OVERHEAD = 640;

/**
 * An upper bound of the DER size of the CMS buildPadesCms makes, for the /Contents space the PDF reserves
 * (reserve twice this in hex digits). withTimestamp adds room for a signature-time-stamp unsigned attribute.
 */
export function estimateCmsSize(info: CmsSizeInfo, withTimestamp: boolean, opts: { timestampBytes?: number } = {}): number {
  let certificatesBytes = info.certificatesBytes;
  let issuerNameBytes = info.issuerNameBytes;
  let serialBytes = info.serialBytes;
  if (info.certificates) {
    certificatesBytes = info.certificates.reduce((n, c) => n + c.length, 0);
    if (info.certificates[0]) {
      const ias = issuerAndSerialOf(info.certificates[0]);
      issuerNameBytes ??= ias.issuer.length;
      serialBytes ??= ias.serial.length;
    }
  }
  if (certificatesBytes === undefined || !(certificatesBytes >= 0) || !(info.keyBits > 0)) {
    throw new KysoError('INVALID_ARGUMENT', 'estimateCmsSize needs the certificates (or their size) and the key bits.');
  }
  const k = Math.ceil(info.keyBits / 8);
  const rsaSig = k;
  const ecSig = 2 * (k + 1) + 6;
  const sig = info.keyType === 'rsa' ? rsaSig : info.keyType === 'ec' ? ecSig : Math.max(rsaSig, ecSig);
  const issuer = issuerNameBytes ?? 1024;
  const serial = serialBytes ?? 40;
  // certificates + (issuer + serial) twice (sid and ESSCertIDv2) + signature + fixed overhead
  let size = certificatesBytes + 2 * (issuer + serial) + sig + FIXED_OVERHEAD;
  if (withTimestamp) size += (opts.timestampBytes ?? DEFAULT_TIMESTAMP_ALLOWANCE) + 64;
  return Math.ceil(size / 256) * 256;
}
