// Revocation status of each certificate of a chain at the signing time: embedded validation data first (the DSS,
// and Adobe's revocationInfoArchival attribute), then — only when a fetch function is given — the OCSP responders
// and CRL distribution points the certificates name. A certificate naming sources whose answer cannot be had is
// "unknown", never "good"; one naming none is "no-sources".

import type { CertInfo } from '../pki/certificate.ts';
import { buildOcspRequest, checkOcspSigner, findSingle, parseOcsp, type OcspResponse } from './ocsp.ts';
import { checkCrlIssuer, parseCrl, type Crl } from './crl.ts';

/** Fetches a URL: GET, or POST with a body. Must reject on network errors and non-2xx answers. */
export type RevocationFetch = (url: string, init: { method: 'GET' | 'POST'; body?: Uint8Array; contentType?: string }) => Promise<Uint8Array>;

export interface RevocationData {
  ocsps: Uint8Array[];
  crls: Uint8Array[];
  /** Certificates that may have signed OCSP responses. */
  certs: Uint8Array[];
}

export type CertStatus = 'good' | 'revoked' | 'unknown' | 'no-sources';

export interface CertRevocation {
  subject: string;
  serial: string;
  status: CertStatus;
  source?: 'embedded-ocsp' | 'embedded-crl' | 'online-ocsp' | 'online-crl';
  revocationTime?: Date;
  reason?: string;
}

export interface RevocationResult {
  status: 'good' | 'revoked' | 'unknown';
  certificates: CertRevocation[];
  warnings: string[];
  /** Embedded data covered the chain (for the B-LT level). */
  embeddedComplete: boolean;
}

interface Ctx {
  at: Date;
  timeTrusted: boolean;
  ocsps: OcspResponse[];
  crls: Crl[];
  extraCerts: Uint8Array[];
  fetch?: RevocationFetch;
  cache: Map<string, Promise<Uint8Array | null>>;
}

/** Whether a response or CRL issued at thisUpdate (valid to nextUpdate) speaks for time `at`. */
function coversTime(thisUpdate: Date, nextUpdate: Date | undefined, at: Date, fresh: boolean): boolean {
  if (fresh) return true;
  const t = at.getTime();
  if (thisUpdate.getTime() >= t) return true;
  return !!nextUpdate && thisUpdate.getTime() <= t && t <= nextUpdate.getTime();
}

function decide(cert: CertInfo, status: 'good' | 'revoked', revocationTime: Date | undefined, source: CertRevocation['source'], ctx: Ctx, warnings: string[]): CertRevocation {
  const base = { subject: cert.subject.CN ?? cert.subjectString, serial: cert.serialNumber, source };
  if (status === 'revoked' && revocationTime) {
    if (revocationTime.getTime() > ctx.at.getTime() && ctx.timeTrusted) {
      warnings.push(`"${base.subject}" was revoked on ${revocationTime.toISOString()}, after the timestamped signing time`);
      return { ...base, status: 'good', revocationTime };
    }
    return { ...base, status: 'revoked', revocationTime, reason: `revoked on ${revocationTime.toISOString()}` };
  }
  return { ...base, status };
}

async function fromOcsp(resp: OcspResponse, cert: CertInfo, issuer: CertInfo, ctx: Ctx, fresh: boolean): Promise<{ status: 'good' | 'revoked' | 'unknown'; time?: Date; why?: string } | undefined> {
  const single = await findSingle(resp, cert, issuer);
  if (!single) return undefined;
  const signer = await checkOcspSigner(resp, issuer, ctx.extraCerts);
  if (signer) return { status: 'unknown', why: signer };
  if (!coversTime(single.thisUpdate, single.nextUpdate, ctx.at, fresh)) return { status: 'unknown', why: 'OCSP response does not cover the signing time' };
  return { status: single.status, time: single.revocationTime };
}

async function fromCrl(crl: Crl, cert: CertInfo, issuer: CertInfo, ctx: Ctx, fresh: boolean): Promise<{ status: 'good' | 'revoked'; time?: Date } | { status: 'unknown'; why: string } | undefined> {
  if (await checkCrlIssuer(crl, issuer)) return undefined;
  if (!coversTime(crl.thisUpdate, crl.nextUpdate, ctx.at, fresh)) return { status: 'unknown', why: 'CRL does not cover the signing time' };
  const d = crl.revoked.get(cert.serialNumber);
  return d ? { status: 'revoked', time: d } : { status: 'good' };
}

function cached(ctx: Ctx, key: string, get: () => Promise<Uint8Array>): Promise<Uint8Array | null> {
  let p = ctx.cache.get(key);
  if (!p) {
    p = get().catch(() => null);
    ctx.cache.set(key, p);
  }
  return p;
}

