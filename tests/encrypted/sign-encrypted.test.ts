// Signing encrypted files that open with the EMPTY user password (ISO 32000-2 §7.6, §12.8): the update stays
// encrypted with the same handler and key, everything it adds decrypts in poppler, qpdf and MuPDF, signatures
// verify, and /P flags forbidding both annotations and form filling are respected.
//
// The corpus's R2 RC4-40 and R6 AES-256 files (and dss-edition_protected_none) forbid signing, so qpdf re-encrypts
// their content with permissive flags to exercise every Standard handler revision: RC4-40 (R2), RC4-128 (R3, and
// R4 with /V2 crypt filters), AES-128 (R4, also with /EncryptMetadata false), AES-256 (R5, R6), with and without
// object streams (the update's xref is then a stream, never encrypted).

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PdfDict, PdfRef, PdfString } from '../../shared/pdf/objects.ts';
import { PdfReader } from '../../shared/pdf/reader.ts';
import { listFields } from '../../shared/sign/fields.ts';
import { signPdf } from '../../shared/sign/sign-pdf.ts';
import { isKysoError } from '../../shared/protocol/errors.ts';
import { loadFonts } from '../../native-host/assets.ts';
import { makeSignaturePng } from '../../scripts/samples/images.ts';
import { useTokenSigners } from '../helpers/pki.ts';
import { expectGoodSignatures, pdfsig, qpdfCheck, startsWith, tmpDir, writeTmp } from '../helpers/validators.ts';
import { showEncryption } from './helpers.ts';

const CORPUS = process.env.KYSO_CORPUS ?? join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus');
const dir = tmpDir('kyso-encrypted-');
const fonts = loadFonts();
const image = makeSignaturePng();

const signers = useTokenSigners();

function qpdf(args: string[]): { rc: number; out: string } {
  const r = spawnSync('qpdf', args, { encoding: 'utf8', timeout: 60_000 });
  return { rc: r.status ?? -1, out: (r.stdout ?? '') + (r.stderr ?? '') };
}

/** qpdf --check exit code as a rank: 0 clean, 1 warnings, 2 errors. */
const rank = (c: number) => (c === 0 ? 0 : c === 3 ? 1 : 2);

/** MuPDF's error lines when rendering every page. */
function mutoolErrors(file: string): string[] {
  const r = spawnSync('mutool', ['draw', '-o', '/dev/null', file], { encoding: 'utf8', timeout: 60_000 });
  return ((r.stdout ?? '') + (r.stderr ?? '')).split('\n').filter((l) => /^error/.test(l));
}

function pageText(file: string, page = 1): string {
  return spawnSync('pdftotext', ['-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' }).stdout ?? '';
}

/** The trailer's /Encrypt reference and first /ID string (hex), as our reader sees them. */
function keyInputs(pdf: Uint8Array): { encrypt: string; id0: string } {
  const r = PdfReader.open(pdf, { allowEncrypted: true });
  const e = r.trailer.get('Encrypt');
  const id = r.resolve(r.trailer.get('ID'));
  const id0 = Array.isArray(id) && id[0] instanceof PdfString ? Buffer.from(id[0].bytes).toString('hex') : '';
  return { encrypt: e instanceof PdfRef ? e.key : String(e), id0 };
}

