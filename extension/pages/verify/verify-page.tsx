// "Kiểm tra chữ ký số": the verification page. Gets the PDF (portal job, URL of the tab, or the user's file), then
// shows the verification panel. data-state on verify-root: loading (getting the file or checking it) → ready (the
// result is shown) | error (the file could not be had or read); choose (waiting for the user's file).

import { useCallback, useEffect, useState } from 'preact/hooks';
import { asKysoError, type ErrorPayload } from '@kyso/shared/protocol/errors';
import { askBackground } from '../../shared/send.ts';
import { ErrorView } from '../common/error-view.tsx';
import { fetchJobDocument } from '../common/job-io.ts';
import { VerifyPanelView, type VerifyOutcome } from '../common/verify-panel.tsx';
import { fetchPdfUrl, readChosenFile, sourceFromQuery, type VerifySource } from './source.ts';
import { useLanguage, useTexts } from '../../shared/i18n.ts';
import { VERIFY_PAGE_TEXTS } from './texts.ts';

/** from: where the file came from, said under the title (the portal page, the URL, the user's disk). */
type From = { kind: 'portal'; url: string } | { kind: 'url'; url: string } | { kind: 'file' };
type Doc = { name: string; bytes: Uint8Array; from: From };

type State =
  | { kind: 'choose'; error?: ErrorPayload }
  | { kind: 'fetching'; what: string | undefined }
  | { kind: 'checking'; doc: Doc }
  | { kind: 'ready'; doc: Doc }
  | { kind: 'error'; error: ErrorPayload; doc?: Doc };

async function load(source: Exclude<VerifySource, { kind: 'choose' }>): Promise<Doc> {
  if (source.kind === 'url') return { ...(await fetchPdfUrl(source.url)), from: { kind: 'url', url: source.url } };
  const reply = await askBackground('getJob', { id: source.id });
  if (!reply.ok) throw Object.assign(new Error(reply.error.message), { payload: reply.error });
  const doc = await fetchJobDocument(reply.result);
  return { name: doc.name, bytes: doc.bytes, from: { kind: 'portal', url: reply.result.pageUrl } };
}

function payloadOf(e: unknown): ErrorPayload {
  const p = (e as { payload?: ErrorPayload })?.payload;
  return p ?? asKysoError(e, 'DOCUMENT_FETCH_FAILED').toPayload();
}

function rootState(s: State): 'loading' | 'ready' | 'error' | 'choose' {
  if (s.kind === 'fetching' || s.kind === 'checking') return 'loading';
  return s.kind;
}

export function VerifyPage() {
  const lang = useLanguage();
  const t = useTexts(VERIFY_PAGE_TEXTS);
  const [source] = useState(() => sourceFromQuery(location.search));
  const [state, setState] = useState<State>(source.kind === 'choose' ? { kind: 'choose' } : { kind: 'fetching', what: source.kind === 'url' ? source.url : undefined });

  useEffect(() => {
    if (source.kind === 'choose') return;
    void load(source).then(
      (doc) => {
        setState({ kind: 'checking', doc });
      },
      (e) => setState({ kind: 'error', error: payloadOf(e) }),
    );
  }, [source]);

  const onDone = useCallback((o: VerifyOutcome) => {
    setState((s) => (s.kind === 'checking' ? (o.kind === 'done' ? { kind: 'ready', doc: s.doc } : { kind: 'error', error: o.error, doc: s.doc }) : s));
  }, []);

  const choose = useCallback(async (file: File | undefined) => {
    if (!file) return;
    try {
      const doc = { ...(await readChosenFile(file)), from: { kind: 'file' } as const };
      setState({ kind: 'checking', doc });
    } catch (e) {
      setState({ kind: 'choose', error: payloadOf(e) });
    }
  }, []);

  const doc = state.kind === 'checking' || state.kind === 'ready' || state.kind === 'error' ? (state as { doc?: Doc }).doc : undefined;
  const title = doc ? t('docTitle', { name: doc.name }) : `${t('title')} – KýSố`;
  useEffect(() => void (document.title = title), [title]);
  return (
    <main class="verify-main" data-testid="verify-root" data-state={rootState(state)}>
      <h1>{t('title')}</h1>
      {state.kind === 'fetching' && (
        <div class="status pending" data-testid="verify-fetching">
          {t('fetching')} <code>{state.what ?? t('portal')}</code>…
        </div>
      )}
      {state.kind === 'error' && !doc && <ErrorView error={state.error} title={t('fetchFailed')} />}
      {/* In Vietnamese the error's own text already says how; English needs the steps here. */}
      {state.kind === 'error' && !doc && state.error.details?.fileUrl === true && lang === 'en' && <p data-testid="file-url-hint">{t('fileUrlHint')}</p>}
      {doc && (
        <p class="muted verify-source" data-testid="verify-source">
          {t('source', { from: doc.from.kind === 'file' ? t('localFile') : doc.from.kind === 'portal' ? t('portalAt', { url: doc.from.url }) : doc.from.url })}
        </p>
      )}
      {doc && <VerifyPanelView pdf={doc.bytes} fileName={doc.name} onDone={onDone} />}
      {(state.kind === 'choose' || (state.kind === 'error' && !doc) || state.kind === 'ready') && (
        <FileChooser error={state.kind === 'choose' ? state.error : undefined} onFile={choose} again={state.kind === 'ready'} />
      )}
    </main>
  );
}

function FileChooser({ error, onFile, again }: { error?: ErrorPayload; onFile: (f: File | undefined) => void; again: boolean }) {
  const t = useTexts(VERIFY_PAGE_TEXTS);
  const [over, setOver] = useState(false);
  return (
    <div
      class={`verify-chooser${over ? ' over' : ''}`}
      data-testid="verify-chooser"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        onFile(e.dataTransfer?.files[0]);
      }}
    >
      {!again && <p>{t('chooseHint')}</p>}
      {error && <ErrorView error={error} />}
      <label class="verify-file-button">
        {again ? t('chooseAgain') : t('choose')}
        <input
          type="file"
          accept="application/pdf,.pdf"
          data-testid="verify-file-input"
          onChange={(e) => {
            const input = e.currentTarget;
            onFile(input.files?.[0]);
            input.value = '';
          }}
        />
      </label>
    </div>
  );
}
