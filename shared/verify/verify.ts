// verifyPdf: every signed signature field of a PDF checked end to end — byte range, digest, CMS signature, signed
// attributes, timestamps, chain to a trust anchor, validity at signing time, revocation, and what changed after
// each signature under the DocMDP rule in force. Bytes in, report out: no DOM, no file system.

import { PdfReader } from '../pdf/reader.ts';
import { PdfDict, PdfRef, PdfString } from '../pdf/objects.ts';
import { listFields } from '../sign/fields.ts';
import { bytesEqual, concatBytes, rawOf, readDer, toHex } from '../pki/der.ts';
import { canSign, pemToDer, type CertInfo } from '../pki/certificate.ts';
import { BUNDLED_ANCHORS } from './anchors.ts';
import { hashBytes } from './algorithms.ts';
import { checkByteRange } from './byte-range.ts';
import { buildChainWithAia, buildTrustedChain, invalidAt, parseAll, type ChainResult } from './chain.ts';
import { OIDS, verifyCms, type CmsCheck } from './cms.ts';
import { diffAfter } from './diff.ts';
import { certificationLevel, docMdpSignatureRef, fieldMdpLocks, judge, type DocMdpP } from './docmdp.ts';
import { adobeRevocationInfo, readDss } from './dss.ts';
import { checkChainRevocation, parseRevocationData } from './revocation.ts';
import { openForVerify } from './open.ts';
import { summaryVi } from './summary.ts';
import { verifyTimestampToken } from './timestamp.ts';
import type { Level, SignatureReport, Verdict, VerifyOptions, VerifyReport } from './types.ts';

export function anchorsFrom(list: Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const b of list) {
    const head = new TextDecoder().decode(b.subarray(0, Math.min(b.length, 64)));
    if (head.includes('-----BEGIN')) out.push(...pemToDer(new TextDecoder().decode(b)));
    else out.push(b);
  }
  return out;
}

export function bundledAnchors(): Uint8Array[] {
  return Object.values(BUNDLED_ANCHORS).flatMap((pem) => pemToDer(pem));
}

