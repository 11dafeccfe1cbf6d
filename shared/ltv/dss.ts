// PAdES B-LT (ETSI EN 319 142-1 §5.4): the Document Security Store. After the signature, an incremental update adds
// /DSS to the catalog with /Certs, /OCSPs and /CRLs (arrays of streams holding the DER) and a /VRI entry per
// signature, keyed by the uppercase hex SHA-1 of the signature's /Contents bytes (the whole hex string's bytes,
// zero padding included, as iText and pyHanko compute it), listing that signature's own material. An existing DSS
// is kept and extended. The signatures' bytes are untouched, so every earlier signature stays valid.

import { sha1 } from '@noble/hashes/legacy.js';
import { PdfReader } from '../pdf/reader.ts';
import { IncrementalWriter, flateStream } from '../pdf/writer.ts';
import { PdfDict, PdfName, PdfRef, PdfString, isRef, type PdfObject } from '../pdf/objects.ts';
import { parseCms } from '../pades/signed-data.ts';
import { OID } from '../pades/algorithms.ts';
import { buildChain, isSelfIssued, parseCertificate, type CertInfo } from '../pki/certificate.ts';
import { bytesEqual, rawOf, readDer, toHex } from '../pki/der.ts';
import { listFields } from '../sign/fields.ts';
import { openForSigning } from '../sign/sign-pdf.ts';
import { KysoError } from '../protocol/errors.ts';
import { checkRevocation, findIssuer, type RevocationOptions } from './revocation.ts';

export interface LtvMaterial {
  certs: Uint8Array[];
  ocsps: Uint8Array[];
  crls: Uint8Array[];
}

export interface PdfSignature {
  fieldName: string;
  /** 'Sig' or 'DocTimeStamp'. */
  type: string;
  subFilter?: string;
  /** The /Contents string's bytes, padding included (what the VRI key hashes). */
  contents: Uint8Array;
  /** The DER CMS (ContentInfo) cut from /Contents. */
  cms: Uint8Array;
  byteRange: number[];
}

/** Every signed signature field (document time-stamps included), in field order. */
export function pdfSignatures(pdf: Uint8Array | PdfReader): PdfSignature[] {
  const reader = pdf instanceof PdfReader ? pdf : PdfReader.open(pdf, { decrypt: true });
  const out: PdfSignature[] = [];
  for (const f of listFields(reader)) {
    if (f.type !== 'Sig') continue;
    const v = reader.resolveDict(f.dict.get('V'));
    const contents = v ? reader.resolve(v.get('Contents')) : undefined;
    if (!v || !(contents instanceof PdfString)) continue;
    let cms: Uint8Array;
    try {
      cms = rawOf(readDer(contents.bytes, true));
    } catch {
      continue;
    }
    out.push({
      fieldName: f.fullName,
      type: v.nameOf('Type') ?? 'Sig',
      subFilter: v.nameOf('SubFilter'),
      contents: contents.bytes,
      cms,
      byteRange: (reader.resolveArray(v.get('ByteRange')) ?? []).map((x) => reader.resolveNumber(x) ?? -1),
    });
  }
  return out;
}

/** Uppercase hex SHA-1 of the /Contents bytes: the signature's key in /VRI. */
export function vriKey(contents: Uint8Array): string {
  return toHex(sha1(contents));
}

function pushUnique(list: Uint8Array[], item: Uint8Array): void {
  if (!list.some((x) => bytesEqual(x, item))) list.push(item);
}

export interface CollectOptions extends RevocationOptions {
  /** Fail (REVOCATION_UNKNOWN) when some certificate's status cannot be found. Default true. */
  requireComplete?: boolean;
}

/**
 * Certificates and revocation data for a chain: from `leaf` up through `pool` (and the certificates' caIssuers URLs
 * when an issuer is missing), and for every certificate but the self-issued root an OCSP response or a CRL from
 * its own URLs. Problems (status unknown) are returned, not thrown.
 */
