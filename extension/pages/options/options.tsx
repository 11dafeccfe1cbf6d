// "Tùy chọn KýSố": every setting with its value and where it comes from. Values IT set by group policy are shown
// locked (disabled, badge "Do bộ phận CNTT thiết lập"); bad policy values are listed in a warning box with the key
// and the reason (the default applies); the user's own settings that policy leaves open are edited and saved here.
// The signature and seal images come first (images-section.tsx: stored on this machine, not policy settings).

import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ErrorPayload } from '@kyso/shared/protocol/errors';
import { POLICY_DEFS, POLICY_LIST, type PolicyDef, type PolicyKey, type PolicyValues } from '@kyso/shared/policy/schema';
import type { EffectiveSettings, ValueSource } from '@kyso/shared/policy/resolve';
import type { PolicyIssue } from '@kyso/shared/policy/validate';
import { askBackground } from '../../shared/send.ts';
import { ErrorView } from '../common/error-view.tsx';
import { ImagesSection } from './images-section.tsx';
import { lineIssues, type LineListKey } from './list-check.ts';
import { isMatchPattern } from '@kyso/shared/policy/validate';
import { setLanguage, useLanguage, useTexts, type Language } from '../../shared/i18n.ts';
import { OPTIONS_TEXTS } from './texts.ts';

/** What the form holds for each editable key (text for lists, per role / per portal for the objects). */
interface Draft {
  portals: string;
  markers: Record<string, string>;
  defaultModes: Record<string, string>;
  pkcs11Modules: string;
  language: string;
}

function toDraft(v: PolicyValues): Draft {
  return {
    portals: v.portals.join('\n'),
    markers: Object.fromEntries(Object.entries(v.markers).map(([r, m]) => [r, m.join(', ')])),
    defaultModes: { ...v.defaultModes },
    pkcs11Modules: v.pkcs11Modules.join('\n'),
    language: v.language,
  };
}

const lines = (s: string) => s.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
const words = (s: string) => s.split(/[\s,;]+/).map((w) => w.trim()).filter(Boolean);

function fromDraft(d: Draft, key: PolicyKey): unknown {
  switch (key) {
    case 'portals':
      return lines(d.portals);
    case 'pkcs11Modules':
      return lines(d.pkcs11Modules);
    case 'markers':
      return Object.fromEntries(Object.entries(d.markers).map(([r, m]) => [r, words(m)]));
    case 'defaultModes':
      return Object.fromEntries(Object.entries(d.defaultModes).filter(([, m]) => m));
    case 'language':
      return d.language;
    default:
      return undefined;
  }
}

type State = { kind: 'pending' } | { kind: 'ok'; settings: EffectiveSettings } | { kind: 'error'; error: ErrorPayload };
type SaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'error'; error: ErrorPayload; issues: PolicyIssue[] };

