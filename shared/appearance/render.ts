// Turns a mode's plan (display-space drawing) into appearance streams: one form XObject per annotation, drawn
// upright as the page is displayed, with the fonts subset once per update and each image embedded once.

import { zlibSync } from 'fflate';
import { PdfDict, PdfName, PdfRef, PdfStream, type PdfObject } from '../pdf/objects.ts';
import { embedType0Font, encodeTextHex, type ObjectSink } from '../pdf/font/type0.ts';
import type { TrueTypeFont } from '../pdf/font/truetype.ts';
import { embedPngImage } from '../pdf/image/embed.ts';
import type { DecodedPng } from '../pdf/image/png.ts';
import type { Box, DisplayRect, PageFrame } from '../placement/geometry.ts';
import { displayRectToUserBox, uprightMatrix } from '../placement/geometry.ts';
import type { AnnotationPlan, AppearancePlan, DrawItem, FontStyle } from '../modes/plan.ts';
import { ContentBuilder } from './content.ts';

export interface AppearanceAssets {
  fonts: Record<FontStyle, TrueTypeFont>;
  signature?: DecodedPng;
  seal?: DecodedPng;
}

export interface RenderedAnnotation {
  pageIndex: number;
  /** /Rect in user space. */
  rect: Box;
  appearance: PdfRef;
}

export interface RenderedPlan {
  widget: RenderedAnnotation;
  stamps: RenderedAnnotation[];
}

const n = PdfName.of;
const FONT_RES: Record<FontStyle, string> = { regular: 'KR', bold: 'KB', italic: 'KI' };

function textLeft(item: Extract<DrawItem, { kind: 'text' }>, width: number): number {
  return item.align === 'center' ? item.x - width / 2 : item.align === 'right' ? item.x - width : item.x;
}

function itemExtent(item: DrawItem, fonts: Record<FontStyle, TrueTypeFont>): DisplayRect {
  if (item.kind !== 'text') return item.rect;
  const w = fonts[item.style].widthOf(item.text, item.size);
  return { x: textLeft(item, w), y: item.baseline - 0.95 * item.size, w, h: 1.2 * item.size };
}

export function annotationRect(a: AnnotationPlan, fonts: Record<FontStyle, TrueTypeFont>): DisplayRect {
  const rs = a.items.map((i) => itemExtent(i, fonts));
  const x1 = Math.min(...rs.map((r) => r.x));
  const y1 = Math.min(...rs.map((r) => r.y));
  const x2 = Math.max(...rs.map((r) => r.x + r.w));
  const y2 = Math.max(...rs.map((r) => r.y + r.h));
  return { x: x1, y: y1, w: Math.max(x2 - x1, 1), h: Math.max(y2 - y1, 1) };
}

export function renderPlan(sink: ObjectSink, plan: AppearancePlan, frame: (pageIndex: number) => PageFrame, assets: AppearanceAssets): RenderedPlan {
  const all = [plan.widget, ...plan.stamps];
  const texts: Record<FontStyle, string[]> = { regular: [], bold: [], italic: [] };
  let wantSignature = false;
  let wantSeal = false;
  for (const a of all)
    for (const i of a.items) {
      if (i.kind === 'text') texts[i.style].push(i.text);
      if (i.kind === 'image') (i.image === 'seal' ? (wantSeal = true) : (wantSignature = true));
    }
  const fontRefs: Partial<Record<FontStyle, PdfRef>> = {};
  for (const style of Object.keys(texts) as FontStyle[]) {
    if (texts[style].length) fontRefs[style] = embedType0Font(sink, assets.fonts[style], undefined, texts[style]);
  }
  const imageRefs: { signature?: PdfRef; seal?: PdfRef } = {};
  if (wantSignature && assets.signature) imageRefs.signature = embedPngImage(sink, assets.signature).ref;
  if (wantSeal && assets.seal) imageRefs.seal = embedPngImage(sink, assets.seal).ref;

  const render = (a: AnnotationPlan): RenderedAnnotation => {
    const box = annotationRect(a, assets.fonts);
    const f = frame(a.pageIndex);
    const c = new ContentBuilder();
    const fonts = new PdfDict();
    const xobjects = new PdfDict();
    // Form space: origin at the box's bottom left as displayed, y up.
    const fx = (x: number) => x - box.x;
    const fy = (y: number) => box.y + box.h - y;
    for (const item of a.items) {
      if (item.kind === 'cover') c.fillRect(fx(item.rect.x), fy(item.rect.y + item.rect.h), item.rect.w, item.rect.h);
      else if (item.kind === 'image') {
        const ref = imageRefs[item.image];
        if (!ref) continue;
        const nm = item.image === 'seal' ? 'Seal' : 'Sig';
        xobjects.set(nm, ref);
        c.image(nm, fx(item.rect.x), fy(item.rect.y + item.rect.h), item.rect.w, item.rect.h);
      } else {
        const font = assets.fonts[item.style];
        const res = FONT_RES[item.style];
        fonts.set(res, fontRefs[item.style] as PdfRef);
        const w = font.widthOf(item.text, item.size);
        c.text(res, item.size, fx(textLeft(item, w)), fy(item.baseline), encodeTextHex(font, item.text), item.color);
      }
    }
    const resources = new PdfDict();
    if (fonts.map.size) resources.set('Font', fonts);
    if (xobjects.map.size) resources.set('XObject', xobjects);
    const data = c.toBytes();
    const dict = new PdfDict({
      Type: n('XObject'),
      Subtype: n('Form'),
      BBox: [0, 0, box.w, box.h],
      Matrix: uprightMatrix(f.rotate) as PdfObject[],
      Resources: resources,
      Filter: n('FlateDecode'),
    });
    const ref = sink.alloc();
    sink.put(ref, new PdfStream(dict, zlibSync(data)));
    return { pageIndex: a.pageIndex, rect: displayRectToUserBox(f, box), appearance: ref };
  };
  return { widget: render(plan.widget), stamps: plan.stamps.map(render) };
}
