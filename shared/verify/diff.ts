// What changed after a signed revision: an object-level comparison of the revision a signature covers with the
// final file, each changed object judged by the role it played in the signed revision (catalog, page, page
// content, annotation, form field, signature value, DSS…). Changes are classified here; whether they are allowed
// is docmdp.ts's decision.

import type { PdfReader } from '../pdf/reader.ts';
import { openForVerify } from './open.ts';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, PdfRaw, type PdfObject } from '../pdf/objects.ts';

export type ChangeKind =
  | 'signature' // a new signature field, its value, widget and appearance, and the AcroForm entries that go with it
  | 'doc-timestamp' // a new document timestamp (ETSI.RFC3161)
  | 'dss' // validation data (DSS, VRI, the ESIC extension)
  | 'form-fill' // values and appearances of existing non-signature fields
  | 'annotation' // annotations added, changed or removed
  | 'metadata' // document information dictionary, XMP metadata
  | 'page-content' // page content streams, resources, page attributes
  | 'pages' // pages added, removed or moved
  | 'signature-dict' // a signature value or signed field changed after signing
  | 'catalog' // other document catalog entries (OpenAction, Names, Perms…)
  | 'other'; // any other object changed

export interface Change {
  kind: ChangeKind;
  detail: string;
  /** "num gen" of the object concerned, when there is one. */
  object?: string;
  /** The field name for signature and doc-timestamp additions. */
  field?: string;
}

type Role = 'catalog' | 'pages' | 'page' | 'page-content' | 'annots' | 'annotation' | 'widget' | 'appearance' | 'acroform' | 'fields' | 'field' | 'sig-field' | 'sig-value' | 'dss' | 'metadata' | 'info' | 'extensions';

// ---------- structural equality ----------

function same(a: PdfObject | undefined, b: PdfObject | undefined, depth = 0): boolean {
  if (depth > 64) return false;
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return a === b;
  if (a instanceof PdfRef || b instanceof PdfRef) return a instanceof PdfRef && b instanceof PdfRef && a.num === b.num && a.gen === b.gen;
  if (a instanceof PdfName || b instanceof PdfName) return a === b;
  if (a instanceof PdfString || b instanceof PdfString) return a instanceof PdfString && b instanceof PdfString && bytesSame(a.bytes, b.bytes);
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i], depth + 1));
  if (a instanceof PdfStream || b instanceof PdfStream) return a instanceof PdfStream && b instanceof PdfStream && bytesSame(a.raw, b.raw) && same(a.dict, b.dict, depth + 1);
  if (a instanceof PdfDict || b instanceof PdfDict) {
    if (!(a instanceof PdfDict && b instanceof PdfDict) || a.map.size !== b.map.size) return false;
    for (const [k, v] of a.map) if (!same(v, b.get(k), depth + 1)) return false;
    return true;
  }
  if (a instanceof PdfRaw || b instanceof PdfRaw) return a instanceof PdfRaw && b instanceof PdfRaw && bytesSame(a.bytes, b.bytes);
  return a === b;
}

