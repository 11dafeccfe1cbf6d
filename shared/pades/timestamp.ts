// RFC 3161 time-stamps: the request (TimeStampReq over a hash, with a nonce and certReq), the exchange with the
// TSA over HTTP (timeout, bounded retries, cancellation), and the checks on the reply: status granted, message
// imprint and nonce as sent, the TSA's signature over TSTInfo, a TSA certificate with extendedKeyUsage timeStamping.
// Used for the signature-time-stamp of B-T (imprint = hash of the signature value) and for document time-stamps
// (B-LTA, imprint = hash of the byte range). Trust in the TSA's chain is left to verification.

import { asKysoError, KysoError } from '../protocol/errors.ts';
import { parseCertificate } from '../pki/certificate.ts';
import { bytesEqual, childrenOf, contentOf, derOctetString, derOid, derSequence, derUnsignedInteger, isContext, isUniversal, oidOf, rawOf, readDer, toHex, type Asn1 } from '../pki/der.ts';
import * as asn1js from 'asn1js';
import { digest, hashFromOid, hashLength, hashOid, type HashAlg } from './algorithms.ts';
import { parseCms, type ParsedCms } from './signed-data.ts';
import { ecdsaDerToRaw } from './algorithms.ts';
import { httpExchange, NetError, type FetchLike } from '../ltv/net.ts';

export const OID_TST_INFO = '1.2.840.113549.1.9.16.1.4';
export const OID_KP_TIME_STAMPING = '1.3.6.1.5.5.7.3.8';

export interface TimestampRequestOptions {
  /** The TSA's URL: from the options (--tsa) or the policy, never anything else. */
  url: string;
  fetch?: FetchLike;
  /** Per attempt. Default 15 s. */
  timeoutMs?: number;
  /** Further attempts after a connection failure, a timeout or an HTTP 5xx. Default 2. */
  retries?: number;
  /** Wait before retry n: n × this. Default 500 ms. */
  retryDelayMs?: number;
  signal?: AbortSignal;
  /** TSA policy OID to ask for. */
  policy?: string;
}

export interface TimestampResult {
  /** The TimeStampToken: a ContentInfo (SignedData over TSTInfo), exactly as the TSA sent it. */
  token: Uint8Array;
  genTime: Date;
  serialNumber: string;
  policy: string;
  /** The TSA's certificate (from the token), DER. */
  tsaCertificate: Uint8Array;
  /** Every certificate in the token, DER. */
  certificates: Uint8Array[];
}

/** DER TimeStampReq v1: messageImprint, optional reqPolicy, nonce, certReq TRUE. */
export function buildTimestampRequest(hash: HashAlg, imprint: Uint8Array, nonce: Uint8Array, policy?: string): Uint8Array {
  if (imprint.length !== hashLength(hash)) throw new KysoError('INVALID_ARGUMENT', `A ${hash} imprint has ${hashLength(hash)} bytes.`);
  return derSequence(
    derUnsignedInteger(Uint8Array.of(1)),
    derSequence(derSequence(derOid(hashOid(hash))), derOctetString(imprint)),
    policy ? derOid(policy) : new Uint8Array(0),
    derUnsignedInteger(nonce),
    Uint8Array.of(0x01, 0x01, 0xff), // certReq TRUE
  );
}

