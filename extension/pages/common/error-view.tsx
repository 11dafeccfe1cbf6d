// A typed error as the pages show it: its text in the page's language (in English the code's text from
// shared/protocol/errors.ts with the error's English detail), what to do, and the code for the IT desk.

import type { ErrorPayload } from '@kyso/shared/protocol/errors';
import { errorHints, errorText } from '../../shared/hints.ts';
import { useLanguage, translate } from '../../shared/i18n.ts';
import { COMMON_TEXTS } from './texts.ts';

export function ErrorView({ error, title }: { error: ErrorPayload; title?: string }) {
  const lang = useLanguage();
  const hints = errorHints(error.code, lang);
  const text = errorText(error, lang);
  return (
    <div class="status error" role="alert" data-error-code={error.code}>
      {title && <strong>{title}</strong>}
      <p data-testid="error-vi">{text}</p>
      {hints && (
        <ol data-testid="error-hints">
          {hints.map((h) => (
            <li key={h}>{h}</li>
          ))}
        </ol>
      )}
      <p class="muted">
        {translate(COMMON_TEXTS, lang, 'errorCode')} <code data-testid="error-code">{error.code}</code>
        {error.message && error.message !== text && (
          <>
            {' '}
            · <code>{error.message}</code>
          </>
        )}
      </p>
    </div>
  );
}