export function Options() {
  const t = useTexts(OPTIONS_TEXTS);
  useEffect(() => void (document.title = t('docTitle')), [t('docTitle')]);
  const [state, setState] = useState<State>({ kind: 'pending' });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });

  const load = useCallback(async () => {
    const reply = await askBackground('getSettings', {});
    if (reply.ok) {
      setState({ kind: 'ok', settings: reply.result });
      setDraft(toDraft(reply.result.values));
      setLanguage(reply.result.values.language);
    } else setState({ kind: 'error', error: reply.error });
  }, []);
  useEffect(() => {
    void load();
    // IT changed the policy while the page is open (gpupdate, a new JSON file, "Reload policies"): show it.
    const onChanged = (_: unknown, area: string) => {
      if (area === 'managed') void load();
    };
    chrome.storage.onChanged.addListener(onChanged);
    return () => chrome.storage.onChanged.removeListener(onChanged);
  }, [load]);

  const onSave = async () => {
    if (state.kind !== 'ok' || !draft) return;
    const changes: Record<string, unknown> = {};
    for (const d of POLICY_LIST) {
      const st = state.settings.state[d.key];
      if (!st.userSettable || st.locked) continue;
      // Only what the user changed: an untouched default stays a default (and follows a later default).
      const value = fromDraft(draft, d.key);
      if (JSON.stringify(value) !== JSON.stringify(fromDraft(toDraft(state.settings.values), d.key))) changes[d.key] = value;
    }
    setSave({ kind: 'saving' });
    const reply = await askBackground('saveSettings', { changes });
    if (reply.ok) {
      setState({ kind: 'ok', settings: reply.result });
      setDraft(toDraft(reply.result.values));
      setLanguage(reply.result.values.language);
      setSave({ kind: 'saved' });
    } else {
      let issues: PolicyIssue[] = [];
      try {
        issues = JSON.parse(String(reply.error.details?.issues ?? '[]')) as PolicyIssue[];
      } catch {
        // the error's own text is shown anyway
      }
      setSave({ kind: 'error', error: reply.error, issues });
    }
  };

  return (
    <main data-state={state.kind}>
      <h1>{t('title')}</h1>
      <p class="muted">
        {t('intro')}{' '}
        <a href="../diagnostics/index.html">{t('diagnosticsLink')}</a>
      </p>
      {state.kind === 'pending' && <div class="status pending">{t('reading')}</div>}
      {state.kind === 'error' && <ErrorView error={state.error} title={t('readFailed')} />}
      {state.kind === 'ok' && draft && (
        <>
          <IssuesBox issues={state.settings.issues} />
          <ImagesSection />
          {POLICY_LIST.map((def) => (
            <Setting key={def.key} def={def} settings={state.settings} draft={draft} setDraft={(d) => { setDraft(d); setSave({ kind: 'idle' }); }} />
          ))}
          <p class="actions">
            <button type="button" class="primary" data-testid="save" onClick={() => void onSave()} disabled={save.kind === 'saving' || !editable(state.settings) || draftHasLineIssues(state.settings, draft)}>
              {t('save')}
            </button>
            {draftHasLineIssues(state.settings, draft) && <span class="muted" data-testid="fix-first">{t('fixFirst')}</span>}
            {!editable(state.settings) && <span class="muted">{t('allByIt')}</span>}
            {save.kind === 'saved' && (
              <span class="saved" role="status" data-testid="saved">
                {t('saved')}
              </span>
            )}
          </p>
          {save.kind === 'error' && (
            <>
              <ErrorView error={save.error} title={t('saveFailed')} />
              {save.issues.length > 0 && <IssueList issues={save.issues} testid="save-issues" />}
            </>
          )}
        </>
      )}
    </main>
  );
}

/** Which lines of a list are wrong and why, as the user types; the same rules apply on saving. */
function LineCheck({ id, listKey, text }: { id: string; listKey: LineListKey; text: string }) {
  const lang = useLanguage();
  const t = useTexts(OPTIONS_TEXTS);
  const issues = lineIssues(listKey, text, lang);
  const count = lines(text).length;
  if (!issues.length) {
    return count ? (
      <p class="line-ok" id={id} data-testid="line-ok">
        {t('linesOk', { n: count })}
      </p>
    ) : null;
  }
  return (
    <ul class="line-issues" id={id} data-testid="line-issues" role="alert">
      {issues.map((i) => (
        <li key={`${i.line}|${i.messageVi}`} data-line={i.line}>
          {i.line > 0 && (
            <>
              {t('line', { line: i.line })} (<code>{i.value}</code>):{' '}
            </>
          )}
          {i.messageVi}
        </li>
      ))}
    </ul>
  );
}

/** Lines the background would refuse: saving waits until they are fixed. */
function draftHasLineIssues(s: EffectiveSettings, d: Draft): boolean {
  return (['portals', 'pkcs11Modules'] as const).some((k) => !s.state[k].locked && s.state[k].userSettable && lineIssues(k, d[k]).length > 0);
}

