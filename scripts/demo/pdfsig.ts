// poppler's pdfsig verdict for the demo's summary (the tests use tests/helpers/validators.ts, which also asks openssl).

import { execFile } from 'node:child_process';

export interface PdfsigVerdict {
  exit: number;
  signatures: { field: string; valid: boolean; certificate: string; signer: string }[];
  raw: string;
}

/** Asynchronous on purpose: the OCSP responder pdfsig asks may run in this very process (scripts/demo/run.ts). */
export async function pdfsig(file: string, nssdb: string): Promise<PdfsigVerdict> {
  const r = await new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile('pdfsig', ['-nssdir', nssdb, file], { encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err && typeof (err as NodeJS.ErrnoException & { code?: unknown }).code === 'number' ? Number((err as { code?: unknown }).code) : err ? -1 : 0;
      resolve({ status: code, stdout, stderr });
    });
  });
  const raw = r.stdout + r.stderr;
  const signatures = raw
    .split(/^Signature #\d+:/m)
    .slice(1)
    .map((block) => {
      const get = (k: string) => new RegExp(`- ${k}: (.*)`).exec(block)?.[1]?.trim() ?? '';
      return { field: get('Signature Field Name'), valid: get('Signature Validation') === 'Signature is Valid.', certificate: get('Certificate Validation'), signer: get('Signer Certificate Common Name') };
    });
  return { exit: r.status, signatures, raw };
}

/**
 * The signatures are good: each "Signature is Valid.", the first one's certificate trusted. poppler 22.12 may
 * report a later signature's certificate as "Unknown issue with Certificate or corrupted data." after a successful
 * chain check (a stale NSS error; the tests confirm those with openssl), so only the first is held to "Trusted".
 */
export function allGood(v: PdfsigVerdict, expected: number): boolean {
  return v.signatures.length === expected && v.signatures.every((s, i) => s.valid && (i > 0 || s.certificate === 'Certificate is Trusted.'));
}
