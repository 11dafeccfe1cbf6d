// OCSP (RFC 6960): reading responses, checking who signed them (the issuer itself or a responder it authorised
// with id-kp-OCSPSigning), finding the status of one certificate, and building a request for the online check.

import { bytesEqual, childrenOf, contentOf, derNull, derOctetString, derOid, derSequence, isContext, isUniversal, oidOf, rawOf, readDer, type Asn1 } from '../pki/der.ts';
import { parseCertificate, sameName, type CertInfo } from '../pki/certificate.ts';
import { digestOf, hashBytes, verifySignedObject } from './algorithms.ts';
import { generalizedTime } from './timestamp.ts';

const BASIC = '1.3.6.1.5.5.7.48.1.1';
const OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';

export interface OcspSingle {
  hashAlgorithm: string;
  issuerNameHash: Uint8Array;
  issuerKeyHash: Uint8Array;
  serial: string;
  status: 'good' | 'revoked' | 'unknown';
  revocationTime?: Date;
  thisUpdate: Date;
  nextUpdate?: Date;
}

export interface OcspResponse {
  basic: Uint8Array;
  producedAt: Date;
  responderName?: Uint8Array;
  responderKeyHash?: Uint8Array;
  responses: OcspSingle[];
  certificates: Uint8Array[];
}

function serialHex(b: Asn1): string {
  const h = [...contentOf(b)].map((x) => x.toString(16).padStart(2, '0')).join('').toUpperCase().replace(/^0+/, '');
  return h || '0';
}

/** Reads an OCSPResponse (or a bare BasicOCSPResponse, as some DSS dictionaries hold). Throws when unreadable or not successful. */
export function parseOcsp(der: Uint8Array): OcspResponse {
  let root = readDer(der, true);
  let basicAsn1: Asn1 = root;
  const rk = childrenOf(root);
  if (rk[0] && isUniversal(rk[0], 10)) {
    const status = contentOf(rk[0])[0];
    if (status !== 0) throw new Error(`OCSP responseStatus ${status}`);
    const rb = childrenOf(rk[1]!)[0]!;
    const [type, octets] = childrenOf(rb);
    if (oidOf(type!) !== BASIC) throw new Error('not a basic OCSP response');
    basicAsn1 = readDer(contentOf(octets!));
    root = basicAsn1;
  }
  const [tbs, , , certsField] = childrenOf(basicAsn1);
  const t = childrenOf(tbs!);
  let i = 0;
  if (t[i] && isContext(t[i], 0)) i++;
  const rid = t[i++]!;
  const out: OcspResponse = { basic: rawOf(basicAsn1), producedAt: generalizedTime(t[i++]!), responses: [], certificates: [] };
  if (isContext(rid, 1)) out.responderName = rawOf(childrenOf(rid)[0]!);
  else if (isContext(rid, 2)) out.responderKeyHash = contentOf(childrenOf(rid)[0]!);
  for (const sr of childrenOf(t[i]!)) {
    const [certId, status, thisUpdate, ...rest] = childrenOf(sr);
    const [alg, nameHash, keyHash, serial] = childrenOf(certId!);
    const s: OcspSingle = {
      hashAlgorithm: oidOf(childrenOf(alg!)[0]!),
      issuerNameHash: contentOf(nameHash!),
      issuerKeyHash: contentOf(keyHash!),
      serial: serialHex(serial!),
      status: isContext(status!, 0) ? 'good' : isContext(status!, 1) ? 'revoked' : 'unknown',
      thisUpdate: generalizedTime(thisUpdate!),
    };
    if (s.status === 'revoked') s.revocationTime = generalizedTime(childrenOf(status!)[0]!);
    for (const r of rest) if (isContext(r, 0)) s.nextUpdate = generalizedTime(childrenOf(r)[0]!);
    out.responses.push(s);
  }
  if (certsField && isContext(certsField, 0)) {
    const seq = childrenOf(certsField)[0];
    for (const c of seq ? childrenOf(seq) : []) out.certificates.push(rawOf(c));
  }
  return out;
}

/** The public key BIT STRING contents of a certificate (what issuerKeyHash hashes). */
export function publicKeyBits(cert: CertInfo): Uint8Array {
  return contentOf(childrenOf(readDer(cert.spki))[1]!);
}

/** The entry of `resp` about `cert` (issued by `issuer`), or undefined. */
export async function findSingle(resp: OcspResponse, cert: CertInfo, issuer: CertInfo): Promise<OcspSingle | undefined> {
  for (const s of resp.responses) {
    if (s.serial !== cert.serialNumber) continue;
    const d = digestOf(s.hashAlgorithm);
    if ('unsupported' in d) continue;
    if (!bytesEqual(await hashBytes(d.hash, issuer.subject.der), s.issuerNameHash)) continue;
    if (!bytesEqual(await hashBytes(d.hash, publicKeyBits(issuer)), s.issuerKeyHash)) continue;
    return s;
  }
  return undefined;
}

/**
 * Who signed the response, checked: the issuer itself, or a delegated responder certificate issued (and signed) by
 * the issuer carrying id-kp-OCSPSigning and valid when the response was produced. Returns null when it holds.
 */
export async function checkOcspSigner(resp: OcspResponse, issuer: CertInfo, extra: Uint8Array[] = []): Promise<string | null> {
  const candidates: CertInfo[] = [issuer];
  for (const c of [...resp.certificates, ...extra]) {
    try {
      candidates.push(parseCertificate(c));
    } catch {
      /* skip */
    }
  }
  const matches = async (c: CertInfo) => {
    if (resp.responderName) return bytesEqual(c.subject.der, resp.responderName);
    if (resp.responderKeyHash) return bytesEqual(await hashBytes('SHA-1', publicKeyBits(c)), resp.responderKeyHash);
    return false;
  };
  for (const c of candidates) {
    if (!(await matches(c))) continue;
    const sig = await verifySignedObject(resp.basic, c.spki);
    if (!sig.ok) continue;
    if (c === issuer || c.fingerprints.sha256 === issuer.fingerprints.sha256) return null;
    // delegated responder
    if (!sameName(c.issuer, issuer.subject)) continue;
    if (!(c.extendedKeyUsage ?? []).includes(OCSP_SIGNING)) return 'OCSP responder certificate lacks id-kp-OCSPSigning';
    if (!(await verifySignedObject(c.der, issuer.spki)).ok) return 'OCSP responder certificate is not signed by the issuer';
    const t = resp.producedAt.getTime();
    if (t < c.notBefore.getTime() || t > c.notAfter.getTime()) return 'OCSP responder certificate not valid when the response was produced';
    return null;
  }
  return 'OCSP response is not signed by the issuer or an authorised responder';
}

/** DER OCSPRequest for one certificate (CertID with SHA-1, as every responder accepts). */
export async function buildOcspRequest(cert: CertInfo, issuer: CertInfo): Promise<Uint8Array> {
  const certId = derSequence(
    derSequence(derOid('1.3.14.3.2.26'), derNull()),
    derOctetString(await hashBytes('SHA-1', issuer.subject.der)),
    derOctetString(await hashBytes('SHA-1', publicKeyBits(issuer))),
    serialInteger(cert.der),
  );
  return derSequence(derSequence(derSequence(derSequence(certId))));
}

function serialInteger(certDer: Uint8Array): Uint8Array {
  const tbs = childrenOf(readDer(certDer, true))[0]!;
  const k = childrenOf(tbs);
  const off = k[0] && isContext(k[0], 0) ? 1 : 0;
  return rawOf(k[off]!);
}

