// A Vietnamese draft as users receive it, protected with the empty user password: the leader approves (image at
// the marker, found by pdf.js through the encryption), the office issues it (seal, and the number and date printed
// as stamp annotations). Issuing needs /P bit 6 (annotations); with form filling alone (bit 9) only the leader's
// signature is allowed.

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signPdf } from '../../shared/sign/sign-pdf.ts';
import { loadFonts } from '../../native-host/assets.ts';
import { pdfjsTextSource } from '../../native-host/pdf/pdfjs-node.ts';
import { makeSealPng, makeSignaturePng } from '../../scripts/samples/images.ts';
import { makeVnDocument } from '../../scripts/samples/vn-document.ts';
import { softwareSigner } from '../helpers/pki.ts';
import { pdfsig, qpdfCheck, startsWith, tmpDir, writeTmp } from '../helpers/validators.ts';
import { showEncryption } from './helpers.ts';

const dir = tmpDir('kyso-encrypted-modes-');
const fonts = loadFonts();

function encrypt(name: string, doc: Uint8Array, args: string[]): Uint8Array {
  const src = join(dir, `plain-${name}`);
  writeFileSync(src, doc);
  const out = join(dir, name);
  const r = spawnSync('qpdf', ['--allow-weak-crypto', '--encrypt', '', 'owner', ...args, '--', src, out], { encoding: 'utf8' });
  expect(r.status === 0 || r.status === 3, r.stderr).toBe(true);
  return new Uint8Array(readFileSync(out));
}

async function approve(doc: Uint8Array) {
  const t = pdfjsTextSource(doc);
  try {
    return await signPdf(doc, { mode: 'approval', signatureImage: makeSignaturePng() }, softwareSigner('leader'), { fonts, text: t.text });
  } finally {
    await t.close();
  }
}

async function issue(doc: Uint8Array) {
  const t = pdfjsTextSource(doc);
  try {
    return await signPdf(doc, { mode: 'issue', sealImage: makeSealPng(), docNumber: '7/QĐ-UBND', place: 'Quảng Nam', date: { year: 2026, month: 2, day: 5 } }, softwareSigner('org'), { fonts, text: t.text });
  } finally {
    await t.close();
  }
}

describe('approval then issue on an encrypted draft', () => {
  for (const [name, args] of [
    ['AES-256', ['256']],
    ['AES-128', ['128', '--use-aes=y']],
    ['RC4-128', ['128', '--use-aes=n']],
  ] as const) {
    it(`${name}: both signatures valid, the number and date printed, still encrypted`, async () => {
      const doc = encrypt(`draft-${name}.pdf`, makeVnDocument({ markers: true }), [...args]);
      const leader = await approve(doc);
      const issued = await issue(leader.pdf);
      expect(startsWith(issued.pdf, leader.pdf) && startsWith(leader.pdf, doc)).toBe(true);
      const out = writeTmp(dir, `issued-${name}.pdf`, issued.pdf);
      expect(showEncryption(out)).toBe(showEncryption(join(dir, `draft-${name}.pdf`)));
      expect(qpdfCheck(out)).toBe(0);
      const v = pdfsig(out);
      expect(v.signatures.map((s) => s.validation)).toEqual(['Signature is Valid.', 'Signature is Valid.']);
      const text = spawnSync('pdftotext', ['-f', '1', '-l', '1', out, '-'], { encoding: 'utf8' }).stdout;
      expect(text).toContain('7/QĐ-UBND'.split('/')[0]);
      expect(text).toMatch(/ngày 0?5 tháng 0?2 năm 2026/);
    });
  }

  it('form filling only (bit 9, bit 6 clear): the leader may sign, issuing (stamps) is refused', async () => {
    const doc = encrypt('draft-form-only.pdf', makeVnDocument({ markers: true }), ['256', '--annotate=n', '--form=y', '--modify-other=n']);
    const leader = await approve(doc);
    expect(pdfsig(writeTmp(dir, 'form-only-leader.pdf', leader.pdf)).signatures[0]?.validation).toBe('Signature is Valid.');
    await expect(issue(leader.pdf)).rejects.toMatchObject({ code: 'PDF_SIGNING_NOT_ALLOWED', messageVi: expect.stringContaining('không cho phép thêm chú thích') });
  });
});
