// "Ký số văn bản": the signing page. It loads the job's PDF (through the portal's content script) or a file the user
// picks, shows it with pdf.js, computes where the signature goes exactly as the engine will (shared/sign/preview),
// lets the user move the box, pick the mode, the certificate and the level, and signs only after the confirmation.
// The state machine is sign-flow.ts; the engine run is engine.ts.

import { useEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks';
import type { CertificateStatus } from '@kyso/shared/ltv/cert-status';
import type { SigningMode } from '@kyso/shared/modes/plan';
import { sealOverLeftThird } from '@kyso/shared/modes/issue';
import { SIGNATURE_WIDTH } from '@kyso/shared/modes/sizes';
import { decodePng } from '@kyso/shared/pdf/image/png';
import type { PdfReader } from '@kyso/shared/pdf/reader';
import { pdfjsTextRuns, type PdfjsDocument } from '@kyso/shared/placement/pdfjs-text';
import type { TextRun } from '@kyso/shared/placement/text';
import { DEFAULT_MARKERS, type MarkerSet } from '@kyso/shared/placement/markers';
import { pemToDer } from '@kyso/shared/pki/certificate';
import type { EffectiveSettings } from '@kyso/shared/policy/resolve';
import { SIGNATURE_LEVELS, type SignatureLevel } from '@kyso/shared/policy/schema';
import { asKysoError, KysoError, type ErrorPayload } from '@kyso/shared/protocol/errors';
import { previewSignature, type PlacedBox, type PreviewOptions, type SignaturePreview } from '@kyso/shared/sign/preview';
import { openSignable, type FontFiles } from '@kyso/shared/sign/sign-pdf';
import { signatureWidgets } from '@kyso/shared/sign/fields';
import type { TokenInfo } from '@kyso/shared/protocol/messages';
import type { Job } from '../../shared/jobs.ts';
import { loadImage } from '../../shared/images.ts';
import { askBackground } from '../../shared/send.ts';
import { errorHints, errorText } from '../../shared/hints.ts';
import { setLanguage, textsOf, useLanguage, useTexts } from '../../shared/i18n.ts';
import { deliverSignedFile, downloadSigned, fetchJobDocument, signedFileName } from '../common/job-io.ts';
import { openPdf, type PDFDocumentProxy } from '../common/pdfjs.ts';
import { VerifyPanel } from '../common/verify-panel.tsx';
import { CertPicker, isBlocked, type StatusView } from './cert-picker.tsx';
import { classifyCertificates, type PickerCertificate } from './certs.ts';
import { ConfirmDialog, type ConfirmSummary } from './confirm.tsx';
import { defaultMode } from './default-mode.ts';
import { loadFonts, pickerStatus, signWithToken } from './engine.ts';
import { formatDateField, MODE_FIELDS, ModeForm, parseDateField, type ModeFields } from './mode-form.tsx';
import { PlacementBox } from './placement-box.tsx';
import { INITIAL, next, retriesText } from './sign-flow.ts';
import { Thumbnails } from './thumbnails.tsx';
import { Viewer } from './viewer.tsx';
import { SIGN_TEXTS } from './texts.ts';
import './sign.css';

interface LoadedDoc {
  name: string;
  bytes: Uint8Array;
  reader: PdfReader;
  pdf: PDFDocumentProxy;
  pages: { width: number; height: number }[];
  signed: boolean;
}

interface Done {
  how: 'input' | 'url' | 'download';
  detail: string;
  warnings: string[];
  signed: Uint8Array;
  name: string;
}

const LEVEL_KEY = { 'B-B': 'levelBB', 'B-T': 'levelBT', 'B-LT': 'levelBLT', 'B-LTA': 'levelBLTA' } as const satisfies Record<SignatureLevel, keyof typeof SIGN_TEXTS>;

/** For the async steps: the language when the text is made (the render's `t` may predate the setting's arrival). */
const tNow = textsOf(SIGN_TEXTS);
/** The flow starts before the language is known: its first text is rendered in the page's language. */
const INITIAL_STEP = INITIAL.kind === 'loading' ? INITIAL.step : '';

const IMAGE_MODES: readonly SigningMode[] = ['approval', 'issue'];

function payload(e: unknown): ErrorPayload {
  return asKysoError(e).toPayload();
}


function markersOf(settings: EffectiveSettings | undefined): MarkerSet {
  const m = settings?.values.markers ?? {};
  const out = { ...DEFAULT_MARKERS };
  for (const k of Object.keys(out) as (keyof MarkerSet)[]) if (Array.isArray(m[k]) && m[k].length) out[k] = m[k];
  return out;
}

function aspectOf(png: Uint8Array | undefined): number | undefined {
  if (!png) return undefined;
  try {
    const d = decodePng(png);
    return d.width / d.height;
  } catch {
    return undefined;
  }
}

export function SignPage() {
  const lang = useLanguage();
  const t = useTexts(SIGN_TEXTS);
  useEffect(() => void (document.title = `${t('title')} – KýSố`), [lang]);
  const jobId = useMemo(() => new URLSearchParams(location.search).get('job'), []);
  const [flow, dispatch] = useReducer(next, INITIAL);
  const [job, setJob] = useState<Job>();
  const [doc, setDoc] = useState<LoadedDoc>();
  const [settings, setSettings] = useState<EffectiveSettings>();
  const [fonts, setFonts] = useState<FontFiles>();
  const [images, setImages] = useState<{ signature?: Uint8Array; seal?: Uint8Array }>({});
  const [tokens, setTokens] = useState<TokenInfo[]>([]);
  const [certs, setCerts] = useState<PickerCertificate[]>();
  const [statuses, setStatuses] = useState<Record<string, StatusView>>({});
  const [selected, setSelected] = useState<string>();
  const [showAll, setShowAll] = useState(false);
  const [mode, setMode] = useState<SigningMode>('approval');
  const [fields, setFields] = useState<ModeFields>({ docNumber: '', place: '', date: '', copyForm: 'SY', certNumber: '', book: '' });
  const [manual, setManual] = useState<PlacedBox | null>(null);
  const [autoMissed, setAutoMissed] = useState(false);
  const [preview, setPreview] = useState<SignaturePreview>();
  const [previewError, setPreviewError] = useState<ErrorPayload>();
  const [level, setLevel] = useState<SignatureLevel>('B-B');
  const [pin, setPin] = useState('');
  const [scale, setScale] = useState(1.25);
  const [page, setPage] = useState(0);
  const [rendered, setRendered] = useState(false);
  const [done, setDone] = useState<Done>();
  const [needFile, setNeedFile] = useState(false);
  /** After signing, the viewer shows the signed file (what the portal receives). */
  const [signedView, setSignedView] = useState<PDFDocumentProxy>();
  const abort = useRef<AbortController | null>(null);
  const textCache = useRef(new Map<number, Promise<TextRun[]>>());

  // Settings, images and fonts first; then the document (job or local file) and the certificates.
  useEffect(() => {
    const ac = new AbortController();
    abort.current = ac;
    void (async () => {
      try {
        const s = await askBackground('getSettings', {});
        if (!s.ok) throw Object.assign(new KysoError(s.error.code, s.error.message), { messageVi: s.error.messageVi });
        setSettings(s.result);
        setLanguage(s.result.values.language);
        const lvl = s.result.values.signatureLevel;
        setLevel(lvl !== 'B-B' && !s.result.values.tsaUrl && !s.result.state.signatureLevel.locked ? 'B-B' : lvl);
        const [sig, seal, f] = await Promise.all([loadImage('signatureImage'), loadImage('sealImage'), loadFonts()]);
        setImages({ signature: sig, seal });
        setFonts(f);
        if (jobId) {
          dispatch({ type: 'progress', step: tNow('loadingPortal') });
          const j = await askBackground('getJob', { id: jobId });
          if (!j.ok) throw new KysoError(j.error.code, j.error.message, j.error.details, { vi: j.error.messageVi });
          setJob(j.result);
          const d = await fetchJobDocument(j.result);
          if (ac.signal.aborted) return;
          await openDocument(d.name, d.bytes, j.result, s.result);
        } else {
          dispatch({ type: 'progress', step: tNow('chooseLocal') });
          setNeedFile(true);
        }
      } catch (e) {
        if (!ac.signal.aborted) dispatch({ type: 'failed', error: payload(e) });
      }
    })();
    return () => ac.abort();
  }, []);

  async function openDocument(name: string, bytes: Uint8Array, j: Job | undefined, s: EffectiveSettings) {
    dispatch({ type: 'progress', step: tNow('opening') });
    const reader = openSignable(bytes);
    // pdf.js takes its buffer to the worker: it gets a copy, the page keeps the original for signing.
    const pdf = await openPdf(bytes.slice());
    const pages: { width: number; height: number }[] = [];
    for (let i = 1; i <= pdf.numPages; i++) {
      const v = (await pdf.getPage(i)).getViewport({ scale: 1 });
      pages.push({ width: v.width, height: v.height });
    }
    const signed = signatureWidgets(reader).some((w) => w.signed);
    textCache.current = new Map();
    setRendered(false);
    setManual(null);
    setDoc({ name, bytes, reader, pdf, pages, signed });
    const p = j?.prefill ?? {};
    setMode(defaultMode(j, s.values.defaultModes, signed));
    setFields((f) => ({ ...f, docNumber: p.docNumber ?? '', place: p.place ?? '', date: formatDateField(p.date), copyForm: p.copyForm ?? 'SY', certNumber: p.certNumber ?? '', book: p.book ?? '' }));
    dispatch({ type: 'progress', step: tNow('readingCerts') });
    const list = await askBackground('listSigningCertificates', {});
    if (!list.ok) throw new KysoError(list.error.code, list.error.message, list.error.details, { vi: list.error.messageVi });
    const anchors = s.values.trustAnchors.flatMap((pem) => {
      try {
        return pemToDer(pem);
      } catch {
        return [];
      }
    });
    const all = classifyCertificates(list.result, new Date(), anchors);
    setTokens(list.result.tokens);
    setCerts(all);
    const first = all.find((c) => c.usable);
    setSelected(first?.key);
    checkStatuses(all, s.values.onlineRevocation);
  }

  function checkStatuses(all: PickerCertificate[], online: boolean) {
    for (const c of all.filter((x) => x.usable)) {
      setStatuses((m) => ({ ...m, [c.key]: { kind: 'checking' } }));
      void pickerStatus(c, online)
        .then((status: CertificateStatus) => setStatuses((m) => ({ ...m, [c.key]: { kind: 'done', status } })))
        .catch(() => undefined);
    }
  }

  const cert = certs?.find((c) => c.key === selected);
  const text = useMemo(
    () => (i: number) => {
      let t = textCache.current.get(i);
      if (!t && doc) {
        t = pdfjsTextRuns(doc.pdf as unknown as PdfjsDocument, i);
        textCache.current.set(i, t);
      }
      return t ?? Promise.resolve([]);
    },
    [doc],
  );

  // The date field counts only in the modes that print a date.
  const date = MODE_FIELDS[mode].includes('date') ? parseDateField(fields.date) : undefined;
  const options = (placement: PlacedBox | null): PreviewOptions => {
    const used = MODE_FIELDS[mode];
    const val = (k: keyof ModeFields) => (used.includes(k) && fields[k].trim() ? fields[k].trim() : undefined);
    return {
      mode,
      placement: placement ? { kind: 'rect', pageIndex: placement.pageIndex, rect: placement.rect } : { kind: 'auto' },
      markers: markersOf(settings),
      signatureImage: images.signature,
      sealImage: images.seal,
      docNumber: val('docNumber'),
      place: val('place'),
      date: date ?? undefined,
      copyForm: used.includes('copyForm') ? fields.copyForm : undefined,
      certNumber: val('certNumber'),
      book: val('book'),
    };
  };

  // The preview: recomputed when anything that moves or changes the signature changes.
  useEffect(() => {
    if (!doc || !fonts) return;
    let live = true;
    // Stand-ins drawn in the preview until a certificate is chosen: the document's words, so Vietnamese.
    const names = cert ? cert.info.der : { name: 'Người ký', organisation: 'Cơ quan' };
    void (async () => {
      try {
        const p = await previewSignature(doc.reader, options(manual), names, { fonts, text });
        if (!live) return;
        setPreview(p);
        setPreviewError(undefined);
        setAutoMissed(false);
      } catch (e) {
        if (!live) return;
        const err = payload(e);
        if (err.code === 'MARKER_NOT_FOUND' && !manual && IMAGE_MODES.includes(mode)) {
          // No marker and no signer block: a box on the last page, for the user to drag where the signature goes.
          const last = doc.pages.length - 1;
          const aspect = (mode === 'issue' ? aspectOf(images.seal) : aspectOf(images.signature)) ?? 780 / 424;
          const w = SIGNATURE_WIDTH;
          const pg = doc.pages[last];
          setAutoMissed(true);
          setManual({ pageIndex: last, rect: { x: pg.width * 0.62 - w / 2, y: pg.height * 0.7, w, h: w / aspect } });
          return;
        }
        setPreview(undefined);
        setPreviewError(err);
      }
    })();
    return () => {
      live = false;
    };
  }, [doc, fonts, mode, fields, manual, images, cert?.key, settings]);

  // Ready once the document is drawn, the placement computed (or its problem known) and the certificates listed.
  useEffect(() => {
    if (flow.kind === 'loading' && doc && rendered && certs && (preview || previewError)) dispatch({ type: 'loaded' });
  }, [flow.kind, doc, rendered, certs, preview, previewError]);

  const setModeAndReset = (m: SigningMode) => {
    setMode(m);
    setManual(null);
    setAutoMissed(false);
  };

  /** Issue mode: a seal dropped near a leader's signature snaps over its left third. */
  const onBoxChange = (b: PlacedBox) => {
    if (mode === 'issue' && preview) {
      const aspect = aspectOf(images.seal);
      const leader = preview.signatures.filter((s) => s.signed && s.pageIndex === b.pageIndex).at(-1);
      if (aspect && leader) {
        const target = sealOverLeftThird(leader.rect, aspect);
        const d = Math.hypot(b.rect.x + b.rect.w / 2 - (target.x + target.w / 2), b.rect.y + b.rect.h / 2 - (target.y + target.h / 2));
        if (d < 40) return setManual({ pageIndex: b.pageIndex, rect: target });
      }
    }
    setManual(b);
    setPage(b.pageIndex);
  };

  const token = tokens.find((t) => t.serial === cert?.source.token);
  const pinPad = !!token?.protectedAuthPath;
  const tsaUrl = settings?.values.tsaUrl ?? '';
  const levelLocked = !!settings?.state.signatureLevel.locked;
  const certStatus = cert ? statuses[cert.key] : undefined;
  const certBlocked = !cert || isBlocked(cert, certStatus);
  const busy = flow.kind === 'signing' || flow.kind === 'confirm';
  const canAsk = (flow.kind === 'ready' || (flow.kind === 'error' && flow.recoverable) || (flow.kind === 'cancelled' && flow.recoverable)) && !!preview && !certBlocked && date !== null && (pinPad || pin.length > 0);

  const summary = (): ConfirmSummary => {
    const w: string[] = [...(preview?.warnings ?? [])];
    if (certStatus?.kind === 'done' && certStatus.status.verdict === 'REVOCATION_UNKNOWN') w.push(t('warnRevocationUnknown', { problems: certStatus.status.problems.join('; ') }));
    if (autoMissed && manual) w.push(t('warnManual'));
    const f: [string, string][] = [];
    const o = options(null);
    if (o.docNumber) f.push([t('fieldDocNumberShort'), o.docNumber]);
    if (o.place) f.push([t('field_place'), o.place]);
    if (MODE_FIELDS[mode].includes('date')) f.push([t('fieldDate'), date ? formatDateField(date) : t('signingDay')]);
    if (o.copyForm) f.push([t('field_copyForm'), o.copyForm]);
    if (o.certNumber) f.push([t('field_certNumber'), o.certNumber]);
    if (o.book) f.push([t('field_book'), o.book]);
    return {
      document: doc?.name ?? '',
      mode: t(`mode_${mode}`),
      page: (preview?.widget.pageIndex ?? 0) + 1,
      holder: cert ? `${cert.holder}${cert.organisation && cert.organisation !== cert.holder ? ` (${cert.organisation})` : ''}` : '',
      token: cert ? `${cert.source.tokenLabel} (${cert.source.token})` : '',
      level: t(LEVEL_KEY[level]),
      fields: f,
      warnings: w,
    };
  };

  async function sign() {
    if (!doc || !cert || !preview) return;
    const ac = new AbortController();
    abort.current = ac;
    dispatch({ type: 'confirmed' });
    const typed = pinPad ? null : pin;
    // The PIN is used for this one attempt only: a wrong one is never tried again on the user's behalf.
    setPin('');
    try {
      const result = await signWithToken({
        pdf: doc.bytes,
        // Automatic placement is recomputed by the same planning code as the preview; a moved box is taken as is.
        options: options(manual),
        cert,
        pin: typed,
        level,
        tsaUrl,
        onlineRevocation: settings?.values.onlineRevocation ?? true,
        text,
        signal: ac.signal,
        onStep: (step) => dispatch({ type: 'progress', step }),
      });
      if (ac.signal.aborted) return;
      dispatch({ type: 'progress', step: tNow('sending') });
      const name = signedFileName(doc.name);
      let delivered: Omit<Done, 'signed' | 'name'>;
      if (job) {
        delivered = await deliverSignedFile(job, doc.name, result.pdf);
      } else {
        // A file from this computer goes back to the downloads folder, never over an existing file.
        const saved = await downloadSigned(name, result.pdf);
        delivered = { how: 'download', detail: tNow('downloaded', { name: saved }), warnings: [] };
      }
      setDone({ ...delivered, warnings: [...result.warnings, ...delivered.warnings], signed: result.pdf, name });
      dispatch({ type: 'signed' });
      openPdf(result.pdf.slice()).then(setSignedView, () => undefined);
    } catch (e) {
      dispatch({ type: 'failed', error: payload(e) });
    }
  }

  function cancel() {
    abort.current?.abort();
    dispatch({ type: 'cancel' });
  }

  async function pickFile(f: File | undefined) {
    if (!f || !settings) return;
    try {
      setNeedFile(false);
      await openDocument(f.name, new Uint8Array(await f.arrayBuffer()), undefined, settings);
    } catch (e) {
      dispatch({ type: 'failed', error: payload(e) });
    }
  }

  const shownError = flow.kind === 'error' ? flow.error : previewError;
  const box = manual ?? preview?.widget;
  const boxAspect = mode === 'approval' ? aspectOf(images.signature) : mode === 'issue' ? aspectOf(images.seal) : undefined;
  const retries = flow.kind === 'error' ? retriesText(flow.error) : undefined;
  const optionsUrl = '../options/index.html';

  return (
    <div class="sign-page" data-testid="sign-root" data-state={flow.kind}>
      <header class="sign-header">
        <h1>{t('title')}</h1>
        {doc && <span class="doc-name" data-testid="doc-name">{doc.name}</span>}
        <span class="spacer" />
        {flow.kind !== 'confirm' && flow.kind !== 'done' && !(flow.kind === 'error' && !flow.recoverable) && !(flow.kind === 'cancelled') && (
          <button type="button" data-testid="cancel" onClick={cancel}>
            {t('cancel')}
          </button>
        )}
      </header>

      {(flow.kind === 'loading' || flow.kind === 'signing') && (
        <div class="status pending" role="status" data-testid="progress">
          {flow.step === INITIAL_STEP ? t('loading') : flow.step}
        </div>
      )}
      {needFile && flow.kind === 'loading' && (
        <div class="file-pick">
          <label>
            {t('pickLabel')} <input type="file" accept="application/pdf,.pdf" data-testid="file-input" onChange={(e) => void pickFile((e.currentTarget as HTMLInputElement).files?.[0])} />
          </label>
          <p class="muted small">{t('pickNote')}</p>
        </div>
      )}
      {flow.kind === 'cancelled' && (
        <div class="status warning" data-testid="cancelled">
          {t('cancelled')}{' '}
          {flow.recoverable && (
            <button type="button" data-testid="resume" onClick={() => dispatch({ type: 'resume' })}>
              {t('resume')}
            </button>
          )}
        </div>
      )}
      {shownError && (
        <div class="status error" role="alert" data-error-code={shownError.code}>
          <p data-testid="error-message">{errorText(shownError, lang)}</p>
          {retries && (
            <p data-testid="retries">
              <strong>{retries}</strong>
            </p>
          )}
          {errorHints(shownError.code, lang) && (
            <ol>
              {errorHints(shownError.code, lang)!.map((h) => (
                <li key={h}>{h}</li>
              ))}
            </ol>
          )}
          {(shownError.code === 'INVALID_ARGUMENT' || shownError.code === 'IMAGE_INVALID') && (
            <p>
              <a href={optionsUrl} target="_blank" rel="noopener" data-testid="options-link">
                {t('openOptionsImages')}
              </a>
            </p>
          )}
          <p class="muted small">
            {t('errorCode')} <code data-testid="error-code">{shownError.code}</code>
            {lang === 'vi' && (
              <>
                {' '}
                · <code>{shownError.message}</code>
              </>
            )}
          </p>
          {flow.kind === 'error' && !flow.recoverable && (
            <button type="button" onClick={() => location.reload()}>
              {t('retry')}
            </button>
          )}
        </div>
      )}
      {done && flow.kind === 'done' && (
        <div class="status ok" data-testid="result" data-how={done.how}>
          <strong>{t('signedDone')}</strong> {done.detail}
          {done.how !== 'download' && (
            <>
              {' '}
              <button type="button" onClick={() => void downloadSigned(done.name, done.signed)}>
                {t('downloadSigned')}
              </button>
            </>
          )}
          {done.warnings.length > 0 && (
            <ul data-testid="result-warnings">
              {done.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          )}
        </div>
      )}

      {doc && (
        <div class="sign-layout">
          <Thumbnails key={signedView ? 'signed' : 'loaded'} doc={signedView ?? doc.pdf} pages={doc.pages} current={page} onPick={(i) => { setPage(i); document.querySelector(`[data-page-index="${i}"]`)?.scrollIntoView({ block: 'start' }); }} />
          <Viewer
            doc={signedView ?? doc.pdf}
            pages={doc.pages}
            scale={scale}
            currentPage={page}
            onZoom={setScale}
            onPage={setPage}
            onFirstRender={() => setRendered(true)}
            stamps={flow.kind === 'done' ? [] : (preview?.stamps ?? [])}
            box={flow.kind === 'done' ? undefined : box}
            renderBox={(pageElement) =>
              box && (
                <PlacementBox
                  box={box}
                  scale={scale}
                  aspect={boxAspect}
                  label={t(`mode_${mode}`)}
                  pageElement={pageElement}
                  pageCount={doc.pages.length}
                  onChange={onBoxChange}
                />
              )
            }
          />
          <aside class="sign-panel">
            <ModeForm mode={mode} fields={fields} disabled={busy || flow.kind === 'done'} onMode={setModeAndReset} onField={(k, v) => setFields((f) => ({ ...f, [k]: v }))} />
            {autoMissed && <p class="status warning small">{t('autoMissed')}</p>}
            {preview && preview.warnings.length > 0 && (
              <ul class="status warning small">
                {preview.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            )}
            {manual && !autoMissed && (
              <p class="small">
                {t('manualPlace')}{' '}
                <button type="button" class="link" onClick={() => setManual(null)}>
                  {t('autoPlace')}
                </button>
              </p>
            )}
            {certs && <CertPicker certs={certs} statuses={statuses} selected={selected} showAll={showAll} disabled={busy || flow.kind === 'done'} onSelect={setSelected} onShowAll={setShowAll} />}
            <fieldset disabled={busy || flow.kind === 'done'}>
              <legend>{t('level')}</legend>
              <select data-testid="level" value={level} disabled={levelLocked} onChange={(e) => setLevel((e.currentTarget as HTMLSelectElement).value as SignatureLevel)}>
                {SIGNATURE_LEVELS.map((l) => (
                  <option key={l} value={l} disabled={l !== 'B-B' && !tsaUrl}>
                    {t(LEVEL_KEY[l])}
                  </option>
                ))}
              </select>
              {levelLocked && <span class="badge">{t('byIt')}</span>}
              {!tsaUrl && <p class="muted small">{t('noTsa')}</p>}
              {tsaUrl && level !== 'B-B' && <p class="muted small">{t('tsa', { url: tsaUrl })}</p>}
            </fieldset>
            <fieldset disabled={busy || flow.kind === 'done'}>
              <legend>{t('pinLegend')}</legend>
              {pinPad ? (
                <p class="small">{t('pinPad')}</p>
              ) : (
                <input type="password" data-testid="pin" autoComplete="off" value={pin} placeholder={t('pinPlaceholder')} onInput={(e) => setPin((e.currentTarget as HTMLInputElement).value)} onKeyDown={(e) => e.key === 'Enter' && canAsk && dispatch({ type: 'ask' })} />
              )}
              {token?.pinFinalTry && <p class="bad small">{t('pinFinal')}</p>}
              {!token?.pinFinalTry && token?.pinCountLow && <p class="warn small">{t('pinLow')}</p>}
              {token?.pinLocked && <p class="bad small">{t('pinLocked')}</p>}
            </fieldset>
            <button type="button" class="primary" data-testid="sign-button" disabled={!canAsk} onClick={() => dispatch({ type: 'ask' })}>
              {t('sign')}
            </button>
            {(previewError?.code === 'INVALID_ARGUMENT' || (!images.seal && mode === 'issue') || (!images.signature && mode === 'approval')) && (
              <p class="small">
                <a href={optionsUrl} target="_blank" rel="noopener">
                  {t('optionsImages')}
                </a>
              </p>
            )}
          </aside>
        </div>
      )}

      {doc && (
        <section class="verify-slot">
          {flow.kind === 'done' && done ? <VerifyPanel key="signed" pdf={done.signed} fileName={done.name} /> : <VerifyPanel key="loaded" pdf={doc.bytes} fileName={doc.name} />}
        </section>
      )}

      {flow.kind === 'confirm' && <ConfirmDialog summary={summary()} onConfirm={() => void sign()} onCancel={() => dispatch({ type: 'cancel' })} />}
    </div>
  );
}
