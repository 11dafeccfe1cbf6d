// Checks for signed encrypted files (signature checks themselves: tests/helpers/validators.ts, which reads
// encrypted files decrypted when the empty password opens them).

import { spawnSync } from 'node:child_process';
import { PdfReader } from '../../shared/pdf/reader.ts';

/** qpdf --show-encryption (what a changed security handler or key would change). */
export function showEncryption(file: string): string {
  return spawnSync('qpdf', ['--show-encryption', file], { encoding: 'utf8' }).stdout;
}

export function isEncrypted(pdf: Uint8Array): boolean {
  return !!PdfReader.open(pdf, { allowEncrypted: true }).encryption;
}
