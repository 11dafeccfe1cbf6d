// The certificate picker's view of the tokens' certificates: who holds it, who issued it, whether it may sign now,
// its chain (CA certificates on the same token, and the trust anchors of the settings, matched by issuer, as
// `kyso sign` builds it) and the signature scheme its key takes.

import type { SignatureScheme } from '@kyso/shared/pades/algorithms';
import { defaultSchemeFor } from '@kyso/shared/pades/signer';
import { buildChain, canSign, certValidity, parseCertificate, type CertInfo } from '@kyso/shared/pki/certificate';
import { fromBase64 } from '@kyso/shared/pki/der';
import type { SigningCertificates, TokenCertificate } from '../../shared/messages.ts';
import { textsOf } from '../../shared/i18n.ts';
import { SIGN_TEXTS } from './texts.ts';

const t = textsOf(SIGN_TEXTS);

export interface PickerCertificate {
  /** Unique on the page: token serial and CKA_ID. */
  key: string;
  source: TokenCertificate;
  info: CertInfo;
  holder: string;
  organisation?: string;
  issuer: string;
  validity: 'valid' | 'expired' | 'not-yet-valid';
  /** keyUsage allows signatures (digitalSignature or nonRepudiation, or no keyUsage at all). */
  signingUsage: boolean;
  /** null: KýSố cannot sign with this key type. */
  scheme: SignatureScheme | null;
  /** Issuers up to the root as far as found, DER, without the certificate itself. */
  chain: Uint8Array[];
  /** Valid now, with a signing key usage and a key type we sign with. Revocation is checked separately. */
  usable: boolean;
  /** Why not usable, in Vietnamese. */
  reason?: string;
}

const fmt = (d: Date) => d.toLocaleDateString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' });

/**
 * The certificates the user may pick from: only those with their private key on the token (CA certificates are
 * there for chains). Usable ones first, then by holder.
 */
export function classifyCertificates(list: SigningCertificates, now: Date = new Date(), extraPool: readonly Uint8Array[] = []): PickerCertificate[] {
  const parsed: { source: TokenCertificate; info: CertInfo }[] = [];
  for (const c of list.certificates) {
    try {
      parsed.push({ source: c, info: parseCertificate(fromBase64(c.certificate)) });
    } catch {
      // A certificate object the parser cannot read is neither choosable nor part of a chain.
    }
  }
  const extras: CertInfo[] = [];
  for (const der of extraPool) {
    try {
      extras.push(parseCertificate(der));
    } catch {
      // ignore: the settings' validation reports bad anchors
    }
  }
  const out: PickerCertificate[] = [];
  for (const p of parsed) {
    if (!p.source.hasPrivateKey) continue;
    const pool = [...parsed.filter((q) => q !== p && q.source.token === p.source.token).map((q) => q.info), ...extras];
    const chain = buildChain(p.info, pool)
      .slice(1)
      .map((c) => c.der);
    const validity = certValidity(p.info, now);
    const signingUsage = canSign(p.info);
    const scheme = defaultSchemeFor(p.info);
    let reason: string | undefined;
    if (validity === 'expired') reason = t('certExpired', { date: fmt(p.info.notAfter) });
    else if (validity === 'not-yet-valid') reason = t('certNotYetValid', { date: fmt(p.info.notBefore) });
    else if (!signingUsage) reason = t('certNoSigningUsage');
    else if (!scheme) reason = t('certNoScheme');
    out.push({
      key: `${p.source.token}:${p.source.id}`,
      source: p.source,
      info: p.info,
      holder: p.info.subject.CN ?? p.info.subjectString,
      organisation: p.info.subject.O,
      issuer: p.info.issuer.CN ?? p.info.issuerString,
      validity,
      signingUsage,
      scheme,
      chain,
      usable: !reason,
      reason,
    });
  }
  return out.sort((a, b) => Number(b.usable) - Number(a.usable) || a.holder.localeCompare(b.holder, 'vi'));
}

/** What the picker lists: usable ones and those expired or not yet valid (marked); without signing usage only on "show all". */
export function visibleCertificates(all: PickerCertificate[], showAll: boolean): PickerCertificate[] {
  return showAll ? all : all.filter((c) => c.signingUsage);
}
