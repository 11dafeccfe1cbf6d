// How the verifier opens a file (and each signed revision of it): decrypted when the empty user password opens it,
// so /M, field names and the DSS read as plaintext; otherwise as stored (a signature's /Contents is never encrypted).

import { PdfReader } from '../pdf/reader.ts';
import { isKysoError } from '../protocol/errors.ts';

export function openForVerify(bytes: Uint8Array): PdfReader {
  try {
    return PdfReader.open(bytes, { decrypt: true });
  } catch (e) {
    if (isKysoError(e, 'PDF_PASSWORD_REQUIRED') || isKysoError(e, 'PDF_ENCRYPTED')) return PdfReader.open(bytes, { allowEncrypted: true });
    throw e;
  }
}
