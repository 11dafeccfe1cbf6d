// The signing page's states and what moves it between them. Pure: the page dispatches events and renders the state
// (sign-root's data-state is `state.kind`).
//
//   loading ──loaded──▶ ready ──ask──▶ confirm ──confirmed──▶ signing ──signed──▶ done
//      │                  │ ▲           │ cancel → ready          │ failed → error (ask again from there)
//      └─failed─▶ error   │ └─resume── cancelled ◀──cancel────────┘
//                         └─cancel──▶ cancelled

import type { ErrorPayload } from '@kyso/shared/protocol/errors';
import { textsOf } from '../../shared/i18n.ts';
import { SIGN_TEXTS } from './texts.ts';

const t = textsOf(SIGN_TEXTS);

export type FlowState =
  | { kind: 'loading'; step: string }
  | { kind: 'ready' }
  | { kind: 'confirm' }
  | { kind: 'signing'; step: string }
  | { kind: 'done' }
  /** recoverable: the document is loaded and the user may try again (wrong PIN, TSA down…). */
  | { kind: 'error'; error: ErrorPayload; recoverable: boolean }
  | { kind: 'cancelled'; recoverable: boolean };

export type FlowEvent =
  | { type: 'progress'; step: string }
  | { type: 'loaded' }
  | { type: 'ask' }
  | { type: 'confirmed' }
  | { type: 'signed' }
  | { type: 'failed'; error: ErrorPayload }
  | { type: 'cancel' }
  | { type: 'resume' };

export const INITIAL: FlowState = { kind: 'loading', step: 'Đang tải văn bản…' };

/** The next state; an event that does not apply in a state leaves it unchanged. */
export function next(s: FlowState, e: FlowEvent): FlowState {
  switch (e.type) {
    case 'progress':
      if (s.kind === 'loading' || s.kind === 'signing') return { ...s, step: e.step };
      return s;
    case 'loaded':
      return s.kind === 'loading' ? { kind: 'ready' } : s;
    case 'ask':
      if (s.kind === 'ready' || (s.kind === 'error' && s.recoverable) || (s.kind === 'cancelled' && s.recoverable)) return { kind: 'confirm' };
      return s;
    case 'confirmed':
      return s.kind === 'confirm' ? { kind: 'signing', step: t('preparing') } : s;
    case 'signed':
      return s.kind === 'signing' ? { kind: 'done' } : s;
    case 'failed':
      if (s.kind === 'loading') return { kind: 'error', error: e.error, recoverable: false };
      if (s.kind === 'signing' || s.kind === 'confirm' || s.kind === 'ready') return e.error.code === 'USER_CANCELLED' ? { kind: 'cancelled', recoverable: true } : { kind: 'error', error: e.error, recoverable: true };
      return s;
    case 'cancel':
      if (s.kind === 'confirm') return { kind: 'ready' };
      if (s.kind === 'loading') return { kind: 'cancelled', recoverable: false };
      if (s.kind === 'signing' || s.kind === 'ready' || (s.kind === 'error' && s.recoverable)) return { kind: 'cancelled', recoverable: true };
      return s;
    case 'resume':
      if ((s.kind === 'cancelled' || s.kind === 'error') && s.recoverable) return { kind: 'ready' };
      return s;
  }
}

/** What the PIN field says after PIN_INCORRECT (tokens report flags, not a count). */
export function retriesText(error: ErrorPayload | undefined): string | undefined {
  if (error?.code !== 'PIN_INCORRECT') return undefined;
  switch (error.details?.retries) {
    case 'final':
      return t('retriesFinal');
    case 'low':
      return t('retriesLow');
    default:
      return t('retriesUnknown');
  }
}
