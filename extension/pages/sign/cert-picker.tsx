// The certificate picker: holder, issuer, validity and revocation status of each certificate whose key is on a
// token. Expired, not yet valid and revoked ones are shown but cannot be chosen; those without a signing key usage
// only after "Hiện tất cả".

import type { CertificateStatus } from '@kyso/shared/ltv/cert-status';
import type { PickerCertificate } from './certs.ts';
import { currentLanguage, textsOf, useTexts } from '../../shared/i18n.ts';
import { SIGN_TEXTS } from './texts.ts';

const tr = textsOf(SIGN_TEXTS);

export type StatusView = { kind: 'checking' } | { kind: 'done'; status: CertificateStatus };

const fmt = (d: Date) => d.toLocaleDateString(currentLanguage() === 'en' ? 'en-GB' : 'vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' });

function statusText(s: StatusView | undefined): { text: string; cls: string } {
  if (!s || s.kind === 'checking') return { text: tr('statusChecking'), cls: 'muted' };
  const st = s.status;
  switch (st.verdict) {
    case 'ok':
      return st.revocation === 'good' ? { text: tr('statusGood', { source: st.source?.toUpperCase() ?? '' }), cls: 'ok' } : { text: tr('statusOffline'), cls: 'muted' };
    case 'CERT_REVOKED':
      return { text: tr('statusRevoked', { since: st.revokedAt ? tr('statusRevokedSince', { date: fmt(st.revokedAt) }) : '', reason: st.revocationReason ? tr('statusRevokedReason', { reason: st.revocationReason }) : '' }), cls: 'bad' };
    case 'REVOCATION_UNKNOWN':
      return { text: tr('statusUnknown', { problems: st.problems.join('; ') }), cls: 'warn' };
    case 'CERT_EXPIRED':
    case 'CERT_NOT_YET_VALID':
      return { text: '', cls: 'bad' };
  }
}

export function isBlocked(c: PickerCertificate, s: StatusView | undefined): boolean {
  return !c.usable || (s?.kind === 'done' && s.status.verdict === 'CERT_REVOKED');
}

export function CertPicker({
  certs,
  statuses,
  selected,
  showAll,
  disabled,
  onSelect,
  onShowAll,
}: {
  certs: PickerCertificate[];
  statuses: Record<string, StatusView>;
  selected?: string;
  showAll: boolean;
  disabled: boolean;
  onSelect(key: string): void;
  onShowAll(v: boolean): void;
}) {
  const t = useTexts(SIGN_TEXTS);
  const hidden = certs.filter((c) => !c.signingUsage).length;
  const visible = showAll ? certs : certs.filter((c) => c.signingUsage);
  return (
    <fieldset class="cert-picker" disabled={disabled}>
      <legend>{t('certs')}</legend>
      {visible.length === 0 && <p class="status warning">{t('noCerts')}</p>}
      {visible.map((c) => {
        const s = statuses[c.key];
        const blocked = isBlocked(c, s);
        const st = statusText(s);
        return (
          <label key={c.key} class={`cert${blocked ? ' blocked' : ''}${selected === c.key ? ' selected' : ''}`} data-testid={c.usable ? 'cert-option' : 'cert-unusable'} data-cert-id={c.source.id} data-token={c.source.token}>
            <input type="radio" name="cert" checked={selected === c.key} disabled={blocked} onChange={() => onSelect(c.key)} />
            <span class="cert-body">
              <strong class="cert-holder">{c.holder}</strong>
              {c.organisation && c.organisation !== c.holder && <span class="muted"> · {c.organisation}</span>}
              <br />
              <span class="muted small">
                {t('certLine', { issuer: c.issuer, from: fmt(c.info.notBefore), to: fmt(c.info.notAfter), token: c.source.tokenLabel })}
              </span>
              {c.reason && (
                <>
                  <br />
                  <span class="bad small">{c.reason}</span>
                </>
              )}
              {c.usable && st.text && (
                <>
                  <br />
                  <span class={`${st.cls} small`} data-testid="cert-status">
                    {st.text}
                  </span>
                </>
              )}
            </span>
          </label>
        );
      })}
      {hidden > 0 && (
        <label class="small">
          <input type="checkbox" data-testid="cert-show-all" checked={showAll} onChange={(e) => onShowAll((e.currentTarget as HTMLInputElement).checked)} /> {t('showAll', { n: hidden })}
        </label>
      )}
    </fieldset>
  );
}
