// B-T, B-LT and B-LTA made by signPdf against real services on 127.0.0.1: the test TSA (openssl ts -reply behind
// scripts/testenv/tsa.ts, started here), the OCSP responder and CRL server of the global setup. Each file is judged
// by pdfsig, openssl cms, openssl ts -verify on the extracted tokens, qpdf --check, and the DSS read back.
// pdfsig 22.12 lists a document time-stamp but does not verify it ("Unable to validate this type of signature"):
// openssl ts -verify over its byte range does that here.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signPdf, type PadesLevel } from '../../shared/sign/sign-pdf.ts';
import { extendToLevel, ltvSignEnvironment, pdfSignatures, vriKey } from '../../shared/ltv/index.ts';
import { parseCms } from '../../shared/pades/signed-data.ts';
import { loadFonts } from '../../native-host/assets.ts';
import { makeVnDocument } from '../../scripts/samples/vn-document.ts';
import { startTsa, type TestTsa } from '../../scripts/testenv/tsa.ts';
import { ensureTestEnv } from '../../scripts/testenv/testenv.ts';
import { join } from 'node:path';
import { PKI, softwareSigner, tokenSigner } from '../helpers/pki.ts';
import { expectGoodSignatures, pdfsig, qpdfCheck, startsWith, tmpDir, writeTmp } from '../helpers/validators.ts';
import { expectDss, fileSignatures, opensslTsVerify, readDssBack, sha1Upper, signatureTimestamps, signedData, ensureResponders, testFetch } from './helpers.ts';

let tsa: TestTsa;
const dir = tmpDir('kyso-ltv-');
const fonts = loadFonts();
const input = makeVnDocument({ markers: true });

beforeAll(async () => {
  ensureTestEnv();
  tsa = await startTsa(PKI);
});
beforeEach(ensureResponders);
afterAll(async () => {
  await tsa?.close();
});

async function sign(pdf: Uint8Array, level: PadesLevel, who: 'leader' | 'org' = 'leader', token = false) {
  const signer = token ? await tokenSigner(who) : softwareSigner(who);
  try {
    return await signPdf(pdf, { mode: 'appendix', docNumber: '12/QĐ-UBND', level }, signer, { fonts, ...ltvSignEnvironment(level, { tsaUrl: tsa.url, fetch: testFetch }) });
  } finally {
    (signer as { close?: () => void }).close?.();
  }
}

function expectSignatureTimestamp(pdf: Uint8Array, field: string): void {
  const s = fileSignatures(pdf).find((x) => x.field === field)!;
  const tokens = signatureTimestamps(s.cms);
  expect(tokens.length).toBe(1);
  // The imprint is over the signature value: openssl recomputes it from -data.
  const v = opensslTsVerify(tokens[0], parseCms(s.cms).signer.signature);
  expect(v.ok, v.out).toBe(true);
}

