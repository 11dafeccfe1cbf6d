// The verification panel: every signature of a PDF checked in the page with shared/verify (the same engine as
// `kyso verify`), one row per signature with its colour, label, signer, time and the engine's Vietnamese line;
// details on demand (issuer, serial, chain, level, revocation, changes after signing, warnings) and the signed
// revision rendered with pdf.js. Used by the verification page and the signing page (the loaded document).

import { useEffect, useState } from 'preact/hooks';
import { asKysoError, type ErrorPayload } from '@kyso/shared/protocol/errors';
import { verifyPdf, type SignatureReport, type VerifyReport } from '@kyso/shared/verify/index';
import type { FetchLike } from '@kyso/shared/ltv/net';
import { askBackground } from '../../shared/send.ts';
import { ErrorView } from './error-view.tsx';
import { verifyOptions, type VerifySettings } from './verify-options.ts';
import { changeLines, levelText, overallColor, signedRevision, signingTimeText, summaryText, verdictColor, verdictLabel, vnDateTime, warningLines } from './verify-text.ts';
import { setLanguage, textsOf, useLanguage, useTexts } from '../../shared/i18n.ts';
import { VERIFY_TEXTS } from './texts.ts';

const tr = textsOf(VERIFY_TEXTS);
import { RevisionView } from './verify-revision.tsx';
import './verify-panel.css';

export type VerifyOutcome = { kind: 'done'; report: VerifyReport } | { kind: 'error'; error: ErrorPayload };

type State =
  | { kind: 'running'; step: string; since: number }
  | { kind: 'done'; report: VerifyReport; notes: string[] }
  | { kind: 'error'; error: ErrorPayload };

const DEFAULT_SETTINGS: VerifySettings = { trustAnchors: [], onlineRevocation: true };

/** The settings the check needs, or the defaults with a note when the background cannot give them. */
async function readSettings(): Promise<{ settings: VerifySettings; notes: string[] }> {
  const reply = await askBackground('getSettings', {});
  if (!reply.ok) {
    return {
      settings: DEFAULT_SETTINGS,
      notes: [tr('settingsUnreadable', { code: reply.error.code })],
    };
  }
  const { trustAnchors, onlineRevocation, language } = reply.result.values;
  setLanguage(language); // the notes and steps below are made in it
  return { settings: { trustAnchors, onlineRevocation }, notes: [] };
}

export function VerifyPanel(props: { pdf: Uint8Array; fileName: string }) {
  return <VerifyPanelView pdf={props.pdf} fileName={props.fileName} />;
}

