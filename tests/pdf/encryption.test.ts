// Encrypted files: every Standard security handler revision, with and without an empty user password.
// The corpus has R2, R3 (password), R4 AES-128 and R6; qpdf makes the other combinations from a plain file.
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { PdfReader } from '../../shared/pdf/reader.ts';
import { KysoError } from '../../shared/protocol/errors.ts';
import { CORPUS, run, tmpFile } from './helpers.ts';

const HAVE_QPDF = run('sh', ['-c', 'command -v qpdf']).rc === 0;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof KysoError) return e.code;
    throw e;
  }
  return undefined;
}

const CASES: { name: string; args: string[]; code: 'PDF_ENCRYPTED' | 'PDF_PASSWORD_REQUIRED'; r: number }[] = [
  { name: 'R2 RC4-40, empty', args: ['', 'owner', '40'], code: 'PDF_ENCRYPTED', r: 2 },
  { name: 'R2 RC4-40, user password', args: ['secret', 'owner', '40'], code: 'PDF_PASSWORD_REQUIRED', r: 2 },
  { name: 'R3 RC4-128, empty', args: ['', 'owner', '128', '--use-aes=n'], code: 'PDF_ENCRYPTED', r: 3 },
  { name: 'R4 RC4-128, empty', args: ['', 'owner', '128', '--use-aes=n', '--force-V4'], code: 'PDF_ENCRYPTED', r: 4 },
  { name: 'R4 AES-128, empty', args: ['', 'owner', '128', '--use-aes=y'], code: 'PDF_ENCRYPTED', r: 4 },
  { name: 'R4 AES-128, clear-text metadata, empty', args: ['', 'owner', '128', '--use-aes=y', '--cleartext-metadata'], code: 'PDF_ENCRYPTED', r: 4 },
  { name: 'R4 AES-128, user password', args: ['secret', 'owner', '128', '--use-aes=y'], code: 'PDF_PASSWORD_REQUIRED', r: 4 },
  { name: 'R5 AES-256, empty', args: ['', 'owner', '256', '--force-R5'], code: 'PDF_ENCRYPTED', r: 5 },
  { name: 'R6 AES-256, empty', args: ['', 'owner', '256'], code: 'PDF_ENCRYPTED', r: 6 },
  { name: 'R6 AES-256, user password', args: ['secret', 'owner', '256'], code: 'PDF_PASSWORD_REQUIRED', r: 6 },
];

describe.skipIf(!HAVE_QPDF)('files encrypted by qpdf', () => {
  for (const objstm of [false, true]) {
    for (const c of CASES) {
      test(`${c.name}${objstm ? ', object streams' : ''}`, () => {
        const src = `${CORPUS}/plain/pypdf-pdflatex-4-pages.pdf`;
        const out = tmpFile(`enc-${c.name.replace(/[^a-z0-9]+/gi, '_')}-${objstm}.pdf`, new Uint8Array());
        const res = run('qpdf', ['--allow-weak-crypto', '--encrypt', ...c.args, '--', ...(objstm ? ['--object-streams=generate'] : ['--object-streams=disable']), src, out]);
        expect(res.rc === 0 || res.rc === 3, res.out).toBe(true);
        const bytes = new Uint8Array(readFileSync(out));
        expect(codeOf(() => PdfReader.open(bytes))).toBe(c.code);
        const r = PdfReader.open(bytes, { allowEncrypted: true });
        expect(r.encryption!.r).toBe(c.r);
        expect(r.encryption!.emptyUserPassword).toBe(c.code === 'PDF_ENCRYPTED');
        // The structure is readable: with the empty password even inside (encrypted) object streams.
        if (c.code === 'PDF_ENCRYPTED' || !objstm) expect(r.pageCount).toBe(4);
        // { decrypt: true }: opens (decrypting) with the empty password, still refuses a user password.
        expect(codeOf(() => PdfReader.open(bytes, { decrypt: true }))).toBe(c.code === 'PDF_ENCRYPTED' ? undefined : 'PDF_PASSWORD_REQUIRED');
        if (c.code === 'PDF_ENCRYPTED') {
          const d = PdfReader.open(bytes, { decrypt: true });
          expect(d.decrypting).toBe(true);
          expect(d.pageCount).toBe(4);
          expect(d.decodeStream(d.resolveStream(d.getPage(0).dict.get('Contents'))!).length).toBeGreaterThan(100);
        }
      });
    }
  }
});

test('corpus encrypted files', () => {
  const code = (f: string) => codeOf(() => PdfReader.open(new Uint8Array(readFileSync(`${CORPUS}/plain/${f}`))));
  expect(code('qpdf-enc-R2-RC4-40-empty-user-pw.pdf')).toBe('PDF_ENCRYPTED');
  expect(code('qpdf-enc-R6-AES256-empty-user-pw.pdf')).toBe('PDF_ENCRYPTED');
  expect(code('qpdf-enc-R3-user-pw-view.pdf')).toBe('PDF_PASSWORD_REQUIRED');
  expect(code('dss-edition_protected_none.pdf')).toBe('PDF_ENCRYPTED');
  expect(code('qpdf-leading-junk.pdf')).toBe('PDF_ENCRYPTED');
});
