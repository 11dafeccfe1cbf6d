// The Document Security Store (ISO 32000-2 §12.8.4.3, PAdES B-LT): certificates, OCSP responses and CRLs stored in
// the document, and the VRI entries that tie them to signatures.

import type { PdfReader } from '../pdf/reader.ts';
import { PdfStream } from '../pdf/objects.ts';
import { childrenOf, contentOf, isContext, readDer, rawOf } from '../pki/der.ts';
import type { ParsedCms } from '../pades/signed-data.ts';
import { OIDS } from './cms.ts';

export interface Dss {
  present: boolean;
  certs: Uint8Array[];
  ocsps: Uint8Array[];
  crls: Uint8Array[];
  /** Upper-case hex SHA-1 keys of the VRI dictionary. */
  vriKeys: string[];
}

function streams(reader: PdfReader, o: unknown): Uint8Array[] {
  const arr = reader.resolveArray(o as never) ?? [];
  const out: Uint8Array[] = [];
  for (const x of arr.slice(0, 10_000)) {
    const s = reader.resolve(x);
    if (!(s instanceof PdfStream)) continue;
    try {
      out.push(reader.decodeStream(s));
    } catch {
      /* unreadable stream: ignored */
    }
  }
  return out;
}

export function readDss(reader: PdfReader): Dss {
  const dss = reader.resolveDict(reader.catalog.get('DSS'));
  if (!dss) return { present: false, certs: [], ocsps: [], crls: [], vriKeys: [] };
  const out: Dss = { present: true, certs: streams(reader, dss.get('Certs')), ocsps: streams(reader, dss.get('OCSPs')), crls: streams(reader, dss.get('CRLs')), vriKeys: [] };
  const vri = reader.resolveDict(dss.get('VRI'));
  if (vri) {
    for (const [k, v] of vri.map) {
      out.vriKeys.push(k.toUpperCase());
      const e = reader.resolveDict(v);
      if (!e) continue;
      out.certs.push(...streams(reader, e.get('Cert')));
      out.ocsps.push(...streams(reader, e.get('OCSP')));
      out.crls.push(...streams(reader, e.get('CRL')));
    }
  }
  return out;
}

/** Adobe's revocationInfoArchival signed attribute: { crl [0] SEQUENCE OF CRL, ocsp [1] SEQUENCE OF OCSPResponse }. */
export function adobeRevocationInfo(cms: ParsedCms): { crls: Uint8Array[]; ocsps: Uint8Array[] } {
  const out = { crls: [] as Uint8Array[], ocsps: [] as Uint8Array[] };
  for (const a of cms.signer.signedAttributes) {
    if (a.oid !== OIDS.adbeRevocation || !a.values[0]) continue;
    try {
      for (const f of childrenOf(readDer(a.values[0]))) {
        const seq = childrenOf(f)[0];
        const items = seq ? childrenOf(seq).map(rawOf) : [];
        if (isContext(f, 0)) out.crls.push(...items);
        else if (isContext(f, 1)) out.ocsps.push(...items);
      }
    } catch {
      /* ignored */
    }
  }
  void contentOf;
  return out;
}
