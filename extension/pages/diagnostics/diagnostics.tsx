// "Kiểm tra kết nối": asks the background for the host status and shows it, or the typed error with its code.

import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ErrorPayload } from '@kyso/shared/protocol/errors';
import type { HelloResult, ListTokensResult, TokenInfo } from '@kyso/shared/protocol/messages';
import type { HostStatus } from '../../shared/messages.ts';
import { askBackground } from '../../shared/send.ts';
import { ErrorView } from '../common/error-view.tsx';

type State = { kind: 'pending' } | { kind: 'ok'; status: HostStatus } | { kind: 'error'; error: ErrorPayload };

const SOURCE_VI: Record<HelloResult['modules'][number]['source'], string> = {
  policy: 'chính sách của đơn vị',
  user: 'người dùng thêm',
  known: 'tự tìm thấy',
};

export function Diagnostics() {
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
      <h1>Kiểm tra kết nối</h1>
      <p class="muted">Kiểm tra tiện ích KýSố kết nối được với phần mềm KýSố trên máy và thấy USB token.</p>
      {state.kind === 'pending' && <div class="status pending">Đang kết nối với phần mềm KýSố trên máy…</div>}
      {state.kind === 'error' && <ErrorView error={state.error} title="Không kết nối được với phần mềm KýSố trên máy." />}
      {state.kind === 'ok' && <StatusView status={state.status} />}
      <p>
        <button type="button" onClick={() => void check()} disabled={state.kind === 'pending'}>
          Kiểm tra lại
        </button>
      </p>
    </main>
  );
}

function StatusView({ status }: { status: HostStatus }) {
  const { host, tokens } = status;
  return (
    <>
      <div class="status ok" data-testid="host-ok">
        Đã kết nối với phần mềm KýSố trên máy.
      </div>
      <dl>
        <dt>Phiên bản phần mềm KýSố</dt>
        <dd data-testid="host-version">{host.hostVersion}</dd>
        <dt>Phiên bản giao thức</dt>
        <dd data-testid="protocol-version">
          {host.protocolVersion} (tiện ích: {status.protocolVersion})
        </dd>
        <dt>Phiên bản tiện ích</dt>
        <dd data-testid="extension-version">{status.extensionVersion}</dd>
        <dt>Hệ điều hành</dt>
        <dd>
          {host.platform} / {host.arch}
        </dd>
      </dl>

      <h2>Thư viện PKCS#11 tìm thấy ({host.modules.length})</h2>
      {host.modules.length === 0 ? (
        <p data-testid="modules-none">Không tìm thấy thư viện PKCS#11 nào. Hãy cài phần mềm đi kèm USB token.</p>
      ) : (
        <table data-testid="modules">
          <thead>
            <tr>
              <th>Nhà cung cấp</th>
              <th>Đường dẫn</th>
              <th>Nguồn</th>
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
                  {SOURCE_VI[m.source] ?? m.source}
                  {/* Hosts that report it: a module of the other bitness (32-bit driver, 64-bit host). */}
                  {(m as { loadable?: boolean }).loadable === false && ' · không nạp được (khác kiến trúc 32/64-bit)'}
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
        <ErrorView error={tokens.error} title="Không liệt kê được USB token." />
      )}
    </>
  );
}

function TokensView({ tokens, problems }: ListTokensResult) {
  return (
    <>
      {tokens.length === 0 ? (
        <p data-testid="tokens-none">Chưa thấy USB token nào. Hãy cắm token vào máy rồi bấm "Kiểm tra lại".</p>
      ) : (
        <table data-testid="tokens">
          <thead>
            <tr>
              <th>Tên token</th>
              <th>Hãng / loại</th>
              <th>Số sê-ri</th>
              <th>Trạng thái PIN</th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={`${t.module}|${t.serial}|${t.label}`}>
                <td data-testid="token-label">{t.label}</td>
                <td>
                  {t.manufacturer} / {t.model}
                </td>
                <td>
                  <code>{t.serial}</code>
                </td>
                <td>{pinState(t)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {problems.length > 0 && (
        <>
          <h2>Thư viện không dùng được</h2>
          {problems.map((p) => (
            <ErrorView key={p.module} error={p.error} title={p.module} />
          ))}
        </>
      )}
    </>
  );
}

function pinState(t: TokenInfo): string {
  if (t.pinLocked) return 'Đã bị khóa';
  if (t.pinFinalTry) return 'Còn một lần thử';
  if (t.pinCountLow) return 'Còn ít lần thử';
  return t.protectedAuthPath ? 'Nhập PIN trên thiết bị' : 'Bình thường';
}
