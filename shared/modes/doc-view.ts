// What a mode may ask about the document: page frames, page text (lazily, page by page) and the signature
// widgets already on it. The signing code implements it over the PDF reader and a text extractor.

import type { DisplayRect, PageFrame } from '../placement/geometry.ts';
import type { MarkerSet } from '../placement/markers.ts';
import type { TextLine } from '../placement/text.ts';
import type { CivilDate } from './vn-time.ts';
import type { CopyForm, SigningMode } from './plan.ts';

export interface ExistingSignature {
  fieldName: string;
  pageIndex: number;
  rect: DisplayRect;
  signed: boolean;
}

export interface DocView {
  pageCount: number;
  frame(pageIndex: number): PageFrame;
  lines(pageIndex: number): Promise<TextLine[]>;
  /** Signature widgets already in the document, oldest first. */
  signatures(): ExistingSignature[];
}

export type Placement =
  | { kind: 'auto' }
  | { kind: 'marker'; marker: string }
  /** Page index from 0; rect in display space (points, origin top left of the page as displayed). */
  | { kind: 'rect'; pageIndex: number; rect: DisplayRect };

export interface ModeInput {
  mode: SigningMode;
  placement: Placement;
  markers: MarkerSet;
  signerName: string;
  organisation: string;
  signingTime: Date;
  /** Width / height of the images given; absent when no image was given. */
  signatureAspect?: number;
  sealAspect?: number;
  docNumber?: string;
  place?: string;
  date?: CivilDate;
  copyForm?: CopyForm;
  certNumber?: string;
  book?: string;
  /** Width of a text in points, from the font that will draw it. */
  measure(text: string, size: number, style: 'regular' | 'bold' | 'italic'): number;
}