function stripZeros(b: Uint8Array): Uint8Array {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

export interface ParsedTstInfo {
  policy: string;
  hash: HashAlg | null;
  hashOid: string;
  imprint: Uint8Array;
  serialNumber: string;
  genTime: Date;
  nonce?: Uint8Array;
}

export function parseTstInfo(der: Uint8Array): ParsedTstInfo {
  const kids = childrenOf(readDer(der));
  const [, policyB, mi, serialB, genB, ...rest] = kids;
  if (!policyB || !mi || !serialB || !genB) throw new Error('Truncated TSTInfo');
  const [algB, imprintB] = childrenOf(mi);
  const algOid = oidOf(childrenOf(algB!)[0]!);
  if (!(genB instanceof asn1js.GeneralizedTime)) throw new Error('TSTInfo genTime is not a GeneralizedTime');
  const out: ParsedTstInfo = {
    policy: oidOf(policyB),
    hashOid: algOid,
    hash: hashFromOid(algOid),
    imprint: contentOf(imprintB!),
    serialNumber: toHex(stripZeros(contentOf(serialB))),
    genTime: genB.toDate(),
  };
  for (const r of rest) if (isUniversal(r, 2)) out.nonce = stripZeros(contentOf(r));
  return out;
}

/** The TSTInfo DER inside a TimeStampToken (eContent of its SignedData). */
export function tstInfoOfToken(token: Uint8Array): Uint8Array {
  const ci = readDer(token);
  const sd = childrenOf(childrenOf(ci)[1]!)[0]!;
  const encap = childrenOf(sd).find((k, i) => i >= 2 && isUniversal(k, 16))!;
  const [type, explicit] = childrenOf(encap);
  if (!type || oidOf(type) !== OID_TST_INFO || !explicit || !isContext(explicit, 0)) throw new Error('Not a TimeStampToken (eContentType is not id-ct-TSTInfo)');
  const os: Asn1 = childrenOf(explicit)[0]!;
  // DER OCTET STRING, or a constructed one (BER) made of pieces.
  if (os.idBlock.isConstructed) {
    const parts = childrenOf(os).map(contentOf);
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
  return contentOf(os);
}

/**
 * Checks a TimeStampToken against the imprint (and nonce) it was asked for: TSTInfo's imprint, the TSA's
 * signature (message digest of TSTInfo and the signature over the signed attributes, via pkijs/WebCrypto), and
 * extendedKeyUsage timeStamping on the signing certificate. Throws TSA_RESPONSE_INVALID.
 */
export async function checkTimestampToken(token: Uint8Array, hash: HashAlg, imprint: Uint8Array, nonce?: Uint8Array): Promise<TimestampResult> {
  const bad = (why: string, cause?: unknown) => new KysoError('TSA_RESPONSE_INVALID', why, undefined, { cause });
  let tst: ParsedTstInfo;
  let tstDer: Uint8Array;
  try {
    tstDer = tstInfoOfToken(token);
    tst = parseTstInfo(tstDer);
  } catch (e) {
    throw bad(`Unreadable TimeStampToken: ${(e as Error).message}`, e);
  }
  if (tst.hash !== hash || !bytesEqual(tst.imprint, imprint)) throw bad('The time-stamp is not over the data sent (message imprint differs).');
  if (nonce && (!tst.nonce || !bytesEqual(tst.nonce, stripZeros(nonce)))) throw bad('The time-stamp does not carry the nonce sent.');
  let cms: ParsedCms;
  try {
    cms = parseCms(token);
  } catch (e) {
    throw bad('TimeStampToken is not a SignedData.', e);
  }
  const si = cms.signer;
  if (!si.certificate) throw bad("The TSA's certificate is not in the time-stamp (certReq was sent).");
  if (!si.hash || !si.messageDigest || !si.signedAttributesDer) throw bad('The time-stamp signature lacks signed attributes or uses an unknown digest.');
  if (si.contentType !== OID_TST_INFO) throw bad('The content-type attribute is not id-ct-TSTInfo.');
  if (!bytesEqual(await digest(si.hash, tstDer), si.messageDigest)) throw bad('The message-digest attribute does not match TSTInfo.');
  if (!(await verifyWithCertificate(si.certificate, si.signatureAlgorithm.oid, si.hash, si.signedAttributesDer, si.signature))) throw bad("The TSA's signature does not verify.");
  const tsaCertificate = si.certificate;
  const certificates = cms.certificates;
  const info = parseCertificate(tsaCertificate);
  if (!info.extendedKeyUsage?.includes(OID_KP_TIME_STAMPING)) throw bad(`The TSA certificate (${info.subjectString}) lacks extendedKeyUsage timeStamping.`);
  return { token, genTime: tst.genTime, serialNumber: tst.serialNumber, policy: tst.policy, tsaCertificate, certificates };
}

const SIG_HASH: Record<string, HashAlg> = {
  '1.2.840.113549.1.1.11': 'SHA-256',
  '1.2.840.113549.1.1.12': 'SHA-384',
  '1.2.840.113549.1.1.13': 'SHA-512',
  '1.2.840.10045.4.3.2': 'SHA-256',
  '1.2.840.10045.4.3.3': 'SHA-384',
  '1.2.840.10045.4.3.4': 'SHA-512',
};

/** Verifies a CMS signature value over `data` with a certificate's key (RSA PKCS#1 v1.5, RSASSA-PSS, ECDSA) via WebCrypto. */
export async function verifyWithCertificate(certDer: Uint8Array, sigAlgOid: string, digestHash: HashAlg, data: Uint8Array, signature: Uint8Array): Promise<boolean> {
  const info = parseCertificate(certDer);
  const subtle = globalThis.crypto.subtle;
  const spki = info.spki as Uint8Array<ArrayBuffer>;
  const hash = SIG_HASH[sigAlgOid] ?? digestHash;
  const pk = info.keyType;
  try {
    if (pk.kind === 'rsa' && sigAlgOid === '1.2.840.113549.1.1.10') {
      const key = await subtle.importKey('spki', spki, { name: 'RSA-PSS', hash }, false, ['verify']);
      return await subtle.verify({ name: 'RSA-PSS', saltLength: hashLength(hash) }, key, signature as Uint8Array<ArrayBuffer>, data as Uint8Array<ArrayBuffer>);
    }
    if (pk.kind === 'rsa') {
      const key = await subtle.importKey('spki', spki, { name: 'RSASSA-PKCS1-v1_5', hash }, false, ['verify']);
      return await subtle.verify({ name: 'RSASSA-PKCS1-v1_5' }, key, signature as Uint8Array<ArrayBuffer>, data as Uint8Array<ArrayBuffer>);
    }
    if (pk.kind === 'ec' && pk.curve) {
      const key = await subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: pk.curve }, false, ['verify']);
      const raw = ecdsaDerToRaw(signature, Math.ceil(pk.bits / 8));
      return await subtle.verify({ name: 'ECDSA', hash }, key, raw as Uint8Array<ArrayBuffer>, data as Uint8Array<ArrayBuffer>);
    }
  } catch {
    return false;
  }
  return false;
}

