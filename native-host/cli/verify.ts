// kyso verify FILE.pdf [--trust PEM]... [--offline] [--json]: every signature of a PDF checked (shared/verify).
// Exit 0 when every signature is VALID or VALID_WITH_ALLOWED_CHANGES, 1 when one is not (or there is none),
// 2 when the file or a trust anchor cannot be read (typed error on stderr).

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { KysoError, asKysoError } from '@kyso/shared/protocol/errors';
import { verifyPdf } from '@kyso/shared/verify/verify';
import { GOOD_VERDICTS, type VerifyReport } from '@kyso/shared/verify/types';
import type { RevocationFetch } from '@kyso/shared/verify/revocation';
import { parseCertificate, pemToDer } from '@kyso/shared/pki/certificate';
import { parse, usage } from './args.ts';
import { printError } from './report.ts';

const FETCH_TIMEOUT_MS = 10_000;
const MAX_ANSWER = 20 * 1024 * 1024;

/** OCSP and CRL over HTTP(S) with Node's fetch: 10 s per request, 20 MB at most, non-2xx rejected. */
export const httpFetch: RevocationFetch = async (url, init) => {
  const r = await fetch(url, {
    method: init.method,
    body: init.body as Uint8Array<ArrayBuffer> | undefined,
    headers: init.contentType ? { 'Content-Type': init.contentType } : undefined,
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    redirect: 'follow',
  });
  if (!r.ok) throw new Error(`HTTP ${r.status}`);
  const b = new Uint8Array(await r.arrayBuffer());
  if (b.length > MAX_ANSWER) throw new Error('answer too large');
  return b;
};

function readAnchors(files: string[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const f of files) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(f));
    } catch (e) {
      throw new KysoError('TRUST_ANCHOR_INVALID', `${f}: ${(e as Error).message}`, undefined, { cause: e });
    }
    const text = new TextDecoder('latin1').decode(bytes.subarray(0, 64));
    try {
      const ders = text.includes('-----BEGIN') ? pemToDer(new TextDecoder().decode(bytes)) : [bytes];
      for (const d of ders) parseCertificate(d);
      out.push(...ders);
    } catch (e) {
      throw new KysoError('TRUST_ANCHOR_INVALID', `${f}: ${(e as Error).message}`, undefined, { cause: e });
    }
  }
  return out;
}

function printText(file: string, report: VerifyReport): void {
  const out: string[] = [`${basename(file)}: ${report.signatures.length} chữ ký`];
  for (const s of report.signatures) {
    out.push('', `[${s.verdict}] ${s.field}${s.kind === 'doc-timestamp' ? ' (dấu thời gian)' : ''}`, `  ${s.summaryVi}`);
    if (s.signer) out.push(`  Người ký: ${s.signer.name} — cấp bởi ${s.signer.issuer} — số hiệu ${s.signer.serial}`);
    if (s.signingTime) out.push(`  Thời điểm ký: ${s.signingTime} (${s.signingTimeSource === 'timestamp' ? 'dấu thời gian' : s.signingTimeSource === 'claimed' ? 'do người ký khai' : 'không rõ'})`);
    if (s.level) out.push(`  Mức PAdES: ${s.level}`);
    out.push(`  Phủ toàn bộ văn bản: ${s.coversWholeDocument ? 'có' : 'không'}`);
    for (const c of s.changesAfter) out.push(`  ${c.allowed ? 'Thay đổi được phép' : 'Thay đổi KHÔNG được phép'}: ${c.detail}`);
    for (const r of s.reasons) out.push(`  Lý do: ${r}`);
    for (const w of s.warnings) out.push(`  Lưu ý: ${w}`);
  }
  if (report.unsignedFields.length) out.push('', `Ô chữ ký chưa ký: ${report.unsignedFields.join(', ')}`);
  process.stdout.write(out.join('\n') + '\n');
}

export async function verifyCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { trust: { type: 'string', multiple: true }, offline: { type: 'boolean' }, json: { type: 'boolean' } });
  const json = values.json === true;
  if (positionals.length !== 1) throw usage('Usage: kyso verify FILE.pdf [--trust PEM]... [--offline] [--json]', 'Cách dùng: kyso verify TỆP.pdf [--trust PEM]... [--offline] [--json]');
  const file = positionals[0];
  let report: VerifyReport;
  try {
    const anchors = readAnchors(values.trust ?? []);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(file));
    } catch (e) {
      throw new KysoError('IO_ERROR', `${file}: ${(e as Error).message}`, undefined, { cause: e });
    }
    report = await verifyPdf(bytes, { trustAnchors: anchors, fetch: values.offline ? undefined : httpFetch });
  } catch (e) {
    const err = asKysoError(e);
    if (err.code === 'INTERNAL_ERROR') throw err;
    printError(err, json);
    return 2;
  }
  if (json) {
    // Every documented key is present; absent values are null.
    const signatures = report.signatures.map((s) => ({ ...s, signer: s.signer ?? null, signingTime: s.signingTime ?? null, timestamp: s.timestamp ?? null, level: s.level ?? null }));
    process.stdout.write(JSON.stringify({ file, signatures, unsignedFields: report.unsignedFields }, null, 2) + '\n');
  }
  else printText(file, report);
  if (report.signatures.length === 0) {
    printError(new KysoError('PDF_NOT_SIGNED', file), json);
    return 1;
  }
  return report.signatures.every((s) => GOOD_VERDICTS.includes(s.verdict)) ? 0 : 1;
}
