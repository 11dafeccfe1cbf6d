// The signing mode (Nghị định 30/2020 and, for certified copies, Nghị định 23/2015) and the fields it prints:
// number, place, date, form of copy, certification number and register book. Prefilled from the portal when the
// adapter could read them; KýSố never invents a number.

import { COPY_FORMS, REASONS, type CopyForm, type SigningMode } from '@kyso/shared/modes/plan';
import { SIGNING_MODES } from '@kyso/shared/policy/schema';
import type { CivilDate } from '@kyso/shared/modes/vn-time';

export interface ModeFields {
  docNumber: string;
  place: string;
  /** dd/mm/yyyy as typed; empty: the signing day. */
  date: string;
  copyForm: CopyForm;
  certNumber: string;
  book: string;
}

export const MODE_HINTS: Record<SigningMode, string> = {
  approval: 'Lãnh đạo ký bằng chứng thư cá nhân; ảnh chữ ký đặt tại vị trí ký của lãnh đạo.',
  issue: 'Văn thư ký bằng chứng thư của cơ quan: con dấu trùm 1/3 bên trái chữ ký lãnh đạo, ghi số và ngày ban hành.',
  appendix: 'Chữ ký của cơ quan trên phụ lục kèm theo (tệp riêng): khối chữ góc trên bên phải trang đầu, không có ảnh.',
  copy: 'Sao y / sao lục / trích sao: khối chữ góc trên bên phải trang đầu (hình thức sao, cơ quan, thời gian ký).',
  certify: 'Chứng thực bản sao từ bản chính: lời chứng, số chứng thực, quyển số, chữ ký và con dấu ở trang cuối.',
};

/** Which fields a mode prints. */
export const MODE_FIELDS: Record<SigningMode, (keyof ModeFields)[]> = {
  approval: [],
  issue: ['docNumber', 'place', 'date'],
  appendix: ['docNumber'],
  copy: ['copyForm', 'docNumber'],
  certify: ['certNumber', 'book', 'place', 'date'],
};

const LABELS: Record<keyof ModeFields, string> = {
  docNumber: 'Số, ký hiệu văn bản',
  place: 'Địa danh',
  date: 'Ngày ban hành (dd/mm/yyyy)',
  copyForm: 'Hình thức sao',
  certNumber: 'Số chứng thực',
  book: 'Quyển số',
};

const PLACEHOLDERS: Partial<Record<keyof ModeFields, string>> = {
  docNumber: '125/QĐ-UBND',
  place: 'Quảng Nam',
  date: 'để trống: ngày ký',
  certNumber: '152/ĐT',
  book: '01/2026-SCTĐT/BS',
};

/** "21/11/2026" → civil date; '' → undefined (the signing day); anything else → null (invalid). */
export function parseDateField(s: string): CivilDate | undefined | null {
  const t = s.trim();
  if (!t) return undefined;
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  if (!m) return null;
  const day = +m[1];
  const month = +m[2];
  const year = +m[3];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  return { year, month, day };
}

export function formatDateField(d: CivilDate | undefined): string {
  return d ? `${String(d.day).padStart(2, '0')}/${String(d.month).padStart(2, '0')}/${d.year}` : '';
}

export function ModeForm({ mode, fields, disabled, onMode, onField }: { mode: SigningMode; fields: ModeFields; disabled: boolean; onMode(m: SigningMode): void; onField(k: keyof ModeFields, v: string): void }) {
  const dateBad = parseDateField(fields.date) === null;
  return (
    <fieldset class="mode-form" disabled={disabled}>
      <legend>Kiểu ký</legend>
      {SIGNING_MODES.map((m) => (
        <label key={m} class="mode-option">
          <input type="radio" name="mode" value={m} data-testid={`mode-${m}`} checked={m === mode} onChange={() => onMode(m)} /> {REASONS[m]}
        </label>
      ))}
      <p class="muted small">{MODE_HINTS[mode]}</p>
      {MODE_FIELDS[mode].map((k) => (
        <label key={k} class="field">
          <span>{LABELS[k]}</span>
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
              placeholder={PLACEHOLDERS[k]}
              aria-invalid={k === 'date' && dateBad}
              onInput={(e) => onField(k, (e.currentTarget as HTMLInputElement).value)}
            />
          )}
          {k === 'date' && dateBad && <span class="field-error">Ngày phải có dạng ngày/tháng/năm, ví dụ 21/11/2026.</span>}
        </label>
      ))}
    </fieldset>
  );
}