export async function collectChainMaterial(leaf: Uint8Array, pool: Uint8Array[], opts: RevocationOptions = {}): Promise<LtvMaterial & { problems: string[] }> {
  const out: LtvMaterial & { problems: string[] } = { certs: [], ocsps: [], crls: [], problems: [] };
  const infos: CertInfo[] = [];
  for (const d of pool) {
    try {
      infos.push(parseCertificate(d));
    } catch {
      /* skip */
    }
  }
  let chain = buildChain(parseCertificate(leaf), infos);
  // Issuers not in the pool: from each certificate's caIssuers (bounded).
  for (let guard = 0; guard < 5 && !isSelfIssued(chain[chain.length - 1]); guard++) {
    const top = chain[chain.length - 1];
    const issuer = await findIssuer(top, [], opts);
    if (!issuer) break;
    infos.push(parseCertificate(issuer));
    chain = buildChain(parseCertificate(leaf), infos);
  }
  for (const c of chain) pushUnique(out.certs, c.der);
  for (let i = 0; i < chain.length; i++) {
    const c = chain[i];
    if (isSelfIssued(c)) continue;
    const issuer = chain[i + 1];
    if (!issuer) {
      out.problems.push(`${c.subjectString}: issuer certificate not found`);
      continue;
    }
    const r = await checkRevocation(c.der, issuer.der, opts);
    if (r.ocspResponse) pushUnique(out.ocsps, r.ocspResponse);
    if (r.crl) pushUnique(out.crls, r.crl);
    for (const rc of r.responderCertificates) pushUnique(out.certs, rc);
    if (r.status === 'unknown') out.problems.push(`${c.subjectString}: ${r.problems.join('; ')}`);
    else if (r.status === 'revoked') out.problems.push(`${c.subjectString}: revoked${r.revokedAt ? ` on ${r.revokedAt.toISOString()}` : ''}`);
  }
  return out;
}

/** The time-stamp tokens a CMS carries as signature-time-stamp unsigned attributes. */
export function signatureTimestampTokens(cms: Uint8Array): Uint8Array[] {
  return parseCms(cms).signer.unsignedAttributes.filter((a) => a.oid === OID.signatureTimeStampToken).flatMap((a) => a.values);
}

/** Material for one signature: its signer's chain, and the chain of each TSA that time-stamped it. */
export async function collectSignatureMaterial(sig: PdfSignature, opts: RevocationOptions = {}): Promise<LtvMaterial & { problems: string[] }> {
  const tokens = sig.type === 'DocTimeStamp' || sig.subFilter === 'ETSI.RFC3161' ? [sig.cms] : [sig.cms, ...signatureTimestampTokens(sig.cms)];
  const all: LtvMaterial & { problems: string[] } = { certs: [], ocsps: [], crls: [], problems: [] };
  for (const t of tokens) {
    const cms = parseCms(t);
    if (!cms.signerCertificate) {
      all.problems.push(`${sig.fieldName}: the signer's certificate is not in the CMS`);
      continue;
    }
    const m = await collectChainMaterial(cms.signerCertificate, cms.certificates, opts);
    m.certs.forEach((x) => pushUnique(all.certs, x));
    m.ocsps.forEach((x) => pushUnique(all.ocsps, x));
    m.crls.forEach((x) => pushUnique(all.crls, x));
    all.problems.push(...m.problems);
  }
  return all;
}

/**
 * Adds (or extends) the DSS in one incremental update: the union of `entries`' material in /Certs, /OCSPs, /CRLs,
 * and one /VRI entry per signature. Streams already in the DSS are reused, not duplicated.
 */
