export { verifyPdf, parsePdfDate, bundledAnchors, anchorsFrom } from './verify.ts';
export type { Verdict, Level, SignatureReport, VerifyReport, VerifyOptions, ChangeAfter } from './types.ts';
export { GOOD_VERDICTS } from './types.ts';
export type { RevocationFetch } from './revocation.ts';
export type { Change, ChangeKind } from './diff.ts';
