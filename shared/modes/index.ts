import type { DocView, ModeInput } from './doc-view.ts';
import { planApproval } from './approval.ts';
import { planAppendix } from './appendix.ts';
import { planCertify } from './certify.ts';
import { planCopy } from './copy.ts';
import { planIssue } from './issue.ts';
import type { AppearancePlan } from './plan.ts';

/** What the mode draws and where (Nghị định 30/2020 for documents, Nghị định 23/2015 for certified copies). */
export async function planAppearance(doc: DocView, input: ModeInput): Promise<AppearancePlan> {
  switch (input.mode) {
    case 'approval':
      return planApproval(doc, input);
    case 'issue':
      return planIssue(doc, input);
    case 'appendix':
      return planAppendix(doc, input);
    case 'copy':
      return planCopy(doc, input);
    case 'certify':
      return planCertify(doc, input);
  }
}
