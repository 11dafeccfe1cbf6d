// The test PKI's OCSP responder and CRL server (127.0.0.1:8788/8789) are started by the vitest global setup — or,
// when its ports were taken, served by another test run of this checkout, which may end while this one still
// needs them. Before an online check, make sure someone answers; if nobody does, serve them from here.

import { afterAll } from 'vitest';
import { startResponders, type Responders } from '../../scripts/testenv/responders.ts';
import { PKI } from '../helpers/pki.ts';
import { httpFetch } from '../../native-host/cli/verify.ts';
import type { RevocationFetch } from '../../shared/verify/revocation.ts';

let own: Responders | undefined;

async function answering(): Promise<boolean> {
  try {
    const r = await fetch('http://127.0.0.1:8789/ca/root.cer', { signal: AbortSignal.timeout(2000) });
    await r.arrayBuffer();
    return r.ok;
  } catch {
    return false;
  }
}

export async function ensureResponders(): Promise<void> {
  if (await answering()) return;
  try {
    own = await startResponders(PKI);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
  }
}

afterAll(async () => {
  await own?.close();
  own = undefined;
});

/** httpFetch that, when nobody answers, brings the responders up (see above) and asks again (twice at most). */
export const testFetch: RevocationFetch = async (url, init) => {
  for (let attempt = 0; ; attempt++) {
    try {
      return await httpFetch(url, init);
    } catch (e) {
      if (attempt >= 2) throw e;
      await ensureResponders();
      await new Promise((r) => setTimeout(r, 300 * (attempt + 1)));
    }
  }
};
