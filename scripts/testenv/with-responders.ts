// Runs a command while the test PKI's OCSP and CRL responders serve on 127.0.0.1, then stops them.
// Usage: npx tsx scripts/testenv/with-responders.ts CMD [ARGS...]
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startResponders } from './responders.ts';

const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  process.stderr.write('usage: with-responders.ts CMD [ARGS...]\n');
  process.exit(2);
}
const responders = await startResponders(join(import.meta.dirname, '..', '..', '.kyso', 'pki'));
const child = spawn(cmd, args, { stdio: 'inherit' });
const code: number = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? 1)));
await responders.close();
process.exit(code);
