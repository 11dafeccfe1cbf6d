// Every real-world file a user could meet gets signed as an incremental update that pdfsig calls valid and
// trusted, that qpdf finds no worse than the input, and whose first bytes are the input unchanged.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signPdf } from '../../shared/sign/sign-pdf.ts';
import { isKysoError } from '../../shared/protocol/errors.ts';
import { loadFonts } from '../../native-host/assets.ts';
import { makeSignaturePng } from '../../scripts/samples/images.ts';
import { useTokenSigners } from '../helpers/pki.ts';
import { isEncrypted, showEncryption } from '../encrypted/helpers.ts';
import { expectGoodSignatures, pdfsig, qpdfCheck, startsWith, tmpDir, writeTmp } from '../helpers/validators.ts';

const CORPUS = join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus');
const plain = readdirSync(join(CORPUS, 'plain')).filter((f) => f.endsWith('.pdf')).sort();
const malformed = readdirSync(join(CORPUS, 'malformed')).filter((f) => f.endsWith('.pdf')).sort();

/**
 * Files that cannot be signed here, and the typed error they must give instead. Encrypted files that open with the
 * empty user password are signed (and stay encrypted) unless their /P flags forbid both annotations and form
 * filling (shared/pdf/crypt.ts signingPermitted); tests/encrypted/ signs permissive re-encryptions of these.
 */
const REFUSED: Record<string, string> = {
  'qpdf-enc-R2-RC4-40-empty-user-pw.pdf': 'PDF_SIGNING_NOT_ALLOWED', // P = -64: nothing allowed
  'qpdf-enc-R6-AES256-empty-user-pw.pdf': 'PDF_SIGNING_NOT_ALLOWED', // P = -2368: no annotations, no forms
  'dss-edition_protected_none.pdf': 'PDF_SIGNING_NOT_ALLOWED', // P = -3376: no annotations, no forms
  'qpdf-enc-R3-user-pw-view.pdf': 'PDF_PASSWORD_REQUIRED',
};

const dir = tmpDir('kyso-corpus-');
const fonts = loadFonts();
const image = makeSignaturePng();
// Every signature goes through pkcs11js to the SoftHSM demo token, as a user's would.
const signers = useTokenSigners();

describe('signing every plain corpus file', () => {
  for (const f of plain) {
    it(f, async () => {
      const input = new Uint8Array(readFileSync(join(CORPUS, 'plain', f)));
      const before = qpdfCheck(join(CORPUS, 'plain', f));
      const run = signPdf(input, { mode: 'appendix', docNumber: '15/QĐ-UBND' }, signers.org, { fonts });
      if (REFUSED[f]) {
        await expect(run).rejects.toMatchObject({ code: REFUSED[f] });
        return;
      }
      const first = await run;
      expect(startsWith(first.pdf, input)).toBe(true);
      // A second signature (the leader's image on the last page) on top of the first.
      const second = await signPdf(first.pdf, { mode: 'approval', signatureImage: image, placement: { kind: 'rect', pageIndex: 0, rect: { x: 40, y: 60, w: 110, h: 60 } } }, signers.leader, { fonts });
      expect(startsWith(second.pdf, first.pdf)).toBe(true);
      const out = writeTmp(dir, f, second.pdf);
      expectGoodSignatures(out, [first.fieldName, second.fieldName]);
      expect(pdfsig(out).signatures.find((s) => s.field === second.fieldName)?.totalDocument).toBe(true);
      const after = qpdfCheck(out);
      // qpdf: 0 clean, 3 warnings, 2 errors; signing must not make a file worse.
      const rank = (c: number) => (c === 0 ? 0 : c === 3 ? 1 : 2);
      expect(rank(after)).toBeLessThanOrEqual(rank(before));
      // An encrypted input stays encrypted the same way.
      if (isEncrypted(input)) expect(showEncryption(out)).toBe(showEncryption(join(CORPUS, 'plain', f)));
    });
  }
});

describe('malformed corpus files', () => {
  for (const f of malformed) {
    it(`${f}: a typed error or a valid signature, never a crash`, async () => {
      const input = new Uint8Array(readFileSync(join(CORPUS, 'malformed', f)));
      try {
        const r = await signPdf(input, { mode: 'appendix', docNumber: '1/UBND' }, signers.org, { fonts });
        // Recoverable damage: then the result must be a good signature like any other.
        expect(startsWith(r.pdf, input)).toBe(true);
        const v = pdfsig(writeTmp(dir, f, r.pdf));
        expect(v.signatures.find((s) => s.field === r.fieldName)?.valid).toBe(true);
      } catch (e) {
        expect(isKysoError(e), String(e)).toBe(true);
      }
    });
  }
});
