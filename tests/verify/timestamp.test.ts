// The signature-time-stamp (B-T) of a KýSố signature: when it verifies and its TSA chains to an anchor, its time is
// the signing time; when the token is damaged (it lies in /Contents, outside the signed bytes), the signature itself
// still holds, the claimed /M is used instead, with a warning, and the level found is B-B.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFonts } from '../../native-host/assets.ts';
import { makeVnDocument } from '../../scripts/samples/vn-document.ts';
import { startTsa, type TestTsa } from '../../scripts/testenv/tsa.ts';
import { ltvSignEnvironment } from '../../shared/ltv/index.ts';
import { parseCms } from '../../shared/pades/signed-data.ts';
import { toHex } from '../../shared/pki/der.ts';
import { signPdf } from '../../shared/sign/sign-pdf.ts';
import { encapsulatedContent, OIDS } from '../../shared/verify/cms.ts';
import { verifyPdf } from '../../shared/verify/verify.ts';
import { PKI, requireFixtures, softwareSigner } from '../helpers/pki.ts';
import { embeddedSignatures } from '../helpers/validators.ts';

let tsa: TestTsa;
let pdf: Uint8Array;
let root: Uint8Array;

beforeAll(async () => {
  requireFixtures();
  tsa = await startTsa(PKI);
  root = new Uint8Array(readFileSync(join(PKI, 'root.cert.der')));
  pdf = (await signPdf(makeVnDocument({ markers: true }), { mode: 'appendix', docNumber: '4/UBND', level: 'B-T' }, softwareSigner('leader'), { fonts: loadFonts(), ...ltvSignEnvironment('B-T', { tsaUrl: tsa.url }) })).pdf;
});
afterAll(async () => {
  await tsa?.close();
});

describe('signature timestamps', () => {
  it('a good token from the trusted test TSA gives the signing time', async () => {
    const s = (await verifyPdf(pdf, { trustAnchors: [root] })).signatures[0];
    expect(s.level).toBe('B-T');
    expect(s.signingTimeSource).toBe('timestamp');
    expect(s.timestamp).toMatchObject({ valid: true, trusted: true });
    expect(Math.abs(new Date(s.timestamp!.time).getTime() - Date.now())).toBeLessThan(10 * 60_000);
  });

  it('without the test root the TSA is not trusted: its time is not relied on', async () => {
    const s = (await verifyPdf(pdf, {})).signatures[0];
    expect(s.timestamp).toMatchObject({ valid: true, trusted: false });
    expect(s.signingTimeSource).toBe('claimed');
  });

  it('a damaged token: the signature holds, /M is used, level B-B, warned', async () => {
    const cms = parseCms(embeddedSignatures(pdf)[0].cms);
    const token = cms.signer.unsignedAttributes.find((a) => a.oid === OIDS.signatureTimeStamp)!.values[0];
    const tstInfo = toHex(encapsulatedContent(token)!);
    const text = Buffer.from(pdf).toString('latin1');
    let at = text.indexOf(tstInfo);
    if (at < 0) at = text.indexOf(tstInfo.toLowerCase());
    expect(at).toBeGreaterThan(0);
    const t = pdf.slice();
    const pos = at + tstInfo.length - 4; // inside the TSTInfo (its nonce or extensions): the token's message-digest breaks
    t[pos] = t[pos] === 0x30 ? 0x31 : 0x30;
    const s = (await verifyPdf(t, { trustAnchors: [root] })).signatures[0];
    expect(s.timestamp?.valid).toBe(false);
    expect(s.signingTimeSource).toBe('claimed');
    expect(s.level).toBe('B-B');
    expect(s.warnings.join()).toMatch(/signature timestamp does not verify/);
    expect(['VALID', 'REVOCATION_UNKNOWN']).toContain(s.verdict);
  });
});
