// Files signed by our own engine (signPdf + the software signer over the test PKI), verified with the test root as
// the anchor: valid online (the test OCSP responder of the vitest global setup), REVOCATION_UNKNOWN offline, and
// tampered variants — a signed byte flipped, the signature value altered, page content replaced, an annotation or
// a page added, a second signature, a revoked signer, no anchor.

import crypto from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadFonts } from '../../native-host/assets.ts';
import { makeVnDocument } from '../../scripts/samples/vn-document.ts';
import { PdfReader } from '../../shared/pdf/reader.ts';
import { IncrementalWriter } from '../../shared/pdf/writer.ts';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfObject } from '../../shared/pdf/objects.ts';
import { signPdf } from '../../shared/sign/sign-pdf.ts';
import type { DigestSigner } from '../../shared/pades/index.ts';
import { verifyPdf } from '../../shared/verify/verify.ts';
import { isAllowed, isLocked, judge } from '../../shared/verify/docmdp.ts';
import type { VerifyOptions } from '../../shared/verify/types.ts';
import { PKI, requireFixtures, softwareSigner } from '../helpers/pki.ts';
import { signDigestWithKey } from '../pades/helpers.ts';
import { CORPUS } from '../pdf/helpers.ts';
import { ensureResponders, testFetch } from './responders.ts';

const n = PdfName.of;
let root: Uint8Array;
let signed: Uint8Array;
let online: VerifyOptions;
let offline: VerifyOptions;

async function sign(input: Uint8Array, signer: DigestSigner, docNumber = '12/UBND'): Promise<Uint8Array> {
  return (await signPdf(input, { mode: 'appendix', docNumber }, signer, { fonts: loadFonts() })).pdf;
}

/** An incremental update made with our writer: `edit` puts objects, gets the reader of the input. */
function update(input: Uint8Array, edit: (r: PdfReader, w: IncrementalWriter) => void): Uint8Array {
  const r = PdfReader.open(input);
  const w = new IncrementalWriter(r);
  edit(r, w);
  return w.save().bytes;
}

function withAnnotation(input: Uint8Array): Uint8Array {
  return update(input, (r, w) => {
    const page = r.getPage(0);
    const annot = w.alloc();
    w.put(annot, new PdfDict({ Type: n('Annot'), Subtype: n('Text'), Rect: [100, 100, 120, 120], Contents: PdfString.text('Ghi chú'), P: page.ref }));
    const old = r.resolveArray(page.dict.get('Annots')) ?? [];
    const d = page.dict.clone();
    d.set('Annots', [...(old as PdfObject[]), annot]);
    w.put(page.ref, d);
  });
}

beforeEach(ensureResponders);

beforeAll(() => {
  requireFixtures();
  root = new Uint8Array(readFileSync(join(PKI, 'root.cert.der')));
  online = { trustAnchors: [root], fetch: testFetch };
  offline = { trustAnchors: [root] };
});

