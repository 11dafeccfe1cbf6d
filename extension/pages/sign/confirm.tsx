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

export function ConfirmDialog({ summary, onConfirm, onCancel }: { summary: ConfirmSummary; onConfirm(): void; onCancel(): void }) {
  return (
    <div class="dialog-backdrop" onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="confirm-title" data-testid="confirm-dialog">
        <h2 id="confirm-title">Xác nhận ký số</h2>
        <dl>
          <dt>Văn bản</dt>
          <dd data-testid="confirm-document">{summary.document}</dd>
          <dt>Kiểu ký</dt>
          <dd data-testid="confirm-mode">{summary.mode}</dd>
          <dt>Vị trí</dt>
          <dd data-testid="confirm-page">Trang {summary.page}</dd>
          <dt>Người ký</dt>
          <dd data-testid="confirm-holder">{summary.holder}</dd>
          <dt>Token</dt>
          <dd>{summary.token}</dd>
          <dt>Mức chữ ký</dt>
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
            Xác nhận ký
          </button>
          <button type="button" data-testid="cancel" onClick={onCancel}>
            Hủy
          </button>
        </div>
      </div>
    </div>
  );
}
