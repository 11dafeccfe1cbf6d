// A typed error as the pages show it: the Vietnamese text, what to do, and the code for the IT desk.

import type { ErrorPayload } from '@kyso/shared/protocol/errors';
import { ERROR_HINTS } from '../../shared/hints.ts';

export function ErrorView({ error, title }: { error: ErrorPayload; title?: string }) {
  const hints = ERROR_HINTS[error.code];
  return (
    <div class="status error" role="alert" data-error-code={error.code}>
      {title && <strong>{title}</strong>}
      <p data-testid="error-vi">{error.messageVi}</p>
      {hints && (
        <ol data-testid="error-hints">
          {hints.map((h) => (
            <li key={h}>{h}</li>
          ))}
        </ol>
      )}
      <p class="muted">
        Mã lỗi: <code data-testid="error-code">{error.code}</code>
        {error.message && (
          <>
            {' '}
            · <code>{error.message}</code>
          </>
        )}
      </p>
    </div>
  );
}
