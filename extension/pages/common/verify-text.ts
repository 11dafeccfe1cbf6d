// What the verification panel says about a signature report: the colour and the label of each verdict, the signing
// time, the level, each change after signing, the engine's warnings — in the page's language (texts.ts; Vietnamese
// unless `lang` says otherwise). Pure: no DOM, no extension APIs.

import type { ChangeAfter, Level, SignatureReport, Verdict } from '@kyso/shared/verify/index';
import { currentLanguage, translate, type Language, type Params } from '../../shared/i18n.ts';
import { VERIFY_TEXTS } from './texts.ts';

type Key = keyof typeof VERIFY_TEXTS;
const tx = (lang: Language, key: Key, params?: Params) => translate(VERIFY_TEXTS, lang, key, params);

export type VerdictColor = 'green' | 'yellow' | 'red';

// The colours follow Acrobat's three states, which the people who receive these files already know:
// - green, "valid": the signature holds. VALID_WITH_ALLOWED_CHANGES is green too, as in Acrobat ("the document
//   has been changed since it was signed, but the changes are permitted"): in a Vietnamese office a document is
//   approved, then numbered and signed by the office (Nghị định 30), so nearly every issued file carries an earlier
//   signature followed by an allowed one. Yellow there would teach people to ignore yellow. The changes are listed.
// - yellow, "validity unknown": nothing is known to be wrong, but the identity or the status cannot be confirmed —
//   an issuer we do not trust (a foreign or test CA, a root IT has not added), revocation that could not be
//   checked (offline, responder down), an algorithm we cannot check. The user decides, or IT adds the root.
// - red, "invalid": something is known to be wrong — content changed after signing, a digest or signature value
//   that does not match, a certificate expired or revoked at signing time, a malformed or spoofed signature.
const COLORS: Record<Verdict, VerdictColor> = {
  VALID: 'green',
  VALID_WITH_ALLOWED_CHANGES: 'green',
  UNTRUSTED_CHAIN: 'yellow',
  REVOCATION_UNKNOWN: 'yellow',
  UNSUPPORTED: 'yellow',
  INVALID_MODIFIED: 'red',
  INVALID_DIGEST: 'red',
  INVALID_SIGNATURE: 'red',
  EXPIRED_AT_SIGNING: 'red',
  REVOKED: 'red',
  MALFORMED: 'red',
};

export function verdictColor(v: Verdict): VerdictColor {
  return COLORS[v];
}

export function verdictLabel(v: Verdict, lang: Language = currentLanguage()): string {
  return tx(lang, `verdict_${v}`);
}

/** The whole document's colour: the worst of its signatures (none: no colour). */
export function overallColor(verdicts: readonly Verdict[]): VerdictColor | undefined {
  const cs = verdicts.map(verdictColor);
  if (cs.includes('red')) return 'red';
  if (cs.includes('yellow')) return 'yellow';
  return cs.length ? 'green' : undefined;
}

