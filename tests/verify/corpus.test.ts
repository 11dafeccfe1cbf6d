// Every signed file of the corpus against its ground truth (/work/shared/corpus/signed/EXPECTED.md), offline, with
// the corpus test roots as extra anchors. Real-world certificates chain to roots we do not trust (UNTRUSTED_CHAIN);
// test certificates that name revocation sources get REVOCATION_UNKNOWN offline. Where pdfsig says otherwise the
// entry says why.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS } from '../pdf/helpers.ts';
import { verifyPdf } from '../../shared/verify/verify.ts';
import type { Verdict, VerifyReport } from '../../shared/verify/types.ts';
import { KysoError } from '../../shared/protocol/errors.ts';

const SIGNED = join(CORPUS, 'signed');
const TRUST = join(CORPUS, 'trust');
const anchors = readdirSync(TRUST)
  .filter((f) => f.endsWith('.pem') && f !== 'all-anchors.pem')
  .map((f) => new Uint8Array(readFileSync(join(TRUST, f))));

const U = 'UNTRUSTED_CHAIN' as const;

interface Case {
  file: string;
  verdicts: Verdict[];
  why: string;
  /** What pdfsig 22.12 says when it disagrees, and why we do. */
  pdfsig?: string;
  check?: (r: VerifyReport) => void;
}

const kinds = (r: VerifyReport, i: number) => r.signatures[i].changesAfter.map((c) => `${c.kind}${c.allowed ? '' : '!'}`);

