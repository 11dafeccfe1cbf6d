// The test environment from TypeScript: builds it when needed (make-all.sh: milliseconds when up to date), reads
// .kyso/env.sh, and points SoftHSM at the test tokens. For tests and dev scripts only: test PINs, test keys.
//
// By default each process gets its own copy of the token directory: SoftHSM's file store rewrites a token's files at
// every login, and another process reading them at that moment gets CKR_GENERAL_ERROR or misses the token
// altogether. Test files run in parallel workers, so they must not share the files.

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');
export const KYSO_DIR = process.env.KYSO_DIR ?? join(REPO_ROOT, '.kyso');

export interface TestEnv {
  /** SOFTHSM2_CONF, also set in process.env by ensureTestEnv(): this process's copy unless sharedTokens. */
  softhsmConf: string;
  /** The real SoftHSM module. */
  softhsmModule: string;
  /** The fault-injection module wrapping SoftHSM, or null when it could not be built (no gcc). */
  faultModule: string | null;
  /** "KySo Demo": every test signer. */
  demoToken: string;
  /** "KySo Empty": no objects. */
  emptyToken: string;
  userPin: string;
  soPin: string;
  /** CKA_LABEL → CKA_ID (hex) of the objects on the demo token: leader, org, ecdsa, expired, notyet, ca. */
  objects: Record<string, string>;
  /** .kyso/pki: <name>.cert.pem/.der, <name>.key.pem, chain.pem, leader.p12 … */
  pkiDir: string;
  /** "sql:…/.kyso/nssdb" for pdfsig -nssdir. */
  nssdb: string;
}

export interface EnsureOptions {
  /**
   * Use .kyso/softhsm2.conf itself (changes persist and other processes see them) instead of a private copy of the
   * tokens. Only for a single process at a time.
   */
  sharedTokens?: boolean;
}

let cached: TestEnv | null = null;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A copy of the token directory for this process in .kyso/run/, removed when it exits (copies left by processes
 * that were killed are removed by the next one); returns its softhsm2.conf.
 */
function privateTokens(sharedConf: string): string {
  const tokendir = /^directories\.tokendir\s*=\s*(.+)$/m.exec(readFileSync(sharedConf, 'utf8'))?.[1].trim();
  if (!tokendir) throw new Error(`No directories.tokendir in ${sharedConf}`);
  const runDir = join(KYSO_DIR, 'run');
  mkdirSync(runDir, { recursive: true });
  for (const name of readdirSync(runDir)) {
    const pid = Number(/^softhsm-(\d+)-/.exec(name)?.[1]);
    if (pid && pid !== process.pid && !alive(pid)) rmSync(join(runDir, name), { recursive: true, force: true });
  }
  const dir = mkdtempSync(join(runDir, `softhsm-${process.pid}-`));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  cpSync(tokendir, join(dir, 'tokens'), { recursive: true });
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, readFileSync(sharedConf, 'utf8').replace(/^directories\.tokendir\s*=.*$/m, `directories.tokendir = ${join(dir, 'tokens')}`));
  return conf;
}

/** Parses the `export NAME='value'` lines make-token.sh writes. */
export function readEnvFile(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^export ([A-Z0-9_]+)='([^']*)'$/.exec(line.trim());
    if (m) out[m[1]] = m[2];
  }
  return out;
}

/**
 * Builds what is missing in .kyso (once per process), sets SOFTHSM2_CONF (to a private copy of the tokens unless
 * sharedTokens), and describes the environment. Call it before loading SoftHSM.
 */
export function ensureTestEnv(opts: EnsureOptions = {}): TestEnv {
  if (cached) return cached;
  execFileSync('bash', [join(REPO_ROOT, 'scripts', 'testenv', 'make-all.sh')], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, KYSO_DIR } });
  const env = readEnvFile(join(KYSO_DIR, 'env.sh'));
  const objects: Record<string, string> = {};
  for (const pair of (env.KYSO_TEST_OBJECTS ?? '').split(/\s+/).filter(Boolean)) {
    const [label, id] = pair.split(':');
    objects[label] = id;
  }
  const softhsmConf = opts.sharedTokens ? env.SOFTHSM2_CONF : privateTokens(env.SOFTHSM2_CONF);
  process.env.SOFTHSM2_CONF = softhsmConf;
  cached = {
    softhsmConf,
    softhsmModule: env.KYSO_SOFTHSM_MODULE,
    faultModule: env.KYSO_FAULT_MODULE && existsSync(env.KYSO_FAULT_MODULE) ? env.KYSO_FAULT_MODULE : null,
    demoToken: env.KYSO_TEST_TOKEN,
    emptyToken: env.KYSO_TEST_EMPTY_TOKEN,
    userPin: env.KYSO_TEST_PIN,
    soPin: env.KYSO_TEST_SO_PIN,
    objects,
    pkiDir: env.KYSO_TEST_PKI,
    nssdb: env.KYSO_TEST_NSSDB,
  };
  return cached;
}
