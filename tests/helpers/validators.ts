// The independent validators a signature must satisfy: poppler's pdfsig (NSS db trusting the test root),
// qpdf --check, and openssl cms over the exact signed bytes.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { PdfString } from '../../shared/pdf/objects.ts';
import { PdfReader } from '../../shared/pdf/reader.ts';
import { listFields } from '../../shared/sign/fields.ts';
import { NSSDB, PKI } from './pki.ts';

export interface PdfsigSignature {
  field: string;
  valid: boolean;
  trusted: boolean;
  totalDocument: boolean;
  validation: string;
  certificate: string;
}

export function pdfsig(file: string, opts: { noOcsp?: boolean } = {}): { exit: number; signatures: PdfsigSignature[]; raw: string } {
  const r = spawnSync('pdfsig', ['-nssdir', `sql:${NSSDB}`, ...(opts.noOcsp ? ['-no-ocsp'] : []), file], { encoding: 'utf8', timeout: 60_000 });
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

export interface EmbeddedSignature {
  field: string;
  byteRange: [number, number, number, number];
  cms: Uint8Array;
}

function openAnyway(pdf: Uint8Array): PdfReader {
  // Encrypted files that the empty password opens are read decrypted (field names, strings); others as stored.
  try {
    return PdfReader.open(pdf, { decrypt: true });
  } catch {
    return PdfReader.open(pdf, { allowEncrypted: true });
  }
}

/** Each signature's ByteRange and CMS, read with our own reader (for openssl, which knows no PDF). /Contents is never encrypted. */
export function embeddedSignatures(pdf: Uint8Array): EmbeddedSignature[] {
  const reader = openAnyway(pdf);
  const out: EmbeddedSignature[] = [];
  for (const f of listFields(reader)) {
    if (f.type !== 'Sig') continue;
    const v = reader.resolveDict(f.dict.get('V'));
    if (!v) continue;
    const br = reader.resolveArray(v.get('ByteRange'))?.map((x) => reader.resolveNumber(x) ?? -1);
    const contents = reader.resolve(v.get('Contents'));
    if (!br || br.length !== 4 || !(contents instanceof PdfString)) continue;
    let cms = contents.bytes;
    // /Contents is zero-padded after the DER; cut at the outer SEQUENCE's length.
    if (cms[0] === 0x30) {
      const l = cms[1];
      const len = l < 0x80 ? 2 + l : 2 + (l & 0x7f) + Number([...cms.subarray(2, 2 + (l & 0x7f))].reduce((a, b) => a * 256 + b, 0));
      cms = cms.subarray(0, len);
    }
    out.push({ field: f.fullName, byteRange: br as [number, number, number, number], cms });
  }
  return out;
}

/** openssl cms -verify of one signature over its byte range, with the test root as the only trust anchor. */
export function opensslVerify(pdf: Uint8Array, sig: EmbeddedSignature, caFile = join(PKI, 'root.cert.pem')): boolean {
  const dir = tmpDir('kyso-cms-');
  const [a, b, c, d] = sig.byteRange;
  const content = Buffer.concat([Buffer.from(pdf.subarray(a, a + b)), Buffer.from(pdf.subarray(c, c + d))]);
  const data = writeTmp(dir, 'data.bin', content);
  const der = writeTmp(dir, 'sig.der', sig.cms);
  const r = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', der, '-content', data, '-CAfile', caFile, '-purpose', 'any', '-out', '/dev/null'], { encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  return r.status === 0;
}

/**
 * The verdict the product's tests require of every signature it makes: pdfsig says "Signature is Valid." for
 * each and "Certificate is Trusted." for the first; for later signatures poppler 22.12 may report "Unknown issue
 * with Certificate or corrupted data." because it reads a stale NSS error after a successful
 * CERT_PKIXVerifyCert — there openssl cms must verify the chain to the test root instead.
 */
export function expectGoodSignatures(file: string, fields: string[]): void {
  const pdf = new Uint8Array(readFileSync(file));
  const v = pdfsig(file);
  const embedded = embeddedSignatures(pdf);
  let withoutOcsp: ReturnType<typeof pdfsig> | undefined;
  fields.forEach((field, i) => {
    const s = v.signatures.find((x) => x.field === field);
    expect(s, `pdfsig lists ${field}\n${v.raw}`).toBeDefined();
    expect(s!.validation, `${field}: ${v.raw}`).toBe('Signature is Valid.');
    const first = v.signatures.indexOf(s!) === 0;
    if (first || s!.certificate !== POPPLER_STALE_ERROR) expect(s!.certificate, field).toBe('Certificate is Trusted.');
    else {
      // poppler 22.12 with OCSP reports this for whichever signature comes second, even for a certificate it
      // trusts as the first signature of another file: the chain must still be trusted without the OCSP step
      // (revocation is judged by openssl below and by our verifier elsewhere).
      withoutOcsp ??= pdfsig(file, { noOcsp: true });
      expect(withoutOcsp.signatures.find((x) => x.field === field)?.certificate, `${field} without OCSP: ${withoutOcsp.raw}`).toBe('Certificate is Trusted.');
    }
    const e = embedded.find((x) => x.field === field);
    expect(e, `${field} found by our reader`).toBeDefined();
    expect(opensslVerify(pdf, e!), `openssl cms -verify ${field} (signature ${i + 1})`).toBe(true);
  });
}

export const POPPLER_STALE_ERROR = 'Unknown issue with Certificate or corrupted data.';