function editable(s: EffectiveSettings): boolean {
  return POLICY_LIST.some((d) => s.state[d.key].userSettable && !s.state[d.key].locked);
}

function IssueList({ issues, testid }: { issues: PolicyIssue[]; testid: string }) {
  const lang = useLanguage();
  const t = useTexts(OPTIONS_TEXTS);
  return (
    <ul data-testid={testid}>
      {issues.map((i) => (
        <li key={`${i.source}|${i.path}|${i.reason}`} data-issue-key={i.key} data-issue-reason={i.reason} data-issue-source={i.source}>
          <code>{i.path}</code>: {lang === 'en' ? i.messageEn : i.messageVi} <span class="muted">({i.reason})</span>
          {i.value !== undefined && (
            <>
              {' '}
              — {t('value')} <code>{i.value}</code>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

function IssuesBox({ issues }: { issues: PolicyIssue[] }) {
  const t = useTexts(OPTIONS_TEXTS);
  const policy = issues.filter((i) => i.source === 'policy');
  const user = issues.filter((i) => i.source === 'user');
  return (
    <>
      {policy.length > 0 && (
        <div class="status warning" role="alert" data-testid="policy-issues">
          <strong>{t('policyIssues')}</strong>
          <p class="muted">{t('policyIssuesHint')}</p>
          <IssueList issues={policy} testid="policy-issue-list" />
        </div>
      )}
      {user.length > 0 && (
        <div class="status warning" data-testid="user-issues">
          <strong>{t('userIssues')}</strong>
          <IssueList issues={user} testid="user-issue-list" />
        </div>
      )}
    </>
  );
}

/** A small padlock (an emoji lock needs a colour emoji font, which many office machines lack). */
function LockIcon() {
  return (
    <svg width="10" height="12" viewBox="0 0 10 12" aria-hidden="true" class="lock-icon">
      <path d="M2.5 5V3.5a2.5 2.5 0 0 1 5 0V5" fill="none" stroke="currentColor" stroke-width="1.4" />
      <rect x="0.5" y="5" width="9" height="6.5" rx="1.2" fill="currentColor" />
    </svg>
  );
}

interface SettingProps {
  def: PolicyDef;
  settings: EffectiveSettings;
  draft: Draft;
  setDraft: (d: Draft) => void;
}

function Setting({ def, settings, draft, setDraft }: SettingProps) {
  const lang = useLanguage();
  const t = useTexts(OPTIONS_TEXTS);
  const other: Language = lang === 'vi' ? 'en' : 'vi';
  const st = settings.state[def.key];
  const disabled = st.locked || !st.userSettable;
  const id = `setting-${def.key}`;
  return (
    <section class="setting" data-key={def.key} data-source={st.source} data-locked={String(st.locked)} data-testid={id}>
      <h2>
        <label for={id}>{def.title[lang]}</label>
        {st.locked && (
          <span class="lock-badge" data-testid="lock-badge" title={t('lockTitle')}>
            <LockIcon /> {t('lockBadge')}
          </span>
        )}
      </h2>
      <p class={`muted ${other}`} lang={other}>
        {def.title[other]} · <code>{def.key}</code>
      </p>
      <p class="description">{def.description[lang]}</p>
      <Editor def={def} id={id} disabled={disabled} settings={settings} draft={draft} setDraft={setDraft} />
      <p class="muted source" data-testid="source">
        {t('source', { source: t(`source_${st.source}`) })}
        {st.locked && st.source !== 'policy' && t('lockedBad')}
        {!st.userSettable && !st.locked && t('itOnly')}
      </p>
    </section>
  );
}

function Editor({ def, id, disabled, settings, draft, setDraft }: SettingProps & { id: string; disabled: boolean }) {
  const lang = useLanguage();
  const tt = useTexts(OPTIONS_TEXTS);
  const v = settings.values;
  switch (def.key) {
    case 'portals':
    case 'pkcs11Modules':
      return (
        <>
          <textarea
            id={id}
            rows={Math.max(3, draft[def.key].split('\n').length + 1)}
            disabled={disabled}
            value={draft[def.key]}
            placeholder={disabled ? '' : (def.example as string[]).join('\n')}
            aria-describedby={`${id}-check`}
            onInput={(e) => setDraft({ ...draft, [def.key]: (e.target as HTMLTextAreaElement).value })}
          />
          {!disabled && <LineCheck id={`${id}-check`} listKey={def.key} text={draft[def.key]} />}
        </>
      );
    case 'markers':
      return (
        <table class="kv">
          {!disabled && <caption class="muted">{tt('markersCaption')}</caption>}
          <tbody>
            {Object.keys(draft.markers).map((role) => (
              <tr key={role}>
                <th>
                  {`role_${role}` in OPTIONS_TEXTS ? tt(`role_${role}` as keyof typeof OPTIONS_TEXTS) : role} <code class="muted">{role}</code>
                </th>
                <td>
                  <input
                    id={role === 'signature' ? id : undefined}
                    data-role={role}
                    type="text"
                    disabled={disabled}
                    value={draft.markers[role]}
                    onInput={(e) => setDraft({ ...draft, markers: { ...draft.markers, [role]: (e.target as HTMLInputElement).value } })}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      );
    case 'defaultModes': {
      const t = POLICY_DEFS.defaultModes;
      const modes = t.type.kind === 'enumMap' ? t.type.values : [];
      // A row per portal in effect, per valid pattern being typed above, and any pattern that already has a mode.
      const patterns = [...new Set([...v.portals, ...lines(draft.portals).filter(isMatchPattern), ...Object.keys(draft.defaultModes)])];
      if (!patterns.length) return <p class="muted" id={id}>{tt('noPortals')}</p>;
      return (
        <table class="kv" id={id}>
          <tbody>
            {patterns.map((p) => (
              <tr key={p}>
                <th>
                  <code>{p}</code>
                </th>
                <td>
                  <select
                    data-pattern={p}
                    disabled={disabled}
                    value={draft.defaultModes[p] ?? ''}
                    onChange={(e) => setDraft({ ...draft, defaultModes: { ...draft.defaultModes, [p]: (e.target as HTMLSelectElement).value } })}
                  >
                    <option value="">{tt('askWhenSigning')}</option>
                    {modes.map((m) => (
                      <option key={m} value={m}>
                        {t.valueTitles?.[m]?.[lang] ?? m}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      );
    }
    case 'language':
    case 'signatureLevel': {
      const values = def.type.kind === 'enum' ? def.type.values : [];
      const value = def.key === 'language' ? draft.language : v.signatureLevel;
      return (
        <select id={id} disabled={disabled} value={value} onChange={(e) => def.key === 'language' && setDraft({ ...draft, language: (e.target as HTMLSelectElement).value })}>
          {values.map((x) => (
            <option key={x} value={x}>
              {def.valueTitles?.[x]?.[lang] ?? x}
            </option>
          ))}
        </select>
      );
    }
    case 'tsaUrl':
      return <input id={id} type="url" disabled value={v.tsaUrl} placeholder={tt('noTsa')} />;
    case 'onlineRevocation':
      return (
        <label class="check">
          <input id={id} type="checkbox" disabled checked={v.onlineRevocation} /> {v.onlineRevocation ? tt('on') : tt('off')}
        </label>
      );
    case 'trustAnchors':
      return v.trustAnchors.length ? (
        <ol id={id} data-testid="trust-anchors">
          {v.trustAnchors.map((pem, i) => (
            <li key={i}>
              <code>{pem.replace(/-----[A-Z ]+-----|\s/g, '').slice(0, 48)}…</code>
            </li>
          ))}
        </ol>
      ) : (
        <p class="muted" id={id}>
          {tt('noAnchors')}
        </p>
      );
  }
}