describe('signatures made by KýSố', () => {
  beforeAll(async () => {
    signed = await sign(makeVnDocument({ markers: true }), softwareSigner('leader'));
  });

  it('valid with the test root, revocation from the test OCSP responder', async () => {
    const r = await verifyPdf(signed, online);
    expect(r.signatures).toHaveLength(1);
    const s = r.signatures[0];
    expect(s.verdict, s.reasons.join()).toBe('VALID');
    expect(s.coversWholeDocument).toBe(true);
    expect(s.level).toBe('B-B');
    expect(s.signer?.name).toBe('Nguyễn Văn Thành');
    expect(s.signingTimeSource).toBe('claimed');
    expect(s.revocation?.certificates[0]).toMatchObject({ status: 'good', source: 'online-ocsp' });
    expect(s.chain.length).toBe(3);
    expect(s.summaryVi).toMatch(/^Chữ ký của Nguyễn Văn Thành hợp lệ/);
  });

  it('offline: REVOCATION_UNKNOWN, because the certificate names an OCSP responder', async () => {
    const s = (await verifyPdf(signed, offline)).signatures[0];
    expect(s.verdict).toBe('REVOCATION_UNKNOWN');
    expect(s.reasons.join()).toMatch(/online checks are off/);
  });

  it('without the test root: UNTRUSTED_CHAIN (only the bundled Vietnamese roots are trusted)', async () => {
    expect((await verifyPdf(signed, {})).signatures[0].verdict).toBe('UNTRUSTED_CHAIN');
  });

  it('an unreachable responder is REVOCATION_UNKNOWN, never VALID', async () => {
    const s = (await verifyPdf(signed, { trustAnchors: [root], fetch: async () => { throw new Error('network down'); } })).signatures[0];
    expect(s.verdict).toBe('REVOCATION_UNKNOWN');
  });

  it('the OCSP responder down: the CRL decides (online-crl)', async () => {
    const crlOnly: VerifyOptions = { trustAnchors: [root], fetch: (url, init) => (init.method === 'POST' ? Promise.reject(new Error('OCSP down')) : testFetch(url, init)) };
    const s = (await verifyPdf(signed, crlOnly)).signatures[0];
    expect(s.verdict, s.reasons.join()).toBe('VALID');
    expect(s.revocation?.certificates.map((c) => c.source)).toEqual(['online-crl', 'online-crl']);
  });

  it('a CMS carrying only the signer certificate: the intermediate is fetched from caIssuers online; offline the chain is incomplete', async () => {
    const pdf = await sign(makeVnDocument({ markers: true }), { ...softwareSigner('leader'), chain: [] });
    const on = (await verifyPdf(pdf, online)).signatures[0];
    expect(on.verdict, on.reasons.join()).toBe('VALID');
    expect(on.warnings.join()).toMatch(/caIssuers/);
    const off = (await verifyPdf(pdf, offline)).signatures[0];
    expect(off.verdict).toBe('UNTRUSTED_CHAIN');
    expect(off.reasons.join()).toMatch(/not found/);
  });

  it('a claimed signing time (/M) before the certificate was valid: EXPIRED_AT_SIGNING', async () => {
    const pdf = (await signPdf(makeVnDocument({ markers: true }), { mode: 'appendix', docNumber: '9/UBND', signingTime: new Date('2020-01-01T00:00:00Z') }, softwareSigner('leader'), { fonts: loadFonts() })).pdf;
    const s = (await verifyPdf(pdf, offline)).signatures[0];
    expect(s.verdict).toBe('EXPIRED_AT_SIGNING');
    expect(s.signingTime).toBe('2020-01-01T00:00:00.000Z');
    expect(s.reasons.join()).toMatch(/not-yet-valid/);
  });

  it('ECDSA signer: valid', async () => {
    const pdf = await sign(makeVnDocument({ markers: true }), softwareSigner('ecdsa'));
    const s = (await verifyPdf(pdf, online)).signatures[0];
    expect(s.verdict, s.reasons.join()).toBe('VALID');
  });

  it('RSA-PSS signer: valid', async () => {
    const pdf = await sign(makeVnDocument({ markers: true }), softwareSigner('org', { kind: 'rsa-pss', saltLength: 32 }));
    const s = (await verifyPdf(pdf, online)).signatures[0];
    expect(s.verdict, s.reasons.join()).toBe('VALID');
  });

  it('a byte flipped inside the signed range: INVALID_DIGEST', async () => {
    const t = signed.slice();
    t[12] ^= 0x01; // inside the binary comment after %PDF-x.y: the file still parses
    const s = (await verifyPdf(t, offline)).signatures[0];
    expect(s.verdict).toBe('INVALID_DIGEST');
  });

  it('the signature value altered: INVALID_SIGNATURE', async () => {
    // The RSA signature is the last OCTET STRING of the CMS: 256 bytes before the zero padding.
    const text = Buffer.from(signed).toString('latin1');
    const start = text.indexOf('/Contents <') + '/Contents <'.length;
    const end = text.indexOf('>', start);
    const hex = text.slice(start, end).replace(/(00)+$/, '');
    const pos = start + hex.length - 20; // inside the signature value
    const t = signed.slice();
    t[pos] = t[pos] === 0x41 ? 0x42 : 0x41;
    const s = (await verifyPdf(t, offline)).signatures[0];
    expect(s.verdict).toBe('INVALID_SIGNATURE');
  });

  it('page content replaced in an appended update: INVALID_MODIFIED', async () => {
    const t = update(signed, (r, w) => {
      const page = r.getPage(0);
      const c = w.alloc();
      w.put(c, new PdfStream(new PdfDict(), new TextEncoder().encode('BT /F1 24 Tf 72 700 Td (Van ban da bi sua) Tj ET')));
      const d = page.dict.clone();
      d.set('Contents', c);
      w.put(page.ref, d);
    });
    const s = (await verifyPdf(t, offline)).signatures[0];
    expect(s.verdict).toBe('INVALID_MODIFIED');
    expect(s.changesAfter).toContainEqual(expect.objectContaining({ kind: 'page-content', allowed: false }));
    expect(s.summaryVi).toMatch(/đã bị thay đổi sau khi ký/);
  });

  it('bytes appended after the last %%EOF that are no revision: INVALID_MODIFIED', async () => {
    const t = new Uint8Array([...signed, ...new TextEncoder().encode('\n1 0 obj << /Type /Catalog >> endobj\n')]);
    const s = (await verifyPdf(t, offline)).signatures[0];
    expect(s.verdict).toBe('INVALID_MODIFIED');
    expect(s.coversWholeDocument).toBe(false);
    expect(s.reasons.join()).toMatch(/after the last %%EOF/);
  });

  it('a page added: INVALID_MODIFIED', async () => {
    const t = update(signed, (r, w) => {
      const pagesRef = r.catalog.get('Pages') as PdfRef;
      const pages = r.resolveDict(pagesRef)!;
      const p = w.alloc();
      w.put(p, new PdfDict({ Type: n('Page'), Parent: pagesRef, MediaBox: [0, 0, 595, 842] }));
      const d = pages.clone();
      d.set('Kids', [...(r.resolveArray(pages.get('Kids')) as PdfObject[]), p]);
      d.set('Count', (r.resolveNumber(pages.get('Count')) ?? 0) + 1);
      w.put(pagesRef, d);
    });
    const s = (await verifyPdf(t, offline)).signatures[0];
    expect(s.verdict).toBe('INVALID_MODIFIED');
    expect(s.changesAfter.map((c) => c.kind)).toContain('pages');
  });

  it('an annotation appended to an approval signature (no DocMDP): allowed, listed', async () => {
    const s = (await verifyPdf(withAnnotation(signed), online)).signatures[0];
    expect(s.verdict, s.reasons.join()).toBe('VALID_WITH_ALLOWED_CHANGES');
    expect(s.changesAfter).toEqual([expect.objectContaining({ kind: 'annotation', allowed: true })]);
  });

  it('a second signature by KýSố: the first stays VALID_WITH_ALLOWED_CHANGES, listing the new signature', async () => {
    const two = await sign(signed, softwareSigner('org'), '13/UBND');
    const r = await verifyPdf(two, online);
    expect(r.signatures.map((s) => s.verdict)).toEqual(['VALID_WITH_ALLOWED_CHANGES', 'VALID']);
    const first = r.signatures[0];
    expect(first.coversWholeDocument).toBe(false);
    expect(first.changesAfter.every((c) => c.allowed)).toBe(true);
    expect(first.changesAfter).toContainEqual(expect.objectContaining({ kind: 'signature', field: r.signatures[1].field }));
  });

  it('a revoked signer: REVOKED (test OCSP responder)', async (ctx) => {
    if (!existsSync(join(PKI, 'revoked.key.pem'))) ctx.skip();
    const key = crypto.createPrivateKey(readFileSync(join(PKI, 'revoked.key.pem')));
    const base = softwareSigner('leader');
    const revoked: DigestSigner = { ...base, certificate: new Uint8Array(readFileSync(join(PKI, 'revoked.cert.der'))), signDigest: async (d, h) => signDigestWithKey(key, { kind: 'rsa-pkcs1' }, d, h) };
    const pdf = await sign(makeVnDocument({ markers: true }), revoked);
    const s = (await verifyPdf(pdf, online)).signatures[0];
    expect(s.verdict, s.reasons.join()).toBe('REVOKED');
    expect(s.revocation?.certificates[0]).toMatchObject({ status: 'revoked', source: 'online-ocsp' });
    // The same through the CRL alone.
    const viaCrl = (await verifyPdf(pdf, { trustAnchors: [root], fetch: (url, init) => (init.method === 'POST' ? Promise.reject(new Error('OCSP down')) : testFetch(url, init)) })).signatures[0];
    expect(viaCrl.verdict).toBe('REVOKED');
    expect(viaCrl.revocation?.certificates[0].source).toBe('online-crl');
  });
});

