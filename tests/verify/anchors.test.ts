// The bundled anchors: the module the engine reads is the PEM files of shared/assets/trust, which are copies of the
// project's /work/shared/trust certificates.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED_ANCHORS } from '../../shared/verify/anchors.ts';
import { bundledAnchors } from '../../shared/verify/verify.ts';
import { parseCertificate } from '../../shared/pki/certificate.ts';
import { ROOT } from '../helpers/pki.ts';

const DIR = join(ROOT, 'shared', 'assets', 'trust');

describe('bundled trust anchors', () => {
  it('anchors.ts holds exactly the PEM files of shared/assets/trust', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.pem')).sort();
    expect(Object.keys(BUNDLED_ANCHORS).sort()).toEqual(files);
    for (const f of files) expect(BUNDLED_ANCHORS[f]).toBe(readFileSync(join(DIR, f), 'utf8'));
  });

  it('are the Vietnamese government root G2 and VNPT-CA SHA2', () => {
    const names = bundledAnchors().map((d) => parseCertificate(d).subject.CN);
    expect(names.sort()).toEqual(['RootCA chuyên dùng Chính phủ G2', 'VNPT-CA SHA2']);
  });
});
