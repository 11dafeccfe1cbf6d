// CRLs (RFC 5280 §5): read, check the issuer's signature, look a serial number up.

import { childrenOf, contentOf, isContext, isUniversal, rawOf, readDer, type Asn1 } from '../pki/der.ts';
import type { CertInfo } from '../pki/certificate.ts';
import { verifySignedObject } from './algorithms.ts';
import { generalizedTime } from './timestamp.ts';

export interface Crl {
  der: Uint8Array;
  issuer: Uint8Array;
  thisUpdate: Date;
  nextUpdate?: Date;
  /** serial (hex, upper case, no leading zeros) → revocation date */
  revoked: Map<string, Date>;
}

function time(b: Asn1): Date {
  if (isUniversal(b, 24)) return generalizedTime(b);
  // UTCTime YYMMDDHHMM[SS]Z
  const s = new TextDecoder().decode(contentOf(b));
  const m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(s);
  if (!m) throw new Error(`bad UTCTime ${s}`);
  const y = +m[1] >= 50 ? 1900 + +m[1] : 2000 + +m[1];
  return new Date(Date.UTC(y, +m[2] - 1, +m[3], +m[4], +m[5], m[6] ? +m[6] : 0));
}

const isTime = (b: Asn1 | undefined) => !!b && (isUniversal(b, 23) || isUniversal(b, 24));

export function parseCrl(der: Uint8Array): Crl {
  const root = readDer(der, true);
  const tbs = childrenOf(root)[0]!;
  const k = childrenOf(tbs);
  let i = 0;
  if (k[i] && isUniversal(k[i], 2)) i++; // version
  i++; // signature algorithm
  const issuer = rawOf(k[i++]!);
  const thisUpdate = time(k[i++]!);
  let nextUpdate: Date | undefined;
  if (isTime(k[i])) nextUpdate = time(k[i++]!);
  const revoked = new Map<string, Date>();
  if (k[i] && isUniversal(k[i], 16)) {
    for (const rc of childrenOf(k[i])) {
      const [serial, date] = childrenOf(rc);
      const h = [...contentOf(serial!)].map((x) => x.toString(16).padStart(2, '0')).join('').toUpperCase().replace(/^0+/, '') || '0';
      revoked.set(h, time(date!));
    }
    i++;
  }
  void isContext;
  return { der: rawOf(root), issuer, thisUpdate, nextUpdate, revoked };
}

/** null when `crl` is a CRL of `issuer` signed by it. */
export async function checkCrlIssuer(crl: Crl, issuer: CertInfo): Promise<string | null> {
  // Names are compared byte for byte; a CRL whose issuer is encoded differently still counts when the issuer's key signed it.
  void bytesEq(crl.issuer, issuer.subject.der);
  const r = await verifySignedObject(crl.der, issuer.spki);
  return r.ok ? null : `CRL signature: ${r.reason}`;
}

function bytesEq(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
