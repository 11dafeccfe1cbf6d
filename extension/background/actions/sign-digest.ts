// signDigest / cancelSign: the token signs one digest for the signing page. (Filled in with the page.)

import { KysoError } from '@kyso/shared/protocol/errors';
import type { SignParams, SignResult } from '@kyso/shared/protocol/messages';
import type { NativeHost } from '../services/native-host.ts';

export async function signDigest(_host: NativeHost, _params: SignParams & { requestId: string }): Promise<SignResult> {
  throw new KysoError('INTERNAL_ERROR', 'signDigest: not built yet.');
}

export async function cancelSign(_host: NativeHost, _params: { requestId: string }): Promise<{ cancelled: boolean }> {
  throw new KysoError('INTERNAL_ERROR', 'cancelSign: not built yet.');
}
