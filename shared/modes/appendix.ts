// Ký phụ lục: the organisation signs an attachment or appendix kept in a separate file.

import { KysoError } from '../protocol/errors.ts';
import type { DocView, ModeInput } from './doc-view.ts';
import type { AppearancePlan } from './plan.ts';
import { textBlockPlan } from './text-block.ts';
import { isoVietnam } from './vn-time.ts';

export function planAppendix(doc: DocView, input: ModeInput): AppearancePlan {
  if (!input.docNumber) throw new KysoError('INVALID_ARGUMENT', 'The attachment signature needs the document number.', undefined, { vi: 'Ký phụ lục cần số, ký hiệu của văn bản mà phụ lục kèm theo.' });
  return textBlockPlan(doc, input, [input.organisation, `Số: ${input.docNumber.trim()}`, `Thời gian ký: ${isoVietnam(input.signingTime)}`]);
}