/** dd/mm/yyyy HH:MM:SS in Vietnam time (UTC+7), whatever the machine's zone. */
export function vnDateTime(iso: string, lang: Language = currentLanguage()): string {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  const d = new Date(t + 7 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${tx(lang, 'vnTime')}`;
}

export interface SigningTimeText {
  text: string;
  /** Set when the time is not proven by a trusted timestamp. */
  warning?: string;
}

export function signingTimeText(s: SignatureReport, lang: Language = currentLanguage()): SigningTimeText {
  if (s.signingTimeSource === 'timestamp' && s.signingTime) {
    const tsa = s.timestamp?.tsa ? tx(lang, 'timeTsaOf', { tsa: s.timestamp.tsa }) : '';
    return { text: tx(lang, 'timeByTsa', { time: vnDateTime(s.signingTime, lang), tsa }) };
  }
  if (s.signingTimeSource === 'claimed' && s.signingTime) {
    const ts = s.timestamp && !s.timestamp.trusted ? tx(lang, 'timeUntrustedTs') : '';
    return {
      text: tx(lang, 'timeClaimed', { time: vnDateTime(s.signingTime, lang) }),
      warning: tx(lang, 'timeClaimedWarning', { ts }),
    };
  }
  return { text: tx(lang, 'timeUnknown'), warning: tx(lang, 'timeNoneWarning') };
}

export function levelText(level: Level | undefined, lang: Language = currentLanguage()): string {
  return level ? tx(lang, `level_${level.replace('-', '_') as 'B_B' | 'B_T' | 'B_LT' | 'B_LTA'}`) : tx(lang, 'levelUnknown');
}

/** One change after signing: what, which field, whether the signature allows it. */
export function changeText(c: ChangeAfter, lang: Language = currentLanguage()): string {
  const field = c.field && (c.kind === 'signature' || c.kind === 'doc-timestamp') ? ` "${c.field}"` : '';
  return `${tx(lang, `change_${c.kind}`)}${field} — ${tx(lang, c.allowed ? 'changeAllowed' : 'changeForbidden')}`;
}

/** The changes after signing, same descriptions merged (a page edit touches many objects), disallowed first. */
export function changeLines(changes: readonly ChangeAfter[], lang: Language = currentLanguage()): { text: string; allowed: boolean; count: number }[] {
  const byText = new Map<string, { text: string; allowed: boolean; count: number }>();
  for (const c of changes) {
    const text = changeText(c, lang);
    const e = byText.get(text);
    if (e) e.count++;
    else byText.set(text, { text, allowed: c.allowed, count: 1 });
  }
  return [...byText.values()].sort((a, b) => Number(a.allowed) - Number(b.allowed));
}

// The engine's warnings are English (logs, tests); the ones people meet often get a line in the page's language,
// the rest are shown as technical notes.
const WARNING_KEYS: [RegExp, Key | ''][] = [
  [/claimed \/M/, ''], // said by signingTimeText already
  [/no signing time/, ''],
  [/names no revocation source/, 'warnNoRevocationSource'],
  [/not from a trusted TSA/, 'warnUntrustedTsa'],
  [/signature timestamp does not verify/, 'warnBadTimestamp'],
  [/caIssuers/, 'warnCaIssuers'],
  [/after the timestamped signing time/, 'warnRevokedLater'],
  [/SHA-1/, 'warnSha1'],
  [/encrypted with a key/, 'warnEncrypted'],
  [/no digitalSignature\/nonRepudiation key usage/, 'warnNoSigningUsage'],
];

/** Lines in the page's language for the warnings the panel explains (`vi` keeps its name), the rest as they are. */
export function warningLines(warnings: readonly string[], lang: Language = currentLanguage()): { vi: string[]; technical: string[] } {
  const vi: string[] = [];
  const technical: string[] = [];
  for (const w of warnings) {
    const hit = WARNING_KEYS.find(([re]) => re.test(w));
    if (!hit) technical.push(w);
    else if (hit[1]) {
      const line = tx(lang, hit[1]);
      if (!vi.includes(line)) vi.push(line);
    }
  }
  return { vi, technical };
}

/**
 * The one line under a signature: the engine's Vietnamese summary in Vietnamese; in English (the engine has none)
 * a line built from the kind, the signer and the verdict's label.
 */
export function summaryText(s: SignatureReport, lang: Language = currentLanguage()): string {
  if (lang === 'vi') return s.summaryVi;
  const what = tx(lang, s.kind === 'doc-timestamp' ? 'summaryTimestamp' : 'summarySignature');
  return tx(lang, 'summaryLine', { what, who: s.signer?.name ?? tx(lang, 'summaryUnknownSigner'), verdict: verdictLabel(s.verdict, lang) });
}

/** The bytes a signature covers: the file up to the end of its byte range (the signed revision). */
export function signedRevision(pdf: Uint8Array, byteRange: readonly number[] | undefined): Uint8Array | undefined {
  if (!byteRange || byteRange.length !== 4) return undefined;
  const end = byteRange[2] + byteRange[3];
  if (!Number.isSafeInteger(end) || end <= 0 || end > pdf.length) return undefined;
  return pdf.subarray(0, end);
}
