// kyso: the native messaging host when a browser starts it (first argument chrome-extension://ID/), the command
// line otherwise.

import { runCli } from './cli/index.ts';

// A reader that goes away (kyso certs | head) is not an error worth a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

const args = process.argv.slice(2);
process.exitCode = await runCli(args);