/** Signs twice (appendix, then an approval with an image on page 1) and checks everything the brief asks for. */
async function signAndCheck(name: string, input: Uint8Array): Promise<void> {
  const src = writeTmp(dir, `in-${name}`, input);
  const first = await signPdf(input, { mode: 'appendix', docNumber: '15/QĐ-UBND' }, signers.org, { fonts });
  expect(startsWith(first.pdf, input)).toBe(true);
  const second = await signPdf(first.pdf, { mode: 'approval', signatureImage: image, placement: { kind: 'rect', pageIndex: 0, rect: { x: 40, y: 60, w: 110, h: 60 } } }, signers.leader, { fonts });
  expect(startsWith(second.pdf, first.pdf)).toBe(true);
  const mid = writeTmp(dir, `one-${name}`, first.pdf);
  const out = writeTmp(dir, `two-${name}`, second.pdf);

  // Same handler, same key inputs, same permissions.
  expect(showEncryption(mid)).toBe(showEncryption(src));
  expect(showEncryption(out)).toBe(showEncryption(src));
  expect(keyInputs(second.pdf)).toEqual(keyInputs(input));
  // qpdf decrypts and decodes every stream: no worse than the input.
  expect(rank(qpdfCheck(out))).toBeLessThanOrEqual(rank(qpdfCheck(src)));
  // pdfsig and openssl: both signatures valid, the second covers the whole file.
  expectGoodSignatures(out, [first.fieldName, second.fieldName]);
  expect(pdfsig(out).signatures.find((s) => s.field === second.fieldName)?.totalDocument).toBe(true);
  // poppler decrypts our appearance stream (and its font) to draw the text.
  expect(pageText(out)).toContain('Số: 15/QĐ-UBND');
  // MuPDF renders it with no new error.
  expect(mutoolErrors(out)).toEqual(mutoolErrors(src));

  // Our reader decrypts what we wrote; qpdf reads the same field name.
  const reader = PdfReader.open(second.pdf, { decrypt: true });
  const fields = listFields(reader);
  const ours = fields.filter((f) => f.fullName === first.fieldName || f.fullName === second.fieldName);
  expect(ours.map((f) => f.fullName)).toEqual([first.fieldName, second.fieldName]);
  for (const f of ours) {
    expect(qpdf([`--show-object=${f.ref!.num}`, out]).out).toContain(`/T (${f.fullName})`);
  }
  // No plaintext string or stream of ours in the update: the field names, the reason, the date, the document number.
  const update = Buffer.from(second.pdf.subarray(input.length));
  // (names such as /Sig are not strings and stay readable.)
  const reason = Buffer.from('\u00fe\u00ff\u0000K\u0000\u00fd', 'latin1'); // "Ký" of the /Reason, UTF-16BE
  for (const plain of [first.fieldName, second.fieldName, 'UBND', '(D:20', reason]) expect(update.includes(plain), String(plain)).toBe(false);
  // The signatures' /Contents is stored in clear (ISO 32000-2 §7.6.2), like every signed encrypted corpus file.
  const sig = reader.resolveDict(ours[0].dict.get('V'))!;
  const contents = reader.resolve(sig.get('Contents')) as PdfString;
  expect(contents.bytes[0]).toBe(0x30);
}

function encrypted(name: string, source: string, args: string[], objstm: boolean): Uint8Array {
  const plain = join(dir, `dec-${name}`);
  const r1 = qpdf(['--decrypt', source, plain]);
  expect(r1.rc === 0 || r1.rc === 3, r1.out).toBe(true);
  const out = join(dir, `enc-${name}`);
  const r2 = qpdf(['--allow-weak-crypto', '--encrypt', ...args, '--', `--object-streams=${objstm ? 'generate' : 'disable'}`, plain, out]);
  expect(r2.rc === 0 || r2.rc === 3, r2.out).toBe(true);
  return new Uint8Array(readFileSync(out));
}

const SOURCES = {
  r2: join(CORPUS, 'plain', 'qpdf-enc-R2-RC4-40-empty-user-pw.pdf'),
  r6: join(CORPUS, 'plain', 'qpdf-enc-R6-AES256-empty-user-pw.pdf'),
  dss: join(CORPUS, 'plain', 'dss-edition_protected_none.pdf'),
};

const VARIANTS: { name: string; args: string[] }[] = [
  { name: 'R2 RC4-40', args: ['', 'owner', '40'] },
  { name: 'R3 RC4-128', args: ['', 'owner', '128', '--use-aes=n'] },
  { name: 'R4 RC4-128 (V2 crypt filters)', args: ['', 'owner', '128', '--use-aes=n', '--force-V4'] },
  { name: 'R4 AES-128', args: ['', 'owner', '128', '--use-aes=y'] },
  { name: 'R4 AES-128, clear-text metadata', args: ['', 'owner', '128', '--use-aes=y', '--cleartext-metadata'] },
  { name: 'R5 AES-256', args: ['', 'owner', '256', '--force-R5'] },
  { name: 'R6 AES-256', args: ['', 'owner', '256'] },
  // Bit 9 alone (fill in forms, including signature fields; bit 6 clear): Acrobat's "Signing: Allowed".
  { name: 'R6 AES-256, form filling only', args: ['', 'owner', '256', '--annotate=n', '--form=y', '--modify-other=n'] },
];

