// Small readers of portal forms, for the adapters: by name or id first, by the label's text as the fallback (real
// deployments of a family differ in ids, rarely in the Vietnamese labels).

import { findVnDate, type CivilDate } from '@kyso/shared/modes/vn-time';

type Field = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

function isField(e: Element | null): e is Field {
  return !!e && ['INPUT', 'SELECT', 'TEXTAREA'].includes(e.tagName);
}

/** The value a field shows: a select's chosen option text, an input's value; trimmed, undefined when empty. */
export function fieldValue(doc: ParentNode, name: string): string | undefined {
  const e = doc.querySelector(`[name="${CSS.escape(name)}"], #${CSS.escape(name)}`);
  if (!isField(e)) return undefined;
  let v: string;
  if (e.tagName === 'SELECT') {
    const s = e as HTMLSelectElement;
    const opt = s.selectedIndex >= 0 ? s.options[s.selectedIndex] : undefined;
    v = (opt?.textContent ?? s.value ?? '').trim();
  } else v = (e.value ?? '').trim();
  return v || undefined;
}

const normalize = (s: string) => s.replace(/\s+/g, ' ').normalize('NFC').trim();

/** The text the page puts next to an input: its <label for>, else the smallest container row around it. */
export function labelText(input: Element): string {
  const doc = input.ownerDocument;
  if (input.id) {
    const l = doc.querySelector(`label[for="${CSS.escape(input.id)}"]`);
    if (l?.textContent) return normalize(l.textContent);
  }
  const wrap = input.closest('label, tr, .form-group, .row, li, p, div');
  return normalize(wrap?.textContent ?? '');
}

/** The first file input whose label matches; for portals whose ids differ from the demo's. */
export function fileInputByLabel(doc: ParentNode, label: RegExp): HTMLInputElement | undefined {
  for (const i of doc.querySelectorAll<HTMLInputElement>('input[type="file"]')) if (label.test(labelText(i))) return i;
  return undefined;
}

export function fileInput(doc: ParentNode, selectors: string): HTMLInputElement | undefined {
  const e = doc.querySelector(selectors);
  return e && e.tagName === 'INPUT' && (e as HTMLInputElement).type === 'file' ? (e as HTMLInputElement) : undefined;
}

/** The date of "16:27 21/11/2026" or "21/11/2026" (portals write dd/mm/yyyy). */
export function parseVnDate(s: string | undefined): CivilDate | undefined {
  return s ? findVnDate(s) : undefined;
}

/** The page's visible text, for marker checks ("QOffice", "THỦ TỤC HÀNH CHÍNH"). */
export function pageText(doc: Document): string {
  return normalize(`${doc.title} ${doc.body?.textContent ?? ''}`);
}
