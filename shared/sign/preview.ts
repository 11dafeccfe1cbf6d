// The signature as signPdf will draw it, without signing: the signing page shows the box where the widget goes
// (and the number/date stamps of issue mode) before the user confirms. Same planning code as signPdf
// (planSignature), so the preview and the signed file cannot disagree.

import { annotationRect } from '../appearance/render.ts';
import type { ExistingSignature } from '../modes/doc-view.ts';
import type { AnnotationPlan, AppearancePlan } from '../modes/plan.ts';
import type { PdfReader } from '../pdf/reader.ts';
import type { TrueTypeFont } from '../pdf/font/truetype.ts';
import type { DisplayRect } from '../placement/geometry.ts';
import { displaySize } from '../placement/geometry.ts';
import type { FontStyle } from '../modes/plan.ts';
import { openSignable, planSignature, type PlanEnvironment, type SignerNames, type SignOptions } from './sign-pdf.ts';

/** An annotation's box on its page: display space (points, origin top left of the page as shown). */
export interface PlacedBox {
  pageIndex: number;
  rect: DisplayRect;
}

export interface SignaturePreview {
  plan: AppearancePlan;
  /** The signature widget's box: its /Rect once signed. Passed back as placement {kind:'rect'} it keeps the widget where it is. */
  widget: PlacedBox;
  /** Issue mode's number and date stamps and marker covers. */
  stamps: PlacedBox[];
  /** Signature widgets already in the document (the leader's, for the seal to snap to). */
  signatures: ExistingSignature[];
  /** Every page's size as displayed (after /Rotate), in points. */
  pages: { width: number; height: number }[];
  warnings: string[];
}

export type PreviewOptions = Omit<SignOptions, 'level' | 'fieldName' | 'location'>;

function placed(a: AnnotationPlan, fonts: Record<FontStyle, TrueTypeFont>): PlacedBox {
  return { pageIndex: a.pageIndex, rect: annotationRect(a, fonts) };
}

/**
 * Plans the signature for `signer` (a certificate: its CN and O are drawn; or the names) on `pdf`, or on a reader already opened with
 * openSignable. Throws what signPdf would throw before the token is asked (MARKER_NOT_FOUND, INVALID_ARGUMENT for a
 * missing image or number, PDF_SIGNING_NOT_ALLOWED…).
 */
export async function previewSignature(pdf: Uint8Array | PdfReader, opts: PreviewOptions, signer: Uint8Array | SignerNames, env: PlanEnvironment): Promise<SignaturePreview> {
  const reader = pdf instanceof Uint8Array ? openSignable(pdf) : pdf;
  const { plan, view, fonts } = await planSignature(reader, opts, signer, env);
  const pages = Array.from({ length: reader.pageCount }, (_, i) => displaySize(view.frame(i)));
  return {
    plan,
    widget: placed(plan.widget, fonts),
    stamps: plan.stamps.map((s) => placed(s, fonts)),
    signatures: view.signatures(),
    pages,
    warnings: plan.warnings,
  };
}