/** PDF date "D:YYYYMMDDHHmmSSOHH'mm'" → Date. */
export function parsePdfDate(s: string | undefined): Date | undefined {
  if (!s) return undefined;
  const m = /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?'?/.exec(s.trim());
  if (!m) return undefined;
  let t = Date.UTC(+m[1], m[2] ? +m[2] - 1 : 0, m[3] ? +m[3] : 1, m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0);
  if (m[7] === '+' || m[7] === '-') t -= (m[7] === '-' ? -1 : 1) * ((m[8] ? +m[8] : 0) * 60 + (m[9] ? +m[9] : 0)) * 60000;
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** The DER CMS at the start of /Contents, without the zero padding (cut at the outer SEQUENCE's length). */
function cmsOf(contents: PdfString): Uint8Array | undefined {
  const b = contents.bytes;
  if (b.length < 2 || b[0] !== 0x30) return undefined;
  let len: number;
  let head = 2;
  if (b[1] < 0x80) len = b[1];
  else {
    const n = b[1] & 0x7f;
    if (n === 0 || n > 4) {
      try {
        return rawOf(readDer(b, true)); // indefinite length (BER): let the parser find the end
      } catch {
        return undefined;
      }
    }
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[2 + i];
    head = 2 + n;
  }
  return head + len <= b.length ? b.slice(0, head + len) : undefined; // a copy: asn1js reads views from offset 0 of their buffer
}

const CMS_VERDICT: Record<string, Verdict> = {
  malformed: 'MALFORMED',
  'no-certificate': 'MALFORMED',
  'digest-mismatch': 'INVALID_DIGEST',
  'bad-signature': 'INVALID_SIGNATURE',
  unsupported: 'UNSUPPORTED',
};

interface SigEntry {
  field: string;
  ref?: PdfRef;
  dict: PdfDict;
  fieldDict: PdfDict;
}

export async function verifyPdf(bytes: Uint8Array, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const reader = openForVerify(bytes);
  const revisions = reader.revisions();
  const dss = readDss(reader);
  const anchorDers = [...(opts.bundledAnchors === false ? [] : bundledAnchors()), ...anchorsFrom(opts.trustAnchors ?? [])];
  const anchors = parseAll(anchorDers);
  const now = opts.now ?? new Date();
  const fetchCache = new Map<string, Promise<Uint8Array | null>>();
  // Each signed revision opened once, as its own file.
  const prefixes = new Map<number, PdfReader>();
  const openPrefix = (end: number): PdfReader => {
    let r = prefixes.get(end);
    if (!r) prefixes.set(end, (r = openForVerify(bytes.subarray(0, end))));
    return r;
  };
  const embedded = parseRevocationData({ ocsps: dss.ocsps, crls: dss.crls, certs: dss.certs });

  // Bytes after the last %%EOF that belong to no revision: nothing a signature covers, nothing a diff can judge.
  const lastEnd = revisions.length ? revisions[revisions.length - 1].eofOffset : bytes.length;
  let tailJunk = 0;
  for (let i = lastEnd; i < bytes.length; i++) if (![0x0a, 0x0d, 0x20, 0x09, 0x00, 0x0c].includes(bytes[i])) tailJunk++;

  const unsignedFields: string[] = [];
  const sigs: SigEntry[] = [];
  for (const f of listFields(reader)) {
    if (f.type !== 'Sig') continue;
    const v = f.dict.get('V');
    const d = reader.resolveDict(v);
    if (!d || isPlaceholder(reader, d)) unsignedFields.push(f.fullName);
    else sigs.push({ field: f.fullName, ref: v instanceof PdfRef ? v : undefined, dict: d, fieldDict: f.dict });
  }

  // The certification signature (DocMDP) and the revision it starts from.
  const mdpRef = docMdpSignatureRef(reader);
  const ranges = sigs.map((s) => checkByteRange(bytes, reader.resolveArray(s.dict.get('ByteRange')), reader.resolve(s.dict.get('Contents')), revisions));
  let certP: DocMdpP | undefined;
  let certEnd = Infinity;
  sigs.forEach((s, i) => {
    const p = certificationLevel(reader, s.dict);
    const isPerms = s.ref && mdpRef === `${s.ref.num} ${s.ref.gen}`;
    if ((p !== undefined || isPerms) && ranges[i].end >= 0 && ranges[i].end < certEnd) {
      certP = p ?? 2;
      certEnd = ranges[i].end;
    }
  });

  // Document timestamps, for levels: the revision end each one covers, and whether that revision had a DSS.
  const docTs: { end: number; dssBefore: boolean }[] = [];
  sigs.forEach((s, i) => {
    const isTs = s.dict.nameOf('Type') === 'DocTimeStamp' || reader.resolveName(s.dict.get('SubFilter')) === 'ETSI.RFC3161';
    if (isTs && ranges[i].end > 0 && ranges[i].problems.length === 0) {
      let dssBefore = false;
      try {
        dssBefore = openPrefix(ranges[i].end).catalog.has('DSS');
      } catch {
        /* ignored */
      }
      docTs.push({ end: ranges[i].end, dssBefore });
    }
  });

  const out: SignatureReport[] = [];
  for (let i = 0; i < sigs.length; i++) {
    out.push(await verifyOne(sigs[i], ranges[i]));
  }
  return { signatures: out, unsignedFields };

  async function verifyOne(s: SigEntry, range: ReturnType<typeof checkByteRange>): Promise<SignatureReport> {
    const subFilter = reader.resolveName(s.dict.get('SubFilter'));
    const isTs = s.dict.nameOf('Type') === 'DocTimeStamp' || subFilter === 'ETSI.RFC3161';
    const rep: SignatureReport = {
      field: s.field,
      kind: isTs ? 'doc-timestamp' : 'signature',
      subFilter,
      signingTimeSource: 'none',
      verdict: 'VALID',
      coversWholeDocument: range.coversWholeDocument,
      byteRange: range.byteRange,
      changesAfter: [],
      reasons: [],
      warnings: [],
      chain: [],
      summaryVi: '',
    };
    const finish = (v: Verdict, reason?: string): SignatureReport => {
      rep.verdict = v;
      if (reason) rep.reasons.push(reason);
      rep.summaryVi = summaryVi(rep);
      return rep;
    };
    const p = certificationLevel(reader, s.dict);
    if (p !== undefined) rep.certification = p;
    const contents = reader.resolve(s.dict.get('Contents'));
    const der = contents instanceof PdfString ? cmsOf(contents) : undefined;
    const claimed = parsePdfDate((reader.resolve(s.dict.get('M')) as PdfString | null)?.decodeText?.());

    // Who signed, even when the rest fails.
    let cmsCheck: CmsCheck | undefined;
    let tsCheck: Awaited<ReturnType<typeof verifyTimestampToken>> | undefined;
    if (range.problems.length) {
      if (der) {
        const c = await verifyCms(der, new Uint8Array(0), dss.certs).catch(() => undefined);
        if (c?.signer) rep.signer = signerOf(c.signer);
      }
      return finish('MALFORMED', range.problems.join('; '));
    }
    if (!der) return finish('MALFORMED', '/Contents does not hold a DER CMS');
    if (!inSignedRevision(openPrefix, range.end, s.ref, contents as PdfString)) return finish('MALFORMED', 'the signature dictionary with this /Contents is not part of the revision it signs');
    if (reader.encryption && !reader.decrypting) rep.warnings.push('the document is encrypted with a key we do not have: strings such as /M and field names are shown as stored');
    const [, b, c, d] = range.byteRange!;
    const signed = concatBytes(bytes.subarray(0, b), bytes.subarray(c, c + d));

    let signer: CertInfo | undefined;
    let pool: Uint8Array[] = [];
    let revExtra = { ocsps: [] as Uint8Array[], crls: [] as Uint8Array[] };
    if (isTs) {
      tsCheck = await verifyTimestampToken(der, signed, dss.certs);
      rep.warnings.push(...tsCheck.warnings);
      signer = tsCheck.tsa;
      if (signer) rep.signer = signerOf(signer);
      if (tsCheck.time) {
        rep.signingTime = tsCheck.time.toISOString();
        rep.signingTimeSource = 'timestamp';
      }
      pool = tsCheck.cms?.cms?.certificates ?? [];
      if (tsCheck.status !== 'ok') {
        const v: Verdict = tsCheck.status === 'bad-imprint' ? 'INVALID_DIGEST' : tsCheck.status === 'bad-signature' ? 'INVALID_SIGNATURE' : tsCheck.status === 'unsupported' ? 'UNSUPPORTED' : 'MALFORMED';
        return finish(v, tsCheck.reason);
      }
    } else {
      if (subFilter === 'adbe.pkcs7.sha1') {
        cmsCheck = await verifyCms(der, undefined, dss.certs);
        if (cmsCheck.status === 'ok' && cmsCheck.eContent && !bytesEqual(cmsCheck.eContent, await hashBytes('SHA-1', signed))) {
          cmsCheck = { ...cmsCheck, status: 'digest-mismatch', reason: 'the SHA-1 digest inside the CMS does not match the signed bytes' };
        }
        rep.warnings.push('adbe.pkcs7.sha1: legacy SubFilter with a SHA-1 document digest');
      } else if (subFilter === 'adbe.pkcs7.detached' || subFilter === 'ETSI.CAdES.detached') {
        cmsCheck = await verifyCms(der, signed, dss.certs);
        if (cmsCheck.cms?.hasEContent) cmsCheck = { ...cmsCheck, status: 'malformed', reason: `${subFilter} is detached but the CMS encapsulates content` };
      } else {
        return finish('UNSUPPORTED', `SubFilter ${subFilter ?? '(none)'} is not supported`);
      }
      rep.warnings.push(...cmsCheck.warnings);
      signer = cmsCheck.signer;
      if (signer) rep.signer = signerOf(signer);
      if (cmsCheck.status !== 'ok') return finish(CMS_VERDICT[cmsCheck.status] ?? 'MALFORMED', cmsCheck.reason);
      const cms = cmsCheck.cms!;
      pool = cms.certificates;
      revExtra = adobeRevocationInfo(cms);
      if (subFilter === 'ETSI.CAdES.detached' && !cms.signer.signedAttributes.some((a) => a.oid === OIDS.signingCertificateV2 || a.oid === OIDS.signingCertificate)) {
        rep.warnings.push('ETSI.CAdES.detached without a signing-certificate(-v2) attribute');
      }
      if (cms.signer.signedAttributes.some((a) => a.oid === OIDS.signingTime) && subFilter === 'ETSI.CAdES.detached') rep.warnings.push('signing-time signed attribute present (PAdES puts the time in /M)');
      // Signature timestamp (B-T).
      const tsAttr = cms.signer.unsignedAttributes.find((a) => a.oid === OIDS.signatureTimeStamp);
      if (tsAttr?.values[0]) {
        const t = await verifyTimestampToken(tsAttr.values[0], cms.signer.signature, dss.certs);
        let trusted = false;
        if (t.status === 'ok' && t.tsa) {
          const tsaChain = await buildTrustedChain(t.tsa, parseAll([...(t.cms?.cms?.certificates ?? []), ...dss.certs]), anchors);
          trusted = tsaChain.trusted && !invalidAt(tsaChain.chain, t.time!);
          if (!trusted) rep.warnings.push(`signature timestamp by "${t.tsa.subject.CN ?? t.tsa.subjectString}" is not from a trusted TSA; its time is not relied on`);
        } else rep.warnings.push(`signature timestamp does not verify: ${t.reason}`);
        rep.timestamp = { time: t.time?.toISOString() ?? '', tsa: t.tsa?.subject.CN ?? t.tsa?.subjectString, valid: t.status === 'ok', trusted };
        if (t.status === 'ok' && trusted && t.time) {
          rep.signingTime = t.time.toISOString();
          rep.signingTimeSource = 'timestamp';
        }
      }
    }
    if (rep.signingTimeSource === 'none') {
      if (claimed) {
        rep.signingTime = claimed.toISOString();
        rep.signingTimeSource = 'claimed';
        rep.warnings.push('signing time is the claimed /M of the signature dictionary, not proven by a timestamp');
      } else {
        rep.signingTime = now.toISOString();
        rep.warnings.push('no signing time: certificates checked at the current time');
      }
    }
    const at = new Date(rep.signingTime!);

    // Changes after the signed revision.
    let p2: DocMdpP | undefined = range.end >= certEnd ? certP : undefined;
    if (rep.certification !== undefined) p2 = rep.certification;
    try {
      rep.changesAfter = judge(diffAfter(bytes, range.end, reader, openPrefix), p2, fieldMdpLocks(reader, s.dict, s.fieldDict));
    } catch (e) {
      return finish('MALFORMED', `the signed revision cannot be read: ${(e as Error).message}`);
    }
    if (range.coversWholeDocument) rep.changesAfter = [];
    if (tailJunk > 0 && range.end < bytes.length) rep.changesAfter.push({ kind: 'other', detail: `${tailJunk} bytes after the last %%EOF belong to no revision`, allowed: false });

    // Level as found.
    if (!isTs) {
      let level: Level = 'B-B';
      const laterTs = docTs.filter((t) => t.end > range.end);
      if (rep.timestamp?.valid || laterTs.length) level = 'B-T';
      if (level === 'B-T' && dss.present && dss.ocsps.length + dss.crls.length > 0) level = 'B-LT';
      if (level === 'B-LT' && laterTs.some((t) => t.dssBefore)) level = 'B-LTA';
      rep.level = level;
    }

    // Chain.
    const poolCerts = parseAll([...pool, ...dss.certs]);
    const chain: ChainResult & { fetched?: number } = await buildChainWithAia(signer!, poolCerts, anchors, opts.fetch);
    if (chain.fetched) rep.warnings.push(`${chain.fetched} issuer certificate(s) fetched from the URLs the certificates name (caIssuers)`);
    rep.chain = chain.chain.map((x) => ({ subject: x.subjectString, issuer: x.issuerString, serial: x.serialNumber, notBefore: x.notBefore.toISOString(), notAfter: x.notAfter.toISOString() }));
    if (!canSign(signer!)) rep.warnings.push('the signer certificate has no digitalSignature/nonRepudiation key usage');
    if (isTs && signer && !(signer.extendedKeyUsage ?? []).includes('1.3.6.1.5.5.7.3.8')) rep.warnings.push('the TSA certificate lacks id-kp-timeStamping');

    const modified = rep.changesAfter.filter((x) => !x.allowed);
    if (modified.length) return finish('INVALID_MODIFIED', `changed after signing: ${modified.map((x) => x.detail).join('; ')}`);
    if (!chain.trusted) return finish('UNTRUSTED_CHAIN', chain.reason);
    // The anchor is a trusted key, not a certificate to judge (a re-issued root may postdate older signatures);
    // a self-signed signer that is itself the anchor is still checked.
    const bad = invalidAt(chain.chain.length > 1 ? chain.chain.slice(0, -1) : chain.chain, at);
    if (bad) return finish('EXPIRED_AT_SIGNING', `"${bad.cert.subject.CN ?? bad.cert.subjectString}" is ${bad.why} at ${at.toISOString()}`);

    const rev = await checkChainRevocation(
      chain.chain,
      at,
      rep.signingTimeSource === 'timestamp',
      { ocsps: [...embedded.ocsps, ...parseRevocationData({ ocsps: revExtra.ocsps, crls: [], certs: [] }).ocsps], crls: [...embedded.crls, ...parseRevocationData({ ocsps: [], crls: revExtra.crls, certs: [] }).crls], certs: [...pool, ...dss.certs] },
      opts.fetch,
      fetchCache,
    );
    rep.warnings.push(...rev.warnings);
    // B-LT means validation data for this signature: its VRI entry, or its chain's revocation found embedded.
    if ((rep.level === 'B-LT' || rep.level === 'B-LTA') && dss.vriKeys.length && !rev.embeddedComplete) {
      const keys = [toHex(await hashBytes('SHA-1', (contents as PdfString).bytes)), toHex(await hashBytes('SHA-1', der))];
      if (!keys.some((k) => dss.vriKeys.includes(k))) rep.level = 'B-T';
    }
    rep.revocation = { status: rev.status, certificates: rev.certificates.map((x) => ({ subject: x.subject, status: x.status, source: x.source, reason: x.reason })) };
    if (rev.status === 'revoked') return finish('REVOKED', rev.certificates.filter((x) => x.status === 'revoked').map((x) => `"${x.subject}" ${x.reason}`).join('; '));
    if (rev.status === 'unknown') return finish('REVOCATION_UNKNOWN', rev.certificates.filter((x) => x.status === 'unknown').map((x) => `"${x.subject}": ${x.reason}`).join('; '));
    const substantive = rep.changesAfter.filter((x) => x.kind !== 'dss' && x.kind !== 'doc-timestamp');
    return finish(substantive.length ? 'VALID_WITH_ALLOWED_CHANGES' : 'VALID');
  }
}

/** A field prepared for signing but never signed: /Contents all zeros, or a /ByteRange still holding placeholders. */
function isPlaceholder(reader: PdfReader, d: PdfDict): boolean {
  const c = reader.resolve(d.get('Contents'));
  if (c instanceof PdfString && c.bytes.every((x) => x === 0)) return true;
  const br = reader.resolveArray(d.get('ByteRange'));
  return !br || !br.some((x) => typeof reader.resolve(x) === 'number' && (reader.resolve(x) as number) > 0);
}

/** The signature dictionary must already be in the revision it signs, with the same /Contents. */
function inSignedRevision(open: (end: number) => PdfReader, end: number, ref: PdfRef | undefined, contents: PdfString): boolean {
  if (!ref) return true;
  try {
    const old = open(end);
    const d = old.resolveDict(old.getObject(ref));
    const c = d ? old.resolve(d.get('Contents')) : undefined;
    return c instanceof PdfString && bytesEqual(c.bytes, contents.bytes);
  } catch {
    return false;
  }
}

function signerOf(c: CertInfo): { name: string; issuer: string; serial: string } {
  return { name: c.subject.CN ?? c.subjectString, issuer: c.issuer.CN ?? c.issuerString, serial: c.serialNumber };
}
