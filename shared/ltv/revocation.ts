// Revocation status of a certificate from the services the certificate itself names: OCSP first (AIA id-ad-ocsp,
// POST, with a nonce), then the CRL distribution points. Every answer is checked before it is believed or embedded:
// the OCSP response's signature (by the issuer, or by a responder certificate the issuer issued for OCSP signing),
// that it is about this certificate, its freshness and nonce; the CRL's signature by the issuer and its freshness.
// The exact bytes are kept for the DSS (B-LT).

import * as pkijs from 'pkijs';
import { parseCertificate, sameName, type CertInfo } from '../pki/certificate.ts';
import { bytesEqual } from '../pki/der.ts';
import { httpExchange, NetError, type FetchLike } from './net.ts';

const OID_OCSP_NONCE = '1.3.6.1.5.5.7.48.1.2';
const OID_KP_OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';
const OID_OCSP_BASIC = '1.3.6.1.5.5.7.48.1.1';
/** Clock skew tolerated on thisUpdate / nextUpdate. */
const SKEW_MS = 5 * 60 * 1000;

export interface NetOptions {
  fetch?: FetchLike;
  /** Per request. Default 10 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface RevocationOptions extends NetOptions {
  /** The time the status is wanted for. Default now. */
  at?: Date;
  /** Skip OCSP / CRL. */
  ocsp?: boolean;
  crl?: boolean;
}

export type RevocationState = 'good' | 'revoked' | 'unknown';

export interface RevocationResult {
  status: RevocationState;
  /** Where a definite answer came from. */
  source?: 'ocsp' | 'crl';
  url?: string;
  revokedAt?: Date;
  /** CRLReason name, when given. */
  revocationReason?: string;
  /** The OCSPResponse (DER) that answered, as received. */
  ocspResponse?: Uint8Array;
  /** The CRL (DER) that answered, as received. */
  crl?: Uint8Array;
  /** Certificates that signed the OCSP response other than the issuer (a delegated responder), DER. */
  responderCertificates: Uint8Array[];
  /** When the answer was produced (OCSP producedAt / CRL thisUpdate). */
  producedAt?: Date;
  /** Why each source failed, in order tried (empty when the first one answered). */
  problems: string[];
}

const REASONS = ['unspecified', 'keyCompromise', 'cACompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', 'certificateHold', '', 'removeFromCRL', 'privilegeWithdrawn', 'aACompromise'];

function toPkijs(der: Uint8Array): pkijs.Certificate {
  return pkijs.Certificate.fromBER(der.slice());
}

function netReason(e: unknown): string {
  if (e instanceof NetError) return e.kind === 'timeout' ? 'timeout' : e.message;
  return e instanceof Error ? e.message : String(e);
}

async function verifySigned(tbs: ArrayBuffer | Uint8Array, signature: unknown, alg: pkijs.AlgorithmIdentifier, signer: pkijs.Certificate): Promise<boolean> {
  try {
    const tbsBuf = tbs instanceof Uint8Array ? tbs : new Uint8Array(tbs);
    const engine = pkijs.getEngine().crypto;
    if (!engine) return false;
    return await engine.verifyWithPublicKey(tbsBuf as Uint8Array<ArrayBuffer>, signature as never, signer.subjectPublicKeyInfo, alg);
  } catch {
    return false;
  }
}

