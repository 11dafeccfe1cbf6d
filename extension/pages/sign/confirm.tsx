// The confirmation every signature needs: what will be signed, how, where and with whose certificate. Nothing is
// sent to the token before "Xác nhận ký".

export interface ConfirmSummary {
  document: string;
  mode: string;
  page: number;
  holder: string;
  token: string;
  level: string;
  fields: [string, string][];
  warnings: string[];
}

import { useTexts } from '../../shared/i18n.ts';
import { SIGN_TEXTS } from './texts.ts';

export function ConfirmDialog({ summary, onConfirm, onCancel }: { summary: ConfirmSummary; onConfirm(): void; onCancel(): void }) {
  const t = useTexts(SIGN_TEXTS);
  return (
    <div class="dialog-backdrop" onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="confirm-title" data-testid="confirm-dialog">
        <h2 id="confirm-title">{t('confirmTitle')}</h2>
        <dl>
          <dt>{t('confirmDocument')}</dt>
          <dd data-testid="confirm-document">{summary.document}</dd>
          <dt>{t('confirmMode')}</dt>
          <dd data-testid="confirm-mode">{summary.mode}</dd>
          <dt>{t('confirmPlace')}</dt>
          <dd data-testid="confirm-page">{t('confirmPage', { page: summary.page })}</dd>
          <dt>{t('confirmHolder')}</dt>
          <dd data-testid="confirm-holder">{summary.holder}</dd>
          <dt>Token</dt>
          <dd>{summary.token}</dd>
          <dt>{t('level')}</dt>
          <dd data-testid="confirm-level">{summary.level}</dd>
          {summary.fields.map(([k, v]) => (
            <>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </>
          ))}
        </dl>
        {summary.warnings.length > 0 && (
          <ul class="status warning">
            {summary.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        )}
        <div class="actions">
          <button type="button" class="primary" data-testid="confirm-sign" onClick={onConfirm} autoFocus>
            {t('confirmSign')}
          </button>
          <button type="button" data-testid="cancel" onClick={onCancel}>
            {t('cancel')}
          </button>
        </div>
      </div>
    </div>
  );
}
