// Vietnam time (UTC+07:00, no daylight saving) as the documents print it.

const VN_OFFSET_MS = 7 * 3600 * 1000;

function parts(d: Date) {
  const v = new Date(d.getTime() + VN_OFFSET_MS);
  return { y: v.getUTCFullYear(), m: v.getUTCMonth() + 1, d: v.getUTCDate(), hh: v.getUTCHours(), mm: v.getUTCMinutes(), ss: v.getUTCSeconds() };
}
const p2 = (n: number) => String(n).padStart(2, '0');

/** 2026-11-21T10:18:00+07:00 (Nghị định 30, Phụ lục I: ISO 8601 with the Vietnam time zone). */
export function isoVietnam(d: Date): string {
  const t = parts(d);
  return `${t.y}-${p2(t.m)}-${p2(t.d)}T${p2(t.hh)}:${p2(t.mm)}:${p2(t.ss)}+07:00`;
}

/** PDF date string in Vietnam time: D:20261121101800+07'00'. */
export function pdfDateVietnam(d: Date): string {
  const t = parts(d);
  return `D:${t.y}${p2(t.m)}${p2(t.d)}${p2(t.hh)}${p2(t.mm)}${p2(t.ss)}+07'00'`;
}

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

export function civilDateVietnam(d: Date): CivilDate {
  const t = parts(d);
  return { year: t.y, month: t.m, day: t.d };
}

/** The civil date when year, month and day name a real day (no 31/02); undefined otherwise. */
export function civilDate(year: number, month: number, day: number): CivilDate | undefined {
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return undefined;
  return { year, month, day };
}

/** "2026-11-21" → civil date; undefined when malformed or not a real day. */
export function parseCivilDate(s: string): CivilDate | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return m ? civilDate(+m[1], +m[2], +m[3]) : undefined;
}

/** The first dd/mm/yyyy in a text ("16:27 21/11/2026", "21/11/2026"), as Vietnamese portals and forms write dates. */
export function findVnDate(s: string): CivilDate | undefined {
  const m = /(\d{1,2})\/(\d{1,2})\/(\d{4})/.exec(s);
  return m ? civilDate(+m[3], +m[2], +m[1]) : undefined;
}

/** Nghị định 30: days below 10 and the months 1 and 2 take a leading zero ("ngày 05 tháng 02", "tháng 11"). */
export function dayText(day: number): string {
  return day < 10 ? p2(day) : String(day);
}
export function monthText(month: number): string {
  return month <= 2 ? p2(month) : String(month);
}

export function placeDateLine(place: string | undefined, d: CivilDate): string {
  const date = `ngày ${dayText(d.day)} tháng ${monthText(d.month)} năm ${d.year}`;
  return place ? `${place}, ${date}` : date.charAt(0).toUpperCase() + date.slice(1);
}