const STATUS_TEXT = ['granted', 'grantedWithMods', 'rejection', 'waiting', 'revocationWarning', 'revocationNotification'];

/** TimeStampResp → the token, after checking the PKIStatus. */
export function tokenOfResponse(resp: Uint8Array): Uint8Array {
  let kids: Asn1[];
  try {
    kids = childrenOf(readDer(resp));
  } catch (e) {
    throw new KysoError('TSA_RESPONSE_INVALID', 'The TSA answered something that is not a TimeStampResp.', undefined, { cause: e });
  }
  const statusInfo = kids[0] ? childrenOf(kids[0]) : [];
  const statusB = statusInfo[0];
  if (!statusB || !isUniversal(statusB, 2)) throw new KysoError('TSA_RESPONSE_INVALID', 'TimeStampResp without a status.');
  const status = contentOf(statusB).reduce((n, b) => n * 256 + b, 0);
  if (status !== 0 && status !== 1) {
    const text = statusInfo[1] && isUniversal(statusInfo[1], 16) ? childrenOf(statusInfo[1]).map((s) => new TextDecoder().decode(contentOf(s))).join('; ') : '';
    throw new KysoError('TSA_REJECTED', `Status ${STATUS_TEXT[status] ?? status}${text ? `: ${text}` : ''}.`, { status });
  }
  if (!kids[1]) throw new KysoError('TSA_RESPONSE_INVALID', 'Granted, but no TimeStampToken.');
  return rawOf(kids[1]);
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new KysoError('USER_CANCELLED'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Asks the TSA for a time-stamp over `imprint` (already a `hash` digest) and checks the reply.
 * Errors: TSA_UNAVAILABLE (connection refused, DNS, HTTP 5xx after the retries, other HTTP statuses), TSA_TIMEOUT,
 * TSA_REJECTED, TSA_RESPONSE_INVALID, USER_CANCELLED (signal), NETWORK_URL_FORBIDDEN.
 */
export async function requestTimestamp(imprint: Uint8Array, hash: HashAlg, opts: TimestampRequestOptions): Promise<TimestampResult> {
  const nonce = new Uint8Array(8);
  globalThis.crypto.getRandomValues(nonce);
  nonce[0] &= 0x7f;
  nonce[0] |= 0x01; // no leading zero: compared as a magnitude
  const req = buildTimestampRequest(hash, imprint, nonce, opts.policy);
  const retries = Math.max(0, Math.min(opts.retries ?? 2, 5));
  let last: KysoError | undefined;
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await sleep((opts.retryDelayMs ?? 500) * attempt, opts.signal);
    let resp: Uint8Array;
    try {
      resp = await httpExchange(opts.url, { fetch: opts.fetch, body: req, contentType: 'application/timestamp-query', accept: 'application/timestamp-reply', timeoutMs: opts.timeoutMs, signal: opts.signal, maxBytes: 1024 * 1024 });
    } catch (e) {
      if (!(e instanceof NetError)) throw asKysoError(e, 'TSA_UNAVAILABLE');
      const details = { url: opts.url, attempts: attempt + 1 };
      if (e.kind === 'cancelled') throw new KysoError('USER_CANCELLED', e.message);
      if (e.kind === 'forbidden-url') throw new KysoError('NETWORK_URL_FORBIDDEN', e.message, details);
      if (e.kind === 'timeout') last = new KysoError('TSA_TIMEOUT', `${opts.url}: ${e.message} (${opts.timeoutMs ?? 15_000} ms, attempt ${attempt + 1}).`, details, { cause: e });
      else last = new KysoError('TSA_UNAVAILABLE', `${opts.url}: ${e.message}`, details, { cause: e });
      const retryable = e.kind === 'timeout' || e.kind === 'unavailable' || (e.kind === 'http' && (e.status ?? 0) >= 500);
      if (!retryable) throw last;
      continue;
    }
    return checkTimestampToken(tokenOfResponse(resp), hash, imprint, nonce);
  }
  throw last ?? new KysoError('TSA_UNAVAILABLE');
}

/** The B-T hook of buildPadesCms / signPdf: time-stamps the signature value (imprint = its hash). */
export function signatureTimestamper(opts: TimestampRequestOptions): (signatureValue: Uint8Array, hash: HashAlg) => Promise<Uint8Array> {
  return async (signatureValue, hash) => (await requestTimestamp(await digest(hash, signatureValue), hash, opts)).token;
}

