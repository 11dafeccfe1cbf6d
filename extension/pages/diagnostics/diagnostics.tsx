// "Kiểm tra kết nối": asks the background for the host status and shows it, or the typed error with its code.

import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ErrorPayload } from '@kyso/shared/protocol/errors';
import type { HelloResult, ListTokensResult, TokenInfo } from '@kyso/shared/protocol/messages';
import type { HostStatus } from '../../shared/messages.ts';
import { askBackground } from '../../shared/send.ts';
import { ErrorView } from '../common/error-view.tsx';
import { useTexts } from '../../shared/i18n.ts';
import { DIAGNOSTICS_TEXTS } from './texts.ts';

type State = { kind: 'pending' } | { kind: 'ok'; status: HostStatus } | { kind: 'error'; error: ErrorPayload };

export function Diagnostics() {
  const t = useTexts(DIAGNOSTICS_TEXTS);
  useEffect(() => void (document.title = t('docTitle')), [t('docTitle')]);
  const [state, setState] = useState<State>({ kind: 'pending' });
  const check = useCallback(async () => {
    setState({ kind: 'pending' });
    const reply = await askBackground('hostStatus', {});
    setState(reply.ok ? { kind: 'ok', status: reply.result } : { kind: 'error', error: reply.error });
  }, []);
  useEffect(() => {
    void check();
  }, [check]);

  return (
    <main data-state={state.kind}>
      <h1>{t('title')}</h1>
      <p class="muted">{t('intro')}</p>
      {state.kind === 'pending' && <div class="status pending">{t('connecting')}</div>}
      {state.kind === 'error' && <ErrorView error={state.error} title={t('failed')} />}
      {state.kind === 'ok' && <StatusView status={state.status} />}
      <p>
        <button type="button" onClick={() => void check()} disabled={state.kind === 'pending'}>
          {t('again')}
        </button>
      </p>
    </main>
  );
}

function StatusView({ status }: { status: HostStatus }) {
  const t = useTexts(DIAGNOSTICS_TEXTS);
  const { host, tokens } = status;
  return (
    <>
      <div class="status ok" data-testid="host-ok">
        {t('ok')}
      </div>
      <dl>
        <dt>{t('hostVersion')}</dt>
        <dd data-testid="host-version">{host.hostVersion}</dd>
        <dt>{t('protocol')}</dt>
        <dd data-testid="protocol-version">
          {host.protocolVersion} {t('protocolExt', { v: status.protocolVersion })}
        </dd>
        <dt>{t('extVersion')}</dt>
        <dd data-testid="extension-version">{status.extensionVersion}</dd>
        <dt>{t('os')}</dt>
        <dd>
          {host.platform} / {host.arch}
        </dd>
      </dl>

      <h2>{t('modules', { n: host.modules.length })}</h2>
      {host.modules.length === 0 ? (
        <p data-testid="modules-none">{t('modulesNone')}</p>
      ) : (
        <table data-testid="modules">
          <thead>
            <tr>
              <th>{t('vendor')}</th>
              <th>{t('path')}</th>
              <th>{t('source')}</th>
            </tr>
          </thead>
          <tbody>
            {host.modules.map((m) => (
              <tr key={m.path}>
                <td>{m.vendor}</td>
                <td>
                  <code>{m.path}</code>
                </td>
                <td>
                  {`source_${m.source}` in DIAGNOSTICS_TEXTS ? t(`source_${m.source}` as keyof typeof DIAGNOSTICS_TEXTS) : m.source}
                  {/* Hosts that report it: a module of the other bitness (32-bit driver, 64-bit host). */}
                  {(m as { loadable?: boolean }).loadable === false && t('notLoadable')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>USB token</h2>
      {tokens.ok ? (
        <TokensView tokens={tokens.result.tokens} problems={tokens.result.problems} />
      ) : (
        <ErrorView error={tokens.error} title={t('tokensFailed')} />
      )}
    </>
  );
}

function TokensView({ tokens, problems }: ListTokensResult) {
  const t = useTexts(DIAGNOSTICS_TEXTS);
  return (
    <>
      {tokens.length === 0 ? (
        <p data-testid="tokens-none">{t('tokensNone')}</p>
      ) : (
        <table data-testid="tokens">
          <thead>
            <tr>
              <th>{t('tokenLabel')}</th>
              <th>{t('tokenMaker')}</th>
              <th>{t('tokenSerial')}</th>
              <th>{t('tokenPin')}</th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((tk) => (
              <tr key={`${tk.module}|${tk.serial}|${tk.label}`}>
                <td data-testid="token-label">{tk.label}</td>
                <td>
                  {tk.manufacturer} / {tk.model}
                </td>
                <td>
                  <code>{tk.serial}</code>
                </td>
                <td>{t(pinState(tk))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {problems.length > 0 && (
        <>
          <h2>{t('badModules')}</h2>
          {problems.map((p) => (
            <ErrorView key={p.module} error={p.error} title={p.module} />
          ))}
        </>
      )}
    </>
  );
}

function pinState(t: TokenInfo): 'pinLocked' | 'pinFinal' | 'pinLow' | 'pinPad' | 'pinNormal' {
  if (t.pinLocked) return 'pinLocked';
  if (t.pinFinalTry) return 'pinFinal';
  if (t.pinCountLow) return 'pinLow';
  return t.protectedAuthPath ? 'pinPad' : 'pinNormal';
}
