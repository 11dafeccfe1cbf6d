// kyso sign IN.pdf -o OUT.pdf …: signs with the token, writes OUT atomically, never touches IN.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { KysoError } from '@kyso/shared/protocol/errors';
import type { Placement } from '@kyso/shared/modes/doc-view';
import { COPY_FORMS, type CopyForm, type SigningMode } from '@kyso/shared/modes/plan';
import { parseCivilDate } from '@kyso/shared/modes/vn-time';
import { DEFAULT_MARKERS } from '@kyso/shared/placement/markers';
import { openForSigning, PADES_LEVELS, signPdf, type PadesLevel } from '@kyso/shared/sign/sign-pdf';
import { ltvSignEnvironment } from '@kyso/shared/ltv/index';
import { loadFonts } from '../assets.ts';
import { nodeRangeDigest } from '../digest.ts';
import { pdfjsTextSource } from '../pdf/pdfjs-node.ts';
import { openTokenSigner } from '../token/token-signer.ts';
import { networkOptions, parse, usage } from './args.ts';
import { nodeFetch } from './net-fetch.ts';
import { readPin } from './pin.ts';
import { writeFileAtomic } from './write-file.ts';

const MODES: SigningMode[] = ['approval', 'issue', 'appendix', 'copy', 'certify'];

function readInput(path: string, what: string): Uint8Array {
  try {
    // A Buffer is a Uint8Array already: no copy of a 20 MB file.
    return readFileSync(path);
  } catch (e) {
    throw new KysoError('IO_ERROR', `Cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, undefined, { vi: `Không đọc được tệp ${path}.`, cause: e });
  }
}

function parseRect(s: string): { x: number; y: number; w: number; h: number } {
  const v = s.split(',').map((x) => Number(x.trim()));
  if (v.length !== 4 || v.some((x) => !Number.isFinite(x)) || v[2] <= 0 || v[3] <= 0)
    throw usage(`--rect must be X,Y,W,H in points, got ${s}.`, `--rect phải có dạng X,Y,W,H (point, W và H dương), nhận được: ${s}`);
  return { x: v[0], y: v[1], w: v[2], h: v[3] };
}

export async function signCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    output: { type: 'string', short: 'o' },
    module: { type: 'string' },
    token: { type: 'string' },
    cert: { type: 'string' },
    mode: { type: 'string' },
    image: { type: 'string' },
    seal: { type: 'string' },
    marker: { type: 'string' },
    page: { type: 'string' },
    rect: { type: 'string' },
    'doc-number': { type: 'string' },
    place: { type: 'string' },
    date: { type: 'string' },
    'copy-form': { type: 'string' },
    'cert-number': { type: 'string' },
    book: { type: 'string' },
    json: { type: 'boolean' },
    level: { type: 'string' },
    tsa: { type: 'string' },
    'net-timeout': { type: 'string' },
  });
  if (positionals.length !== 1) throw usage('Exactly one input PDF is needed.', 'Cần đúng một tệp PDF đầu vào.');
  const input = positionals[0];
  const output = values.output;
  if (!output) throw usage('-o OUT.pdf is required.', 'Thiếu tham số -o OUT.pdf (tệp kết quả).');
  if (resolve(output) === resolve(input)) throw usage('OUT must differ from IN: the original is never modified.', 'Tệp kết quả phải khác tệp gốc: KýSố không bao giờ ghi đè tệp gốc.');
  const mode = values.mode as SigningMode | undefined;
  if (!mode || !MODES.includes(mode)) throw usage(`--mode must be one of ${MODES.join(', ')}.`, `--mode phải là một trong: ${MODES.join(', ')}.`);
  if (!values.token) throw usage('--token LABEL is required.', 'Thiếu --token (nhãn của token, xem kyso tokens).');
  if (!values.cert) throw usage('--cert LABEL|ID is required.', 'Thiếu --cert (nhãn hoặc CKA_ID của chứng thư số, xem kyso certs).');

  let placement: Placement = { kind: 'auto' };
  if (values.marker && (values.rect || values.page)) throw usage('Use --marker or --page/--rect, not both.', 'Chỉ dùng một trong hai: --marker hoặc --page/--rect.');
  if (values.marker) placement = { kind: 'marker', marker: values.marker };
  else if (values.rect || values.page) {
    if (!values.rect || !values.page) throw usage('--page and --rect go together.', '--page và --rect phải dùng cùng nhau.');
    const page = Number(values.page);
    if (!Number.isInteger(page) || page < 1) throw usage('--page must be a page number from 1.', '--page phải là số trang, bắt đầu từ 1.');
    placement = { kind: 'rect', pageIndex: page - 1, rect: parseRect(values.rect) };
  }
  let date;
  if (values.date) {
    date = parseCivilDate(values.date);
    if (!date) throw usage('--date must be YYYY-MM-DD.', '--date phải có dạng YYYY-MM-DD và là một ngày có thật.');
  }
  const copyForm = values['copy-form'] as CopyForm | undefined;
  if (copyForm && !(copyForm in COPY_FORMS)) throw usage('--copy-form must be SY, SL or TrS.', '--copy-form phải là SY, SL hoặc TrS.');

  const level = (values.level ?? 'B-B').toUpperCase() as PadesLevel;
  if (!PADES_LEVELS.includes(level)) throw usage(`--level must be one of ${PADES_LEVELS.join(', ')}.`, `--level phải là một trong: ${PADES_LEVELS.join(', ')}.`);
  if (level !== 'B-B' && !values.tsa) throw usage(`--level ${level} needs --tsa URL.`, `Mức ${level} cần --tsa URL (địa chỉ máy chủ cấp dấu thời gian).`);
  const { timeoutMs } = networkOptions(values);

  const pdf = readInput(input, 'input');
  const signatureImage = values.image ? readInput(values.image, 'image') : undefined;
  const sealImage = values.seal ? readInput(values.seal, 'seal') : undefined;
  // A file that cannot be signed is reported before anyone is asked for a PIN.
  openForSigning(pdf);
  const pin = await readPin();
  const signer = await openTokenSigner({ modulePath: values.module, tokenLabel: values.token, cert: values.cert, pin });
  const text = pdfjsTextSource(pdf);
  try {
    const result = await signPdf(
      pdf,
      {
        mode,
        placement,
        markers: DEFAULT_MARKERS,
        signatureImage,
        sealImage,
        docNumber: values['doc-number'],
        place: values.place,
        date,
        copyForm,
        certNumber: values['cert-number'],
        book: values.book,
        level,
      },
      signer,
      { fonts: loadFonts(), text: text.text, digest: nodeRangeDigest, ...ltvSignEnvironment(level, { tsaUrl: values.tsa, fetch: nodeFetch(), timeoutMs }) },
    );
    writeFileAtomic(output, result.pdf);
    if (values.json) process.stdout.write(JSON.stringify({ output, field: result.fieldName, byteRange: result.byteRange, level: result.level, warnings: result.warnings }) + '\n');
    else {
      process.stdout.write(`Đã ký: ${output} (trường chữ ký ${result.fieldName}, mức ${result.level})\n`);
      for (const w of result.warnings) process.stderr.write(`Cảnh báo: ${w}\n`);
    }
    return 0;
  } finally {
    signer.close();
    await text.close();
  }
}