const CASES: Case[] = [
  { file: 'dss-25sigs.pdf', verdicts: Array(25).fill(U), why: '25 intact signatures/timestamps; Nowina test CA (no basicConstraints) is no anchor; later revisions are only signatures, a doc timestamp and DSS', check: (r) => {
    expect(r.signatures[2].kind).toBe('doc-timestamp');
    for (const s of r.signatures) expect(s.changesAfter.every((c) => c.allowed)).toBe(true);
    expect(r.signatures[0].level).toBe('B-LT');
  } },
  { file: 'dss-BadEncodedCMS.pdf', verdicts: [U], why: 'DSS finds no signature (BouncyCastle cannot parse the padded serial INTEGER); we verify the bytes as encoded and stop at the untrusted chain', pdfsig: 'lists it as an unsigned field' },
  { file: 'dss-DSS1376-rev_n.pdf', verdicts: [U, U], why: 'certification P=2 + approval, both intact; the later form filling and signature are allowed under P=2', check: (r) => {
    expect(r.signatures[0].certification).toBe(2);
    expect(r.signatures[0].changesAfter.every((c) => c.allowed)).toBe(true);
    expect(kinds(r, 0)).toContain('form-fill');
  } },
  { file: 'dss-PAdES-LT.pdf', verdicts: [U, U, U, U], why: '3 signatures + 1 document timestamp, intact; issuers untrusted', check: (r) => expect(r.signatures[2].kind).toBe('doc-timestamp') },
  { file: 'dss-SHA3_256withRSA.pdf', verdicts: ['UNSUPPORTED'], why: 'RSA with SHA3-256: WebCrypto has no SHA-3, reported instead of guessed', pdfsig: 'Unknown Validation Failure' },
  { file: 'dss-Signature-P-HU_NET-2.pdf', verdicts: ['MALFORMED'], pdfsig: 'Unknown Validation Failure', why: 'DSS: not valid — SignerInfo.digestAlgorithm carries sha256WithRSAEncryption' },
  { file: 'dss-certified-changes-permitted.pdf', verdicts: [U], why: 'valid certification signature (the second field is unsigned); root-ca not an anchor', check: (r) => expect(r.unsignedFields).toEqual(['signature-test2']) },
  { file: 'dss-certified-no-change-permitted.pdf', verdicts: [U], why: 'certification P=1 covering the whole file', check: (r) => {
    expect(r.signatures[0].certification).toBe(1);
    expect(r.signatures[0].coversWholeDocument).toBe(true);
  } },
  { file: 'dss-doc-firmado-T.pdf', verdicts: [U], why: 'valid PAdES-T (Costa Rica root not an anchor)', check: (r) => expect(r.signatures[0].level).toBe('B-T') },
  { file: 'dss-edition_protected_signing_allowed_with_field_signed.pdf', verdicts: [U], why: 'intact, signed after AES encryption' },
  { file: 'dss-encrypted.pdf', verdicts: [U], why: 'intact, byte range valid; encrypted with the empty user password, so read decrypted', check: (r) => expect(r.signatures[0].field).toBe('Signature1') },
  { file: 'dss-hello_signed_INCSAVE_signed.pdf', verdicts: [U, U], why: '2 intact signatures; the second is an allowed change for the first', check: (r) => expect(kinds(r, 0)).toEqual(['signature']) },
  { file: 'dss-hello_signed_INCSAVE_signed_EDITED.pdf', verdicts: [U, 'MALFORMED'], pdfsig: 'sig2 Digest Mismatch — we stop earlier, at the /Contents that is not the gap', why: 'sig2 reuses sig1\'s /ByteRange: its /Contents is not the string left out (dictionary inconsistent)' },
  { file: 'dss-pades-5-signatures-and-1-document-timestamp.pdf', verdicts: Array(6).fill(U), why: 'signed attributes not DER-sorted: EU DSS rejects, NSS/OpenSSL and we verify the bytes as encoded (with a warning); Ukrainian roots untrusted', check: (r) => {
    expect(r.signatures[0].warnings.join(' ')).toMatch(/not in DER order/);
    expect(r.signatures[0].level).toBe('B-LTA');
  } },
  { file: 'dss-pades-bes-no-certificates.pdf', verdicts: ['MALFORMED'], pdfsig: 'Unknown Validation Failure', why: 'no certificate in the CMS: cannot be validated' },
  { file: 'dss-pades-lta-copied-doctst.pdf', verdicts: [U, 'INVALID_DIGEST'], pdfsig: "doc timestamp 'not yet verified' (poppler does not check RFC 3161 imprints)", why: 'the copied document timestamp\'s imprint does not match its byte range' },
  { file: 'dss-pades-spoofing-replaced-reason.pdf', verdicts: ['INVALID_MODIFIED'], why: '/Reason of the signature dictionary replaced in a later revision', pdfsig: 'Valid [partial]: pdfsig does no diff analysis', check: (r) => expect(kinds(r, 0)).toContain('signature-dict!') },
  { file: 'dss-pdf-byterange-overlap.pdf', verdicts: [U, 'MALFORMED'], pdfsig: 'sig2 Digest Mismatch — we stop earlier, at the byte range', why: 'sig2 /ByteRange overlaps: the gap is not exactly its /Contents string' },
  { file: 'dss-pdf-eof.pdf', verdicts: ['MALFORMED'], pdfsig: "'not yet verified'", why: '/ByteRange 1 byte past the end of the file' },
  { file: 'dss-pdf-signed-added-page.pdf', verdicts: ['INVALID_MODIFIED'], why: 'a page added after signing', pdfsig: 'Valid [partial]', check: (r) => expect(kinds(r, 0)).toContain('pages!') },
  { file: 'dss-pdf-signed-corrupted.pdf', verdicts: ['MALFORMED'], why: 'file shortened: /ByteRange past the end' },
  { file: 'dss-pdf-signed-original.pdf', verdicts: [U], why: 'valid; root-ca is a DSS test root, not an anchor' },
  { file: 'dss-pdf-signed-out-of-byteRange.pdf', verdicts: ['MALFORMED'], why: '/ByteRange beyond the end of the file' },
  { file: 'dss-pdf-spoofing-attack.pdf', verdicts: ['MALFORMED'], pdfsig: 'lists it as an unsigned field', why: 'the signature dictionary with this /Contents is not in the revision it signs (spoofed dictionary)' },
  { file: 'dss-pdf-with-empty-sig.pdf', verdicts: [], why: 'empty signature placeholder (/Contents all zeros) is an unsigned field', check: (r) => expect(r.unsignedFields).toEqual(['Signature1']) },
  { file: 'dss-pkcs7.pdf', verdicts: [U], why: 'valid PKCS7 with a signature timestamp (RootCAOK untrusted)' },
  { file: 'dss-pkcs7_sha1.pdf', verdicts: [U, U], why: 'adbe.pkcs7.sha1 + adbe.pkcs7.detached, both intact; iText\'s /ITXT on the page tree, XMP and /Info updates are inert', check: (r) => {
    expect(r.signatures[0].subFilter).toBe('adbe.pkcs7.sha1');
    expect(r.signatures[0].changesAfter.every((c) => c.allowed)).toBe(true);
  } },
  { file: 'dss-plain-ecdsa-TeleSec.pdf', verdicts: ['UNSUPPORTED'], pdfsig: 'Unknown Validation Failure', why: 'DSS: valid plain ECDSA — but on brainpoolP256r1, which WebCrypto does not offer (BSI plain-ECDSA itself is supported on NIST curves)' },
  { file: 'dss-shadow-hide.pdf', verdicts: ['INVALID_MODIFIED'], why: 'shadow attack (hide): page content object rewritten after signing', pdfsig: 'Valid [partial]', check: (r) => expect(kinds(r, 0)).toContain('page-content!') },
  { file: 'dss-shadow-replace.pdf', verdicts: ['INVALID_MODIFIED'], why: 'shadow attack (replace): a form field\'s appearance replaced with no new value', pdfsig: 'Valid [partial]' },
  { file: 'dss-siwa.pdf', verdicts: ['MALFORMED'], why: 'signature wrapping: the gap holds more than the /Contents hex string', pdfsig: 'Signature is Valid. — poppler checks only the digest of the ranges' },
  { file: 'dss-timestamped_and_signed.pdf', verdicts: [U, U], why: 'document timestamp then a signature, both valid; GlobalSign/Belgium roots not anchors', check: (r) => expect(r.signatures[0].kind).toBe('doc-timestamp') },
  { file: 'gen-poppler-signed-sig1-appended.pdf', verdicts: ['VALID_WITH_ALLOWED_CHANGES'], why: 'the appended update only replaces the document information dictionary (metadata: allowed, listed)', pdfsig: 'Valid [partial]', check: (r) => expect(kinds(r, 0)).toEqual(['metadata']) },
  { file: 'gen-poppler-signed-sig1-tampered.pdf', verdicts: ['INVALID_DIGEST'], why: 'one signed byte changed' },
  { file: 'gen-poppler-signed-sig1.pdf', verdicts: ['VALID'], why: 'trusted via corpus-test-root-ca.pem; the certificate names no revocation source (warned)', check: (r) => {
    expect(r.signatures[0].warnings.join(' ')).toMatch(/names no revocation source/);
    expect(r.signatures[0].coversWholeDocument).toBe(true);
  } },
  { file: 'nodesignpdf-signed-once.pdf', verdicts: ['VALID'], why: 'valid per node-signpdf; signed attributes not DER-sorted (warned)' },
  { file: 'nodesignpdf-signed-twice.pdf', verdicts: ['VALID_WITH_ALLOWED_CHANGES', U], why: 'sig1 trusted (self-signed anchor) with sig2 added after it; sig2 is made with another self-signed certificate that is no anchor' },
  { file: 'nodesignpdf-signed.pdf', verdicts: ['VALID'], why: 'valid per node-signpdf (self-signed anchor)' },
  { file: 'nodesignpdf-with-placeholder.pdf', verdicts: [], why: 'placeholder only: /ByteRange never filled', check: (r) => expect(r.unsignedFields).toEqual(['Signature1']) },
  { file: 'pdfjs-160F-2019.pdf', verdicts: [], why: 'UR3 usage-rights signature only, not a form-field signature' },
  { file: 'pdfjs-bug854315.pdf', verdicts: [U], why: 'real-world qualified signature (QuoVadis root not an anchor); non-minimal INTEGERs verified as encoded' },
  { file: 'pdfjs-signed_verified.pdf', verdicts: ['MALFORMED'], why: 'the /ByteRange gap is one byte short of the /Contents string: strict coverage rule', pdfsig: 'Digest Mismatch (pdf.js shows it verified)' },
  { file: 'pyhanko-certified-with-indirect-refs-in-dir.pdf', verdicts: ['REVOCATION_UNKNOWN'], why: 'valid and trusted at 2020-11-01; the certificate names a CRL and nothing is embedded, so offline the status is unknown — never VALID' },
  { file: 'pyhanko-coverage-signature-gap-too-big.pdf', verdicts: ['MALFORMED'], pdfsig: "'Signature is Valid.' [partial] — it checks the digest of whatever ranges are given", why: 'coverage UNCLEAR: gap wider than the /Contents string' },
  { file: 'pyhanko-coverage-tail-uncovered.pdf', verdicts: ['MALFORMED'], pdfsig: "'Signature is Valid.' [partial] — it does not require the range to end at a %%EOF", why: 'range does not end at a %%EOF: uncovered tail' },
  { file: 'pyhanko-ed448-shake256-nolen.pdf', verdicts: ['UNSUPPORTED'], pdfsig: 'Unknown Validation Failure', why: 'Ed448/SHAKE256: not in WebCrypto, reported instead of guessed' },
  { file: 'pyhanko-extensions-indirect-not-all-paths.pdf', verdicts: ['INVALID_MODIFIED', 'UNSUPPORTED'], why: 'sig1: the shared indirect /Extensions object modified later (pyHanko: SuspiciousModification); sig2 is Ed25519', pdfsig: 'sig1 Valid [partial]', check: (r) => expect(kinds(r, 0)).toContain('other!') },
  { file: 'pyhanko-form-update-override-appearance-stream-sneaky.pdf', verdicts: ['INVALID_MODIFIED', 'EXPIRED_AT_SIGNING'], why: 'sig1: the signed field\'s appearance object, also referenced from the catalog, is overwritten; Alice\'s certificate had expired when signing', pdfsig: 'sig1 Valid [partial]' },
  { file: 'pyhanko-form-update-override-appearance-stream.pdf', verdicts: ['EXPIRED_AT_SIGNING', 'EXPIRED_AT_SIGNING'], why: 'the change (signing the empty field, redrawing only its own appearance) is allowed; but Alice\'s certificate expired before the /M time (PDFBox agrees: "cert not valid at signingTime")', check: (r) => expect(r.signatures[0].changesAfter.every((c) => c.allowed)).toBe(true) },
  { file: 'pyhanko-minimal-two-fields-signed-twice.pdf', verdicts: ['VALID', 'VALID_WITH_ALLOWED_CHANGES'], why: 'two valid signatures by the trusted self-signed Lord Testerino (no revocation source named)' },
  { file: 'pyhanko-pades-lta-dss-indirect-arrs-test.pdf', verdicts: ['VALID', 'VALID'], why: 'PAdES-LTA: revocation from the DSS, signature timestamp, document timestamp', pdfsig: 'doc timestamp "not yet verified"', check: (r) => {
    expect(r.signatures[0].level).toBe('B-LTA');
    expect(r.signatures[0].signingTimeSource).toBe('timestamp');
    expect(r.signatures[0].revocation?.certificates.every((c) => c.source?.startsWith('embedded'))).toBe(true);
  } },
  { file: 'pyhanko-pdf-sig-with-econtent.pdf', verdicts: ['MALFORMED'], why: 'detached SubFilter with encapsulated content: rejected', pdfsig: 'Signature is Valid.' },
  { file: 'pyhanko-sig-no-signed-attrs.pdf', verdicts: ['REVOCATION_UNKNOWN'], why: 'signature without signed attributes verifies; trusted via the pyHanko test root, which names a CRL: unknown offline' },
  { file: 'pyhanko-sig-with-ski-sid.pdf', verdicts: ['REVOCATION_UNKNOWN'], why: 'SKI signer identifier resolved; same revocation note', pdfsig: 'Unknown Validation Failure (no SKI support)' },
  { file: 'pyhanko-signed-encrypted-pubkey-with-catalog-ref.pdf', verdicts: ['EXPIRED_AT_SIGNING'], pdfsig: 'pdfsig cannot open it (no Adobe.PubSec handler); the structure and the CMS need no decryption', why: 'public-key encrypted: /M cannot be read without the key, so the certificate is checked now, and it has expired' },
  { file: 'qpdf-digitally-signed.pdf', verdicts: [U], why: 'intact; self-signed John Doe not an anchor' },
  { file: 'qpdf-minimal-signed-restricted.pdf', verdicts: [U], why: 'Adobe Acrobat Sign certification P=1 on an encrypted file; Adobe root not an anchor', check: (r) => expect(r.signatures[0].certification).toBe(1) },
];

