// The signing mode (Nghị định 30/2020 and, for certified copies, Nghị định 23/2015) and the fields it prints:
// number, place, date, form of copy, certification number and register book. Prefilled from the portal when the
// adapter could read them; KýSố never invents a number.

import { COPY_FORMS, type CopyForm, type SigningMode } from '@kyso/shared/modes/plan';
import { SIGNING_MODES } from '@kyso/shared/policy/schema';
import { findVnDate, type CivilDate } from '@kyso/shared/modes/vn-time';
import { useTexts } from '../../shared/i18n.ts';
import { SIGN_TEXTS } from './texts.ts';

export interface ModeFields {
  docNumber: string;
  place: string;
  /** dd/mm/yyyy as typed; empty: the signing day. */
  date: string;
  copyForm: CopyForm;
  certNumber: string;
  book: string;
}

/** Which fields a mode prints. */
export const MODE_FIELDS: Record<SigningMode, (keyof ModeFields)[]> = {
  approval: [],
  issue: ['docNumber', 'place', 'date'],
  appendix: ['docNumber'],
  copy: ['copyForm', 'docNumber'],
  certify: ['certNumber', 'book', 'place', 'date'],
};

const PLACEHOLDERS: Partial<Record<keyof ModeFields, string>> = {
  docNumber: '125/QĐ-UBND',
  place: 'Quảng Nam',
  certNumber: '152/ĐT',
  book: '01/2026-SCTĐT/BS',
};

/** "21/11/2026" → civil date; '' → undefined (the signing day); anything else → null (invalid). */
export function parseDateField(s: string): CivilDate | undefined | null {
  const t = s.trim();
  if (!t) return undefined;
  return /^\d{1,2}\/\d{1,2}\/\d{4}$/.test(t) ? (findVnDate(t) ?? null) : null;
}

export function formatDateField(d: CivilDate | undefined): string {
  return d ? `${String(d.day).padStart(2, '0')}/${String(d.month).padStart(2, '0')}/${d.year}` : '';
}

export function ModeForm({ mode, fields, disabled, onMode, onField }: { mode: SigningMode; fields: ModeFields; disabled: boolean; onMode(m: SigningMode): void; onField(k: keyof ModeFields, v: string): void }) {
  const t = useTexts(SIGN_TEXTS);
  const dateBad = parseDateField(fields.date) === null;
  return (
    <fieldset class="mode-form" disabled={disabled}>
      <legend>{t('modeLegend')}</legend>
      {SIGNING_MODES.map((m) => (
        <label key={m} class="mode-option">
          <input type="radio" name="mode" value={m} data-testid={`mode-${m}`} checked={m === mode} onChange={() => onMode(m)} /> {t(`mode_${m}`)}
        </label>
      ))}
      <p class="muted small">{t(`hint_${mode}`)}</p>
      {MODE_FIELDS[mode].map((k) => (
        <label key={k} class="field">
          <span>{t(`field_${k}`)}</span>
          {k === 'copyForm' ? (
            <select data-testid="field-copyForm" value={fields.copyForm} onChange={(e) => onField('copyForm', (e.currentTarget as HTMLSelectElement).value)}>
              {(Object.keys(COPY_FORMS) as CopyForm[]).map((f) => (
                <option key={f} value={f}>
                  {f} – {COPY_FORMS[f]}
                </option>
              ))}
            </select>
          ) : (
            <input
              type="text"
              data-testid={`field-${k}`}
              value={fields[k]}
              placeholder={k === 'date' ? t('datePlaceholder') : PLACEHOLDERS[k]}
              aria-invalid={k === 'date' && dateBad}
              onInput={(e) => onField(k, (e.currentTarget as HTMLInputElement).value)}
            />
          )}
          {k === 'date' && dateBad && <span class="field-error">{t('dateBad')}</span>}
        </label>
      ))}
    </fieldset>
  );
}
