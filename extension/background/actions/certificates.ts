// listSigningCertificates: every token's certificates for the signing page's picker. (Filled in with the page.)

import { KysoError } from '@kyso/shared/protocol/errors';
import type { SigningCertificates } from '../../shared/messages.ts';
import type { NativeHost } from '../services/native-host.ts';

export async function listSigningCertificates(_host: NativeHost, _modules: readonly string[]): Promise<SigningCertificates> {
  throw new KysoError('INTERNAL_ERROR', 'listSigningCertificates: not built yet.');
}
