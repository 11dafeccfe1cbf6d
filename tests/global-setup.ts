// Once per test run: the revocation responders of the test PKI on 127.0.0.1 (pdfsig asks OCSP for every
// certificate that names a responder), stopped when the run ends.

import { join } from 'node:path';
import { startResponders, type Responders } from '../scripts/testenv/responders.ts';

let responders: Responders | undefined;

export async function setup(): Promise<void> {
  responders = await startResponders(join(import.meta.dirname, '..', '.kyso', 'pki'));
}

export async function teardown(): Promise<void> {
  await responders?.close();
}
