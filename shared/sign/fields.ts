// The AcroForm side of signing: existing fields and signatures, DocMDP permissions, and the new signature field
// (a merged field + widget, ISO 32000-2 §12.7.5.5) added to the page's /Annots and the form's /Fields.

import type { PdfReader } from '../pdf/reader.ts';
import type { ObjectSink } from '../pdf/font/type0.ts';
import { PdfDict, PdfName, PdfRef, PdfString, isDict, isName, isRef, type PdfObject } from '../pdf/objects.ts';
import type { Box } from '../placement/geometry.ts';

const n = PdfName.of;
const MAX_FIELDS = 10_000;

export interface FieldInfo {
  ref?: PdfRef;
  dict: PdfDict;
  fullName: string;
  type?: string;
}

/** Every terminal field of the AcroForm (depth-first, loop-safe, bounded). */
export function listFields(reader: PdfReader): FieldInfo[] {
  const acro = reader.resolve(reader.catalog.get('AcroForm'));
  if (!isDict(acro)) return [];
  const out: FieldInfo[] = [];
  const seen = new Set<string>();
  const walk = (o: PdfObject | undefined, parentName: string, inheritedType: string | undefined, depth: number) => {
    if (depth > 32 || out.length > MAX_FIELDS) return;
    const ref = isRef(o) ? o : undefined;
    if (ref) {
      if (seen.has(ref.key)) return;
      seen.add(ref.key);
    }
    const d = reader.resolve(o);
    if (!isDict(d)) return;
    const t = reader.resolve(d.get('T'));
    const partial = t instanceof PdfString ? t.decodeText() : undefined;
    const fullName = partial === undefined ? parentName : parentName ? `${parentName}.${partial}` : partial;
    const ft = reader.resolve(d.get('FT'));
    const type = isName(ft) ? ft.name : inheritedType;
    const kids = reader.resolve(d.get('Kids'));
    const fieldKids = Array.isArray(kids) ? kids.filter((k) => isDict(reader.resolve(k)) && reader.resolve(k) instanceof PdfDict && (reader.resolve(k) as PdfDict).has('T')) : [];
    if (Array.isArray(kids) && fieldKids.length > 0) {
      for (const k of fieldKids) walk(k, fullName, type, depth + 1);
      return;
    }
    out.push({ ref, dict: d, fullName, type });
  };
  const fields = reader.resolve(acro.get('Fields'));
  if (Array.isArray(fields)) for (const f of fields) walk(f, '', undefined, 0);
  return out;
}

export function uniqueFieldName(reader: PdfReader, base = 'KySo'): string {
  const names = new Set(listFields(reader).map((f) => f.fullName));
  for (let i = 1; ; i++) if (!names.has(`${base}${i}`)) return `${base}${i}`;
}

/** DocMDP permission of a certification signature: 1 no changes, 2 form filling and signing, 3 also annotations. */
export function docMdpPermission(reader: PdfReader): 1 | 2 | 3 | undefined {
  const perms = reader.resolveDict(reader.catalog.get('Perms'));
  const sig = perms ? reader.resolveDict(perms.get('DocMDP')) : undefined;
  if (!sig) return undefined;
  const refs = reader.resolve(sig.get('Reference'));
  if (Array.isArray(refs)) {
    for (const r of refs) {
      const rd = reader.resolveDict(r);
      if (!rd || !isName(reader.resolve(rd.get('TransformMethod')), 'DocMDP')) continue;
      const params = reader.resolveDict(rd.get('TransformParams'));
      const p = params ? reader.resolve(params.get('P')) : undefined;
      return p === 1 || p === 3 ? p : 2;
    }
  }
  return 2;
}

export interface SignatureWidget {
  fieldName: string;
  pageRef?: PdfRef;
  rect: Box;
  signed: boolean;
}

function boxOf(reader: PdfReader, o: PdfObject | undefined): Box | undefined {
  const a = reader.resolve(o);
  if (!Array.isArray(a) || a.length !== 4) return undefined;
  const v = a.map((x) => reader.resolve(x));
  if (!v.every((x) => typeof x === 'number' && Number.isFinite(x))) return undefined;
  const [x1, y1, x2, y2] = v as number[];
  return [Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2)];
}

