// Which later changes a signature tolerates (ISO 32000-2 §12.8.2.2 DocMDP, ETSI EN 319 142-1 §5.4): reject by
// default. Validation data (DSS) and document timestamps are always allowed; new signatures and form filling unless
// the certification says P=1; annotations only without a certification or with P=3; everything else never.

import type { PdfReader } from '../pdf/reader.ts';
import { PdfRef, type PdfDict } from '../pdf/objects.ts';
import type { Change, ChangeKind } from './diff.ts';

export type DocMdpP = 1 | 2 | 3;

export function isAllowed(kind: ChangeKind, p: DocMdpP | undefined): boolean {
  switch (kind) {
    case 'dss':
    case 'doc-timestamp':
      return true;
    case 'signature':
    case 'form-fill':
    case 'metadata':
      return p !== 1;
    case 'annotation':
      return p === undefined || p === 3;
    default:
      return false;
  }
}

/** P of a signature dictionary that is a certification (a /Reference with TransformMethod DocMDP), else undefined. */
export function certificationLevel(reader: PdfReader, sig: PdfDict): DocMdpP | undefined {
  for (const r of reader.resolveArray(sig.get('Reference')) ?? []) {
    const rd = reader.resolveDict(r);
    if (!rd || reader.resolveName(rd.get('TransformMethod')) !== 'DocMDP') continue;
    const params = reader.resolveDict(rd.get('TransformParams'));
    const p = params ? reader.resolve(params.get('P')) : undefined;
    return p === 1 || p === 3 ? p : 2;
  }
  return undefined;
}

/** The signature dictionary /Perms /DocMDP points at, as "num gen". */
export function docMdpSignatureRef(reader: PdfReader): string | undefined {
  const perms = reader.resolveDict(reader.catalog.get('Perms'));
  const d = perms?.get('DocMDP');
  return d instanceof PdfRef ? `${d.num} ${d.gen}` : undefined;
}

/** FieldMDP locks of a signature (its /Reference) or of its field (/Lock): the field names it locks ('All' locks every field). */
export function fieldMdpLocks(reader: PdfReader, sig: PdfDict, field?: PdfDict): { action: string; fields: string[] } | undefined {
  const lock = field ? reader.resolveDict(field.get('Lock')) : undefined;
  if (lock) {
    const action = reader.resolveName(lock.get('Action')) ?? 'All';
    const fields = (reader.resolveArray(lock.get('Fields')) ?? []).map((f) => {
      const s = reader.resolve(f) as { decodeText?: () => string } | null;
      return s && typeof s.decodeText === 'function' ? s.decodeText() : '';
    });
    return { action, fields };
  }
  for (const r of reader.resolveArray(sig.get('Reference')) ?? []) {
    const rd = reader.resolveDict(r);
    if (!rd || reader.resolveName(rd.get('TransformMethod')) !== 'FieldMDP') continue;
    const params = reader.resolveDict(rd.get('TransformParams'));
    const action = (params && reader.resolveName(params.get('Action'))) ?? 'All';
    const fields = (reader.resolveArray(params?.get('Fields')) ?? []).map((f) => {
      const s = reader.resolve(f) as { decodeText?: () => string } | null;
      return s && typeof s.decodeText === 'function' ? s.decodeText() : '';
    });
    return { action, fields };
  }
  return undefined;
}

export interface JudgedChange extends Change {
  allowed: boolean;
}

/** Whether FieldMDP `locks` forbid changing field `name` (Action All, Include listed, Exclude all but listed). */
export function isLocked(locks: { action: string; fields: string[] } | undefined, name: string | undefined): boolean {
  if (!locks || name === undefined) return false;
  const listed = locks.fields.some((f) => f === name || f.split('.').pop() === name);
  if (locks.action === 'Include') return listed;
  if (locks.action === 'Exclude') return !listed;
  return true;
}

export function judge(changes: Change[], p: DocMdpP | undefined, locks?: { action: string; fields: string[] }): JudgedChange[] {
  return changes.map((c) => {
    if (c.kind === 'form-fill' && isLocked(locks, c.field)) return { ...c, allowed: false, detail: `${c.detail} (locked by the signature's FieldMDP)` };
    return { ...c, allowed: isAllowed(c.kind, p) };
  });
}
