// X.509 certificates as the product shows and uses them: names with Vietnamese text decoded right, key type and
// size, usages, revocation pointers, fingerprints, and the chain from a signer up to its root.
// Parsing goes through pkijs/asn1js; nothing here verifies signatures (that is the verification work's job).

import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { KysoError } from '../protocol/errors.ts';
import {
  type Asn1,
  bytesEqual,
  childrenOf,
  contentOf,
  fromBase64,
  isContext,
  oidOf,
  rawOf,
  readDer,
  toBase64,
  toHex,
} from './der.ts';

// ---------- types ----------

export interface NameAttribute {
  oid: string;
  /** Short name (CN, O, OU, UID, serialNumber, …) or the dotted OID when the attribute is not a known one. */
  name: string;
  value: string;
}

/** A typed identifier carried in UID or serialNumber, as Vietnamese CAs write them: "CMND:…", "CCCD:…", "MST:…". */
export interface NameIdentifier {
  /** Upper-cased prefix: CMND, CCCD, MST, HC, … */
  type: string;
  value: string;
  /** The attribute it came from. */
  from: 'UID' | 'serialNumber';
}

export interface DistinguishedName {
  /** RFC 4514 string, most specific RDN first: "CN=Nguyễn Văn Thành,O=UBND tỉnh Quảng Nam,C=VN". */
  text: string;
  /** RDNs in encoded order (usually C first), each a set of one or more attributes. */
  rdns: NameAttribute[][];
  CN?: string;
  O?: string;
  OU: string[];
  L?: string;
  ST?: string;
  C?: string;
  /** emailAddress (1.2.840.113549.1.9.1) */
  E?: string;
  /** 0.9.2342.19200300.100.1.1 values, e.g. "CMND:201234567", "MST:0401234567" */
  UID: string[];
  /** 2.5.4.5 */
  serialNumber?: string;
  identifiers: NameIdentifier[];
  /** The Name exactly as encoded in the certificate. */
  der: Uint8Array;
}

export type KeyUsageName =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';

export type EcCurve = 'P-256' | 'P-384' | 'P-521';

export type KeyType =
  | { kind: 'rsa'; /** modulus bits */ bits: number; /** SPKI algorithm is id-RSASSA-PSS rather than rsaEncryption */ pssOnly: boolean }
  | { kind: 'ec'; /** null for a curve other than the NIST ones */ curve: EcCurve | null; curveOid: string; bits: number }
  | { kind: 'other'; /** SPKI algorithm OID */ oid: string };

export interface CertInfo {
  der: Uint8Array;
  version: number;
  /** Hex, uppercase, no leading zeros ("0" for zero). */
  serialNumber: string;
  subject: DistinguishedName;
  issuer: DistinguishedName;
  /** = subject.text */
  subjectString: string;
  /** = issuer.text */
  issuerString: string;
  notBefore: Date;
  notAfter: Date;
  /** null when the certificate has no keyUsage extension (then any usage is allowed). */
  keyUsage: KeyUsageName[] | null;
  /** null when the certificate has no extendedKeyUsage extension. */
  extendedKeyUsage: string[] | null;
  keyType: KeyType;
  /** SubjectPublicKeyInfo exactly as encoded (for WebCrypto importKey('spki', …)). */
  spki: Uint8Array;
  /** OID of the certificate's own signature algorithm. */
  signatureAlgorithm: string;
  fingerprints: { sha1: string; sha256: string };
  isCA: boolean;
  pathLength?: number;
  authorityInfoAccess: { ocsp: string[]; caIssuers: string[] };
  crlDistributionPoints: string[];
  subjectKeyIdentifier?: string;
  authorityKeyIdentifier?: string;
}

// ---------- OIDs ----------

const NAME_SHORT: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.17': 'postalCode',
  '2.5.4.42': 'GN',
  '2.5.4.43': 'initials',
  '2.5.4.46': 'dnQualifier',
  '2.5.4.65': 'pseudonym',
  '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'E',
};

const CURVES: Record<string, { name: EcCurve; bits: number }> = {
  '1.2.840.10045.3.1.7': { name: 'P-256', bits: 256 },
  '1.3.132.0.34': { name: 'P-384', bits: 384 },
  '1.3.132.0.35': { name: 'P-521', bits: 521 },
};

