// The signing page's preview (previewSignature) shows the signature where signPdf puts it: the previewed widget box
// is the signed widget's /Rect, for automatic placement (marker, rotated page) and for a box the user moved; issue
// mode with a moved seal still prints the number and the date.

import { describe, expect, it } from 'vitest';
import { PdfReader } from '../../shared/pdf/reader.ts';
import { normaliseRotation, userBoxToDisplayRect, type DisplayRect } from '../../shared/placement/geometry.ts';
import { signatureWidgets } from '../../shared/sign/fields.ts';
import { previewSignature, type PreviewOptions } from '../../shared/sign/preview.ts';
import { signPdf } from '../../shared/sign/sign-pdf.ts';
import { sealOverLeftThird } from '../../shared/modes/issue.ts';
import { loadFonts } from '../../native-host/assets.ts';
import { pdfjsTextSource } from '../../native-host/pdf/pdfjs-node.ts';
import { makeSealPng, makeSignaturePng } from '../../scripts/samples/images.ts';
import { makeVnDocument, markerBoxes, type SampleOptions } from '../../scripts/samples/vn-document.ts';
import { softwareSigner, type Who } from '../helpers/pki.ts';

const fonts = loadFonts();
const when = new Date('2026-11-21T03:18:00Z');
const signatureImage = makeSignaturePng();
const sealImage = makeSealPng();

/** The new signature widget of `signed` (the one not in `before`), in display space. */
function signedWidget(signed: Uint8Array, field: string): { pageIndex: number; rect: DisplayRect } {
  const reader = PdfReader.open(signed);
  const w = signatureWidgets(reader).find((x) => x.fieldName === field)!;
  expect(w, field).toBeDefined();
  let pageIndex = -1;
  for (let i = 0; i < reader.pageCount; i++) if (reader.getPage(i).ref.key === w.pageRef!.key) pageIndex = i;
  const p = reader.getPage(pageIndex);
  return { pageIndex, rect: userBoxToDisplayRect({ cropBox: p.cropBox, rotate: normaliseRotation(p.rotate) }, w.rect) };
}

function expectSameRect(a: DisplayRect, b: DisplayRect): void {
  for (const k of ['x', 'y', 'w', 'h'] as const) expect(a[k], k).toBeCloseTo(b[k], 2);
}

async function previewThenSign(doc: Uint8Array, opts: PreviewOptions, who: Who) {
  const signer = softwareSigner(who);
  const text = pdfjsTextSource(doc);
  try {
    const preview = await previewSignature(doc, opts, signer.certificate, { fonts, text: text.text });
    const signed = await signPdf(doc, opts, signer, { fonts, text: text.text });
    return { preview, signed, widget: signedWidget(signed.pdf, signed.fieldName) };
  } finally {
    await text.close();
  }
}

describe('previewSignature', () => {
  for (const sample of [{ markers: true }, { markers: true, rotate: 90, origin: [30, 40] }, { markers: false, twoPages: true }] as SampleOptions[]) {
    it(`approval: the previewed box is the signed /Rect (${JSON.stringify(sample)})`, async () => {
      const doc = makeVnDocument(sample);
      const { preview, widget } = await previewThenSign(doc, { mode: 'approval', signatureImage, signingTime: when }, 'leader');
      expect(preview.widget.pageIndex).toBe(widget.pageIndex);
      expectSameRect(preview.widget.rect, widget.rect);
      if (sample.markers) {
        // Centred on #ChuKyLanhDao, where the user expects it.
        const m = markerBoxes(sample)['#ChuKyLanhDao'];
        expect(preview.widget.rect.x + preview.widget.rect.w / 2).toBeCloseTo(m.x + m.w / 2, 0);
        expect(preview.widget.rect.y + preview.widget.rect.h / 2).toBeCloseTo(m.y + m.h / 2, -1);
      }
      expect(preview.pages.length).toBe(sample.twoPages ? 2 : 1);
    });
  }

  it('a box the user moved and resized is where the signature goes; the marker it left is still covered', async () => {
    const doc = makeVnDocument({ markers: true });
    const rect = { x: 100, y: 600, w: 130, h: 130 / (780 / 424) };
    const { preview, widget, signed } = await previewThenSign(doc, { mode: 'approval', signatureImage, placement: { kind: 'rect', pageIndex: 0, rect }, signingTime: when }, 'leader');
    expectSameRect(preview.widget.rect, rect);
    expectSameRect(widget.rect, rect);
    const m = markerBoxes({ markers: true })['#ChuKyLanhDao'];
    expect(preview.stamps).toHaveLength(1);
    const cover = preview.stamps[0].rect;
    expect(cover.x).toBeLessThanOrEqual(m.x + 0.5);
    expect(cover.x + cover.w).toBeGreaterThanOrEqual(m.x + m.w - 0.5);
    expect(Buffer.from(signed.pdf).toString('latin1')).toContain('/Subtype /Stamp');
  });

  it('issue after approval: the seal over the left third of the leader, number and date stamps; a moved seal keeps them', async () => {
    const doc = makeVnDocument({ markers: true });
    const approved = (await previewThenSign(doc, { mode: 'approval', signatureImage, signingTime: when }, 'leader')).signed.pdf;
    const issueOpts: PreviewOptions = { mode: 'issue', sealImage, docNumber: '125/QĐ-UBND', place: 'Quảng Nam', signingTime: when };
    const auto = await previewThenSign(approved, issueOpts, 'org');
    const leader = auto.preview.signatures.find((s) => s.signed)!;
    expect(leader, 'the leader signature is listed').toBeDefined();
    expectSameRect(auto.preview.widget.rect, sealOverLeftThird(leader.rect, 1229 / 1221));
    expectSameRect(auto.preview.widget.rect, auto.widget.rect);
    expect(auto.preview.stamps.length).toBeGreaterThanOrEqual(2);

    const moved = { x: 60, y: 640, w: 90, h: 90 * (1221 / 1229) };
    const byHand = await previewThenSign(approved, { ...issueOpts, placement: { kind: 'rect', pageIndex: 0, rect: moved } }, 'org');
    expectSameRect(byHand.widget.rect, byHand.preview.widget.rect);
    expect(byHand.widget.rect.x).toBeCloseTo(moved.x, 1);
    // Number at #SoKyHieuVanBan and date at #DiaDiemNgayBanHanh, as without moving.
    const marks = markerBoxes({ markers: true });
    const near = (r: DisplayRect, m: { x: number; y: number }) => Math.abs(r.x - m.x) < 2 && Math.abs(r.y - m.y) < 6;
    expect(byHand.preview.stamps.some((s) => near(s.rect, marks['#SoKyHieuVanBan']))).toBe(true);
    expect(byHand.preview.stamps.some((s) => near(s.rect, marks['#DiaDiemNgayBanHanh']))).toBe(true);
    expect(byHand.preview.stamps.map((s) => s.rect)).toEqual(auto.preview.stamps.map((s) => s.rect));
  });

  it('throws what signing would throw, before any token is asked (issue without a seal)', async () => {
    const doc = makeVnDocument({ markers: true });
    await expect(previewSignature(doc, { mode: 'issue', docNumber: '1/QĐ' }, softwareSigner('org').certificate, { fonts })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
