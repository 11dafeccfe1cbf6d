// Checks for signed encrypted files. tests/helpers/validators.ts reads signatures with { allowEncrypted: true },
// which leaves strings as stored (field names encrypted); these read them decrypted instead.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { PdfString } from '../../shared/pdf/objects.ts';
import { PdfReader } from '../../shared/pdf/reader.ts';
import { listFields } from '../../shared/sign/fields.ts';
import { opensslVerify, pdfsig, POPPLER_STALE_ERROR, type EmbeddedSignature } from '../helpers/validators.ts';

/** Each signature's field name (decrypted), ByteRange and CMS (/Contents is never encrypted). */
export function embeddedSignaturesDecrypted(pdf: Uint8Array): EmbeddedSignature[] {
  const reader = PdfReader.open(pdf, { decrypt: true });
  const out: EmbeddedSignature[] = [];
  for (const f of listFields(reader)) {
    if (f.type !== 'Sig') continue;
    const v = reader.resolveDict(f.dict.get('V'));
    if (!v) continue;
    const br = reader.resolveArray(v.get('ByteRange'))?.map((x) => reader.resolveNumber(x) ?? -1);
    const contents = reader.resolve(v.get('Contents'));
    if (!br || br.length !== 4 || !(contents instanceof PdfString)) continue;
    let cms = contents.bytes;
    if (cms[0] === 0x30) {
      const l = cms[1];
      const len = l < 0x80 ? 2 + l : 2 + (l & 0x7f) + Number([...cms.subarray(2, 2 + (l & 0x7f))].reduce((a, b) => a * 256 + b, 0));
      cms = cms.subarray(0, len);
    }
    out.push({ field: f.fullName, byteRange: br as [number, number, number, number], cms });
  }
  return out;
}

/** expectGoodSignatures for encrypted files: pdfsig valid (the first trusted), openssl cms over the byte range. */
export function expectGoodEncryptedSignatures(file: string, fields: string[]): void {
  const pdf = new Uint8Array(readFileSync(file));
  const v = pdfsig(file);
  const embedded = embeddedSignaturesDecrypted(pdf);
  fields.forEach((field, i) => {
    const s = v.signatures.find((x) => x.field === field);
    expect(s, `pdfsig lists ${field}\n${v.raw}`).toBeDefined();
    expect(s!.validation, `${field}: ${v.raw}`).toBe('Signature is Valid.');
    const first = v.signatures.indexOf(s!) === 0;
    if (first || s!.certificate !== POPPLER_STALE_ERROR) expect(s!.certificate, field).toBe('Certificate is Trusted.');
    const e = embedded.find((x) => x.field === field);
    expect(e, `${field} found by our reader`).toBeDefined();
    expect(opensslVerify(pdf, e!), `openssl cms -verify ${field} (signature ${i + 1})`).toBe(true);
  });
}

/** qpdf --show-encryption (what a changed security handler or key would change). */
export function showEncryption(file: string): string {
  return spawnSync('qpdf', ['--show-encryption', file], { encoding: 'utf8' }).stdout;
}

export function isEncrypted(pdf: Uint8Array): boolean {
  return !!PdfReader.open(pdf, { allowEncrypted: true }).encryption;
}