const KEY_USAGE_BITS: KeyUsageName[] = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

const OID_RSA = '1.2.840.113549.1.1.1';
const OID_RSA_PSS = '1.2.840.113549.1.1.10';
const OID_EC = '1.2.840.10045.2.1';
const OID_KEY_USAGE = '2.5.29.15';
const OID_EXT_KEY_USAGE = '2.5.29.37';
const OID_BASIC_CONSTRAINTS = '2.5.29.19';
const OID_SKI = '2.5.29.14';
const OID_AKI = '2.5.29.35';
const OID_AIA = '1.3.6.1.5.5.7.1.1';
const OID_CRL_DP = '2.5.29.31';
const OID_AD_OCSP = '1.3.6.1.5.5.7.48.1';
const OID_AD_CA_ISSUERS = '1.3.6.1.5.5.7.48.2';

// ---------- strings ----------

const utf8Strict = new TextDecoder('utf-8', { fatal: true });
const utf8Lenient = new TextDecoder('utf-8');

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
  return s;
}

/**
 * Text of a directory string by its universal tag, or null when the tag is not a string type.
 * TeletexString is decoded as UTF-8 when its bytes are valid UTF-8 with non-ASCII characters (some CA software
 * writes UTF-8 under that tag), otherwise as Latin-1 (what OpenSSL and others write for T61String).
 */
export function decodeAsn1String(tagNumber: number, bytes: Uint8Array): string | null {
  switch (tagNumber) {
    case 12: // UTF8String
      try {
        return utf8Strict.decode(bytes);
      } catch {
        return utf8Lenient.decode(bytes);
      }
    case 30: {
      // BMPString: UTF-16BE
      let s = '';
      for (let i = 0; i + 1 < bytes.length; i += 2) s += String.fromCharCode((bytes[i] << 8) | bytes[i + 1]);
      return s;
    }
    case 28: {
      // UniversalString: UTF-32BE
      let s = '';
      for (let i = 0; i + 3 < bytes.length; i += 4) {
        const cp = ((bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3]) >>> 0;
        s += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
      }
      return s;
    }
    case 20: // TeletexString (T61String)
      if (bytes.some((x) => x >= 0x80)) {
        try {
          return utf8Strict.decode(bytes);
        } catch {
          return latin1(bytes);
        }
      }
      return latin1(bytes);
    case 18: // NumericString
    case 19: // PrintableString
    case 22: // IA5String
    case 26: // VisibleString
    case 27: // GeneralString
    case 21: // VideotexString
    case 25: // GraphicString
      return latin1(bytes);
    default:
      return null;
  }
}

function escapeRfc4514(v: string): string {
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const ch = v[i];
    const code = v.charCodeAt(i);
    if (',+"\\<>;'.includes(ch)) out += '\\' + ch;
    else if (code < 0x20 || code === 0x7f) out += '\\' + code.toString(16).toUpperCase().padStart(2, '0');
    else out += ch;
  }
  if (out.startsWith('#') || out.startsWith(' ')) out = '\\' + out;
  if (out.endsWith(' ') && !out.endsWith('\\ ')) out = out.slice(0, -1) + '\\ ';
  return out;
}

