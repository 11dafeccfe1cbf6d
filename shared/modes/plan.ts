// What a signing mode asks to be drawn: annotations made of covers, images and text lines, placed in display space.
// The renderer (shared/appearance) turns a plan into appearance streams; the modes never touch PDF objects.

import type { DisplayRect } from '../placement/geometry.ts';

export type SigningMode = 'approval' | 'issue' | 'appendix' | 'copy' | 'certify';
export type FontStyle = 'regular' | 'bold' | 'italic';
export type Rgb = [number, number, number];

export type DrawItem =
  /** Opaque white box: hides marker text and the blanks a number or date is written into. */
  | { kind: 'cover'; rect: DisplayRect }
  | { kind: 'image'; image: 'signature' | 'seal'; rect: DisplayRect }
  | { kind: 'text'; text: string; x: number; baseline: number; size: number; style: FontStyle; color?: Rgb; align?: 'left' | 'center' | 'right' };

export interface AnnotationPlan {
  pageIndex: number;
  items: DrawItem[];
}

export interface AppearancePlan {
  /** The signature field's widget. */
  widget: AnnotationPlan;
  /** Further annotations of the same update (the number and the date in issue mode, covers for markers). */
  stamps: AnnotationPlan[];
  warnings: string[];
}

export const REASONS: Record<SigningMode, string> = {
  approval: 'Ký duyệt',
  issue: 'Ký ban hành',
  appendix: 'Ký phụ lục',
  copy: 'Ký sao văn bản',
  certify: 'Chứng thực bản sao',
};

export const COPY_FORMS = { SY: 'SAO Y', SL: 'SAO LỤC', TrS: 'TRÍCH SAO' } as const;
export type CopyForm = keyof typeof COPY_FORMS;
