// Which program the browser must start, and the launcher script that starts it when kyso is not a single executable.
//
// Chrome and Edge run the manifest's "path" directly with the extension origin as argument; they cannot run
// `node bundle.mjs`. So:
// - single executable (node:sea, process.execPath is kyso/kyso.exe): the manifest points at the executable itself;
// - node + bundle (a checkout, npx kyso): install-host writes a small launcher into KýSố's own folder that execs
//   this same Node (absolute path) on native-host/bin/kyso.mjs with every argument passed on, and the manifest
//   points at the launcher. One launcher serves every browser.

import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { HOST_NAME } from '@kyso/shared/protocol/extension-id';

export type HostProgram =
  /** A single executable: the browser starts it directly. */
  | { kind: 'executable'; path: string }
  /** Node and the kyso script: the browser starts a launcher that runs `node script "$@"`. */
  | { kind: 'node'; node: string; script: string };

/** Every launcher carries this line; uninstall removes a launcher only when it finds it. */
export const LAUNCHER_MARK = `kyso-launcher for ${HOST_NAME}`;

/** POSIX shell quoting: everything literal inside single quotes. */
function shQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/** /bin/sh launcher for Linux and macOS (mode 0755). */
export function posixLauncher(node: string, script: string): string {
  return [
    '#!/bin/sh',
    `# ${LAUNCHER_MARK}: written by "kyso install-host", removed by "kyso uninstall-host".`,
    '# The browser starts the host manifest\'s "path" directly; this runs kyso with the Node that installed it.',
    `exec ${shQuote(node)} ${shQuote(script)} "$@"`,
    '',
  ].join('\n');
}

/**
 * Batch launcher for Windows (Chrome runs .bat/.cmd hosts through cmd.exe). `@echo off` keeps cmd from writing
 * the command line into the message stream; %* passes the origin and --parent-window on. cmd reads a batch file
 * in the console code page, so a path with non-ASCII letters (C:\Users\Nguyễn\…) needs `chcp 65001` first and
 * the file in UTF-8; ASCII-only files leave the code page alone.
 */
export function windowsLauncher(node: string, script: string): string {
  const q = (s: string) => `"${s.replaceAll('%', '%%')}"`;
  const run = `${q(node)} ${q(script)} %*`;
  const lines = ['@echo off', `rem ${LAUNCHER_MARK}: written by "kyso install-host", removed by "kyso uninstall-host".`];
  if (/[^\x00-\x7f]/.test(run)) lines.push('chcp 65001 >nul');
  lines.push(run, '');
  return lines.join('\r\n');
}

function isSea(): boolean {
  try {
    const require = createRequire(import.meta.url);
    return (require('node:sea') as { isSea(): boolean }).isSea();
  } catch {
    return false;
  }
}

/** native-host/bin/kyso.mjs: one level up from both native-host/dist (the bundle) and native-host/install (source). */
function kysoScript(): string {
  const candidates = [fileURLToPath(new URL('../bin/kyso.mjs', import.meta.url))];
  if (process.argv[1] && /\.(mjs|cjs|js)$/.test(process.argv[1])) candidates.push(process.argv[1]);
  for (const c of candidates) if (existsSync(c)) return realpathSync(c);
  return candidates[0];
}

/** The program now running, as the browser would have to start it. */
export function currentProgram(): HostProgram {
  if (isSea()) return { kind: 'executable', path: process.execPath };
  return { kind: 'node', node: process.execPath, script: kysoScript() };
}