/** Checks an OCSPResponse for `cert` issued by `issuer`; returns the status or throws with the reason. */
export async function checkOcspResponse(
  der: Uint8Array,
  cert: Uint8Array,
  issuer: Uint8Array,
  at: Date,
  nonce?: Uint8Array,
): Promise<{ status: RevocationState; revokedAt?: Date; revocationReason?: string; responderCertificates: Uint8Array[]; producedAt: Date }> {
  const resp = pkijs.OCSPResponse.fromBER(der.slice());
  const rs = resp.responseStatus.valueBlock.valueDec;
  if (rs !== 0) throw new Error(`OCSP responseStatus ${rs}`);
  if (!resp.responseBytes || resp.responseBytes.responseType !== OID_OCSP_BASIC) throw new Error('not a basic OCSP response');
  const basic = pkijs.BasicOCSPResponse.fromBER(resp.responseBytes.response.valueBlock.valueHexView.slice());
  const issuerP = toPkijs(issuer);
  const certP = toPkijs(cert);
  const issuerInfo = parseCertificate(issuer);
  // Who signed: the issuer itself, or a delegated responder the issuer certified for OCSP signing.
  let signer: pkijs.Certificate | undefined;
  const responderCertificates: Uint8Array[] = [];
  if (await verifySigned(basic.tbsResponseData.tbsView, basic.signature, basic.signatureAlgorithm, issuerP)) signer = issuerP;
  else {
    for (const c of basic.certs ?? []) {
      const der = new Uint8Array(c.toSchema().toBER());
      const info = parseCertificate(der);
      if (!sameName(info.issuer, issuerInfo.subject) || !info.extendedKeyUsage?.includes(OID_KP_OCSP_SIGNING)) continue;
      if (!(await verifySigned(c.tbsView, c.signatureValue, c.signature, issuerP))) continue;
      if (await verifySigned(basic.tbsResponseData.tbsView, basic.signature, basic.signatureAlgorithm, c)) {
        signer = c;
        responderCertificates.push(der);
        break;
      }
    }
  }
  if (!signer) throw new Error('OCSP response signature does not verify with the issuer or a responder it authorised');
  const st = await basic.getCertificateStatus(certP, issuerP);
  if (!st.isForCertificate) throw new Error('OCSP response is about another certificate');
  const single = basic.tbsResponseData.responses.find((r) => bytesEqual(new Uint8Array(r.certID.serialNumber.valueBlock.valueHexView), new Uint8Array(certP.serialNumber.valueBlock.valueHexView)));
  if (!single) throw new Error('OCSP response without a SingleResponse for the certificate');
  const t = at.getTime();
  if (single.thisUpdate.getTime() > t + SKEW_MS) throw new Error('OCSP response is from the future (thisUpdate)');
  if (single.nextUpdate && single.nextUpdate.getTime() < t - SKEW_MS) throw new Error('OCSP response is stale (nextUpdate passed)');
  if (nonce) {
    const ext = basic.tbsResponseData.responseExtensions?.find((e) => e.extnID === OID_OCSP_NONCE);
    // RFC 8954: responders may leave the nonce out; one that is there must match.
    if (ext) {
      const v = new Uint8Array(ext.extnValue.valueBlock.valueHexView);
      // The value is the nonce itself or, as RFC 8954 and OpenSSL write it, an OCTET STRING around it.
      if (!bytesEqual(v, nonce) && !(v.length === nonce.length + 2 && v[0] === 0x04 && bytesEqual(v.subarray(2), nonce))) throw new Error('OCSP nonce mismatch');
    }
  }
  const producedAt = basic.tbsResponseData.producedAt;
  if (st.status === 0) return { status: 'good', responderCertificates, producedAt };
  if (st.status === 1) {
    const cs = single.certStatus as { valueBlock?: { value?: { valueBlock?: unknown; toDate?: () => Date; idBlock?: { tagNumber: number }; valueBlock2?: unknown }[] } };
    const kids = cs.valueBlock?.value ?? [];
    let revokedAt: Date | undefined;
    let revocationReason: string | undefined;
    for (const k of kids) {
      if (typeof k.toDate === 'function') revokedAt = k.toDate();
      else if (k.idBlock?.tagNumber === 0) {
        const inner = (k as unknown as { valueBlock: { value: { valueBlock: { valueDec: number } }[] } }).valueBlock.value?.[0];
        if (inner) revocationReason = REASONS[inner.valueBlock.valueDec];
      }
    }
    return { status: 'revoked', revokedAt, revocationReason, responderCertificates, producedAt };
  }
  return { status: 'unknown', responderCertificates, producedAt };
}

/** Checks a CRL issued by `issuer`; returns whether `cert` is on it, or throws with the reason. */
export async function checkCrl(der: Uint8Array, cert: Uint8Array, issuer: Uint8Array, at: Date): Promise<{ status: RevocationState; revokedAt?: Date; revocationReason?: string; thisUpdate: Date }> {
  const crl = pkijs.CertificateRevocationList.fromBER(der.slice());
  const issuerP = toPkijs(issuer);
  const ok = await crl.verify({ issuerCertificate: issuerP }).catch(() => false);
  if (!ok) throw new Error('CRL signature does not verify with the issuer');
  const t = at.getTime();
  if (crl.thisUpdate.value.getTime() > t + SKEW_MS) throw new Error('CRL is from the future (thisUpdate)');
  if (crl.nextUpdate && crl.nextUpdate.value.getTime() < t - SKEW_MS) throw new Error('CRL is stale (nextUpdate passed)');
  const certP = toPkijs(cert);
  const serial = new Uint8Array(certP.serialNumber.valueBlock.valueHexView);
  const entry = (crl.revokedCertificates ?? []).find((r) => bytesEqual(new Uint8Array(r.userCertificate.valueBlock.valueHexView), serial));
  if (!entry) return { status: 'good', thisUpdate: crl.thisUpdate.value };
  let revocationReason: string | undefined;
  const reasonExt = entry.crlEntryExtensions?.extensions.find((e) => e.extnID === '2.5.29.21');
  if (reasonExt) {
    const v = new Uint8Array(reasonExt.extnValue.valueBlock.valueHexView);
    revocationReason = REASONS[v[v.length - 1]];
  }
  return { status: 'revoked', revokedAt: entry.revocationDate.value, revocationReason, thisUpdate: crl.thisUpdate.value };
}