describe('PAdES levels', () => {
  it('B-T: a signature-time-stamp over the signature value, from the token', async () => {
    const r = await sign(input, 'B-T', 'leader', true);
    expect(r.level).toBe('B-T');
    expect(r.warnings).toEqual([]);
    const f = writeTmp(dir, 'bt.pdf', r.pdf);
    expect(startsWith(r.pdf, input)).toBe(true);
    await ensureResponders(); // pdfsig asks OCSP itself
    expectGoodSignatures(f, ['KySo1']);
    expectSignatureTimestamp(r.pdf, 'KySo1');
    expect(qpdfCheck(f)).toBe(0);
    expect(readDssBack(r.pdf)).toBeUndefined();
  });

  it('B-LT: the DSS after the signature holds certificates, OCSP responses and CRLs, and the VRI of the signature', async () => {
    const r = await sign(input, 'B-LT');
    const f = writeTmp(dir, 'blt.pdf', r.pdf);
    await ensureResponders(); // pdfsig asks OCSP itself
    const v = pdfsig(f);
    expect(v.signatures[0].validation, v.raw).toBe('Signature is Valid.');
    expect(v.signatures[0].certificate, v.raw).toBe('Certificate is Trusted.');
    expect(v.signatures[0].totalDocument).toBe(false); // the DSS update comes after
    expectSignatureTimestamp(r.pdf, 'KySo1');
    expect(qpdfCheck(f)).toBe(0);
    const dss = expectDss(r.pdf, ['KySo1']);
    // Signer, intermediate, root and TSA certificates; the signer's and the TSA's OCSP responses; the root's CRL for the intermediate.
    expect(dss.certs.length).toBe(4);
    expect(dss.ocsps.length).toBe(2);
    expect(dss.crls.length).toBe(1);
    const sigs = pdfSignatures(r.pdf);
    expect(vriKey(sigs[0].contents)).toBe(sha1Upper(fileSignatures(r.pdf)[0].contents));
  });

  it('B-LTA: a document time-stamp (ETSI.RFC3161) over the file including the DSS', async () => {
    const r = await sign(input, 'B-LTA');
    const f = writeTmp(dir, 'blta.pdf', r.pdf);
    await ensureResponders(); // pdfsig asks OCSP itself
    const v = pdfsig(f);
    expect(v.signatures.length).toBe(2);
    expect(v.signatures[0].validation, v.raw).toBe('Signature is Valid.');
    expect(v.signatures[0].certificate, v.raw).toBe('Certificate is Trusted.');
    // poppler 22.12 does not verify document time-stamps; openssl ts does below.
    expect(v.raw).toContain('Unable to validate this type of signature');
    expect(v.signatures[1].totalDocument).toBe(true);
    expectSignatureTimestamp(r.pdf, 'KySo1');
    expect(qpdfCheck(f)).toBe(0);
    expectDss(r.pdf, ['KySo1']);
    const ts = fileSignatures(r.pdf).find((s) => s.type === 'DocTimeStamp')!;
    expect(ts.subFilter).toBe('ETSI.RFC3161');
    expect(ts.byteRange[0]).toBe(0);
    expect(ts.byteRange[2] + ts.byteRange[3]).toBe(r.pdf.length);
    // It covers the DSS: the revision before the time-stamp's own update (ending at the last %%EOF inside the
    // first range) already has the DSS.
    const prefix = Buffer.from(r.pdf.subarray(0, ts.byteRange[1]));
    const eof = prefix.lastIndexOf('%%EOF') + 5;
    expect(readDssBack(r.pdf.subarray(0, eof + 1))).toBeDefined();
    const tsv = opensslTsVerify(ts.cms, signedData(r.pdf, ts.byteRange));
    expect(tsv.ok, tsv.out).toBe(true);
  });

  it('B-LT on a file already signed keeps the earlier signature valid; extending later adds both to the VRI', async () => {
    const first = await sign(input, 'B-B', 'org');
    const second = await sign(first.pdf, 'B-LT', 'leader');
    expect(startsWith(second.pdf, first.pdf)).toBe(true);
    const f = writeTmp(dir, 'two.pdf', second.pdf);
    await ensureResponders(); // pdfsig asks OCSP itself
    expectGoodSignatures(f, ['KySo1', 'KySo2']);
    expect(qpdfCheck(f)).toBe(0);
    const dss = expectDss(second.pdf, ['KySo2']);
    expect(dss.vri.size).toBe(1);

    // Now B-LTA for the whole file: the existing DSS is extended (no duplicate streams), then time-stamped.
    const lta = await extendToLevel(second.pdf, 'B-LTA', { tsaUrl: tsa.url, fetch: testFetch });
    expect(startsWith(lta, second.pdf)).toBe(true);
    const g = writeTmp(dir, 'two-lta.pdf', lta);
    await ensureResponders(); // pdfsig asks OCSP itself
    expectGoodSignatures(g, ['KySo1', 'KySo2']);
    expect(qpdfCheck(g)).toBe(0);
    const dss2 = expectDss(lta, ['KySo1', 'KySo2']);
    expect(dss2.vri.size).toBe(2);
    expect(dss2.certs.length).toBe(dss.certs.length + 1); // the org certificate; sub, root and TSA are shared
    const ts = fileSignatures(lta).find((s) => s.type === 'DocTimeStamp')!;
    expect(opensslTsVerify(ts.cms, signedData(lta, ts.byteRange)).ok).toBe(true);
  });

  it('reserves enough /Contents for the time-stamp (estimateCmsSize withTimestamp)', async () => {
    const r = await sign(input, 'B-T');
    const s = fileSignatures(r.pdf)[0];
    expect(s.cms.length).toBeLessThan(s.contents.length);
    expect(s.cms.length).toBeGreaterThan(4000);
  });

  it('B-LTA on an AES-256 encrypted file (empty user password): every update stays encrypted and valid', async () => {
    const plain = writeTmp(dir, 'plain.pdf', input);
    const enc = join(dir, 'enc.pdf');
    expect(spawnSync('qpdf', ['--encrypt', '', 'owner', '256', '--', plain, enc]).status).toBe(0);
    const encrypted = new Uint8Array(readFileSync(enc));
    const r = await sign(encrypted, 'B-LTA');
    expect(startsWith(r.pdf, encrypted)).toBe(true);
    const f = writeTmp(dir, 'enc-lta.pdf', r.pdf);
    await ensureResponders(); // pdfsig asks OCSP itself
    const v = pdfsig(f);
    expect(v.signatures[0].validation, v.raw).toBe('Signature is Valid.');
    expect(v.signatures[0].certificate, v.raw).toBe('Certificate is Trusted.');
    expect(qpdfCheck(f)).toBe(0);
    expect(spawnSync('qpdf', ['--show-encryption', f], { encoding: 'utf8' }).stdout).toContain('R = 6');
    expectDss(r.pdf, ['KySo1']);
    const ts = fileSignatures(r.pdf).find((s) => s.type === 'DocTimeStamp')!;
    expect(opensslTsVerify(ts.cms, signedData(r.pdf, ts.byteRange)).ok).toBe(true);
  });
});
