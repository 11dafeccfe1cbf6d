// The verification report: one entry per signed signature field, with a typed verdict.

import type { Change } from './diff.ts';
import type { RevocationFetch } from './revocation.ts';

export type Verdict =
  | 'VALID'
  | 'VALID_WITH_ALLOWED_CHANGES'
  | 'INVALID_MODIFIED'
  | 'INVALID_DIGEST'
  | 'INVALID_SIGNATURE'
  | 'UNTRUSTED_CHAIN'
  | 'EXPIRED_AT_SIGNING'
  | 'REVOKED'
  | 'REVOCATION_UNKNOWN'
  | 'UNSUPPORTED'
  | 'MALFORMED';

/** Verdicts that mean the signature holds. */
export const GOOD_VERDICTS: readonly Verdict[] = ['VALID', 'VALID_WITH_ALLOWED_CHANGES'];

export type Level = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';

export interface ChangeAfter extends Change {
  allowed: boolean;
}

export interface SignatureReport {
  field: string;
  kind: 'signature' | 'doc-timestamp';
  subFilter?: string;
  signer?: { name: string; issuer: string; serial: string };
  /** ISO time used for validity: the timestamp's when one is trusted, else the claimed /M. */
  signingTime?: string;
  /** Where signingTime came from. */
  signingTimeSource: 'timestamp' | 'claimed' | 'none';
  /** The signature-time-stamp (or, for a document timestamp, its own time). */
  timestamp?: { time: string; tsa?: string; valid: boolean; trusted: boolean };
  /** PAdES level as found (signatures only). */
  level?: Level;
  /** DocMDP P when this signature is a certification signature. */
  certification?: 1 | 2 | 3;
  verdict: Verdict;
  coversWholeDocument: boolean;
  byteRange?: number[];
  /** Changes after the signed revision, each judged against the DocMDP rule in force. */
  changesAfter: ChangeAfter[];
  /** Why the verdict is not VALID (English, for logs and tests). */
  reasons: string[];
  warnings: string[];
  chain: { subject: string; issuer: string; serial: string; notBefore: string; notAfter: string }[];
  revocation?: { status: 'good' | 'revoked' | 'unknown' | 'not-checked'; certificates: { subject: string; status: string; source?: string; reason?: string }[] };
  /** One line in Vietnamese for people. */
  summaryVi: string;
}

export interface VerifyReport {
  signatures: SignatureReport[];
  /** Signature fields without a value (placeholders), by name. */
  unsignedFields: string[];
}

export interface VerifyOptions {
  /** Extra trust anchors (DER, or PEM text as bytes; a PEM may hold several). */
  trustAnchors?: Uint8Array[];
  /** Trust the bundled Vietnamese roots (default true). */
  bundledAnchors?: boolean;
  /** Online OCSP/CRL: only when given. */
  fetch?: RevocationFetch;
  /** Clock for "now" (default: the current time). */
  now?: Date;
}