function parseName(block: Asn1): DistinguishedName {
  const rdns: NameAttribute[][] = [];
  const hexValued = new Set<NameAttribute>();
  for (const set of childrenOf(block)) {
    const rdn: NameAttribute[] = [];
    for (const atv of childrenOf(set)) {
      const [typeBlock, valueBlock] = childrenOf(atv);
      if (!typeBlock || !valueBlock) throw new Error('Malformed AttributeTypeAndValue');
      const oid = oidOf(typeBlock);
      const decoded =
        valueBlock.idBlock.tagClass === 1 && !valueBlock.idBlock.isConstructed
          ? decodeAsn1String(valueBlock.idBlock.tagNumber, contentOf(valueBlock))
          : null;
      const attr: NameAttribute = { oid, name: NAME_SHORT[oid] ?? oid, value: decoded ?? '#' + toHex(rawOf(valueBlock)) };
      if (decoded === null) hexValued.add(attr);
      rdn.push(attr);
    }
    rdns.push(rdn);
  }
  const text = [...rdns]
    .reverse()
    .map((rdn) => rdn.map((a) => `${a.name}=${hexValued.has(a) ? a.value : escapeRfc4514(a.value)}`).join('+'))
    .join(',');
  const all = rdns.flat();
  const last = (name: string) => {
    const hits = all.filter((a) => a.name === name);
    return hits.length ? hits[hits.length - 1].value : undefined;
  };
  const every = (name: string) => all.filter((a) => a.name === name).map((a) => a.value);
  const identifiers: NameIdentifier[] = [];
  for (const a of all) {
    if (a.name !== 'UID' && a.name !== 'serialNumber') continue;
    const m = /^\s*([A-Za-z]{2,12})\s*:\s*(.+?)\s*$/.exec(a.value);
    if (m) identifiers.push({ type: m[1].toUpperCase(), value: m[2], from: a.name });
  }
  const dn: DistinguishedName = { text, rdns, OU: every('OU'), UID: every('UID'), identifiers, der: rawOf(block) };
  for (const k of ['CN', 'O', 'L', 'ST', 'C', 'E', 'serialNumber'] as const) {
    const v = last(k);
    if (v !== undefined) dn[k] = v;
  }
  return dn;
}

// ---------- PEM ----------

