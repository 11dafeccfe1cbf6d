// The verification engine (shared/verify) on what the signing side makes: it reports the level, and for B-LT/B-LTA
// finds the revocation data in the DSS without any network (no fetch given: offline).

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signPdf, type PadesLevel } from '../../shared/sign/sign-pdf.ts';
import { ltvSignEnvironment } from '../../shared/ltv/index.ts';
import { verifyPdf } from '../../shared/verify/verify.ts';
import { loadFonts } from '../../native-host/assets.ts';
import { makeVnDocument } from '../../scripts/samples/vn-document.ts';
import { startTsa, type TestTsa } from '../../scripts/testenv/tsa.ts';
import { ensureTestEnv } from '../../scripts/testenv/testenv.ts';
import { ensureResponders, testFetch } from './helpers.ts';
import { PKI, softwareSigner } from '../helpers/pki.ts';

let tsa: TestTsa;
const fonts = loadFonts();
const input = makeVnDocument({ markers: true });
const root = () => new Uint8Array(readFileSync(join(PKI, 'root.cert.der')));

beforeAll(async () => {
  ensureTestEnv();
  tsa = await startTsa(PKI);
});
beforeEach(ensureResponders);
afterAll(async () => {
  await tsa?.close();
});

async function signed(level: PadesLevel): Promise<Uint8Array> {
  return (await signPdf(input, { mode: 'appendix', docNumber: '3/QĐ', level }, softwareSigner('leader'), { fonts, ...ltvSignEnvironment(level, { tsaUrl: tsa.url, fetch: testFetch }) })).pdf;
}

describe('shared/verify on our levels (offline)', () => {
  for (const level of ['B-B', 'B-T', 'B-LT', 'B-LTA'] as PadesLevel[]) {
    it(`${level}: reported as such; the signature holds`, async () => {
      const report = await verifyPdf(await signed(level), { trustAnchors: [root()], bundledAnchors: false });
      const sig = report.signatures.find((s) => s.kind === 'signature')!;
      expect(sig.level, JSON.stringify(sig.reasons)).toBe(level);
      if (level === 'B-B') return;
      expect(sig.timestamp).toMatchObject({ valid: true, trusted: true });
      expect(sig.signingTimeSource).toBe('timestamp');
      if (level === 'B-T') return;
      // Revocation found in the DSS, no fetch given.
      expect(sig.verdict, JSON.stringify(sig)).toMatch(/^VALID/);
      expect(sig.revocation?.status).toBe('good');
      expect(sig.revocation?.certificates.filter((c) => c.status === 'good').length).toBeGreaterThanOrEqual(2);
      if (level === 'B-LTA') {
        const ts = report.signatures.find((s) => s.kind === 'doc-timestamp')!;
        expect(ts.verdict, JSON.stringify(ts.reasons)).toBe('VALID');
        expect(ts.coversWholeDocument).toBe(true);
        expect(ts.chain[0].subject).toContain('TEST TSA');
      }
    });
  }
});
