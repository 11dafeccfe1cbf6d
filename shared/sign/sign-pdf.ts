// Signing a PDF, start to end: plan the appearance for the mode, write it and the signature field as an
// incremental update with placeholders, hash the byte range, have the signer sign, embed the CMS.
// The original bytes stay a byte-exact prefix of the result, so earlier signatures stay valid.

import { PdfReader } from '../pdf/reader.ts';
import { annotationsPermitted, signingPermitted } from '../pdf/crypt.ts';
import { IncrementalWriter } from '../pdf/writer.ts';
import { PdfDict, PdfName, PdfString } from '../pdf/objects.ts';
import { TrueTypeFont } from '../pdf/font/truetype.ts';
import { decodePng, type DecodedPng } from '../pdf/image/png.ts';
import { renderPlan } from '../appearance/render.ts';
import { planAppearance } from '../modes/index.ts';
import type { Placement } from '../modes/doc-view.ts';
import type { AppearancePlan, CopyForm, FontStyle, SigningMode } from '../modes/plan.ts';
import { REASONS } from '../modes/plan.ts';
import { pdfDateVietnam, type CivilDate } from '../modes/vn-time.ts';
import { DEFAULT_MARKERS, type MarkerSet } from '../placement/markers.ts';
import { buildPadesCms, cmsSizeInfo, estimateCmsSize, type DigestSigner, type HashAlg } from '../pades/index.ts';
import { parseCertificate } from '../pki/certificate.ts';
import { KysoError } from '../protocol/errors.ts';
import { byteRangePlaceholder, contentsPlaceholder, fillByteRange, fillContents, BYTE_RANGE_TAG, CONTENTS_TAG, type ByteRange } from './byte-range.ts';
import { ReaderDocView, type TextSource } from './document-view.ts';
import { addSignatureField, docMdpPermission, uniqueFieldName } from './fields.ts';

export interface FontFiles {
  regular: Uint8Array;
  bold: Uint8Array;
  italic: Uint8Array;
}

export interface SignOptions {
  mode: SigningMode;
  placement?: Placement;
  markers?: MarkerSet;
  signatureImage?: Uint8Array;
  sealImage?: Uint8Array;
  docNumber?: string;
  place?: string;
  date?: CivilDate;
  copyForm?: CopyForm;
  certNumber?: string;
  book?: string;
  location?: string;
  signingTime?: Date;
  fieldName?: string;
  /** PAdES baseline level; default B-B. B-T needs env.timestamp, B-LT and B-LTA also env.extend (shared/ltv). */
  level?: PadesLevel;
}

export type PadesLevel = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';
export const PADES_LEVELS: readonly PadesLevel[] = ['B-B', 'B-T', 'B-LT', 'B-LTA'];

/** SHA-256 over the signed byte ranges, given as views into the file (no copy needed). */
export type RangeDigest = (parts: Uint8Array[]) => Promise<Uint8Array>;

/** Portable default: WebCrypto wants one buffer, so the ranges are joined first. */
export const webCryptoDigest: RangeDigest = async (parts) => {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const joined = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    joined.set(p, o);
    o += p.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', joined));
};

export interface SignEnvironment {
  /** Streams the byte ranges into SHA-256; the host passes node:crypto's, which hashes 20 MB without copying it. */
  digest?: RangeDigest;
  fonts: FontFiles;
  /** Page text for automatic placement; without it only explicit rectangles and fixed positions work. */
  text?: TextSource;
  /** Before anything is drawn: throws to block the certificate (expired, revoked…), returns warnings (shared/ltv). */
  checkCertificate?: (signer: DigestSigner) => Promise<string[]>;
  /** B-T and above: an RFC 3161 TimeStampToken over the signature value (shared/pades/timestamp.ts). */
  timestamp?: (signatureValue: Uint8Array, hash: HashAlg) => Promise<Uint8Array>;
  /** Room to reserve for that token; default DEFAULT_TIMESTAMP_ALLOWANCE. */
  timestampBytes?: number;
  /** B-LT and B-LTA: extends the signed file (DSS, then a document time-stamp) with incremental updates. */
  extend?: (signed: Uint8Array, level: PadesLevel, fieldName: string) => Promise<Uint8Array>;
}