/** The panel, telling its owner when the check is over (the verification page's data-state). */
export function VerifyPanelView({ pdf, fileName, onDone }: { pdf: Uint8Array; fileName: string; onDone?: (o: VerifyOutcome) => void }) {
  const t = useTexts(VERIFY_TEXTS);
  const [state, setState] = useState<State>({ kind: 'running', step: tr('readingSettings'), since: Date.now() });
  const [, tick] = useState(0);

  useEffect(() => {
    let live = true;
    const since = Date.now();
    setState({ kind: 'running', step: tr('readingSettings'), since });
    void (async () => {
      try {
        const { settings, notes } = await readSettings();
        if (!live) return;
        const online = settings.onlineRevocation;
        setState({
          kind: 'running',
          step: online ? tr('checkingOnline') : tr('checkingOffline'),
          since,
        });
        // The page's own fetch (no cookies go to OCSP/CRL servers: they are other origins); the cast only bridges
        // the DOM's BodyInit and FetchLike's Uint8Array body.
        const fetchImpl = globalThis.fetch.bind(globalThis) as unknown as FetchLike;
        const report = await verifyPdf(pdf, verifyOptions(settings, fetchImpl));
        if (!online) notes.push(tr('offlineNote'));
        if (!live) return;
        setState({ kind: 'done', report, notes });
        onDone?.({ kind: 'done', report });
      } catch (e) {
        if (!live) return;
        const error = asKysoError(e, 'PDF_INVALID').toPayload();
        setState({ kind: 'error', error });
        onDone?.({ kind: 'error', error });
      }
    })();
    return () => {
      live = false;
    };
    // onDone is the owner's callback; a new one must not start the check again.
  }, [pdf]);

  // Seconds while the check runs: online revocation can take a while and the user should see it is alive.
  useEffect(() => {
    if (state.kind !== 'running') return;
    const t = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, [state.kind]);

  return (
    <section class="verify-panel" data-testid="verify-panel" data-state={state.kind}>
      <h2 class="verify-title">
        {t('panelTitle')} <span data-testid="verify-file">{fileName}</span>
      </h2>
      {state.kind === 'running' && (
        <div class="status pending" data-testid="verify-progress" role="status">
          {state.step} {t('seconds', { n: Math.round((Date.now() - state.since) / 1000) })}
        </div>
      )}
      {state.kind === 'error' && <ErrorView error={state.error} title={t('checkFailed')} />}
      {state.kind === 'done' && <ReportView pdf={pdf} report={state.report} notes={state.notes} />}
    </section>
  );
}

function ReportView({ pdf, report, notes }: { pdf: Uint8Array; report: VerifyReport; notes: string[] }) {
  const t = useTexts(VERIFY_TEXTS);
  const color = overallColor(report.signatures.map((s) => s.verdict));
  return (
    <>
      {color ? (
        <div class={`verify-overall verify-${color}`} data-testid="verify-overall" data-color={color}>
          {t(`overall_${color}`)} {(report.signatures.length === 1 ? t('signatureCountOne') : t('signatureCount', { n: report.signatures.length }))}
        </div>
      ) : (
        <div class="status warning" data-testid="no-signatures">
          {t('noSignatures')}
        </div>
      )}
      {notes.map((n) => (
        <p class="muted verify-note" key={n}>
          {n}
        </p>
      ))}
      <ol class="signature-list">
        {report.signatures.map((s, i) => (
          <SignatureRow key={`${s.field}-${i}`} pdf={pdf} s={s} index={i + 1} />
        ))}
      </ol>
      {report.unsignedFields.length > 0 && (
        <p class="muted" data-testid="unsigned-fields">
          {t('unsignedFields', { fields: report.unsignedFields.join(', ') })}
        </p>
      )}
    </>
  );
}

/** "CN=Nguyễn Văn A, O=…" → "Nguyễn Văn A"; names without CN as they are. */
function commonName(dn: string): string {
  const m = /(?:^|,\s*)CN=((?:\\,|[^,])+)/.exec(dn);
  return m ? m[1].replace(/\\,/g, ',').trim() : dn;
}

function SignatureRow({ pdf, s, index }: { pdf: Uint8Array; s: SignatureReport; index: number }) {
  const lang = useLanguage();
  const t = useTexts(VERIFY_TEXTS);
  const [showRevision, setShowRevision] = useState(false);
  const color = verdictColor(s.verdict);
  const time = signingTimeText(s, lang);
  const warnings = warningLines(s.warnings, lang);
  const changes = changeLines(s.changesAfter, lang);
  const known = (prefix: string, v: string) => (`${prefix}${v}` in VERIFY_TEXTS ? t(`${prefix}${v}` as keyof typeof VERIFY_TEXTS) : v);
  const revision = signedRevision(pdf, s.byteRange);
  const isTimestamp = s.kind === 'doc-timestamp';
  return (
    <li class={`signature-row verify-${color}`} data-testid="signature-row" data-verdict={s.verdict} data-color={color} data-field={s.field}>
      <div class="sig-head">
        <span class="sig-dot" aria-hidden="true" />
        <span class="sig-index">{t(isTimestamp ? 'timestampN' : 'signatureN', { n: index })}</span>
        <strong class="sig-label" data-testid="signature-label">
          {verdictLabel(s.verdict, lang)}
        </strong>
      </div>
      <dl class="sig-main">
        <dt>{t(isTimestamp ? 'tsaAuthority' : 'signer')}</dt>
        <dd data-testid="signature-signer">{s.signer?.name ?? t('unknown')}</dd>
        <dt>{t('signingTime')}</dt>
        <dd data-testid="signature-time">{time.text}</dd>
      </dl>
      <p class="sig-summary" data-testid="signature-summary">
        {summaryText(s, lang)}
      </p>
      {time.warning && <p class="sig-warning">{time.warning}</p>}
      <details class="sig-details" data-testid="signature-details">
        <summary>{t('details')}</summary>
        <dl>
          <dt>{t('field')}</dt>
          <dd>{s.field}</dd>
          {s.signer && (
            <>
              <dt>{t('issuedBy')}</dt>
              <dd data-testid="signature-issuer">{commonName(s.signer.issuer)}</dd>
              <dt>{t('serial')}</dt>
              <dd>
                <code data-testid="signature-serial">{s.signer.serial}</code>
              </dd>
            </>
          )}
          {s.timestamp && (
            <>
              <dt>{t('timestamp')}</dt>
              <dd>
                {vnDateTime(s.timestamp.time, lang)}
                {s.timestamp.tsa ? ` — ${s.timestamp.tsa}` : ''} — {t(s.timestamp.valid ? (s.timestamp.trusted ? 'tsTrusted' : 'tsUntrusted') : 'tsInvalid')}
              </dd>
            </>
          )}
          {!isTimestamp && (
            <>
              <dt>{t('level')}</dt>
              <dd data-testid="signature-level">{levelText(s.level, lang)}</dd>
            </>
          )}
          {s.certification && (
            <>
              <dt>{t('certification')}</dt>
              <dd>
                {t(s.certification === 1 ? 'certification1' : s.certification === 2 ? 'certification2' : 'certification3')}
              </dd>
            </>
          )}
          <dt>{t('chain')}</dt>
          <dd>
            {s.chain.length ? (
              <>
                <ol class="sig-chain" data-testid="signature-chain">
                  {s.chain.map((c) => (
                    <li key={`${c.subject}-${c.serial}`} title={c.subject}>
                      {commonName(c.subject)}
                    </li>
                  ))}
                </ol>
                {/* A look-alike root (same name, another key) is the usual forgery: say the chain is not trusted. */}
                {s.verdict === 'UNTRUSTED_CHAIN' && <span class="sig-warning">{t('chainUntrusted')}</span>}
              </>
            ) : (
              t('noChain')
            )}
          </dd>
          {s.revocation && (
            <>
              <dt>{t('revocation')}</dt>
              <dd>
                {known('rev_', s.revocation.status)}
                {s.revocation.certificates.length > 0 && (
                  <ul class="sig-revocation">
                    {s.revocation.certificates.map((c, i) => (
                      <li key={i}>
                        {commonName(c.subject)}: {known('cert_', c.status)}
                        {c.source ? ` (${known('src_', c.source)})` : ''}
                      </li>
                    ))}
                  </ul>
                )}
              </dd>
            </>
          )}
          <dt>{t('changesAfter')}</dt>
          <dd data-testid="signature-changes">
            {changes.length ? (
              <ul>
                {changes.map((c) => (
                  <li key={c.text} class={c.allowed ? 'change-allowed' : 'change-forbidden'}>
                    {c.text}
                    {c.count > 1 ? t('objects', { n: c.count }) : ''}
                  </li>
                ))}
              </ul>
            ) : s.coversWholeDocument ? (
              t('coversAll')
            ) : (
              t('onlyDss')
            )}
          </dd>
          {warnings.vi.length > 0 && (
            <>
              <dt>{t('notes')}</dt>
              <dd>
                <ul>
                  {warnings.vi.map((w) => (
                    <li key={w}>{w}</li>
                  ))}
                </ul>
              </dd>
            </>
          )}
          {(s.reasons.length > 0 || warnings.technical.length > 0) && (
            <>
              <dt>{t('technical')}</dt>
              <dd>
                <ul class="sig-technical">
                  {[...s.reasons, ...warnings.technical].map((w) => (
                    <li key={w}>
                      <code>{w}</code>
                    </li>
                  ))}
                </ul>
              </dd>
            </>
          )}
        </dl>
      </details>
      <p>
        <button
          type="button"
          data-testid="view-revision"
          aria-expanded={showRevision}
          disabled={!revision}
          title={revision ? undefined : t('badByteRange')}
          onClick={() => setShowRevision((v) => !v)}
        >
          {showRevision ? t('hideRevision') : t('showRevision')}
        </button>
      </p>
      {showRevision && revision && <RevisionView bytes={revision} label={t(isTimestamp ? 'timestampN' : 'signatureN', { n: index })} />}
    </li>
  );
}