export function writeDss(pdf: Uint8Array, entries: { contents: Uint8Array; material: LtvMaterial }[]): Uint8Array {
  const reader = openForSigning(pdf);
  const writer = new IncrementalWriter(reader);
  const rootRef = reader.trailer.get('Root');
  if (!isRef(rootRef)) throw new KysoError('PDF_INVALID', 'The trailer /Root is not a reference.');
  const oldDssObj = reader.catalog.get('DSS');
  const oldDss = reader.resolveDict(oldDssObj);
  const dss = oldDss?.clone() ?? new PdfDict({ Type: PdfName.of('DSS') });

  type Pool = { refs: PdfObject[]; bytes: (Uint8Array | null)[] };
  const pools: Record<'Certs' | 'OCSPs' | 'CRLs', Pool> = { Certs: { refs: [], bytes: [] }, OCSPs: { refs: [], bytes: [] }, CRLs: { refs: [], bytes: [] } };
  for (const key of ['Certs', 'OCSPs', 'CRLs'] as const) {
    for (const r of reader.resolveArray(dss.get(key)) ?? []) {
      const s = reader.resolveStream(r);
      let b: Uint8Array | null = null;
      try {
        b = s ? reader.decodeStream(s) : null;
      } catch {
        b = null;
      }
      pools[key].refs.push(r);
      pools[key].bytes.push(b);
    }
  }
  const refFor = (key: 'Certs' | 'OCSPs' | 'CRLs', data: Uint8Array): PdfObject => {
    const p = pools[key];
    const i = p.bytes.findIndex((b) => b !== null && bytesEqual(b, data));
    if (i >= 0) return p.refs[i];
    const ref = writer.alloc();
    writer.put(ref, flateStream(new PdfDict(), data));
    p.refs.push(ref);
    p.bytes.push(data);
    return ref;
  };

  const vri = reader.resolveDict(dss.get('VRI'))?.clone() ?? new PdfDict();
  for (const e of entries) {
    const entry = new PdfDict();
    const certs = e.material.certs.map((c) => refFor('Certs', c));
    const ocsps = e.material.ocsps.map((c) => refFor('OCSPs', c));
    const crls = e.material.crls.map((c) => refFor('CRLs', c));
    if (certs.length) entry.set('Cert', certs);
    if (ocsps.length) entry.set('OCSP', ocsps);
    if (crls.length) entry.set('CRL', crls);
    vri.set(vriKey(e.contents), entry);
  }
  for (const key of ['Certs', 'OCSPs', 'CRLs'] as const) if (pools[key].refs.length) dss.set(key, pools[key].refs);
  dss.set('VRI', vri);

  if (isRef(oldDssObj)) writer.put(oldDssObj as PdfRef, dss);
  else {
    const dssRef = writer.alloc();
    writer.put(dssRef, dss);
    const cat = reader.catalog.clone();
    cat.set('DSS', dssRef);
    writer.put(rootRef, cat);
  }
  return writer.save().bytes;
}

export interface AddLtvOptions extends CollectOptions {
  /** Only these fields; default every signature and document time-stamp in the file. */
  fields?: string[];
}

/**
 * B-LT for a signed PDF: fetches and checks the revocation data of every signature's chain and its TSAs' chains,
 * and adds them as a DSS in one incremental update. With requireComplete (default), a certificate whose status
 * cannot be found fails with REVOCATION_UNKNOWN, and a revoked one with CERT_REVOKED; nothing is written then.
 */
export async function addLtv(pdf: Uint8Array, opts: AddLtvOptions = {}): Promise<{ pdf: Uint8Array; problems: string[]; signatures: string[] }> {
  const sigs = pdfSignatures(pdf).filter((s) => !opts.fields || opts.fields.includes(s.fieldName));
  if (sigs.length === 0) throw new KysoError('INVALID_ARGUMENT', 'No signature to add validation data for.');
  const entries: { contents: Uint8Array; material: LtvMaterial }[] = [];
  const problems: string[] = [];
  for (const s of sigs) {
    const m = await collectSignatureMaterial(s, opts);
    problems.push(...m.problems.map((p) => `${s.fieldName}: ${p}`));
    entries.push({ contents: s.contents, material: m });
  }
  if (opts.requireComplete !== false && problems.length) {
    const revoked = problems.find((p) => /: revoked/.test(p));
    if (revoked) throw new KysoError('CERT_REVOKED', revoked, { reason: revoked });
    throw new KysoError('REVOCATION_UNKNOWN', problems.join('; '), { reason: problems.join('; ') });
  }
  return { pdf: writeDss(pdf, entries), problems, signatures: sigs.map((s) => s.fieldName) };
}
