// PAdES B-LTA (ETSI EN 319 142-1 §5.5): a document time-stamp over the whole file as it is, DSS included — an
// invisible signature field whose value is /Type /DocTimeStamp, /SubFilter /ETSI.RFC3161, and whose /Contents is
// an RFC 3161 TimeStampToken over the SHA-256 of the byte range. Added as an incremental update.

import { IncrementalWriter } from '../pdf/writer.ts';
import { PdfDict, PdfName, PdfStream } from '../pdf/objects.ts';
import { byteRangePlaceholder, contentsPlaceholder, fillByteRange, fillContents, BYTE_RANGE_TAG, CONTENTS_TAG, type ByteRange } from '../sign/byte-range.ts';
import { addSignatureField, docMdpPermission, uniqueFieldName } from '../sign/fields.ts';
import { openForSigning, webCryptoDigest, type RangeDigest } from '../sign/sign-pdf.ts';
import { requestTimestamp, type TimestampRequestOptions, type TimestampResult } from '../pades/timestamp.ts';
import { KysoError } from '../protocol/errors.ts';

export interface DocTimestampOptions extends TimestampRequestOptions {
  fieldName?: string;
  /** Bytes reserved for the token. Default 10 KB; retried once with the size the TSA's token actually has. */
  reserveBytes?: number;
  digest?: RangeDigest;
}

export interface DocTimestampResult {
  pdf: Uint8Array;
  fieldName: string;
  byteRange: ByteRange;
  timestamp: TimestampResult;
}

async function once(pdf: Uint8Array, opts: DocTimestampOptions, reserve: number): Promise<DocTimestampResult> {
  const reader = openForSigning(pdf);
  if (reader.pageCount === 0) throw new KysoError('PDF_NO_PAGES');
  if (docMdpPermission(reader) === 1) throw new KysoError('PDF_SIGNING_NOT_ALLOWED');
  const writer = new IncrementalWriter(reader);
  const sigRef = writer.alloc();
  writer.put(
    sigRef,
    new PdfDict({
      Type: PdfName.of('DocTimeStamp'),
      Filter: PdfName.of('Adobe.PPKLite'),
      SubFilter: PdfName.of('ETSI.RFC3161'),
      ByteRange: byteRangePlaceholder(),
      Contents: contentsPlaceholder(reserve),
    }),
  );
  // Invisible widget (zero rectangle) with an empty appearance.
  const ap = writer.alloc();
  writer.put(ap, new PdfStream(new PdfDict({ Type: PdfName.of('XObject'), Subtype: PdfName.of('Form'), BBox: [0, 0, 0, 0] }), new Uint8Array(0)));
  const fieldName = opts.fieldName ?? uniqueFieldName(reader, 'KySoTS');
  addSignatureField(reader, writer, { fieldName, sigRef, widget: { pageIndex: 0, rect: [0, 0, 0, 0], appearance: ap }, stamps: [] });
  const saved = writer.save();
  const file = saved.bytes;
  const brAt = saved.placeholders.get(BYTE_RANGE_TAG);
  const ctAt = saved.placeholders.get(CONTENTS_TAG);
  if (!brAt || !ctAt) throw new KysoError('INTERNAL_ERROR', 'Time-stamp placeholders missing from the update.');
  const byteRange = fillByteRange(file, brAt, ctAt);
  const imprint = await (opts.digest ?? webCryptoDigest)([file.subarray(byteRange[0], byteRange[0] + byteRange[1]), file.subarray(byteRange[2], byteRange[2] + byteRange[3])]);
  const timestamp = await requestTimestamp(imprint, 'SHA-256', opts);
  if (timestamp.token.length > reserve) throw Object.assign(new KysoError('SIGNATURE_TOO_LARGE', `${timestamp.token.length} bytes > ${reserve} reserved.`), { needed: timestamp.token.length });
  fillContents(file, ctAt, timestamp.token);
  return { pdf: file, fieldName, byteRange, timestamp };
}

/** Adds a document time-stamp (B-LTA) to `pdf` as an incremental update. */
export async function addDocumentTimestamp(pdf: Uint8Array, opts: DocTimestampOptions): Promise<DocTimestampResult> {
  const reserve = opts.reserveBytes ?? 10 * 1024;
  try {
    return await once(pdf, opts, reserve);
  } catch (e) {
    const needed = (e as { needed?: number }).needed;
    if (!needed) throw e;
    return once(pdf, opts, needed + 2048);
  }
}
