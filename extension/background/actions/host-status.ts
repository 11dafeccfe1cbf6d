// hostStatus: connect (hello) and list the tokens, for the diagnostics page. A failed hello is the answer's error;
// a failed token listing still returns what hello said, with the listing's error beside it. The PKCS#11 modules of
// the settings (policy or the user's) are tried beside the ones the host finds itself.

import { asKysoError } from '@kyso/shared/protocol/errors';
import { PROTOCOL_VERSION } from '@kyso/shared/protocol/messages';
import type { HostStatus } from '../../shared/messages.ts';
import type { NativeHost } from '../services/native-host.ts';

export async function hostStatus(host: NativeHost, extensionVersion: string, modules: readonly string[] = []): Promise<HostStatus> {
  const hello = await host.hello();
  let tokens: HostStatus['tokens'];
  try {
    tokens = { ok: true, result: await host.request('listTokens', modules.length ? { modules: [...modules] } : {}) };
  } catch (e) {
    tokens = { ok: false, error: asKysoError(e).toPayload() };
  }
  return { extensionVersion, protocolVersion: PROTOCOL_VERSION, host: hello, tokens };
}