describe('corpus signed/ against EXPECTED.md', () => {
  it('covers every signed file', () => {
    const files = readdirSync(SIGNED).filter((f) => f.endsWith('.pdf')).sort();
    expect(CASES.map((c) => c.file).sort()).toEqual(files);
  });
  for (const c of CASES) {
    it(`${c.file}: ${c.verdicts.join(', ') || 'no signature'} — ${c.why}${c.pdfsig ? ` [differs from pdfsig — ${c.pdfsig.replace(/^pdfsig: /, '')}]` : ''}`, async () => {
      const r = await verifyPdf(new Uint8Array(readFileSync(join(SIGNED, c.file))), { trustAnchors: anchors });
      expect(r.signatures.map((s) => s.verdict), JSON.stringify(r.signatures.map((s) => [s.field, s.reasons]))).toEqual(c.verdicts);
      for (const s of r.signatures) {
        expect(s.summaryVi.length).toBeGreaterThan(10);
        if (s.verdict !== 'VALID' && s.verdict !== 'VALID_WITH_ALLOWED_CHANGES') expect(s.reasons.length).toBeGreaterThan(0);
      }
      c.check?.(r);
    });
  }
});

describe('corpus plain/ and malformed/: never a crash', () => {
  for (const d of ['plain', 'malformed']) {
    it(`${d}/: a report or a typed error for every file; no signature where there is none`, async () => {
      for (const f of readdirSync(join(CORPUS, d)).filter((x) => x.endsWith('.pdf'))) {
        try {
          const r = await verifyPdf(new Uint8Array(readFileSync(join(CORPUS, d, f))));
          // Two fuzzed files keep a damaged signature dictionary: it must not pass.
          for (const s of r.signatures) expect(s.verdict, f).toBe('MALFORMED');
        } catch (e) {
          expect(e, f).toBeInstanceOf(KysoError);
        }
      }
    });
  }
});
