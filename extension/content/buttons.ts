// The "Ký số" / "Kiểm tra" pair ("Sign" / "Verify" in English) beside a document: <span class="kyso-actions"> with two buttons carrying the
// document's URL (data-kyso-url). Styles are inline and reset the properties portals' CSS commonly sets on buttons,
// so the pair sits inline in a table cell or after a link whatever the portal's stylesheet says.

import type { JobAction } from '../shared/jobs.ts';
import { textsOf } from '../shared/i18n-core.ts';
import { CONTENT_TEXTS } from './texts.ts';

const t = textsOf(CONTENT_TEXTS);

const SPAN_STYLE = 'display:inline-flex;gap:4px;margin:0 0 0 6px;vertical-align:middle;white-space:nowrap;';
const BUTTON_BASE =
  'all:initial;box-sizing:border-box;display:inline-block;cursor:pointer;font:600 12px/1.5 "Segoe UI",Roboto,Arial,sans-serif;' +
  'padding:1px 8px;border-radius:3px;border:1px solid;white-space:nowrap;';
const SIGN_STYLE = `${BUTTON_BASE}background:#c62828;border-color:#b71c1c;color:#fff;`;
const VERIFY_STYLE = `${BUTTON_BASE}background:#fff;border-color:#1565c0;color:#1565c0;`;

/** The button's text and title in the current language. */
export function labelButton(b: HTMLButtonElement, action: JobAction): void {
  b.textContent = t(action);
  b.title = t(action === 'sign' ? 'signTitle' : 'verifyTitle');
}

/** Every pair of the document in the current language (the setting changed). */
export function relabelActions(doc: Document): void {
  doc.querySelectorAll<HTMLButtonElement>('button.kyso-sign, button.kyso-verify').forEach((b) => labelButton(b, b.classList.contains('kyso-sign') ? 'sign' : 'verify'));
}

/** The pair already shown for this URL in this document (a re-rendered row gets a new one only if the old is gone). */
export function findActions(doc: Document, url: string): HTMLElement | undefined {
  for (const s of doc.querySelectorAll<HTMLElement>('span.kyso-actions')) if (s.dataset.kysoUrl === url && s.isConnected) return s;
  return undefined;
}

function button(doc: Document, action: JobAction, url: string, onClick: (action: JobAction, b: HTMLButtonElement) => void): HTMLButtonElement {
  const b = doc.createElement('button');
  b.type = 'button'; // inside a portal's form: never submit it
  b.className = action === 'sign' ? 'kyso-sign' : 'kyso-verify';
  b.dataset.kysoUrl = url;
  labelButton(b, action);
  b.setAttribute('style', action === 'sign' ? SIGN_STYLE : VERIFY_STYLE);
  b.addEventListener('click', (e) => {
    // The portal's own handlers on the row (open the document, select the row) must not run.
    e.preventDefault();
    e.stopPropagation();
    onClick(action, b);
  });
  return b;
}

/** Builds the pair; the caller puts it in place (placeActions). */
export function makeActions(doc: Document, url: string, onClick: (action: JobAction, b: HTMLButtonElement) => void): HTMLSpanElement {
  const span = doc.createElement('span');
  span.className = 'kyso-actions';
  span.dataset.kysoUrl = url;
  span.setAttribute('style', SPAN_STYLE);
  span.append(button(doc, 'sign', url, onClick), button(doc, 'verify', url, onClick));
  return span;
}

/** After a link; above an embedded viewer (after it, the pair would sit below a tall frame). */
export function placeActions(span: HTMLElement, element: Element): void {
  if (element.tagName === 'A') {
    element.insertAdjacentElement('afterend', span);
  } else {
    span.style.display = 'flex';
    span.style.margin = '4px 0';
    element.insertAdjacentElement('beforebegin', span);
  }
}

/** A short message under a button (refusals, errors); gone after a few seconds or on the next click. */
export function showTip(anchor: HTMLElement, text: string, ms = 6000): HTMLElement {
  const doc = anchor.ownerDocument;
  doc.querySelectorAll('.kyso-tip').forEach((t) => t.remove());
  const tip = doc.createElement('span');
  tip.className = 'kyso-tip';
  tip.setAttribute('role', 'alert');
  tip.textContent = text;
  tip.setAttribute(
    'style',
    'all:initial;position:absolute;z-index:2147483647;max-width:320px;padding:6px 8px;border-radius:4px;background:#fff3e0;' +
      'border:1px solid #e65100;color:#bf360c;font:12px/1.4 "Segoe UI",Roboto,Arial,sans-serif;box-shadow:0 2px 6px rgba(0,0,0,.2);',
  );
  const r = anchor.getBoundingClientRect();
  const win = doc.defaultView;
  tip.style.left = `${r.left + (win?.scrollX ?? 0)}px`;
  tip.style.top = `${r.bottom + (win?.scrollY ?? 0) + 4}px`;
  doc.body.append(tip);
  setTimeout(() => tip.remove(), ms);
  return tip;
}