export interface SignResult {
  pdf: Uint8Array;
  fieldName: string;
  byteRange: ByteRange;
  warnings: string[];
  level: PadesLevel;
}

function aspect(png: DecodedPng | undefined): number | undefined {
  return png ? png.width / png.height : undefined;
}

/**
 * Opens a file to be signed. Encrypted files that open with the empty user password are read decrypted, and the
 * update stays encrypted (shared/pdf/README.md), unless their /P flags forbid both annotations and form filling
 * (PDF_SIGNING_NOT_ALLOWED). A file needing a password gives PDF_PASSWORD_REQUIRED.
 */
export function openForSigning(input: Uint8Array): PdfReader {
  const reader = PdfReader.open(input, { decrypt: true });
  if (reader.encryption && !signingPermitted(reader.encryption)) {
    throw new KysoError('PDF_SIGNING_NOT_ALLOWED', `Encryption permissions /P ${reader.encryption.p} forbid annotations and form filling.`, { p: reader.encryption.p }, {
      vi: 'Tác giả tệp PDF đã đặt quyền hạn cấm thêm chú thích và điền biểu mẫu (kể cả trường chữ ký), nên KýSố không ký được tệp này. Hãy xin bản cho phép ký.',
    });
  }
  return reader;
}

/** What planning needs besides the options: the fonts that will draw the text and the page text. */
export type PlanEnvironment = Pick<SignEnvironment, 'fonts' | 'text'>;

/** The planned appearance and what drawing it needs: fonts, decoded images, the document view. */
export interface PlannedSignature {
  plan: AppearancePlan;
  view: ReaderDocView;
  fonts: Record<FontStyle, TrueTypeFont>;
  signature?: DecodedPng;
  seal?: DecodedPng;
}

/**
 * Where and what the mode draws for this signer (its certificate, or the names when none is chosen yet), without
 * writing anything: signPdf draws exactly this, and the
 * signing page (shared/sign/preview.ts) shows it before the user confirms.
 */
/** The names a signature prints: the holder (CN) and the organisation (O). */
export interface SignerNames {
  name: string;
  organisation: string;
}

export function signerNames(certificate: Uint8Array): SignerNames {
  const cert = parseCertificate(certificate);
  return { name: cert.subject.CN ?? cert.subjectString, organisation: cert.subject.O ?? cert.subject.CN ?? cert.subjectString };
}

export async function planSignature(reader: PdfReader, opts: Omit<SignOptions, 'level' | 'fieldName' | 'location'>, signer: Uint8Array | SignerNames, env: PlanEnvironment): Promise<PlannedSignature> {
  const names = signer instanceof Uint8Array ? signerNames(signer) : signer;
  const signingTime = opts.signingTime ?? new Date();
  const fonts: Record<FontStyle, TrueTypeFont> = { regular: TrueTypeFont.parse(env.fonts.regular), bold: TrueTypeFont.parse(env.fonts.bold), italic: TrueTypeFont.parse(env.fonts.italic) };
  const signature = opts.signatureImage ? decodePng(opts.signatureImage) : undefined;
  const seal = opts.sealImage ? decodePng(opts.sealImage) : undefined;
  const regular = fonts.regular;
  const view = new ReaderDocView(reader, env.text, (ch) => {
    const cp = ch.codePointAt(0) ?? 32;
    const g = regular.glyphId(cp);
    return g ? regular.pdfWidth(g) / 1000 : 0.5;
  });

  const placement = opts.placement ?? { kind: 'auto' };
  if (placement.kind === 'rect' && (placement.pageIndex < 0 || placement.pageIndex >= reader.pageCount)) throw new KysoError('PDF_PAGE_OUT_OF_RANGE');
  const plan = await planAppearance(view, {
    mode: opts.mode,
    placement,
    markers: opts.markers ?? DEFAULT_MARKERS,
    signerName: names.name,
    organisation: names.organisation,
    signingTime,
    signatureAspect: aspect(signature),
    sealAspect: aspect(seal),
    docNumber: opts.docNumber,
    place: opts.place,
    date: opts.date,
    copyForm: opts.copyForm,
    certNumber: opts.certNumber,
    book: opts.book,
    measure: (text, size, style) => fonts[style].widthOf(text, size),
  });
  return { plan, view, fonts, signature, seal };
}

