// What people see: rendered pages (pdftoppm) of sample documents signed as leader and clerk, on pages turned by
// /Rotate and on pages whose boxes do not start at 0,0. The signature image must stand upright where the marker
// was, the marker must not show, the seal must cover the left third of the leader's image, and the number and
// date must be printed where the draft left room.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodePng, type DecodedPng } from '../../shared/pdf/image/png.ts';
import { PdfReader } from '../../shared/pdf/reader.ts';
import { normaliseRotation, userBoxToDisplayRect, type DisplayRect } from '../../shared/placement/geometry.ts';
import { signatureWidgets } from '../../shared/sign/fields.ts';
import { signPdf } from '../../shared/sign/sign-pdf.ts';
import { loadFonts } from '../../native-host/assets.ts';
import { pdfjsTextSource } from '../../native-host/pdf/pdfjs-node.ts';
import { makeSealPng, makeSignaturePng } from '../../scripts/samples/images.ts';
import { makeVnDocument, markerBoxes, type SampleOptions } from '../../scripts/samples/vn-document.ts';
import { softwareSigner } from '../helpers/pki.ts';
import { tmpDir, writeTmp } from '../helpers/validators.ts';

const dir = tmpDir('kyso-appearance-');
const fonts = loadFonts();

function render(pdf: Uint8Array, name: string): DecodedPng {
  const file = writeTmp(dir, `${name}.pdf`, pdf);
  const r = spawnSync('pdftoppm', ['-r', '72', '-cropbox', '-png', '-f', '1', '-l', '1', '-singlefile', file, join(dir, name)], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return decodePng(new Uint8Array(readFileSync(join(dir, `${name}.png`))));
}

type Pred = (r: number, g: number, b: number) => boolean;
const isBlue: Pred = (r, g, b) => b > 110 && r < 90 && g < 120;
const isRed: Pred = (r, g, b) => r > 170 && g < 100 && b < 100;
const isDark: Pred = (r, g, b) => r < 100 && g < 100 && b < 100;

function count(img: DecodedPng, box: DisplayRect, pred: Pred): number {
  let n = 0;
  for (let y = Math.max(0, Math.floor(box.y)); y < Math.min(img.height, Math.ceil(box.y + box.h)); y++)
    for (let x = Math.max(0, Math.floor(box.x)); x < Math.min(img.width, Math.ceil(box.x + box.w)); x++) {
      const i = (y * img.width + x) * img.channels;
      if (pred(img.pixels[i], img.pixels[i + 1], img.pixels[i + 2])) n++;
    }
  return n;
}

function bbox(img: DecodedPng, pred: Pred): DisplayRect & { rows: number[] } {
  let x1 = Infinity, y1 = Infinity, x2 = -1, y2 = -1;
  const rows = new Array<number>(img.height).fill(0);
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++) {
      const i = (y * img.width + x) * img.channels;
      if (!pred(img.pixels[i], img.pixels[i + 1], img.pixels[i + 2])) continue;
      rows[y]++;
      x1 = Math.min(x1, x); y1 = Math.min(y1, y); x2 = Math.max(x2, x); y2 = Math.max(y2, y);
    }
  return { x: x1, y: y1, w: x2 - x1 + 1, h: y2 - y1 + 1, rows };
}

function widgetRects(pdf: Uint8Array): Record<string, DisplayRect> {
  const reader = PdfReader.open(pdf);
  const page = reader.getPage(0);
  const frame = { cropBox: page.cropBox, rotate: normaliseRotation(page.rotate) };
  return Object.fromEntries(signatureWidgets(reader).map((w) => [w.fieldName, userBoxToDisplayRect(frame, w.rect)]));
}

async function signBoth(doc: Uint8Array) {
  const t1 = pdfjsTextSource(doc);
  const leader = await signPdf(doc, { mode: 'approval', signatureImage: makeSignaturePng() }, softwareSigner('leader'), { fonts, text: t1.text });
  await t1.close();
  const t2 = pdfjsTextSource(leader.pdf);
  const issued = await signPdf(leader.pdf, { mode: 'issue', sealImage: makeSealPng(), docNumber: '7/QĐ-UBND', place: 'Quảng Nam', date: { year: 2026, month: 2, day: 5 } }, softwareSigner('org'), { fonts, text: t2.text });
  await t2.close();
  return { leader: leader.pdf, issued: issued.pdf };
}

