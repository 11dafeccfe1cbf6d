// Path building from a signer (or TSA) certificate to a trust anchor, with every certificate's signature checked
// by its issuer's key (WebCrypto), and validity of every certificate at a given time.

import { bytesEqual } from '../pki/der.ts';
import { parseCertificate, pemToDer, sameName, type CertInfo } from '../pki/certificate.ts';
import { parseCms } from '../pades/signed-data.ts';
import type { RevocationFetch } from './revocation.ts';
import { verifySignedObject } from './algorithms.ts';

export interface ChainResult {
  trusted: boolean;
  /** Leaf first; ends with the anchor when trusted, otherwise with the last certificate that could be linked. */
  chain: CertInfo[];
  anchor?: CertInfo;
  reason?: string;
}

export function parseAll(ders: Uint8Array[]): CertInfo[] {
  const out: CertInfo[] = [];
  const seen = new Set<string>();
  for (const d of ders) {
    try {
      const c = parseCertificate(d);
      if (seen.has(c.fingerprints.sha256)) continue;
      seen.add(c.fingerprints.sha256);
      out.push(c);
    } catch {
      /* unreadable certificates in a pool are ignored */
    }
  }
  return out;
}

/** An anchor is matched by its subject and public key (a re-issued anchor certificate with the same key still counts). */
function isAnchor(c: CertInfo, anchors: CertInfo[]): CertInfo | undefined {
  return anchors.find((a) => a.fingerprints.sha256 === c.fingerprints.sha256 || (bytesEqual(a.spki, c.spki) && sameName(a.subject, c.subject)));
}

const sigCache = new Map<string, boolean>();
async function signedBy(child: CertInfo, issuer: CertInfo): Promise<boolean> {
  const key = child.fingerprints.sha256 + issuer.fingerprints.sha256;
  const hit = sigCache.get(key);
  if (hit !== undefined) return hit;
  const ok = (await verifySignedObject(child.der, issuer.spki)).ok;
  if (sigCache.size > 10_000) sigCache.clear(); // the host runs for long; keep the cache bounded
  sigCache.set(key, ok);
  return ok;
}

function issuerCandidates(cur: CertInfo, pool: CertInfo[], used: Set<string>): CertInfo[] {
  return pool.filter((c) => {
    if (used.has(c.fingerprints.sha256)) return false;
    if (!sameName(c.subject, cur.issuer)) return false;
    if (cur.authorityKeyIdentifier && c.subjectKeyIdentifier && cur.authorityKeyIdentifier !== c.subjectKeyIdentifier) return false;
    return true;
  });
}

/** Builds a path leaf → anchor. Certificates in `pool` are untrusted helpers (CMS, DSS); `anchors` are trusted. */
export async function buildTrustedChain(leaf: CertInfo, pool: CertInfo[], anchors: CertInfo[]): Promise<ChainResult> {
  let best: CertInfo[] = [leaf];
  let badSignature = false;
  let notCa: CertInfo | undefined;
  const all = [...anchors, ...pool];
  const walk = async (path: CertInfo[], used: Set<string>): Promise<ChainResult | undefined> => {
    const cur = path[path.length - 1];
    const anchor = isAnchor(cur, anchors);
    if (anchor) return { trusted: true, chain: path, anchor };
    if (path.length > best.length) best = path;
    if (path.length >= 12) return undefined;
    for (const cand of issuerCandidates(cur, all, used)) {
      if (!(await signedBy(cur, cand))) {
        badSignature = true;
        continue;
      }
      const isTrustedCand = !!isAnchor(cand, anchors);
      if (!isTrustedCand && !cand.isCA) {
        notCa = cand;
        continue;
      }
      const r = await walk([...path, cand], new Set([...used, cand.fingerprints.sha256]));
      if (r) return r;
    }
    return undefined;
  };
  const r = await walk([leaf], new Set([leaf.fingerprints.sha256]));
  if (r) return r;
  const top = best[best.length - 1];
  const selfSigned = sameName(top.subject, top.issuer);
  const reason = notCa && best.length === 1
    ? `issuer "${notCa.subject.CN ?? notCa.subjectString}" is not a CA certificate (no basicConstraints cA)`
    : badSignature && best.length === 1
    ? 'a certificate that looks like the issuer did not sign the signer certificate'
    : selfSigned
      ? `chain ends at "${top.subject.CN ?? top.subjectString}", which is not a trust anchor`
      : `issuer "${top.issuer.CN ?? top.issuerString}" not found`;
  return { trusted: false, chain: best, reason };
}

/** The first certificate of `chain` not valid at `at`, if any. */
export function invalidAt(chain: CertInfo[], at: Date): { cert: CertInfo; why: 'expired' | 'not-yet-valid' } | undefined {
  const t = at.getTime();
  for (const c of chain) {
    if (t < c.notBefore.getTime()) return { cert: c, why: 'not-yet-valid' };
    if (t > c.notAfter.getTime()) return { cert: c, why: 'expired' };
  }
  return undefined;
}

/** Certificates in a caIssuers answer: one DER or PEM certificate, or a certs-only PKCS#7 (RFC 5280 §4.2.2.1). */
export function certificatesFromCaIssuers(bytes: Uint8Array): Uint8Array[] {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 64));
  if (head.includes('-----BEGIN CERTIFICATE')) return pemToDer(new TextDecoder().decode(bytes));
  try {
    parseCertificate(bytes);
    return [bytes];
  } catch {
    /* maybe PKCS#7 */
  }
  try {
    return parseCms(bytes).certificates;
  } catch {
    return [];
  }
}

/**
 * buildTrustedChain, and when that fails and `fetch` is given, the issuer certificates the path's last certificate
 * names (AIA caIssuers) are fetched and the path built again — at most `maxFetches` downloads.
 */
export async function buildChainWithAia(leaf: CertInfo, pool: CertInfo[], anchors: CertInfo[], fetch: RevocationFetch | undefined, maxFetches = 4): Promise<ChainResult & { fetched: number }> {
  let r = await buildTrustedChain(leaf, pool, anchors);
  let fetched = 0;
  const tried = new Set<string>();
  while (!r.trusted && fetch && fetched < maxFetches) {
    const top = r.chain[r.chain.length - 1];
    const urls = top.authorityInfoAccess.caIssuers.filter((u) => /^https?:/i.test(u) && !tried.has(u));
    if (!urls.length || sameName(top.subject, top.issuer)) break;
    const url = urls[0];
    tried.add(url);
    fetched++;
    try {
      const more = parseAll(certificatesFromCaIssuers(await fetch(url, { method: 'GET' })));
      if (!more.length) continue;
      pool = [...pool, ...more];
      r = await buildTrustedChain(leaf, pool, anchors);
    } catch {
      /* unreachable: try the next URL */
    }
  }
  return { ...r, fetched };
}