/** openForSigning, and refused when there is nothing to sign or a certification signature forbids changes. */
export function openSignable(input: Uint8Array): PdfReader {
  const reader = openForSigning(input);
  if (reader.pageCount === 0) throw new KysoError('PDF_NO_PAGES');
  if (docMdpPermission(reader) === 1) throw new KysoError('PDF_SIGNING_NOT_ALLOWED');
  return reader;
}

export async function signPdf(input: Uint8Array, opts: SignOptions, signer: DigestSigner, env: SignEnvironment): Promise<SignResult> {
  const reader = openSignable(input);

  const level = opts.level ?? 'B-B';
  if (!PADES_LEVELS.includes(level)) throw new KysoError('INVALID_ARGUMENT', `Unknown PAdES level ${String(level)}.`);
  if (level !== 'B-B' && !env.timestamp) throw new KysoError('INVALID_ARGUMENT', `${level} needs a time-stamping authority.`, undefined, { vi: `Mức ${level} cần máy chủ cấp dấu thời gian (TSA).` });
  if ((level === 'B-LT' || level === 'B-LTA') && !env.extend) throw new KysoError('INVALID_ARGUMENT', `${level} needs the long-term validation step.`);
  const cert = parseCertificate(signer.certificate);
  const certWarnings = env.checkCertificate ? await env.checkCertificate(signer) : [];
  const signingTime = opts.signingTime ?? new Date();
  const { plan, view, fonts, signature, seal } = await planSignature(reader, { ...opts, signingTime }, signer.certificate, env);

  if (reader.encryption && plan.stamps.length > 0 && !annotationsPermitted(reader.encryption)) {
    throw new KysoError('PDF_SIGNING_NOT_ALLOWED', `Encryption permissions /P ${reader.encryption.p} allow filling in fields but not adding annotations (the number and date stamps).`, { p: reader.encryption.p }, {
      vi: 'Tác giả tệp PDF chỉ cho phép ký vào trường chữ ký, không cho phép thêm chú thích, nên không in được số và ngày văn bản lên tệp này. Hãy xin bản cho phép ký.',
    });
  }
  const writer = new IncrementalWriter(reader);
  const rendered = renderPlan(writer, plan, (i) => view.frame(i), { fonts, signature, seal });

  const reserve = estimateCmsSize(cmsSizeInfo(signer), level !== 'B-B', { timestampBytes: env.timestampBytes });
  const sigRef = writer.alloc();
  const sigDict = new PdfDict({
    Type: PdfName.of('Sig'),
    Filter: PdfName.of('Adobe.PPKLite'),
    SubFilter: PdfName.of('ETSI.CAdES.detached'),
    ByteRange: byteRangePlaceholder(),
    Contents: contentsPlaceholder(reserve),
    M: PdfString.latin1(pdfDateVietnam(signingTime)),
    Name: PdfString.text(cert.subject.CN ?? cert.subjectString),
    Reason: PdfString.text(REASONS[opts.mode]),
  });
  const location = opts.location ?? opts.place;
  if (location) sigDict.set('Location', PdfString.text(location));
  writer.put(sigRef, sigDict);

  const fieldName = opts.fieldName ?? uniqueFieldName(reader);
  addSignatureField(reader, writer, { fieldName, sigRef, widget: rendered.widget, stamps: rendered.stamps });

  const saved = writer.save();
  const file = saved.bytes;
  const brAt = saved.placeholders.get(BYTE_RANGE_TAG);
  const ctAt = saved.placeholders.get(CONTENTS_TAG);
  if (!brAt || !ctAt) throw new KysoError('INTERNAL_ERROR', 'Signature placeholders missing from the update.');
  const byteRange = fillByteRange(file, brAt, ctAt);
  const digest = await (env.digest ?? webCryptoDigest)([file.subarray(byteRange[0], byteRange[0] + byteRange[1]), file.subarray(byteRange[2], byteRange[2] + byteRange[3])]);
  const cms = await buildPadesCms({ contentDigest: digest, hash: 'SHA-256', signer, timestamp: level === 'B-B' ? undefined : env.timestamp });
  fillContents(file, ctAt, cms);
  const pdf = (level === 'B-LT' || level === 'B-LTA') && env.extend ? await env.extend(file, level, fieldName) : file;
  return { pdf, fieldName, byteRange, warnings: [...certWarnings, ...plan.warnings], level };
}
