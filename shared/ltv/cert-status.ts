// Before signing: is the chosen certificate usable? Validity period first (offline), then revocation (OCSP, then
// CRL, from the certificate's own URLs). Expired, not yet valid and revoked certificates are blocked with typed
// errors; a status that cannot be found is a warning with the reason. certificateStatus() is what the UI's
// certificate picker calls; checkSigningCertificate() is the signing pipeline's gate.

import { certValidity, parseCertificate } from '../pki/certificate.ts';
import { KysoError } from '../protocol/errors.ts';
import { checkRevocation, findIssuer, type RevocationOptions } from './revocation.ts';

export interface CertificateStatus {
  validity: 'valid' | 'expired' | 'not-yet-valid';
  notBefore: Date;
  notAfter: Date;
  /** 'not-checked' when the validity period already rules the certificate out, or revocation was not asked for. */
  revocation: 'good' | 'revoked' | 'unknown' | 'not-checked';
  source?: 'ocsp' | 'crl';
  url?: string;
  revokedAt?: Date;
  revocationReason?: string;
  /** Why the revocation status is unknown (one line per source tried). */
  problems: string[];
  /** What the picker shows: 'ok', or the error code that blocks / the warning code. */
  verdict: 'ok' | 'CERT_EXPIRED' | 'CERT_NOT_YET_VALID' | 'CERT_REVOKED' | 'REVOCATION_UNKNOWN';
}

export interface CertificateStatusOptions extends RevocationOptions {
  /** Intermediates (and root) to find the issuer in before asking the certificate's caIssuers URL. */
  chain?: Uint8Array[];
  /** false: validity period only (no network). Default true. */
  revocation?: boolean;
}

/** The status of a certificate for the picker: never throws for network trouble (that is 'unknown' with reasons). */
export async function certificateStatus(certificate: Uint8Array, opts: CertificateStatusOptions = {}): Promise<CertificateStatus> {
  const info = parseCertificate(certificate);
  const at = opts.at ?? new Date();
  const validity = certValidity(info, at);
  const base = { validity, notBefore: info.notBefore, notAfter: info.notAfter, problems: [] as string[] };
  if (validity === 'expired') return { ...base, revocation: 'not-checked', verdict: 'CERT_EXPIRED' };
  if (validity === 'not-yet-valid') return { ...base, revocation: 'not-checked', verdict: 'CERT_NOT_YET_VALID' };
  if (opts.revocation === false) return { ...base, revocation: 'not-checked', verdict: 'ok' };
  const issuer = await findIssuer(info, opts.chain ?? [], opts);
  if (!issuer) return { ...base, revocation: 'unknown', problems: [`issuer certificate of ${info.subjectString} not found`], verdict: 'REVOCATION_UNKNOWN' };
  const r = await checkRevocation(certificate, issuer, { ...opts, at });
  const out: CertificateStatus = { ...base, revocation: r.status, source: r.source, url: r.url, revokedAt: r.revokedAt, revocationReason: r.revocationReason, problems: r.problems, verdict: 'ok' };
  if (r.status === 'revoked') out.verdict = 'CERT_REVOKED';
  else if (r.status === 'unknown') out.verdict = 'REVOCATION_UNKNOWN';
  return out;
}

/**
 * The gate before signing: throws CERT_EXPIRED, CERT_NOT_YET_VALID or CERT_REVOKED; returns warnings (Vietnamese,
 * with the reason) when the revocation status could not be found. `strict` turns that into REVOCATION_UNKNOWN.
 */
export async function checkSigningCertificate(certificate: Uint8Array, opts: CertificateStatusOptions & { strict?: boolean } = {}): Promise<{ status: CertificateStatus; warnings: string[] }> {
  const s = await certificateStatus(certificate, opts);
  const fmt = (d: Date) => d.toISOString().slice(0, 10);
  switch (s.verdict) {
    case 'CERT_EXPIRED':
      throw new KysoError('CERT_EXPIRED', `Valid until ${s.notAfter.toISOString()}.`, { notAfter: s.notAfter.toISOString() }, { vi: `Chứng thư số đã hết hạn ngày ${fmt(s.notAfter)}, không dùng để ký được.` });
    case 'CERT_NOT_YET_VALID':
      throw new KysoError('CERT_NOT_YET_VALID', `Valid from ${s.notBefore.toISOString()}.`, { notBefore: s.notBefore.toISOString() }, { vi: `Chứng thư số chỉ có hiệu lực từ ngày ${fmt(s.notBefore)}.` });
    case 'CERT_REVOKED': {
      const details: Record<string, string> = { source: s.source ?? '', url: s.url ?? '' };
      if (s.revokedAt) details.revokedAt = s.revokedAt.toISOString();
      if (s.revocationReason) details.reason = s.revocationReason;
      throw new KysoError('CERT_REVOKED', `Revoked${s.revokedAt ? ` on ${s.revokedAt.toISOString()}` : ''}${s.revocationReason ? ` (${s.revocationReason})` : ''}, per ${s.source?.toUpperCase()} ${s.url}.`, details, {
        vi: `Chứng thư số đã bị thu hồi${s.revokedAt ? ` từ ngày ${fmt(s.revokedAt)}` : ''}, không dùng để ký được.`,
      });
    }
    case 'REVOCATION_UNKNOWN': {
      const reason = s.problems.join('; ');
      if (opts.strict) throw new KysoError('REVOCATION_UNKNOWN', reason, { reason });
      return { status: s, warnings: [`Không kiểm tra được trạng thái thu hồi của chứng thư số (${reason}).`] };
    }
    default:
      return { status: s, warnings: [] };
  }
}