describe('DocMDP on certified corpus files', () => {
  const load = (f: string) => new Uint8Array(readFileSync(join(CORPUS, 'signed', f)));

  it('the rule: reject by default', () => {
    expect(isAllowed('annotation', undefined)).toBe(true);
    expect(isAllowed('annotation', 3)).toBe(true);
    expect(isAllowed('annotation', 2)).toBe(false);
    expect(isAllowed('signature', 2)).toBe(true);
    expect(isAllowed('form-fill', 1)).toBe(false);
    expect(isAllowed('dss', 1)).toBe(true);
    expect(isAllowed('doc-timestamp', 1)).toBe(true);
    for (const k of ['page-content', 'pages', 'catalog', 'signature-dict', 'other'] as const) expect(isAllowed(k, undefined)).toBe(false);
  });

  it('FieldMDP: form filling of a locked field is not allowed', () => {
    expect(isLocked({ action: 'All', fields: [] }, 'HoTen')).toBe(true);
    expect(isLocked({ action: 'Include', fields: ['HoTen'] }, 'HoTen')).toBe(true);
    expect(isLocked({ action: 'Include', fields: ['HoTen'] }, 'NgaySinh')).toBe(false);
    expect(isLocked({ action: 'Exclude', fields: ['HoTen'] }, 'HoTen')).toBe(false);
    const fills = [{ kind: 'form-fill' as const, detail: 'form field HoTen filled in', field: 'HoTen' }, { kind: 'form-fill' as const, detail: 'form field NgaySinh filled in', field: 'NgaySinh' }];
    expect(judge(fills, undefined, { action: 'Include', fields: ['HoTen'] }).map((c) => c.allowed)).toEqual([false, true]);
    expect(judge(fills, 2).map((c) => c.allowed)).toEqual([true, true]);
  });

  it('P=1 certification + an appended annotation: INVALID_MODIFIED', async () => {
    const s = (await verifyPdf(withAnnotation(load('dss-certified-no-change-permitted.pdf')), offline)).signatures[0];
    expect(s.certification).toBe(1);
    expect(s.verdict).toBe('INVALID_MODIFIED');
    expect(s.changesAfter).toEqual([expect.objectContaining({ kind: 'annotation', allowed: false })]);
  });

  it('P=2 certification + an appended annotation: INVALID_MODIFIED (P=2 allows form filling and signing only)', async () => {
    const s = (await verifyPdf(withAnnotation(load('dss-DSS1376-rev_n.pdf')), offline)).signatures[0];
    expect(s.certification).toBe(2);
    expect(s.verdict).toBe('INVALID_MODIFIED');
    expect(s.changesAfter).toContainEqual(expect.objectContaining({ kind: 'annotation', allowed: false }));
  });
});

describe('two KýSố signatures on corpus files of every structure: the first VALID_WITH_ALLOWED_CHANGES, the second VALID', () => {
  const files = [
    'qpdf-hybrid-xref.pdf', // hybrid table + xref stream
    'qpdf-recover-xref-stream.pdf', // recovered xref stream
    'qpdf-leading-junk.pdf', // bytes before %PDF-
    'qpdf-minimal-linearized.pdf',
    'pyhanko-minimal-two-fields.pdf', // existing empty signature fields
    'dss-edition_protected_signing_allowed_with_field.pdf', // AES-encrypted, empty user password
  ];
  for (const f of files) {
    it(f, async () => {
      const one = await sign(new Uint8Array(readFileSync(join(CORPUS, 'plain', f))), softwareSigner('leader'), '1/A');
      const two = await sign(one, softwareSigner('org'), '2/A');
      const r = await verifyPdf(two, online);
      const v = r.signatures.map((s) => s.verdict);
      expect(v.slice(-2), JSON.stringify(r.signatures.map((s) => [s.reasons, s.changesAfter]))).toEqual(['VALID_WITH_ALLOWED_CHANGES', 'VALID']);
    });
  }
});
