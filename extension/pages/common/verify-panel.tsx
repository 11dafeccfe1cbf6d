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
import { changeLines, levelText, overallColor, signedRevision, signingTimeText, verdictColor, verdictLabel, vnDateTime, warningLines } from './verify-text.ts';
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
      notes: [`Không đọc được thiết lập của KýSố (${reply.error.code}): chỉ tin cậy các chứng thư gốc có sẵn của Việt Nam.`],
    };
  }
  const { trustAnchors, onlineRevocation } = reply.result.values;
  return { settings: { trustAnchors, onlineRevocation }, notes: [] };
}

export function VerifyPanel(props: { pdf: Uint8Array; fileName: string }) {
  return <VerifyPanelView pdf={props.pdf} fileName={props.fileName} />;
}

/** The panel, telling its owner when the check is over (the verification page's data-state). */
export function VerifyPanelView({ pdf, fileName, onDone }: { pdf: Uint8Array; fileName: string; onDone?: (o: VerifyOutcome) => void }) {
  const [state, setState] = useState<State>({ kind: 'running', step: 'Đang đọc thiết lập…', since: Date.now() });
  const [, tick] = useState(0);

  useEffect(() => {
    let live = true;
    const since = Date.now();
    setState({ kind: 'running', step: 'Đang đọc thiết lập…', since });
    void (async () => {
      try {
        const { settings, notes } = await readSettings();
        if (!live) return;
        const online = settings.onlineRevocation;
        setState({
          kind: 'running',
          step: online ? 'Đang kiểm tra chữ ký và hỏi tình trạng thu hồi chứng thư (OCSP/CRL)…' : 'Đang kiểm tra chữ ký (không kiểm tra thu hồi trực tuyến theo thiết lập)…',
          since,
        });
        // The page's own fetch (no cookies go to OCSP/CRL servers: they are other origins); the cast only bridges
        // the DOM's BodyInit and FetchLike's Uint8Array body.
        const fetchImpl = globalThis.fetch.bind(globalThis) as unknown as FetchLike;
        const report = await verifyPdf(pdf, verifyOptions(settings, fetchImpl));
        if (!online) notes.push('Không kiểm tra thu hồi chứng thư trực tuyến (thiết lập "Kiểm tra thu hồi chứng thư trực tuyến" đang tắt).');
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
        Chữ ký số của <span data-testid="verify-file">{fileName}</span>
      </h2>
      {state.kind === 'running' && (
        <div class="status pending" data-testid="verify-progress" role="status">
          {state.step} ({Math.round((Date.now() - state.since) / 1000)} giây)
        </div>
      )}
      {state.kind === 'error' && <ErrorView error={state.error} title="Không kiểm tra được chữ ký của văn bản." />}
      {state.kind === 'done' && <ReportView pdf={pdf} report={state.report} notes={state.notes} />}
    </section>
  );
}

const OVERALL_TEXT = {
  green: 'Tất cả chữ ký đều hợp lệ.',
  yellow: 'Có chữ ký chưa xác định được giá trị. Xem chi tiết từng chữ ký.',
  red: 'Có chữ ký không hợp lệ. Không nên tin nội dung văn bản này.',
} as const;

function ReportView({ pdf, report, notes }: { pdf: Uint8Array; report: VerifyReport; notes: string[] }) {
  const color = overallColor(report.signatures.map((s) => s.verdict));
  return (
    <>
      {color ? (
        <div class={`verify-overall verify-${color}`} data-testid="verify-overall" data-color={color}>
          {OVERALL_TEXT[color]} ({report.signatures.length} chữ ký)
        </div>
      ) : (
        <div class="status warning" data-testid="no-signatures">
          Văn bản không có chữ ký số nào.
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
          Ô chữ ký chưa ký: {report.unsignedFields.join(', ')}
        </p>
      )}
    </>
  );
}

const REVOCATION_VI: Record<NonNullable<SignatureReport['revocation']>['status'], string> = {
  good: 'Chưa bị thu hồi',
  revoked: 'Đã bị thu hồi',
  unknown: 'Không xác định được',
  'not-checked': 'Không kiểm tra',
};

const CERT_STATUS_VI: Record<string, string> = {
  good: 'chưa bị thu hồi',
  revoked: 'đã bị thu hồi',
  unknown: 'không xác định được',
  'no-sources': 'chứng thư không nêu nơi kiểm tra thu hồi',
};

const SOURCE_VI: Record<string, string> = {
  'online-ocsp': 'OCSP trực tuyến',
  'online-crl': 'CRL trực tuyến',
  'embedded-ocsp': 'OCSP kèm trong văn bản',
  'embedded-crl': 'CRL kèm trong văn bản',
};

/** "CN=Nguyễn Văn A, O=…" → "Nguyễn Văn A"; names without CN as they are. */
function commonName(dn: string): string {
  const m = /(?:^|,\s*)CN=((?:\\,|[^,])+)/.exec(dn);
  return m ? m[1].replace(/\\,/g, ',').trim() : dn;
}

function SignatureRow({ pdf, s, index }: { pdf: Uint8Array; s: SignatureReport; index: number }) {
  const [showRevision, setShowRevision] = useState(false);
  const color = verdictColor(s.verdict);
  const time = signingTimeText(s);
  const warnings = warningLines(s.warnings);
  const changes = changeLines(s.changesAfter);
  const revision = signedRevision(pdf, s.byteRange);
  const isTimestamp = s.kind === 'doc-timestamp';
  return (
    <li class={`signature-row verify-${color}`} data-testid="signature-row" data-verdict={s.verdict} data-color={color} data-field={s.field}>
      <div class="sig-head">
        <span class="sig-dot" aria-hidden="true" />
        <span class="sig-index">{isTimestamp ? `Dấu thời gian ${index}` : `Chữ ký ${index}`}</span>
        <strong class="sig-label" data-testid="signature-label">
          {verdictLabel(s.verdict)}
        </strong>
      </div>
      <dl class="sig-main">
        <dt>{isTimestamp ? 'Đơn vị cấp dấu thời gian' : 'Người ký'}</dt>
        <dd data-testid="signature-signer">{s.signer?.name ?? 'Không rõ'}</dd>
        <dt>Thời điểm ký</dt>
        <dd data-testid="signature-time">{time.text}</dd>
      </dl>
      <p class="sig-summary" data-testid="signature-summary">
        {s.summaryVi}
      </p>
      {time.warning && <p class="sig-warning">{time.warning}</p>}
      <details class="sig-details" data-testid="signature-details">
        <summary>Chi tiết</summary>
        <dl>
          <dt>Ô chữ ký</dt>
          <dd>{s.field}</dd>
          {s.signer && (
            <>
              <dt>Cấp bởi</dt>
              <dd data-testid="signature-issuer">{commonName(s.signer.issuer)}</dd>
              <dt>Số hiệu chứng thư</dt>
              <dd>
                <code data-testid="signature-serial">{s.signer.serial}</code>
              </dd>
            </>
          )}
          {s.timestamp && (
            <>
              <dt>Dấu thời gian</dt>
              <dd>
                {vnDateTime(s.timestamp.time)}
                {s.timestamp.tsa ? ` — ${s.timestamp.tsa}` : ''} — {s.timestamp.valid ? (s.timestamp.trusted ? 'hợp lệ, được tin cậy' : 'hợp lệ nhưng đơn vị cấp chưa được tin cậy') : 'không hợp lệ'}
              </dd>
            </>
          )}
          {!isTimestamp && (
            <>
              <dt>Mức chữ ký</dt>
              <dd data-testid="signature-level">{levelText(s.level)}</dd>
            </>
          )}
          {s.certification && (
            <>
              <dt>Chữ ký chứng nhận</dt>
              <dd>
                {s.certification === 1 ? 'Không cho phép thay đổi sau khi ký' : s.certification === 2 ? 'Cho phép điền biểu mẫu và ký thêm' : 'Cho phép điền biểu mẫu, ký thêm và chú thích'}
              </dd>
            </>
          )}
          <dt>Chuỗi chứng thư</dt>
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
                {s.verdict === 'UNTRUSTED_CHAIN' && <span class="sig-warning">Chuỗi này không dẫn tới chứng thư gốc nào được tin cậy (kể cả khi tên giống).</span>}
              </>
            ) : (
              'Không dựng được chuỗi tới chứng thư gốc được tin cậy'
            )}
          </dd>
          {s.revocation && (
            <>
              <dt>Tình trạng thu hồi</dt>
              <dd>
                {REVOCATION_VI[s.revocation.status]}
                {s.revocation.certificates.length > 0 && (
                  <ul class="sig-revocation">
                    {s.revocation.certificates.map((c, i) => (
                      <li key={i}>
                        {commonName(c.subject)}: {CERT_STATUS_VI[c.status] ?? c.status}
                        {c.source ? ` (${SOURCE_VI[c.source] ?? c.source})` : ''}
                      </li>
                    ))}
                  </ul>
                )}
              </dd>
            </>
          )}
          <dt>Thay đổi sau khi ký</dt>
          <dd data-testid="signature-changes">
            {changes.length ? (
              <ul>
                {changes.map((c) => (
                  <li key={c.text} class={c.allowed ? 'change-allowed' : 'change-forbidden'}>
                    {c.text}
                    {c.count > 1 ? ` (${c.count} đối tượng)` : ''}
                  </li>
                ))}
              </ul>
            ) : s.coversWholeDocument ? (
              'Không có: chữ ký phủ toàn bộ văn bản'
            ) : (
              'Chỉ có dữ liệu kiểm tra chữ ký'
            )}
          </dd>
          {warnings.vi.length > 0 && (
            <>
              <dt>Lưu ý</dt>
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
              <dt>Chi tiết kỹ thuật</dt>
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
          title={revision ? undefined : 'Phạm vi ký (ByteRange) không hợp lệ: không tách được bản đã ký.'}
          onClick={() => setShowRevision((v) => !v)}
        >
          {showRevision ? 'Ẩn bản đã ký' : 'Xem bản đã ký'}
        </button>
      </p>
      {showRevision && revision && <RevisionView bytes={revision} label={`${isTimestamp ? 'Dấu thời gian' : 'Chữ ký'} ${index}`} />}
    </li>
  );
}
