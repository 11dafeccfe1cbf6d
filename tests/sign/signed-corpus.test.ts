// Documents signed by other software, as users receive them: adding our signature must leave what pdfsig says
// of every earlier signature exactly as it was, and ours must verify. Certified documents that forbid changes
// (DocMDP P=1) are refused.

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPdf } from '../../shared/sign/sign-pdf.ts';
import { isKysoError } from '../../shared/protocol/errors.ts';
import { loadFonts } from '../../native-host/assets.ts';
import type { TokenSigner } from '../../native-host/token/token-signer.ts';
import { tokenSigner } from '../helpers/pki.ts';
import { opensslVerify, embeddedSignatures, startsWith, tmpDir, writeTmp } from '../helpers/validators.ts';

const SIGNED = join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus', 'signed');
const files = readdirSync(SIGNED).filter((f) => f.endsWith('.pdf')).sort();
const dir = tmpDir('kyso-signed-corpus-');
const fonts = loadFonts();

/** Per signature: field name and pdfsig's signature verdict, certificates left out (they expired long ago). */
function verdicts(file: string): { field: string; validation: string }[] {
  const out = spawnSync('pdfsig', ['-nocert', file], { encoding: 'utf8', timeout: 60_000 }).stdout ?? '';
  return out
    .split(/^Signature #\d+:/m)
    .slice(1)
    .map((b) => ({ field: /- Signature Field Name: (.*)/.exec(b)?.[1]?.trim() ?? '', validation: /- Signature Validation: (.*)/.exec(b)?.[1]?.trim() ?? '(none)' }));
}

/** Refused on purpose, with the code users see. */
const REFUSED: Record<string, string> = {
  'dss-certified-no-change-permitted.pdf': 'PDF_SIGNING_NOT_ALLOWED',
  'pyhanko-certified-with-indirect-refs-in-dir.pdf': 'PDF_SIGNING_NOT_ALLOWED',
  // Encrypted with the empty user password, /P forbidding annotations and form filling alike (-1324, -1836).
  'qpdf-minimal-signed-restricted.pdf': 'PDF_SIGNING_NOT_ALLOWED',
  'dss-encrypted.pdf': 'PDF_SIGNING_NOT_ALLOWED',
  'pyhanko-signed-encrypted-pubkey-with-catalog-ref.pdf': 'PDF_PASSWORD_REQUIRED',
};

let org: TokenSigner;
beforeAll(async () => {
  org = await tokenSigner('org');
});
afterAll(() => org?.close());

describe('signing documents that already carry signatures', () => {
  for (const f of files) {
    it(f, async () => {
      const src = join(SIGNED, f);
      const input = new Uint8Array(readFileSync(src));
      let result;
      try {
        result = await signPdf(input, { mode: 'appendix', docNumber: '9/UBND' }, org, { fonts });
      } catch (e) {
        expect(isKysoError(e), String(e)).toBe(true);
        expect((e as { code: string }).code).toBe(REFUSED[f] ?? `unexpected ${(e as { code: string }).code}`);
        return;
      }
      expect(REFUSED[f], 'expected a refusal').toBeUndefined();
      expect(startsWith(result.pdf, input)).toBe(true);
      const out = writeTmp(dir, f, result.pdf);
      const before = verdicts(src);
      const after = verdicts(out);
      // Every earlier signature pdfsig calls valid stays valid; one it could not validate before (a byte range
      // past the end of file, a digest mismatch) must not turn valid because bytes were appended.
      expect(after.slice(0, before.length).map((s) => s.field)).toEqual(before.map((s) => s.field));
      before.forEach((b, i) => {
        if (b.validation === 'Signature is Valid.') expect(after[i].validation, b.field).toBe('Signature is Valid.');
        else expect(after[i].validation, b.field).not.toBe('Signature is Valid.');
      });
      const ours = after.find((s) => s.field === result.fieldName);
      expect(ours?.validation).toBe('Signature is Valid.');
      const e = embeddedSignatures(result.pdf).find((s) => s.field === result.fieldName)!;
      expect(opensslVerify(result.pdf, e)).toBe(true);
    });
  }
});