/** Signature fields with their widgets (a field may carry its widget merged or in /Kids). */
export function signatureWidgets(reader: PdfReader): SignatureWidget[] {
  const out: SignatureWidget[] = [];
  for (const f of listFields(reader)) {
    if (f.type !== 'Sig') continue;
    const signed = isDict(reader.resolve(f.dict.get('V')));
    const kids = reader.resolve(f.dict.get('Kids'));
    const widgets = Array.isArray(kids) ? kids.map((k) => reader.resolveDict(k)).filter((k): k is PdfDict => !!k) : [f.dict];
    for (const w of widgets) {
      const rect = boxOf(reader, w.get('Rect'));
      if (!rect) continue;
      const p = w.get('P');
      out.push({ fieldName: f.fullName, pageRef: isRef(p) ? p : undefined, rect, signed });
    }
  }
  return out;
}

export interface NewAnnotation {
  pageIndex: number;
  rect: Box;
  appearance: PdfRef;
}

/**
 * Adds the signature field (merged with its widget) and further annotations of the same update. Modified objects
 * are written as new versions: the page (or its indirect /Annots array), the AcroForm (or the catalog that holds it
 * directly) and its /Fields array when indirect.
 */
export function addSignatureField(reader: PdfReader, sink: ObjectSink, opts: { fieldName: string; sigRef: PdfRef; widget: NewAnnotation; stamps: NewAnnotation[] }): PdfRef {
  const byPage = new Map<number, PdfRef[]>();
  const push = (i: number, r: PdfRef) => {
    const list = byPage.get(i) ?? [];
    list.push(r);
    byPage.set(i, list);
  };
  const widgetRef = sink.alloc();
  const widgetPage = reader.getPage(opts.widget.pageIndex);
  sink.put(
    widgetRef,
    new PdfDict({
      Type: n('Annot'),
      Subtype: n('Widget'),
      FT: n('Sig'),
      T: PdfString.text(opts.fieldName),
      V: opts.sigRef,
      F: 4 | 128, // Print, Locked
      Rect: opts.widget.rect,
      P: widgetPage.ref,
      AP: new PdfDict({ N: opts.widget.appearance }),
    }),
  );
  push(opts.widget.pageIndex, widgetRef);
  for (const s of opts.stamps) {
    const r = sink.alloc();
    sink.put(
      r,
      new PdfDict({
        Type: n('Annot'),
        Subtype: n('Stamp'),
        Name: n('KySo'),
        F: 4 | 128 | 512, // Print, Locked, LockedContents
        Rect: s.rect,
        P: reader.getPage(s.pageIndex).ref,
        AP: new PdfDict({ N: s.appearance }),
      }),
    );
    push(s.pageIndex, r);
  }

  for (const [pageIndex, refs] of byPage) {
    const page = reader.getPage(pageIndex);
    const annots = page.dict.get('Annots');
    if (isRef(annots)) {
      const arr = reader.resolve(annots);
      sink.put(annots, [...(Array.isArray(arr) ? arr : []), ...refs]);
    } else {
      const arr = reader.resolve(annots);
      const d = page.dict.clone();
      d.set('Annots', [...(Array.isArray(arr) ? arr : []), ...refs]);
      sink.put(page.ref, d);
    }
  }

  const catalogRef = reader.trailer.get('Root');
  const acroObj = reader.catalog.get('AcroForm');
  const acro = reader.resolveDict(acroObj)?.clone() ?? new PdfDict();
  const fieldsObj = acro.get('Fields');
  const fields = reader.resolve(fieldsObj);
  const newFields = [...(Array.isArray(fields) ? fields : []), widgetRef];
  if (isRef(fieldsObj)) sink.put(fieldsObj, newFields);
  else acro.set('Fields', newFields);
  acro.set('SigFlags', 3);
  if (isRef(acroObj)) sink.put(acroObj, acro);
  else {
    if (!isRef(catalogRef)) throw new Error('trailer /Root is not a reference');
    const cat = reader.catalog.clone();
    cat.set('AcroForm', acro);
    sink.put(catalogRef, cat);
  }
  return widgetRef;
}
