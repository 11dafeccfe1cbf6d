// kyso extend FILE.pdf -o OUT.pdf --level B-LT|B-LTA [--tsa URL] [--net-timeout S]: long-term validation data
// (and for B-LTA an archive time-stamp) added to a file that is already signed, by anyone, as incremental updates:
// the input is a byte prefix of the output, so every earlier signature stays valid. No token, no PIN.
//
// PAdES B-LT builds on B-T: a signature with neither its own time-stamp nor a later document time-stamp gets a
// document time-stamp first (so --tsa is then needed for B-LT too), otherwise the file would carry validation data
// but still read as B-B.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { KysoError } from '@kyso/shared/protocol/errors';
import { openForSigning } from '@kyso/shared/sign/sign-pdf';
import { addDocumentTimestamp, extendToLevel, pdfSignatures, signatureTimestampTokens, type PdfSignature } from '@kyso/shared/ltv/index';
import { nodeRangeDigest } from '../digest.ts';
import { networkOptions, parse, usage } from './args.ts';
import { nodeFetch } from './net-fetch.ts';
import { writeFileAtomic } from './write-file.ts';

const LEVELS = ['B-LT', 'B-LTA'] as const;
type ExtendLevel = (typeof LEVELS)[number];

function readPdf(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new KysoError('IO_ERROR', `Cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, undefined, { vi: `Không đọc được tệp ${path}.`, cause: e });
  }
}

const isDocTimestamp = (s: PdfSignature) => s.type === 'DocTimeStamp' || s.subFilter === 'ETSI.RFC3161';
const endOf = (s: PdfSignature) => (s.byteRange.length === 4 ? s.byteRange[2] + s.byteRange[3] : 0);

/** Signatures (not document time-stamps) with no signature time-stamp and no document time-stamp after them. */
export function untimestampedSignatures(sigs: PdfSignature[]): string[] {
  const tsEnds = sigs.filter(isDocTimestamp).map(endOf);
  return sigs
    .filter((s) => !isDocTimestamp(s))
    .filter((s) => {
      let own = 0;
      try {
        own = signatureTimestampTokens(s.cms).length;
      } catch {
        // An unreadable CMS has no usable time-stamp; addLtv reports it properly.
      }
      return own === 0 && !tsEnds.some((e) => e > endOf(s));
    })
    .map((s) => s.fieldName);
}

export async function extendCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    output: { type: 'string', short: 'o' },
    level: { type: 'string' },
    tsa: { type: 'string' },
    'net-timeout': { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw usage('Exactly one signed PDF is needed.', 'Cần đúng một tệp PDF đã ký.');
  const input = positionals[0];
  const output = values.output;
  if (!output) throw usage('-o OUT.pdf is required.', 'Thiếu tham số -o OUT.pdf (tệp kết quả).');
  if (resolve(output) === resolve(input)) throw usage('OUT must differ from IN: the original is never modified.', 'Tệp kết quả phải khác tệp gốc: KýSố không bao giờ ghi đè tệp gốc.');
  const level = (values.level ?? '').toUpperCase() as ExtendLevel;
  if (!LEVELS.includes(level)) throw usage(`--level must be one of ${LEVELS.join(', ')}.`, `--level phải là một trong: ${LEVELS.join(', ')}.`);
  if (level === 'B-LTA' && !values.tsa) throw usage('--level B-LTA needs --tsa URL.', 'Mức B-LTA cần --tsa URL (địa chỉ máy chủ cấp dấu thời gian).');
  const { timeoutMs } = networkOptions(values);

  const pdf = readPdf(input);
  // Unreadable, password-protected or locked files are reported before any network call.
  openForSigning(pdf);
  const before = pdfSignatures(pdf);
  if (before.length === 0) throw new KysoError('PDF_NOT_SIGNED', input, undefined, { vi: `Tệp ${input} chưa có chữ ký số nào: không có gì để bổ sung dữ liệu kiểm tra dài hạn.` });
  const bare = untimestampedSignatures(before);
  if (level === 'B-LT' && bare.length && !values.tsa) {
    throw usage(
      `${bare.join(', ')} has no time-stamp; B-LT needs one first: give --tsa URL.`,
      `Chữ ký ${bare.join(', ')} chưa có dấu thời gian; mức B-LT cần dấu thời gian trước: hãy thêm --tsa URL.`,
    );
  }

  const net = { tsaUrl: values.tsa, fetch: nodeFetch(), timeoutMs };
  let out = pdf;
  // B-T first for signatures without a time-stamp (B-LTA's own document time-stamp comes after the DSS).
  if (level === 'B-LT' && bare.length) out = (await addDocumentTimestamp(out, { url: values.tsa!, fetch: net.fetch, timeoutMs, digest: nodeRangeDigest })).pdf;
  out = await extendToLevel(out, level, net);
  writeFileAtomic(output, out);

  const added = pdfSignatures(out).filter((s) => !before.some((b) => b.fieldName === s.fieldName)).map((s) => s.fieldName);
  const signatures = before.map((s) => s.fieldName);
  if (values.json) process.stdout.write(JSON.stringify({ output, level, signatures, documentTimestamps: added }) + '\n');
  else {
    process.stdout.write(`Đã bổ sung mức ${level}: ${output} (dữ liệu kiểm tra cho ${signatures.join(', ')}${added.length ? `; dấu thời gian tài liệu ${added.join(', ')}` : ''})\n`);
  }
  return 0;
}
