// poppler's pdfsig verdict for the demo's summary (the tests use tests/helpers/validators.ts, which also asks openssl).

import { execFile } from 'node:child_process';

export interface PdfsigVerdict {
  exit: number;
  /** chainTrusted: pdfsig -no-ocsp's certificate verdict, asked only for later signatures (see allGood). */
  signatures: { field: string; valid: boolean; certificate: string; signer: string; chainTrusted?: boolean }[];
  raw: string;
}

/** Asynchronous on purpose: the OCSP responder pdfsig asks may run in this very process (scripts/demo/run.ts). */
export async function pdfsig(file: string, nssdb: string): Promise<PdfsigVerdict> {
  const v = await runPdfsig(file, nssdb, false);
  if (v.signatures.some((s, i) => i > 0 && s.certificate === STALE)) {
    const chain = await runPdfsig(file, nssdb, true);
    v.signatures.forEach((s, i) => {
      if (i > 0) s.chainTrusted = chain.signatures[i]?.certificate === TRUSTED;
    });
  }
  return v;
}

const TRUSTED = 'Certificate is Trusted.';
const STALE = 'Unknown issue with Certificate or corrupted data.';

async function runPdfsig(file: string, nssdb: string, noOcsp: boolean): Promise<PdfsigVerdict> {
  const r = await new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile('pdfsig', ['-nssdir', nssdb, ...(noOcsp ? ['-no-ocsp'] : []), file], { encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) => {
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
 * The signatures are good: each "Signature is Valid." and each certificate trusted. poppler 22.12 with OCSP reports
 * "Unknown issue with Certificate or corrupted data." for whichever signature comes second, even for a certificate
 * it trusts as the first signature of another file; such a signature counts when pdfsig -no-ocsp trusts its chain.
 */
export function allGood(v: PdfsigVerdict, expected: number): boolean {
  return v.signatures.length === expected && v.signatures.every((s, i) => s.valid && (s.certificate === TRUSTED || (i > 0 && s.certificate === STALE && s.chainTrusted === true)));
}