/** DER OCSPRequest for one certificate (SHA-1 CertID as RFC 5019 asks) with a nonce. */
export async function buildOcspRequest(cert: Uint8Array, issuer: Uint8Array, nonce: Uint8Array): Promise<Uint8Array> {
  const req = new pkijs.OCSPRequest();
  await req.createForCertificate(toPkijs(cert), { hashAlgorithm: 'SHA-1', issuerCertificate: toPkijs(issuer) });
  const { OctetString } = await import('asn1js');
  req.tbsRequest.requestExtensions = [new pkijs.Extension({ extnID: OID_OCSP_NONCE, extnValue: new OctetString({ valueHex: nonce.slice().buffer }).toBER(false) })];
  return new Uint8Array(req.toSchema(true).toBER());
}

/**
 * The revocation status of `cert` (issued by `issuer`) from the certificate's own OCSP responders, then its CRL
 * distribution points. A definite answer (good or revoked) from a checked response wins; otherwise 'unknown' with
 * the reasons. Never throws for network or response problems.
 */
export async function checkRevocation(cert: Uint8Array, issuer: Uint8Array, opts: RevocationOptions = {}): Promise<RevocationResult> {
  const info = parseCertificate(cert);
  const at = opts.at ?? new Date();
  const problems: string[] = [];
  const net = { fetch: opts.fetch, timeoutMs: opts.timeoutMs ?? 10_000, signal: opts.signal };
  if (opts.ocsp !== false) {
    for (const url of info.authorityInfoAccess.ocsp) {
      try {
        const nonce = new Uint8Array(16);
        globalThis.crypto.getRandomValues(nonce);
        const body = await buildOcspRequest(cert, issuer, nonce);
        const der = await httpExchange(url, { ...net, body, contentType: 'application/ocsp-request', accept: 'application/ocsp-response', maxBytes: 1024 * 1024 });
        const r = await checkOcspResponse(der, cert, issuer, at, nonce);
        if (r.status === 'unknown') {
          problems.push(`OCSP ${url}: the responder does not know the certificate`);
          continue;
        }
        return { status: r.status, source: 'ocsp', url, revokedAt: r.revokedAt, revocationReason: r.revocationReason, ocspResponse: der, responderCertificates: r.responderCertificates, producedAt: r.producedAt, problems };
      } catch (e) {
        if (e instanceof NetError && e.kind === 'cancelled') throw e;
        problems.push(`OCSP ${url}: ${netReason(e)}`);
      }
    }
    if (info.authorityInfoAccess.ocsp.length === 0) problems.push('no OCSP responder in the certificate');
  }
  if (opts.crl !== false) {
    for (const url of info.crlDistributionPoints) {
      try {
        const der = await httpExchange(url, { ...net, accept: 'application/pkix-crl', maxBytes: 20 * 1024 * 1024 });
        const r = await checkCrl(der, cert, issuer, at);
        return { status: r.status, source: 'crl', url, revokedAt: r.revokedAt, revocationReason: r.revocationReason, crl: der, responderCertificates: [], producedAt: r.thisUpdate, problems };
      } catch (e) {
        if (e instanceof NetError && e.kind === 'cancelled') throw e;
        problems.push(`CRL ${url}: ${netReason(e)}`);
      }
    }
    if (info.crlDistributionPoints.length === 0) problems.push('no CRL distribution point in the certificate');
  }
  return { status: 'unknown', responderCertificates: [], problems };
}

/**
 * The issuer of `cert` from `pool`, else from the certificate's own AIA caIssuers URL (DER certificate).
 * Undefined when neither gives one.
 */
export async function findIssuer(cert: CertInfo, pool: Uint8Array[], opts: NetOptions = {}): Promise<Uint8Array | undefined> {
  const match = (c: CertInfo) => sameName(c.subject, cert.issuer) && (!cert.authorityKeyIdentifier || !c.subjectKeyIdentifier || c.subjectKeyIdentifier === cert.authorityKeyIdentifier);
  for (const d of pool) {
    try {
      if (match(parseCertificate(d))) return d;
    } catch {
      /* not a certificate */
    }
  }
  for (const url of cert.authorityInfoAccess.caIssuers) {
    try {
      const der = await httpExchange(url, { fetch: opts.fetch, timeoutMs: opts.timeoutMs ?? 10_000, signal: opts.signal, maxBytes: 1024 * 1024 });
      if (match(parseCertificate(der))) return der;
    } catch (e) {
      if (e instanceof NetError && e.kind === 'cancelled') throw e;
    }
  }
  return undefined;
}