function bytesSame(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const refKey = (r: PdfRef) => `${r.num} ${r.gen}`;

// ---------- roles in the signed revision ----------

class Roles {
  readonly byNum = new Map<number, Set<Role>>();
  /** appearance stream num → owner annotation nums */
  readonly apOwners = new Map<number, Set<number>>();
  private seen = new Set<string>();
  constructor(private r: PdfReader) {}

  add(o: PdfObject | undefined, role: Role): void {
    if (!(o instanceof PdfRef)) return;
    let s = this.byNum.get(o.num);
    if (!s) this.byNum.set(o.num, (s = new Set()));
    s.add(role);
  }

  private once(key: string): boolean {
    if (this.seen.has(key) || this.seen.size > 200_000) return false;
    this.seen.add(key);
    return true;
  }

  build(): this {
    const r = this.r;
    this.add(r.catalogRef, 'catalog');
    this.add(r.trailer.get('Info'), 'info');
    const cat = r.catalog;
    this.add(cat.get('Metadata'), 'metadata');
    this.add(cat.get('Extensions'), 'extensions');
    this.pagesTree(cat.get('Pages'), 0);
    const acro = cat.get('AcroForm');
    this.add(acro, 'acroform');
    const acroD = r.resolveDict(acro);
    if (acroD) {
      this.add(acroD.get('Fields'), 'fields');
      for (const f of r.resolveArray(acroD.get('Fields')) ?? []) this.field(f, 0, undefined);
    }
    const dss = cat.get('DSS');
    this.add(dss, 'dss');
    const dssD = r.resolveDict(dss);
    if (dssD) {
      for (const [k, v] of dssD.map) {
        this.add(v, 'dss');
        const arr = r.resolveArray(v);
        if (arr && k !== 'VRI') for (const x of arr) this.add(x, 'dss');
        if (k === 'VRI') {
          const vri = r.resolveDict(v);
          for (const e of vri?.map.values() ?? []) {
            this.add(e, 'dss');
            for (const ev of r.resolveDict(e)?.map.values() ?? []) {
              this.add(ev, 'dss');
              for (const x of r.resolveArray(ev) ?? []) this.add(x, 'dss');
            }
          }
        }
      }
    }
    return this;
  }

  private pagesTree(o: PdfObject | undefined, depth: number): void {
    if (depth > 64 || (o instanceof PdfRef && !this.once('p' + refKey(o)))) return;
    const d = this.r.resolveDict(o);
    if (!d) return;
    if (d.nameOf('Type') === 'Pages' || d.has('Kids')) {
      this.add(o, 'pages');
      for (const k of this.r.resolveArray(d.get('Kids')) ?? []) this.pagesTree(k, depth + 1);
      this.resources(d.get('Resources'), 0);
      return;
    }
    this.add(o, 'page');
    const contents = d.get('Contents');
    this.add(contents, 'page-content');
    for (const c of this.r.resolveArray(contents) ?? []) this.add(c, 'page-content');
    this.resources(d.get('Resources'), 0);
    for (const k of ['Group', 'Thumb', 'B', 'PieceInfo']) this.add(d.get(k), 'page-content');
    const annots = d.get('Annots');
    this.add(annots, 'annots');
    for (const a of this.r.resolveArray(annots) ?? []) this.annotation(a);
  }

  /** Everything a page's resources reach counts as page content (fonts, images, forms, patterns…). */
  private resources(o: PdfObject | undefined, depth: number): void {
    if (depth > 12 || o === undefined) return;
    if (o instanceof PdfRef) {
      if (!this.once('r' + refKey(o))) return;
      this.add(o, 'page-content');
    }
    const v = this.r.resolve(o);
    const dict = v instanceof PdfStream ? v.dict : v instanceof PdfDict ? v : undefined;
    if (dict) for (const [k, x] of dict.map) if (k !== 'Parent' && k !== 'P') this.resources(x, depth + 1);
    if (Array.isArray(v)) for (const x of v) this.resources(x, depth + 1);
  }

  private annotation(a: PdfObject): void {
    const d = this.r.resolveDict(a);
    if (!d) return;
    this.add(a, d.nameOf('Subtype') === 'Widget' ? 'widget' : 'annotation');
    this.appearance(a, d);
  }

  private appearance(owner: PdfObject, d: PdfDict): void {
    const ap = d.get('AP');
    this.add(ap, 'appearance');
    const apD = this.r.resolveDict(ap);
    for (const v of apD?.map.values() ?? []) {
      this.add(v, 'appearance');
      this.own(v, owner);
      const sub = this.r.resolveDict(v);
      if (sub) for (const s of sub.map.values()) {
        this.add(s, 'appearance');
        this.own(s, owner);
      }
    }
  }

  private own(o: PdfObject | undefined, owner: PdfObject): void {
    if (!(o instanceof PdfRef) || !(owner instanceof PdfRef)) return;
    let s = this.apOwners.get(o.num);
    if (!s) this.apOwners.set(o.num, (s = new Set()));
    s.add(owner.num);
  }

  private field(o: PdfObject, depth: number, inheritedFt: string | undefined): void {
    if (depth > 32 || (o instanceof PdfRef && !this.once('f' + refKey(o)))) return;
    const d = this.r.resolveDict(o);
    if (!d) return;
    const ft = d.nameOf('FT') ?? inheritedFt;
    if (ft === 'Sig') {
      this.add(o, 'sig-field');
      const v = d.get('V');
      this.add(v, 'sig-value');
      const vd = this.r.resolveDict(v);
      if (vd) for (const x of vd.map.values()) this.add(x, 'sig-value');
    } else this.add(o, 'field');
    if (d.nameOf('Subtype') === 'Widget') this.appearance(o, d);
    for (const k of this.r.resolveArray(d.get('Kids')) ?? []) {
      const kd = this.r.resolveDict(k);
      if (kd?.has('T') || kd?.has('FT')) this.field(k, depth + 1, ft);
      else if (kd) {
        this.add(k, ft === 'Sig' ? 'sig-field' : 'field');
        this.appearance(k, kd);
      }
    }
  }
}

// ---------- the comparison ----------

interface Ctx {
  old: PdfReader;
  cur: PdfReader;
  roles: Roles;
  changes: Change[];
  newNums: Set<number>;
  refIndex?: Map<number, Set<number>>;
}

function isSigField(r: PdfReader, o: PdfObject | undefined, depth = 0): boolean {
  const d = r.resolveDict(o);
  if (!d || depth > 32) return false;
  if (d.nameOf('FT') === 'Sig') return true;
  if (d.has('FT')) return false;
  return isSigField(r, d.get('Parent'), depth + 1);
}

/** Field dict of a (merged or kid) widget. */
function fieldOf(r: PdfReader, o: PdfObject | undefined): PdfDict | undefined {
  const d = r.resolveDict(o);
  if (!d) return undefined;
  if (d.has('FT') || d.has('T')) return d;
  return r.resolveDict(d.get('Parent'));
}

function fieldName(r: PdfReader, d: PdfDict | undefined): string | undefined {
  const t = d ? r.resolve(d.get('T')) : undefined;
  return t instanceof PdfString ? t.decodeText() : undefined;
}

/** What a new field or widget added after signing is: a signature, a document timestamp, or something else. */
function newFieldKind(ctx: Ctx, o: PdfObject): { kind: ChangeKind; detail: string; field?: string } {
  const r = ctx.cur;
  if (isSigField(r, o)) {
    const f = fieldOf(r, o);
    const v = f ? r.resolveDict(f.get('V')) : undefined;
    const name = fieldName(r, f);
    if (v?.nameOf('Type') === 'DocTimeStamp' || v?.nameOf('SubFilter') === 'ETSI.RFC3161') return { kind: 'doc-timestamp', detail: `document timestamp ${name ?? ''} added`.trim(), field: name };
    return { kind: 'signature', detail: v ? `signature field ${name ?? ''} added and signed` : `empty signature field ${name ?? ''} added`, field: name };
  }
  const d = r.resolveDict(o);
  if (d?.nameOf('Subtype') === 'Widget' || d?.has('FT')) return { kind: 'other', detail: `form field ${fieldName(r, fieldOf(r, o)) ?? ''} added` };
  return { kind: 'annotation', detail: `annotation ${d?.nameOf('Subtype') ?? ''} added` };
}

function refsOf(r: PdfReader, o: PdfObject | undefined): PdfObject[] {
  return r.resolveArray(o) ?? [];
}

/** An array of references that should only have grown (Fields, Annots): removals and additions judged. */
function judgeList(ctx: Ctx, oldV: PdfObject | undefined, newV: PdfObject | undefined, what: 'field' | 'annotation', object?: string): void {
  const oldList = refsOf(ctx.old, oldV);
  const newList = refsOf(ctx.cur, newV);
  const key = (x: PdfObject) => (x instanceof PdfRef ? refKey(x) : null);
  const oldKeys = new Set(oldList.map(key).filter((k): k is string => !!k));
  const newKeys = new Set(newList.map(key).filter((k): k is string => !!k));
  for (const k of oldKeys) if (!newKeys.has(k)) ctx.changes.push({ kind: what === 'annotation' ? 'annotation' : 'other', detail: `${what} ${k} removed`, object });
  const directOld = oldList.filter((x) => !(x instanceof PdfRef)).length;
  const directNew = newList.filter((x) => !(x instanceof PdfRef)).length;
  if (directOld !== directNew) ctx.changes.push({ kind: what === 'annotation' ? 'annotation' : 'other', detail: `direct ${what} entries changed`, object });
  for (const x of newList) {
    const k = key(x);
    if (!k || oldKeys.has(k)) continue;
    if (!ctx.newNums.has((x as PdfRef).num)) {
      // an object that existed in the signed revision now listed here: never a plain addition
      ctx.changes.push({ kind: what === 'annotation' ? 'annotation' : 'other', detail: `existing object ${k} added to the ${what === 'field' ? 'form fields' : 'page annotations'}`, object: k });
      continue;
    }
    const c = newFieldKind(ctx, x);
    ctx.changes.push({ ...c, object: k });
  }
}

function changedKeys(a: PdfDict, b: PdfDict): string[] {
  const keys = new Set([...a.map.keys(), ...b.map.keys()]);
  return [...keys].filter((k) => !same(a.get(k), b.get(k)));
}

const AP_KEYS = new Set(['AP', 'AS', 'V', 'MK']);
/** Page and page-tree keys that do not change what a page shows (private data of producers, structure links). */
const INERT_PAGE_KEYS = new Set(['ITXT', 'PieceInfo', 'LastModified', 'Metadata', 'StructParents', 'Tabs']);

function judgeCatalog(ctx: Ctx, a: PdfDict, b: PdfDict, object: string): void {
  for (const k of changedKeys(a, b)) {
    switch (k) {
      case 'AcroForm': {
        const oa = ctx.old.resolveDict(a.get(k));
        const ob = ctx.cur.resolveDict(b.get(k));
        if (a.get(k) instanceof PdfRef && b.get(k) instanceof PdfRef && ob && oa) {
          // a different AcroForm object: compare contents
          judgeAcroForm(ctx, oa, ob, object);
        } else if (oa && ob) judgeAcroForm(ctx, oa, ob, object);
        else if (!oa && ob) judgeAcroForm(ctx, new PdfDict(), ob, object);
        else ctx.changes.push({ kind: 'other', detail: 'AcroForm removed', object });
        break;
      }
      case 'DSS':
      case 'Extensions':
        ctx.changes.push({ kind: 'dss', detail: k === 'DSS' ? 'document security store updated' : 'developer extensions updated', object });
        break;
      case 'Metadata':
      case 'Version':
        ctx.changes.push({ kind: 'metadata', detail: `catalog /${k} changed`, object });
        break;
      case 'Pages':
        ctx.changes.push({ kind: 'pages', detail: 'page tree replaced', object });
        break;
      default:
        ctx.changes.push({ kind: 'catalog', detail: `catalog /${k} changed`, object });
    }
  }
}

function judgeAcroForm(ctx: Ctx, a: PdfDict, b: PdfDict, object: string): void {
  for (const k of changedKeys(a, b)) {
    if (k === 'Fields') judgeList(ctx, a.get(k), b.get(k), 'field', object);
    else if (k === 'SigFlags' || k === 'DR' || k === 'DA') ctx.changes.push({ kind: 'signature', detail: `AcroForm /${k} set`, object });
    else ctx.changes.push({ kind: 'other', detail: `AcroForm /${k} changed`, object });
  }
}

function judgeObject(ctx: Ctx, num: number, oldObj: PdfObject, newObj: PdfObject, object: string): void {
  const roles = ctx.roles.byNum.get(num);
  if (!roles || roles.size === 0) {
    ctx.changes.push({ kind: 'other', detail: `object ${object} changed`, object });
    return;
  }
  const a = oldObj instanceof PdfStream ? oldObj.dict : oldObj;
  const b = newObj instanceof PdfStream ? newObj.dict : newObj;
  for (const role of roles) {
    switch (role) {
      case 'catalog':
        if (a instanceof PdfDict && b instanceof PdfDict) judgeCatalog(ctx, a, b, object);
        else ctx.changes.push({ kind: 'catalog', detail: 'catalog replaced', object });
        break;
      case 'acroform':
        if (a instanceof PdfDict && b instanceof PdfDict) judgeAcroForm(ctx, a, b, object);
        else ctx.changes.push({ kind: 'other', detail: 'AcroForm replaced', object });
        break;
      case 'fields':
        judgeList(ctx, oldObj, newObj, 'field', object);
        break;
      case 'annots':
        judgeList(ctx, oldObj, newObj, 'annotation', object);
        break;
      case 'page':
        if (a instanceof PdfDict && b instanceof PdfDict) {
          for (const k of changedKeys(a, b)) {
            if (k === 'Annots') judgeList(ctx, a.get(k), b.get(k), 'annotation', object);
            else if (INERT_PAGE_KEYS.has(k)) ctx.changes.push({ kind: 'metadata', detail: `page /${k} changed`, object });
            else ctx.changes.push({ kind: 'page-content', detail: `page /${k} changed`, object });
          }
        } else ctx.changes.push({ kind: 'page-content', detail: 'page replaced', object });
        break;
      case 'pages':
        if (a instanceof PdfDict && b instanceof PdfDict) {
          for (const k of changedKeys(a, b)) {
            if (k === 'Kids' || k === 'Count' || k === 'Parent' || k === 'Type') ctx.changes.push({ kind: 'pages', detail: `page tree /${k} changed (pages added, removed or moved)`, object });
            else if (INERT_PAGE_KEYS.has(k)) ctx.changes.push({ kind: 'metadata', detail: `page tree /${k} changed`, object });
            else ctx.changes.push({ kind: 'page-content', detail: `inherited page attribute /${k} changed`, object });
          }
        } else ctx.changes.push({ kind: 'pages', detail: 'page tree node replaced', object });
        break;
      case 'page-content':
        ctx.changes.push({ kind: 'page-content', detail: `page content object ${object} changed`, object });
        break;
      case 'annotation':
        ctx.changes.push({ kind: 'annotation', detail: `annotation ${object} changed`, object });
        break;
      case 'widget':
      case 'field': {
        if (roles.has('sig-field')) break; // judged as a signature field
        if (a instanceof PdfDict && b instanceof PdfDict) {
          const keys = changedKeys(a, b);
          const bad = keys.filter((k) => !AP_KEYS.has(k));
          const name = fieldName(ctx.cur, fieldOf(ctx.cur, new PdfRef(num, 0))) ?? object;
          if (bad.length) ctx.changes.push({ kind: 'other', detail: `form field ${object} /${bad.join(', /')} changed`, object });
          else if (!valueChanged(ctx, num)) ctx.changes.push({ kind: 'other', detail: `appearance of form field ${name} replaced without a new value (shadow attack)`, object });
          else {
            judgeAppearanceTargets(ctx, b, num, object);
            ctx.changes.push({ kind: 'form-fill', detail: `form field ${name} filled in`, object, field: name });
          }
        } else ctx.changes.push({ kind: 'other', detail: `form field ${object} replaced`, object });
        break;
      }
      case 'sig-field': {
        const wasSigned = a instanceof PdfDict && a.has('V');
        if (!wasSigned && a instanceof PdfDict && b instanceof PdfDict) {
          const keys = changedKeys(a, b).filter((k) => !AP_KEYS.has(k) && k !== 'F' && k !== 'Lock' && k !== 'SV');
          if (keys.length) ctx.changes.push({ kind: 'other', detail: `signature field ${object} /${keys.join(', /')} changed`, object });
          else {
            const v = ctx.cur.resolveDict(b.get('V'));
            const name = fieldName(ctx.cur, fieldOf(ctx.cur, new PdfRef(num, 0)));
            const ts = v?.nameOf('Type') === 'DocTimeStamp' || v?.nameOf('SubFilter') === 'ETSI.RFC3161';
            ctx.changes.push({ kind: ts ? 'doc-timestamp' : 'signature', detail: `empty signature field ${name ?? object} signed`, object, field: name });
          }
        } else ctx.changes.push({ kind: 'signature-dict', detail: `signed signature field ${object} changed`, object });
        break;
      }
      case 'sig-value':
        ctx.changes.push({ kind: 'signature-dict', detail: `signature value ${object} changed after signing`, object });
        break;
      case 'appearance': {
        ctx.changes.push(judgeAppearanceOverwrite(ctx, num, object));
        break;
      }
      case 'dss':
        ctx.changes.push({ kind: 'dss', detail: 'document security store updated', object });
        break;
      case 'extensions':
        ctx.changes.push({ kind: 'other', detail: `shared developer extensions object ${object} changed`, object });
        break;
      case 'metadata':
      case 'info':
        ctx.changes.push({ kind: 'metadata', detail: role === 'info' ? 'document information changed' : 'XMP metadata changed', object });
        break;
    }
  }
}

/** The field a widget belongs to had its /V changed in this diff. */
function valueChanged(ctx: Ctx, widgetNum: number): boolean {
  const ref = new PdfRef(widgetNum, 0);
  const fo = fieldOf(ctx.old, ref);
  const fn = fieldOf(ctx.cur, ref);
  return !!fn && !same(fo?.get('V'), fn.get('V'));
}

/** Every object of the signed revision that refers to object `num` (computed only when needed). */
function referrers(ctx: Ctx, num: number): Set<number> {
  if (!ctx.refIndex) {
    const idx = new Map<number, Set<number>>();
    const visit = (o: PdfObject | undefined, from: number, depth: number) => {
      if (depth > 64 || o === undefined || o === null) return;
      if (o instanceof PdfRef) {
        let s = idx.get(o.num);
        if (!s) idx.set(o.num, (s = new Set()));
        s.add(from);
      } else if (Array.isArray(o)) for (const x of o) visit(x, from, depth + 1);
      else if (o instanceof PdfDict) for (const x of o.map.values()) visit(x, from, depth + 1);
      else if (o instanceof PdfStream) visit(o.dict, from, depth + 1);
    };
    for (const e of ctx.old.liveEntries()) visit(ctx.old.getObject(new PdfRef(e.num, e.gen)), e.num, 0);
    visit(ctx.old.trailer, 0, 0);
    ctx.refIndex = idx;
  }
  return ctx.refIndex.get(num) ?? new Set();
}

/**
 * An existing appearance stream rewritten in place. Allowed only when the stream belongs to exactly the widgets that
 * are legitimately updated in this diff (an empty signature field being signed, a form field getting a new value)
 * and nothing else refers to it — otherwise the rewrite changes something else that was signed (pyHanko's
 * "appearance stream override that clobbers").
 */
function judgeAppearanceOverwrite(ctx: Ctx, num: number, object: string): Change {
  const owners = ctx.roles.apOwners.get(num) ?? new Set<number>();
  const refs = referrers(ctx, num);
  const ownerOk = (o: number) => {
    const ref = new PdfRef(o, 0);
    if (isSigField(ctx.old, ref)) {
      const fo = fieldOf(ctx.old, ref);
      const fn = fieldOf(ctx.cur, ref);
      return !fo?.has('V') && !!fn?.has('V') ? 'signature' : null;
    }
    return valueChanged(ctx, o) ? 'form-fill' : null;
  };
  const kinds = [...owners].map(ownerOk);
  const strangers = [...refs].filter((r) => !owners.has(r) && !(ctx.roles.byNum.get(r)?.has('appearance') && [...referrers(ctx, r)].every((x) => owners.has(x))));
  if (owners.size === 0 || kinds.some((k) => k === null) || strangers.length) {
    return { kind: 'other', detail: `appearance stream ${object} overwritten${strangers.length ? ` although objects ${strangers.join(', ')} also use it` : ''}`, object };
  }
  return kinds.includes('signature') ? { kind: 'signature', detail: `appearance ${object} of the signature field being signed redrawn`, object } : { kind: 'form-fill', detail: `appearance ${object} of a filled form field redrawn`, object };
}

/** A filled field's new appearance must be a new object or one only this field used. */
function judgeAppearanceTargets(ctx: Ctx, d: PdfDict, num: number, object: string): void {
  const ap = ctx.cur.resolveDict(d.get('AP'));
  const targets: PdfRef[] = [];
  for (const v of ap?.map.values() ?? []) {
    if (v instanceof PdfRef) targets.push(v);
    for (const s of ctx.cur.resolveDict(v)?.map.values() ?? []) if (s instanceof PdfRef) targets.push(s);
  }
  for (const t of targets) {
    if (ctx.newNums.has(t.num)) continue;
    const owners = ctx.roles.apOwners.get(t.num);
    const roles = ctx.roles.byNum.get(t.num);
    const onlyMine = owners && [...owners].every((o) => o === num) && roles && [...roles].every((r) => r === 'appearance');
    if (!onlyMine) ctx.changes.push({ kind: 'other', detail: `field ${object} now shows existing object ${refKey(t)} as its appearance`, object });
  }
}

/** Objects whose xref entry differs between the two readers (added, changed or freed). */
function changedNumbers(old: PdfReader, cur: PdfReader): { added: number[]; changed: number[]; removed: number[] } {
  const e1 = new Map(old.liveEntries().map((e) => [e.num, e]));
  const e2 = new Map(cur.liveEntries().map((e) => [e.num, e]));
  const sig = (e: (typeof e1 extends Map<number, infer V> ? V : never) | undefined) => (e ? (e.type === 'offset' ? `o${e.offset}/${e.gen}` : `c${e.stream}/${e.index}`) : '');
  const changedStreams = new Set<number>();
  for (const [n, e] of e2) if (sig(e) !== sig(e1.get(n))) changedStreams.add(n);
  const added: number[] = [];
  const changed: number[] = [];
  const removed: number[] = [];
  for (const [n, e] of e2) {
    const o = e1.get(n);
    if (!o) added.push(n);
    else if (sig(o) !== sig(e) || (e.type === 'compressed' && changedStreams.has(e.stream))) changed.push(n);
  }
  for (const n of e1.keys()) if (!e2.has(n)) removed.push(n);
  return { added, changed, removed };
}

/** Changes made after the revision ending at `signedEnd`, judged against the final file `cur`. */
export function diffAfter(bytes: Uint8Array, signedEnd: number, cur: PdfReader, open: (end: number) => PdfReader = (end) => openForVerify(bytes.subarray(0, end))): Change[] {
  if (signedEnd >= bytes.length) return [];
  const old = open(signedEnd);
  const { added, changed, removed } = changedNumbers(old, cur);
  const roles = new Roles(old).build();
  const ctx: Ctx = { old, cur, roles, changes: [], newNums: new Set(added) };
  for (const n of changed) {
    const ref = new PdfRef(n, old.generationOf(n));
    const a = old.getObject(ref);
    const b = cur.getObject(new PdfRef(n, cur.generationOf(n)));
    if (same(a, b)) continue;
    judgeObject(ctx, n, a, b, `${n} ${cur.generationOf(n)}`);
  }
  // A deleted object is a change whatever it was (anything that referred to it now reads null).
  for (const n of removed) {
    const r = roles.byNum.get(n);
    ctx.changes.push({ kind: r?.has('dss') ? 'dss' : 'other', detail: `object ${n} deleted`, object: `${n} 0` });
  }
  // The trailer: a new catalog or information dictionary.
  const oldRoot = old.catalogRef;
  const newRoot = cur.catalogRef;
  if (oldRoot.num !== newRoot.num) judgeCatalog(ctx, old.catalog, cur.catalog, refKey(newRoot));
  const oi = old.trailer.get('Info');
  const ni = cur.trailer.get('Info');
  if (!same(oi, ni)) ctx.changes.push({ kind: 'metadata', detail: 'document information dictionary replaced' });
  // Merge duplicates (one page dict may be judged for several roles).
  const seen = new Set<string>();
  return ctx.changes.filter((c) => {
    const k = `${c.kind}|${c.detail}|${c.object ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
