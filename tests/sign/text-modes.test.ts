// Attachment, copy and certification signatures: their text (Vietnamese, embedded subset font, ISO 8601 time in
// the Vietnam zone) lands where Nghị định 30 and Thông tư 01/2020 put it, read back by poppler.

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { signPdf } from '../../shared/sign/sign-pdf.ts';
import { loadFonts } from '../../native-host/assets.ts';
import { pdfjsTextSource } from '../../native-host/pdf/pdfjs-node.ts';
import { makeSealPng, makeSignaturePng } from '../../scripts/samples/images.ts';
import { makeVnDocument } from '../../scripts/samples/vn-document.ts';
import { softwareSigner } from '../helpers/pki.ts';
import { expectGoodSignatures, tmpDir, writeTmp } from '../helpers/validators.ts';

const dir = tmpDir('kyso-textmodes-');
const fonts = loadFonts();
const when = new Date('2026-11-21T03:18:00Z'); // 10:18 in Hà Nội

interface Word {
  text: string;
  x: number;
  y: number;
}

function words(file: string, page: number): { width: number; height: number; words: Word[] } {
  const r = spawnSync('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' });
  const size = /<page width="([\d.]+)" height="([\d.]+)"/.exec(r.stdout)!;
  const ws = [...r.stdout.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)<\/word>/g)].map((m) => ({ text: m[3], x: +m[1], y: +m[2] }));
  return { width: +size[1], height: +size[2], words: ws };
}

function fontsOf(file: string): string {
  return spawnSync('pdffonts', [file], { encoding: 'utf8' }).stdout;
}

describe('text block signatures', () => {
  it('appendix: organisation, number and ISO 8601 time at the top right of page 1', async () => {
    const doc = makeVnDocument({ markers: true });
    const r = await signPdf(doc, { mode: 'appendix', docNumber: '125/QĐ-UBND', signingTime: when }, softwareSigner('org'), { fonts });
    const file = writeTmp(dir, 'appendix.pdf', r.pdf);
    expectGoodSignatures(file, [r.fieldName]);
    const page = words(file, 1);
    const time = page.words.find((w) => w.text === '2026-11-21T10:18:00+07:00');
    expect(time, 'signing time printed in Vietnam time').toBeDefined();
    expect(time!.x).toBeGreaterThan(page.width / 2);
    expect(time!.y).toBeLessThan(60);
    expect(page.words.some((w) => w.text === '125/QĐ-UBND' && w.y < 60)).toBe(true);
    expect(page.words.some((w) => w.text === 'TỈNH' && w.y < 60)).toBe(true);
    expect(fontsOf(file)).toMatch(/\+LiberationSerif\s+CID TrueType\s+Identity-H\s+yes yes yes/);
  });

  it('copy: form of copy (sao lục), organisation and time', async () => {
    const doc = makeVnDocument({ markers: true });
    const r = await signPdf(doc, { mode: 'copy', copyForm: 'SL', signingTime: when }, softwareSigner('org'), { fonts });
    const file = writeTmp(dir, 'copy.pdf', r.pdf);
    expectGoodSignatures(file, [r.fieldName]);
    const top = words(file, 1).words.filter((w) => w.y < 60).map((w) => w.text);
    expect(top.join(' ')).toContain('SAO LỤC');
    expect(top).toContain('2026-11-21T10:18:00+07:00');
  });

  it('certify: statement, number and book on the last page, with the signature and the seal', async () => {
    const doc = makeVnDocument({ markers: true, twoPages: true });
    const text = pdfjsTextSource(doc);
    const r = await signPdf(
      doc,
      { mode: 'certify', certNumber: '152/ĐT', book: '01/2026-SCTĐT/BS', place: 'Kon Tum', signatureImage: makeSignaturePng(), sealImage: makeSealPng(), signingTime: when },
      softwareSigner('leader'),
      { fonts, text: text.text },
    );
    await text.close();
    const file = writeTmp(dir, 'certify.pdf', r.pdf);
    expectGoodSignatures(file, [r.fieldName]);
    const last = spawnSync('pdftotext', ['-f', '2', '-l', '2', file, '-'], { encoding: 'utf8' }).stdout;
    expect(last).toContain('Chứng thực bản sao đúng với bản chính.');
    expect(last).toContain('Số chứng thực: 152/ĐT');
    expect(last).toContain('Quyển số: 01/2026-SCTĐT/BS');
    expect(last).toContain('Kon Tum, ngày 21 tháng 11 năm 2026');
    expect(last).toContain('NGƯỜI THỰC HIỆN CHỨNG THỰC');
    const first = spawnSync('pdftotext', ['-f', '1', '-l', '1', file, '-'], { encoding: 'utf8' }).stdout;
    expect(first).not.toContain('Chứng thực bản sao');
    // Below the text already on the page, not over it.
    const page = words(file, 2);
    const statement = page.words.find((w) => w.text === 'Chứng')!;
    const name = page.words.filter((w) => w.text === 'Thành').map((w) => w.y);
    expect(statement.y).toBeGreaterThan(Math.min(...name));
  });

  it('refuses to invent a certification number or book', async () => {
    const doc = makeVnDocument({ markers: true });
    await expect(signPdf(doc, { mode: 'certify', book: '01/2026-SCT/BS' }, softwareSigner('leader'), { fonts })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