/** Every block with the given label in a PEM text (a bundle may hold several), as DER. */
export function pemToDer(pem: string, label = 'CERTIFICATE'): Uint8Array[] {
  const re = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`, 'g');
  const out: Uint8Array[] = [];
  for (const m of pem.matchAll(re)) {
    try {
      out.push(fromBase64(m[1]));
    } catch (e) {
      throw new KysoError('CERT_INVALID', 'Bad base64 in PEM.', undefined, { cause: e });
    }
  }
  if (out.length === 0) throw new KysoError('CERT_INVALID', `No ${label} block in PEM text.`);
  return out;
}

/** PEM text for one or several DER blocks (64-character lines, LF). */
export function derToPem(der: Uint8Array | Uint8Array[], label = 'CERTIFICATE'): string {
  const list = der instanceof Uint8Array ? [der] : der;
  return list
    .map((d) => {
      const b64 = toBase64(d);
      const lines = b64.match(/.{1,64}/g) ?? [];
      return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
    })
    .join('');
}

// ---------- certificate ----------

function serialHex(magnitude: Uint8Array): string {
  const h = toHex(magnitude).replace(/^0+/, '');
  return h === '' ? '0' : h;
}

function keyTypeOf(spki: pkijs.PublicKeyInfo): KeyType {
  const oid = spki.algorithm.algorithmId;
  if (oid === OID_RSA || oid === OID_RSA_PSS) {
    const rsaKey = readDer(spki.subjectPublicKey.valueBlock.valueHexView);
    const modulus = contentOf(childrenOf(rsaKey)[0] ?? rsaKey);
    let i = 0;
    while (i < modulus.length && modulus[i] === 0) i++;
    const bits = i < modulus.length ? (modulus.length - i - 1) * 8 + (32 - Math.clz32(modulus[i])) : 0;
    return { kind: 'rsa', bits, pssOnly: oid === OID_RSA_PSS };
  }
  if (oid === OID_EC) {
    const params = spki.algorithm.algorithmParams as Asn1 | undefined;
    const curveOid = params instanceof asn1js.ObjectIdentifier ? params.valueBlock.toString() : '';
    const known = CURVES[curveOid];
    const pointLen = spki.subjectPublicKey.valueBlock.valueHexView.length;
    return { kind: 'ec', curve: known?.name ?? null, curveOid, bits: known?.bits ?? ((pointLen - 1) / 2) * 8 };
  }
  return { kind: 'other', oid };
}

function keyUsageOf(ext: pkijs.Extension): KeyUsageName[] {
  const bs = readDer(ext.extnValue.valueBlock.valueHexView);
  if (!(bs instanceof asn1js.BitString)) throw new Error('keyUsage is not a BIT STRING');
  const bytes = bs.valueBlock.valueHexView;
  const names: KeyUsageName[] = [];
  KEY_USAGE_BITS.forEach((name, i) => {
    if ((i >> 3) < bytes.length && bytes[i >> 3] & (0x80 >> (i & 7))) names.push(name);
  });
  return names;
}

function uris(names: pkijs.GeneralName[] | undefined): string[] {
  return (names ?? []).filter((g) => g.type === 6 && typeof g.value === 'string').map((g) => g.value as string);
}

/**
 * Reads a DER certificate (PEM text passed as bytes is accepted too).
 * @throws KysoError('CERT_INVALID') when the bytes are not a certificate.
 */
/** Parsed certificates by their bytes: one signing asks for the signer's several times. CertInfo is treated as immutable. */
const parsed = new WeakMap<Uint8Array, CertInfo>();

export function parseCertificate(input: Uint8Array): CertInfo {
  const hit = parsed.get(input);
  if (hit) return hit;
  const info = parseCertificateUncached(input);
  parsed.set(input, info);
  return info;
}

function parseCertificateUncached(input: Uint8Array): CertInfo {
  try {
    let der = input;
    if (der.length > 10 && latin1(der.subarray(0, 10)) === '-----BEGIN') der = pemToDer(latin1(der))[0];
    const root = readDer(der, true);
    der = rawOf(root);
    const cert = new pkijs.Certificate({ schema: root });
    const tbs = childrenOf(root)[0];
    const tbsKids = childrenOf(tbs);
    const off = tbsKids[0] && isContext(tbsKids[0], 0) ? 1 : 0;
    // TBSCertificate: [version] serial sigAlg issuer validity subject spki …
    const serialBlock = tbsKids[off];
    const issuerBlock = tbsKids[off + 2];
    const subjectBlock = tbsKids[off + 4];
    const spkiBlock = tbsKids[off + 5];
    if (!serialBlock || !issuerBlock || !subjectBlock || !spkiBlock) throw new Error('Truncated TBSCertificate');

    const subject = parseName(subjectBlock);
    const issuer = parseName(issuerBlock);
    const info: CertInfo = {
      der,
      version: cert.version + 1,
      serialNumber: serialHex(contentOf(serialBlock)),
      subject,
      issuer,
      subjectString: subject.text,
      issuerString: issuer.text,
      notBefore: cert.notBefore.value,
      notAfter: cert.notAfter.value,
      keyUsage: null,
      extendedKeyUsage: null,
      keyType: keyTypeOf(cert.subjectPublicKeyInfo),
      spki: rawOf(spkiBlock),
      signatureAlgorithm: cert.signatureAlgorithm.algorithmId,
      fingerprints: { sha1: toHex(sha1(der)), sha256: toHex(sha256(der)) },
      isCA: false,
      authorityInfoAccess: { ocsp: [], caIssuers: [] },
      crlDistributionPoints: [],
    };
    if (Number.isNaN(info.notBefore.getTime()) || Number.isNaN(info.notAfter.getTime())) throw new Error('Bad validity dates');

    for (const ext of cert.extensions ?? []) {
      switch (ext.extnID) {
        case OID_KEY_USAGE:
          info.keyUsage = keyUsageOf(ext);
          break;
        case OID_EXT_KEY_USAGE: {
          const eku = ext.parsedValue as pkijs.ExtKeyUsage | undefined;
          info.extendedKeyUsage = eku?.keyPurposes ? [...eku.keyPurposes] : [];
          break;
        }
        case OID_BASIC_CONSTRAINTS: {
          const bc = ext.parsedValue as pkijs.BasicConstraints | undefined;
          info.isCA = bc?.cA === true;
          const pl = bc?.pathLenConstraint;
          if (typeof pl === 'number') info.pathLength = pl;
          else if (pl instanceof asn1js.Integer) info.pathLength = pl.valueBlock.valueDec;
          break;
        }
        case OID_SKI: {
          const os = readDer(ext.extnValue.valueBlock.valueHexView);
          info.subjectKeyIdentifier = toHex(contentOf(os));
          break;
        }
        case OID_AKI: {
          const aki = ext.parsedValue as pkijs.AuthorityKeyIdentifier | undefined;
          if (aki?.keyIdentifier) info.authorityKeyIdentifier = toHex(aki.keyIdentifier.valueBlock.valueHexView);
          break;
        }
        case OID_AIA: {
          const aia = ext.parsedValue as pkijs.InfoAccess | undefined;
          for (const ad of aia?.accessDescriptions ?? []) {
            const [uri] = uris([ad.accessLocation]);
            if (!uri) continue;
            if (ad.accessMethod === OID_AD_OCSP) info.authorityInfoAccess.ocsp.push(uri);
            else if (ad.accessMethod === OID_AD_CA_ISSUERS) info.authorityInfoAccess.caIssuers.push(uri);
          }
          break;
        }
        case OID_CRL_DP: {
          const dps = ext.parsedValue as pkijs.CRLDistributionPoints | undefined;
          for (const dp of dps?.distributionPoints ?? []) {
            if (Array.isArray(dp.distributionPoint)) info.crlDistributionPoints.push(...uris(dp.distributionPoint));
          }
          break;
        }
      }
    }
    return info;
  } catch (e) {
    if (e instanceof KysoError) throw e;
    throw new KysoError('CERT_INVALID', e instanceof Error ? e.message : String(e), undefined, { cause: e });
  }
}

export function certValidity(info: CertInfo, at: Date = new Date()): 'valid' | 'expired' | 'not-yet-valid' {
  const t = at.getTime();
  if (t < info.notBefore.getTime()) return 'not-yet-valid';
  if (t > info.notAfter.getTime()) return 'expired';
  return 'valid';
}

/** True when the key may make signatures: no keyUsage extension, or digitalSignature or nonRepudiation set. */
export function canSign(info: CertInfo): boolean {
  return info.keyUsage === null || info.keyUsage.includes('digitalSignature') || info.keyUsage.includes('nonRepudiation');
}

// ---------- chain ----------

function normalizedName(n: DistinguishedName): string {
  return n.rdns
    .map((rdn) =>
      rdn
        .map((a) => `${a.oid}=${a.value.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase()}`)
        .sort()
        .join('+'),
    )
    .join(',');
}

/** Same name, byte for byte or after RFC 5280-style case and space folding. */
export function sameName(a: DistinguishedName, b: DistinguishedName): boolean {
  return bytesEqual(a.der, b.der) || normalizedName(a) === normalizedName(b);
}

/** Subject equals issuer and, when both key identifiers are present, they agree. */
export function isSelfIssued(info: CertInfo): boolean {
  if (!sameName(info.subject, info.issuer)) return false;
  return !info.authorityKeyIdentifier || !info.subjectKeyIdentifier || info.authorityKeyIdentifier === info.subjectKeyIdentifier;
}

/**
 * Orders a chain leaf → root from a pool of candidate certificates, matching issuer to subject names and
 * authorityKeyIdentifier to subjectKeyIdentifier. Stops at a self-issued certificate or when no issuer is found.
 * Signatures are not checked here.
 */
export function buildChain(leaf: CertInfo, pool: CertInfo[]): CertInfo[] {
  const chain = [leaf];
  const seen = new Set([leaf.fingerprints.sha256]);
  let cur = leaf;
  while (!isSelfIssued(cur)) {
    let best: CertInfo | undefined;
    let bestScore = -1;
    for (const c of pool) {
      if (seen.has(c.fingerprints.sha256)) continue;
      if (!sameName(c.subject, cur.issuer)) continue;
      let score = 1;
      if (cur.authorityKeyIdentifier && c.subjectKeyIdentifier) {
        if (cur.authorityKeyIdentifier !== c.subjectKeyIdentifier) continue;
        score = 3;
      }
      if (c.isCA) score += 0.5;
      // Between otherwise equal candidates (a re-issued CA certificate), take the one that lasts longest.
      if (score > bestScore || (score === bestScore && best && c.notAfter > best.notAfter)) {
        best = c;
        bestScore = score;
      }
    }
    if (!best) break;
    chain.push(best);
    seen.add(best.fingerprints.sha256);
    cur = best;
  }
  return chain;
}
