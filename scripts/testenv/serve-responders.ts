// Runs the test PKI's revocation services (responders.ts: OCSP on 127.0.0.1:8788, CRLs and CA certificates on
// 127.0.0.1:8789) until stopped, for pdfsig and manual checks outside `npm test`. Started by responders.sh.

import { join } from 'node:path';
import { OCSP_PORT, PKI_PORT, startResponders } from './responders.ts';
import { KYSO_DIR } from './testenv.ts';

const responders = await startResponders(join(KYSO_DIR, 'pki'));
// The servers are unref'd; this timer keeps the process up until a signal.
const keepAlive = setInterval(() => undefined, 1 << 30);
const stop = async () => {
  clearInterval(keepAlive);
  await responders.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
// Started for a test process (KYSO_RESPONDERS_PARENT=its pid): stop by ourselves when it is gone.
const parent = Number(process.env.KYSO_RESPONDERS_PARENT);
if (parent > 0) {
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      void stop();
    }
  }, 1000).unref();
}
process.on('SIGINT', stop);
console.log(`listening: OCSP http://127.0.0.1:${OCSP_PORT}/, CRLs and CA certificates http://127.0.0.1:${PKI_PORT}/`);
