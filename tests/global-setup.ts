// Once per test run: the revocation responders of the test PKI on 127.0.0.1 (pdfsig asks OCSP for every
// certificate that names a responder), stopped when the run ends. When another run from this checkout already
// serves them (same .kyso/pki), that one answers for both.

import { join } from 'node:path';
import { startResponders, type Responders } from '../scripts/testenv/responders.ts';

let responders: Responders | undefined;

export async function setup(): Promise<void> {
  try {
    responders = await startResponders(join(import.meta.dirname, '..', '.kyso', 'pki'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    console.warn('OCSP/CRL ports are taken by another test run; its responders answer for this one too.');
  }
}

export async function teardown(): Promise<void> {
  await responders?.close();
}
