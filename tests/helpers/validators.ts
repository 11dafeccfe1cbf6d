// The independent validators a signature must satisfy: poppler's pdfsig (NSS db trusting the test root),
// qpdf --check, and openssl cms over the exact signed bytes.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NSSDB } from './pki.ts';

export interface PdfsigSignature {
  field: string;
  valid: boolean;
  trusted: boolean;
  totalDocument: boolean;
  validation: string;
  certificate: string;
}

export function pdfsig(file: string): { exit: number; signatures: PdfsigSignature[]; raw: string } {
  const r = spawnSync('pdfsig', ['-nssdir', `sql:${NSSDB}`, file], { encoding: 'utf8', timeout: 60_000 });
  const raw = (r.stdout ?? '') + (r.stderr ?? '');
  const signatures: PdfsigSignature[] = [];
  for (const block of raw.split(/^Signature #\d+:/m).slice(1)) {
    const get = (k: string) => new RegExp(`- ${k}: (.*)`).exec(block)?.[1]?.trim() ?? '';
    const validation = get('Signature Validation');
    const certificate = get('Certificate Validation');
    signatures.push({
      field: get('Signature Field Name'),
      valid: validation === 'Signature is Valid.',
      trusted: certificate === 'Certificate is Trusted.',
      totalDocument: /- Total document signed/.test(block),
      validation,
      certificate,
    });
  }
  return { exit: r.status ?? -1, signatures, raw };
}

/** qpdf --check exit code: 0 clean, 3 warnings, 2 errors. */
export function qpdfCheck(file: string): number {
  const r = spawnSync('qpdf', ['--check', file], { encoding: 'utf8', timeout: 60_000 });
  return r.status ?? -1;
}

export function tmpDir(prefix = 'kyso-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeTmp(dir: string, name: string, data: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
}

export function startsWith(whole: Uint8Array, prefix: Uint8Array): boolean {
  if (whole.length < prefix.length) return false;
  return Buffer.from(whole.buffer, whole.byteOffset, prefix.length).equals(Buffer.from(prefix.buffer, prefix.byteOffset, prefix.length));
}
