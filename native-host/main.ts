// kyso: the native messaging host when a browser starts it (first argument chrome-extension://ID/), the command
// line otherwise. In host mode stdout is guarded before any other module of the host is evaluated.

import { isHostInvocation } from './host/mode.ts';

const args = process.argv.slice(2);
if (isHostInvocation(args)) {
  const { guardStdout } = await import('./host/stdout-guard.ts');
  const channel = guardStdout();
  const { runHost } = await import('./host/run-host.ts');
  await runHost(args, channel);
} else {
  // A reader that goes away (kyso certs | head) is not an error worth a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  const { runCli } = await import('./cli/index.ts');
  process.exitCode = await runCli(args);
}
