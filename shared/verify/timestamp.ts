// RFC 3161 timestamp tokens: the signature-time-stamp of a CAdES signature (imprint over the signature value) and
// document timestamps (ETSI.RFC3161, imprint over the byte ranges). The token is a CMS SignedData whose content is
// a TSTInfo; its own signature is checked like any CMS, the imprint against the bytes it claims to cover.

import { bytesEqual, childrenOf, contentOf, isUniversal, oidOf, readDer } from '../pki/der.ts';
import type { CertInfo } from '../pki/certificate.ts';
import { digestOf, hashBytes } from './algorithms.ts';
import { OIDS, verifyCms, type CmsCheck } from './cms.ts';

export interface TstInfo {
  genTime: Date;
  imprintAlgorithm: string;
  imprint: Uint8Array;
  serial: string;
  policy: string;
}

function generalizedTime(b: ReturnType<typeof readDer>): Date {
  const s = new TextDecoder().decode(contentOf(b));
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:[.,](\d+))?(Z|[+-]\d{4})?$/.exec(s);
  if (!m) throw new Error(`bad GeneralizedTime ${s}`);
  const ms = m[7] ? Math.round(Number('0.' + m[7]) * 1000) : 0;
  let t = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], m[6] ? +m[6] : 0, ms);
  if (m[8] && m[8] !== 'Z') {
    const sign = m[8][0] === '-' ? -1 : 1;
    t -= sign * (parseInt(m[8].slice(1, 3), 10) * 60 + parseInt(m[8].slice(3, 5), 10)) * 60000;
  }
  return new Date(t);
}

export function parseTstInfo(der: Uint8Array): TstInfo {
  const seq = readDer(der);
  const k = childrenOf(seq);
  // version, policy, messageImprint, serialNumber, genTime, …
  const policy = oidOf(k[1]!);
  const mi = childrenOf(k[2]!);
  const imprintAlgorithm = oidOf(childrenOf(mi[0]!)[0]!);
  const imprint = contentOf(mi[1]!);
  if (!isUniversal(k[3]!, 2) || !isUniversal(k[4]!, 24)) throw new Error('TSTInfo: serialNumber/genTime expected');
  const serial = [...contentOf(k[3]!)].map((x) => x.toString(16).padStart(2, '0')).join('');
  return { genTime: generalizedTime(k[4]!), imprintAlgorithm, imprint, serial, policy };
}

export interface TimestampCheck {
  /** ok: token signature and imprint verified. */
  status: 'ok' | 'bad-imprint' | 'bad-signature' | 'unsupported' | 'malformed';
  reason?: string;
  time?: Date;
  tsa?: CertInfo;
  cms?: CmsCheck;
  warnings: string[];
}

/** Verifies a TimeStampToken (ContentInfo DER) over `covered`: TSA signature on the TSTInfo, then the imprint. */
export async function verifyTimestampToken(token: Uint8Array, covered: Uint8Array, extraCertificates: Uint8Array[] = []): Promise<TimestampCheck> {
  const cms = await verifyCms(token, undefined, extraCertificates);
  const warnings = [...cms.warnings];
  if (!cms.cms || cms.cms.encapContentType !== OIDS.tstInfo || !cms.eContent) {
    return { status: 'malformed', reason: cms.reason ?? 'not an RFC 3161 timestamp token (no TSTInfo)', cms, warnings };
  }
  let info: TstInfo;
  try {
    info = parseTstInfo(cms.eContent);
  } catch (e) {
    return { status: 'malformed', reason: `TSTInfo not readable: ${(e as Error).message}`, cms, warnings };
  }
  const base = { time: info.genTime, tsa: cms.signer, cms, warnings };
  if (cms.status === 'unsupported') return { status: 'unsupported', reason: cms.reason, ...base };
  if (cms.status !== 'ok') return { status: cms.status === 'malformed' || cms.status === 'no-certificate' ? 'malformed' : 'bad-signature', reason: `timestamp token: ${cms.reason}`, ...base };
  const d = digestOf(info.imprintAlgorithm);
  if ('unsupported' in d) return { status: 'unsupported', reason: `timestamp imprint ${d.unsupported}`, ...base };
  const actual = await hashBytes(d.hash, covered);
  if (!bytesEqual(actual, info.imprint)) return { status: 'bad-imprint', reason: 'timestamp imprint does not match the timestamped data', ...base };
  return { status: 'ok', ...base };
}

export { generalizedTime };