describe('encrypted corpus files', () => {
  for (const f of ['qpdf-leading-junk.pdf', 'dss-edition_protected_signing_allowed_with_field.pdf']) {
    it(`plain/${f}`, async () => signAndCheck(f, new Uint8Array(readFileSync(join(CORPUS, 'plain', f)))));
  }
  it('signed/dss-edition_protected_signing_allowed_with_field_signed.pdf: the earlier signature stays valid', async () => {
    const src = join(CORPUS, 'signed', 'dss-edition_protected_signing_allowed_with_field_signed.pdf');
    const input = new Uint8Array(readFileSync(src));
    await signAndCheck('dss-signed.pdf', input);
    const r = await signPdf(input, { mode: 'appendix', docNumber: '2/UBND' }, signers.org, { fonts });
    const v = pdfsig(writeTmp(dir, 'dss-signed-once.pdf', r.pdf));
    expect(v.signatures.find((s) => s.field === 'Signature1')?.validation).toBe('Signature is Valid.');
  });

  const refused: [string, string][] = [
    ['plain/qpdf-enc-R2-RC4-40-empty-user-pw.pdf', 'PDF_SIGNING_NOT_ALLOWED'], // P -64
    ['plain/qpdf-enc-R6-AES256-empty-user-pw.pdf', 'PDF_SIGNING_NOT_ALLOWED'], // P -2368
    ['plain/dss-edition_protected_none.pdf', 'PDF_SIGNING_NOT_ALLOWED'], // P -3376
    ['signed/qpdf-minimal-signed-restricted.pdf', 'PDF_SIGNING_NOT_ALLOWED'], // P -1324
    ['signed/dss-encrypted.pdf', 'PDF_SIGNING_NOT_ALLOWED'], // P -1836
    ['plain/qpdf-enc-R3-user-pw-view.pdf', 'PDF_PASSWORD_REQUIRED'],
    ['signed/pyhanko-signed-encrypted-pubkey-with-catalog-ref.pdf', 'PDF_PASSWORD_REQUIRED'],
  ];
  for (const [f, code] of refused) {
    it(`${f}: ${code}`, async () => {
      const input = new Uint8Array(readFileSync(join(CORPUS, f)));
      const err = await signPdf(input, { mode: 'appendix', docNumber: '1/UBND' }, signers.org, { fonts }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isKysoError(err), String(err)).toBe(true);
      expect((err as { code: string }).code).toBe(code);
      if (code === 'PDF_SIGNING_NOT_ALLOWED') expect((err as { messageVi: string }).messageVi).toContain('cấm thêm chú thích và điền biểu mẫu');
    });
  }
});

describe('every Standard handler revision (qpdf re-encryptions with permissive /P)', () => {
  for (const v of VARIANTS) {
    for (const [src, objstm] of [
      ['r6', false],
      ['r6', true],
      ['r2', false],
      ['dss', true],
    ] as const) {
      if (v.name.startsWith('R2') && objstm) continue; // qpdf writes no object streams with R2 (PDF 1.3)
      it(`${v.name}, ${src}${objstm ? ', object streams' : ''}`, async () => {
        const name = `${v.name.replace(/[^a-z0-9]+/gi, '_')}-${src}-${objstm}.pdf`;
        const input = encrypted(name, SOURCES[src], v.args, objstm);
        const r = PdfReader.open(input, { decrypt: true });
        expect(r.xrefKind).toBe(objstm ? 'stream' : 'table');
        await signAndCheck(name, input);
      });
    }
  }

  it('R4 AES-128 with a direct /Encrypt dictionary in the trailer (kept as it was)', async () => {
    const bytes = encrypted('aes-direct-src.pdf', SOURCES.r6, ['', 'owner', '128', '--use-aes=y'], false);
    const text = Buffer.from(bytes).toString('latin1');
    const t = text.lastIndexOf('trailer');
    const m = /\/Encrypt (\d+) 0 R/.exec(text.slice(t))!;
    const body = new RegExp(`\\n${m[1]} 0 obj\\s*([\\s\\S]*?)\\s*endobj`).exec(text)![1];
    const direct = new Uint8Array(Buffer.from(text.slice(0, t) + text.slice(t).replace(m[0], `/Encrypt ${body}`), 'latin1'));
    expect(PdfReader.open(direct, { decrypt: true }).trailer.get('Encrypt')).toBeInstanceOf(PdfDict);
    await signAndCheck('aes-direct.pdf', direct);
  });

  it('R6 with annotations and form filling both forbidden: PDF_SIGNING_NOT_ALLOWED', async () => {
    const input = encrypted('r6-locked.pdf', SOURCES.r6, ['', 'owner', '256', '--annotate=n', '--form=n'], false);
    await expect(signPdf(input, { mode: 'appendix', docNumber: '1/UBND' }, signers.org, { fonts })).rejects.toMatchObject({ code: 'PDF_SIGNING_NOT_ALLOWED' });
  });
  it('R2 with annotations forbidden (bit 9 means nothing before R3): PDF_SIGNING_NOT_ALLOWED', async () => {
    const input = encrypted('r2-locked.pdf', SOURCES.r6, ['', 'owner', '40', '--annotate=n'], false);
    await expect(signPdf(input, { mode: 'appendix', docNumber: '1/UBND' }, signers.org, { fonts })).rejects.toMatchObject({ code: 'PDF_SIGNING_NOT_ALLOWED' });
  });
});