const variants: [string, SampleOptions][] = [
  ['upright A4', { markers: true }],
  ['Rotate 90, boxes off 0,0', { markers: true, rotate: 90, origin: [100, 200] }],
  ['Rotate 180', { markers: true, rotate: 180 }],
  ['Rotate 270, boxes off 0,0', { markers: true, rotate: 270, origin: [-300, 50] }],
];

describe('signature appearances as rendered', () => {
  for (const [name, opts] of variants) {
    it(name, async () => {
      const doc = makeVnDocument(opts);
      const markers = markerBoxes(opts);
      const before = render(doc, `${name}-0`);
      const { leader, issued } = await signBoth(doc);
      const afterLeader = render(leader, `${name}-1`);
      const after = render(issued, `${name}-2`);
      // The page is shown portrait whatever its /Rotate.
      expect(after.height).toBeGreaterThan(after.width);

      // The leader's image: upright (wide, its underline at the bottom) and centred on where the marker was.
      const blue = bbox(afterLeader, isBlue);
      expect(blue.w).toBeGreaterThan(1.6 * blue.h);
      const busiest = blue.rows.indexOf(Math.max(...blue.rows));
      expect(busiest).toBeGreaterThan(blue.y + blue.h / 2);
      const sig = markers['#ChuKyLanhDao'];
      expect(Math.abs(blue.x + blue.w / 2 - (sig.x + sig.w / 2))).toBeLessThan(12);

      // The marker's text is there before and gone after.
      expect(count(before, sig, isDark)).toBeGreaterThan(40);
      expect(count(afterLeader, sig, isDark)).toBe(0);

      // The seal: red, its right edge one third into the leader's image, level with it.
      const rects = widgetRects(issued);
      const img = rects.KySo1;
      const red = bbox(after, isRed);
      expect(Math.abs(red.x + red.w - (img.x + img.w / 3))).toBeLessThan(4);
      expect(Math.abs(red.y + red.h / 2 - (img.y + img.h / 2))).toBeLessThan(4);
      expect(count(after, { x: img.x + img.w / 2, y: img.y, w: img.w / 2, h: img.h }, isRed)).toBe(0);
      // The right two thirds of the leader's image are untouched by the seal.
      const rightTwoThirds = { x: img.x + img.w / 3 + 2, y: img.y, w: (2 * img.w) / 3 - 2, h: img.h };
      expect(count(after, rightTwoThirds, isBlue)).toBe(count(afterLeader, rightTwoThirds, isBlue));

      // Number and date: printed where the markers were; the markers' own text no longer shows.
      for (const m of ['#SoKyHieuVanBan', '#DiaDiemNgayBanHanh']) {
        const box = markers[m];
        expect(count(before, box, isDark), m).toBeGreaterThan(40);
        expect(count(after, { ...box, w: 12 }, isDark), `${m}: text printed at its start`).toBeGreaterThan(5);
      }
      // "7/QĐ-UBND" is shorter than "#SoKyHieuVanBan": the marker's tail must be blank now.
      const no = markers['#SoKyHieuVanBan'];
      const tail = { x: no.x + 70, y: no.y, w: no.w - 70, h: no.h };
      expect(count(after, tail, isDark)).toBe(0);
    });
  }

  it('fills the blank gaps of a draft without markers', async () => {
    const opts: SampleOptions = { markers: false };
    const doc = makeVnDocument(opts);
    const before = render(doc, 'gaps-0');
    const { issued } = await signBoth(doc);
    const after = render(issued, 'gaps-2');
    // "Số:" at x≈125, "/QĐ-UBND" at x≈185: the number goes in between; day and month gaps on the date line.
    const numberGap = { x: 150, y: 105, w: 33, h: 16 };
    expect(count(before, numberGap, isDark)).toBe(0);
    expect(count(after, numberGap, isDark)).toBeGreaterThan(3);
    const dayGap = { x: 378, y: 105, w: 14, h: 16 };
    expect(count(before, dayGap, isDark)).toBe(0);
    expect(count(after, dayGap, isDark)).toBeGreaterThan(5);
    // The leader's image went into the signer block between "CHỦ TỊCH" and the name.
    const blue = bbox(after, isBlue);
    expect(blue.y).toBeGreaterThan(17 + 470);
    expect(blue.y + blue.h).toBeLessThan(17 + 8 * 17 + 470 - 10);
  });
});
