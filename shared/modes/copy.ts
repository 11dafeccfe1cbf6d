// Ký sao y / sao lục / trích sao: form of copy, copying organisation, signing time.

import type { DocView, ModeInput } from './doc-view.ts';
import type { AppearancePlan } from './plan.ts';
import { COPY_FORMS } from './plan.ts';
import { textBlockPlan } from './text-block.ts';
import { isoVietnam } from './vn-time.ts';

export function planCopy(doc: DocView, input: ModeInput): AppearancePlan {
  const form = COPY_FORMS[input.copyForm ?? 'SY'];
  const lines = [form, input.organisation];
  if (input.docNumber) lines.push(`Số: ${input.docNumber.trim()}`);
  lines.push(`Thời gian ký: ${isoVietnam(input.signingTime)}`);
  return textBlockPlan(doc, input, lines);
}