async function statusOf(cert: CertInfo, issuer: CertInfo, ctx: Ctx, warnings: string[]): Promise<CertRevocation & { embedded: boolean }> {
  const notes: string[] = [];
  for (const r of ctx.ocsps) {
    const s = await fromOcsp(r, cert, issuer, ctx, false);
    if (!s) continue;
    if (s.status === 'unknown') {
      notes.push(s.why ?? 'OCSP: unknown');
      continue;
    }
    return { ...decide(cert, s.status, s.time, 'embedded-ocsp', ctx, warnings), embedded: true };
  }
  for (const c of ctx.crls) {
    const s = await fromCrl(c, cert, issuer, ctx, false);
    if (!s) continue;
    if (s.status === 'unknown') {
      notes.push(s.why);
      continue;
    }
    return { ...decide(cert, s.status, s.time, 'embedded-crl', ctx, warnings), embedded: true };
  }
  const named = cert.authorityInfoAccess.ocsp.length + cert.crlDistributionPoints.length;
  const base = { subject: cert.subject.CN ?? cert.subjectString, serial: cert.serialNumber, embedded: false };
  if (named === 0) return { ...base, status: 'no-sources', reason: 'the certificate names no OCSP responder or CRL' };
  if (!ctx.fetch) return { ...base, status: 'unknown', reason: [...notes, 'no embedded revocation data and online checks are off'].join('; ') };
  const fetch = ctx.fetch;
  for (const url of cert.authorityInfoAccess.ocsp.filter((u) => /^https?:/i.test(u))) {
    const req = await buildOcspRequest(cert, issuer);
    const bytes = await cached(ctx, `ocsp ${url} ${issuer.fingerprints.sha256} ${cert.serialNumber}`, () => fetch(url, { method: 'POST', body: req, contentType: 'application/ocsp-request' }));
    if (!bytes) {
      notes.push(`OCSP ${url}: no answer`);
      continue;
    }
    try {
      const s = await fromOcsp(parseOcsp(bytes), cert, issuer, ctx, true);
      if (!s || s.status === 'unknown') {
        notes.push(`OCSP ${url}: ${s?.why ?? 'no status for this certificate'}`);
        continue;
      }
      return { ...decide(cert, s.status, s.time, 'online-ocsp', ctx, warnings), embedded: false };
    } catch (e) {
      notes.push(`OCSP ${url}: ${(e as Error).message}`);
    }
  }
  for (const url of cert.crlDistributionPoints.filter((u) => /^https?:/i.test(u))) {
    const bytes = await cached(ctx, `crl ${url}`, () => fetch(url, { method: 'GET' }));
    if (!bytes) {
      notes.push(`CRL ${url}: no answer`);
      continue;
    }
    try {
      const s = await fromCrl(parseCrl(bytes), cert, issuer, ctx, true);
      if (!s || s.status === 'unknown') {
        notes.push(`CRL ${url}: ${s && 'why' in s ? s.why : 'not issued by the certificate issuer'}`);
        continue;
      }
      return { ...decide(cert, s.status, s.time, 'online-crl', ctx, warnings), embedded: false };
    } catch (e) {
      notes.push(`CRL ${url}: ${(e as Error).message}`);
    }
  }
  return { ...base, status: 'unknown', reason: notes.join('; ') || 'no revocation status' };
}

export function parseRevocationData(data: RevocationData): { ocsps: OcspResponse[]; crls: Crl[] } {
  const ocsps: OcspResponse[] = [];
  const crls: Crl[] = [];
  for (const d of data.ocsps) {
    try {
      ocsps.push(parseOcsp(d));
    } catch {
      /* unreadable or unsuccessful responses say nothing */
    }
  }
  for (const d of data.crls) {
    try {
      crls.push(parseCrl(d));
    } catch {
      /* ignored */
    }
  }
  return { ocsps, crls };
}

/**
 * Status of every certificate of `chain` (leaf first; the last one, the anchor, is not checked) at `at`.
 * `timeTrusted`: `at` comes from a verified timestamp (then a revocation after it does not matter).
 */
export async function checkChainRevocation(
  chain: CertInfo[],
  at: Date,
  timeTrusted: boolean,
  embedded: { ocsps: OcspResponse[]; crls: Crl[]; certs: Uint8Array[] },
  fetch: RevocationFetch | undefined,
  cache: Map<string, Promise<Uint8Array | null>>,
): Promise<RevocationResult> {
  const ctx: Ctx = { at, timeTrusted, ocsps: embedded.ocsps, crls: embedded.crls, extraCerts: embedded.certs, fetch, cache };
  const warnings: string[] = [];
  const certificates: CertRevocation[] = [];
  let embeddedComplete = chain.length > 1;
  for (let i = 0; i + 1 < chain.length; i++) {
    const r = await statusOf(chain[i], chain[i + 1], ctx, warnings);
    if (!r.embedded && r.status !== 'no-sources') embeddedComplete = false;
    const { embedded: _e, ...rest } = r;
    certificates.push(rest);
    if (r.status === 'no-sources') warnings.push(`"${r.subject}" names no revocation source; not checked`);
  }
  const status = certificates.some((c) => c.status === 'revoked') ? 'revoked' : certificates.some((c) => c.status === 'unknown') ? 'unknown' : 'good';
  return { status, certificates, warnings, embeddedComplete };
}
