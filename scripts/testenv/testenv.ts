// The test environment from TypeScript: builds it when needed (make-all.sh: milliseconds when up to date), reads
// .kyso/env.sh, and points SoftHSM at the test tokens. For tests and dev scripts only: test PINs, test keys.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');
export const KYSO_DIR = process.env.KYSO_DIR ?? join(REPO_ROOT, '.kyso');

export interface TestEnv {
  /** SOFTHSM2_CONF, also set in process.env by ensureTestEnv(). */
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

let cached: TestEnv | null = null;

/** Parses the `export NAME='value'` lines make-token.sh writes. */
export function readEnvFile(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^export ([A-Z0-9_]+)='([^']*)'$/.exec(line.trim());
    if (m) out[m[1]] = m[2];
  }
  return out;
}

/** Builds what is missing in .kyso (once per process), sets SOFTHSM2_CONF, and describes the environment. */
export function ensureTestEnv(): TestEnv {
  if (cached) return cached;
  execFileSync('bash', [join(REPO_ROOT, 'scripts', 'testenv', 'make-all.sh')], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, KYSO_DIR } });
  const env = readEnvFile(join(KYSO_DIR, 'env.sh'));
  const objects: Record<string, string> = {};
  for (const pair of (env.KYSO_TEST_OBJECTS ?? '').split(/\s+/).filter(Boolean)) {
    const [label, id] = pair.split(':');
    objects[label] = id;
  }
  process.env.SOFTHSM2_CONF = env.SOFTHSM2_CONF;
  cached = {
    softhsmConf: env.SOFTHSM2_CONF,
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
