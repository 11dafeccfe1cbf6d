// Independent checks for B-T / B-LT / B-LTA files: openssl ts -verify on the extracted time-stamp tokens, the DSS
// read back with our PdfReader, openssl on the embedded OCSP responses and CRLs.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { PdfReader } from '../../shared/pdf/reader.ts';
import { PdfString, type PdfObject } from '../../shared/pdf/objects.ts';
import { OID } from '../../shared/pades/algorithms.ts';
import { parseCms } from '../../shared/pades/signed-data.ts';
import { connect } from 'node:net';
import { spawn } from 'node:child_process';
import { PKI, ROOT } from '../helpers/pki.ts';
import type { FetchLike } from '../../shared/ltv/net.ts';
import { tmpDir, writeTmp } from '../helpers/validators.ts';

export interface FileSignature {
  field: string;
  type: string;
  subFilter: string;
  contents: Uint8Array;
  cms: Uint8Array;
  byteRange: [number, number, number, number];
}

function derLength(b: Uint8Array): number {
  const l = b[1];
  if (l < 0x80) return 2 + l;
  const n = l & 0x7f;
  let v = 0;
  for (let i = 0; i < n; i++) v = v * 256 + b[2 + i];
  return 2 + n + v;
}

/** Every signature dictionary reachable from the AcroForm fields, read with our reader. */
export function fileSignatures(pdf: Uint8Array): FileSignature[] {
  const reader = PdfReader.open(pdf, { decrypt: true });
  const acro = reader.resolveDict(reader.catalog.get('AcroForm'));
  const out: FileSignature[] = [];
  for (const f of reader.resolveArray(acro?.get('Fields')) ?? []) {
    const d = reader.resolveDict(f);
    const v = d ? reader.resolveDict(d.get('V')) : undefined;
    const c = v ? reader.resolve(v.get('Contents')) : undefined;
    if (!d || !v || !(c instanceof PdfString)) continue;
    const t = reader.resolve(d.get('T'));
    out.push({
      field: t instanceof PdfString ? t.decodeText() : '',
      type: v.nameOf('Type') ?? '',
      subFilter: v.nameOf('SubFilter') ?? '',
      contents: c.bytes,
      cms: c.bytes.subarray(0, derLength(c.bytes)),
      byteRange: (reader.resolveArray(v.get('ByteRange')) ?? []).map((x) => reader.resolveNumber(x) ?? -1) as [number, number, number, number],
    });
  }
  return out;
}

export function signedData(pdf: Uint8Array, br: [number, number, number, number]): Buffer {
  return Buffer.concat([Buffer.from(pdf.subarray(br[0], br[0] + br[1])), Buffer.from(pdf.subarray(br[2], br[2] + br[3]))]);
}

/** openssl ts -verify of a TimeStampToken over `data`, trusting the test root only. */
export function opensslTsVerify(token: Uint8Array, data: Uint8Array): { ok: boolean; out: string } {
  const dir = tmpDir('kyso-ts-');
  const tok = writeTmp(dir, 'token.der', token);
  const dat = writeTmp(dir, 'data.bin', data);
  const r = spawnSync('openssl', ['ts', '-verify', '-token_in', '-in', tok, '-data', dat, '-CAfile', join(PKI, 'root.cert.pem'), '-untrusted', join(PKI, 'sub.cert.pem')], { encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  const out = (r.stdout ?? '') + (r.stderr ?? '');
  return { ok: r.status === 0 && /Verification: OK/.test(out), out };
}

/** The signature-time-stamp tokens of a CMS. */
export function signatureTimestamps(cms: Uint8Array): Uint8Array[] {
  return parseCms(cms).signer.unsignedAttributes.filter((a) => a.oid === OID.signatureTimeStampToken).flatMap((a) => a.values);
}

export interface DssRead {
  certs: Uint8Array[];
  ocsps: Uint8Array[];
  crls: Uint8Array[];
  vri: Map<string, { certs: number; ocsps: number; crls: number }>;
}

/** The DSS as our reader sees it: decoded streams of /Certs, /OCSPs, /CRLs, and the /VRI keys. */
export function readDssBack(pdf: Uint8Array): DssRead | undefined {
  const reader = PdfReader.open(pdf, { decrypt: true });
  const dss = reader.resolveDict(reader.catalog.get('DSS'));
  if (!dss) return undefined;
  const streams = (o: PdfObject | undefined) => (reader.resolveArray(o) ?? []).map((r) => reader.decodeStream(reader.resolveStream(r)!));
  const vri = new Map<string, { certs: number; ocsps: number; crls: number }>();
  const vd = reader.resolveDict(dss.get('VRI'));
  for (const [k, v] of vd?.map ?? []) {
    const e = reader.resolveDict(v)!;
    vri.set(k, { certs: reader.resolveArray(e.get('Cert'))?.length ?? 0, ocsps: reader.resolveArray(e.get('OCSP'))?.length ?? 0, crls: reader.resolveArray(e.get('CRL'))?.length ?? 0 });
  }
  return { certs: streams(dss.get('Certs')), ocsps: streams(dss.get('OCSPs')), crls: streams(dss.get('CRLs')), vri };
}

export const sha1Upper = (b: Uint8Array) => createHash('sha1').update(b).digest('hex').toUpperCase();

/** openssl's reading of an embedded OCSP response (signature checked against the test root). */
export function opensslOcspText(der: Uint8Array): { ok: boolean; out: string } {
  const dir = tmpDir('kyso-ocsp-');
  const f = writeTmp(dir, 'resp.der', der);
  const r = spawnSync('openssl', ['ocsp', '-respin', f, '-resp_text', '-CAfile', join(PKI, 'root.cert.pem'), '-verify_other', join(PKI, 'sub.cert.pem')], { encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  const out = (r.stdout ?? '') + (r.stderr ?? '');
  return { ok: r.status === 0 && /Response verify OK/.test(out), out };
}

export function opensslCrlOk(der: Uint8Array): boolean {
  const dir = tmpDir('kyso-crl-');
  const f = writeTmp(dir, 'c.crl', der);
  const r = spawnSync('openssl', ['crl', '-inform', 'DER', '-in', f, '-noout', '-CAfile', join(PKI, 'root.cert.pem')], { encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  return r.status === 0 && /verify OK/.test((r.stdout ?? '') + (r.stderr ?? ''));
}

/** The DSS of a B-LT/B-LTA file holds the chain, an OCSP response per end-entity, the root's CRL for the CA, and a VRI per signature. */
export function expectDss(pdf: Uint8Array, fields: string[]): DssRead {
  const dss = readDssBack(pdf);
  expect(dss, 'DSS in the catalog').toBeDefined();
  expect(dss!.certs.length).toBeGreaterThanOrEqual(3);
  expect(dss!.ocsps.length).toBeGreaterThanOrEqual(1);
  expect(dss!.crls.length).toBeGreaterThanOrEqual(1);
  for (const o of dss!.ocsps) expect(opensslOcspText(o).ok, opensslOcspText(o).out).toBe(true);
  for (const c of dss!.crls) expect(opensslCrlOk(c)).toBe(true);
  const sigs = fileSignatures(pdf);
  for (const f of fields) {
    const s = sigs.find((x) => x.field === f);
    expect(s, f).toBeDefined();
    const key = sha1Upper(s!.contents);
    expect(dss!.vri.has(key), `VRI key ${key} for ${f}; have ${[...dss!.vri.keys()].join(', ')}`).toBe(true);
    const e = dss!.vri.get(key)!;
    expect(e.certs).toBeGreaterThanOrEqual(3);
    expect(e.ocsps + e.crls).toBeGreaterThanOrEqual(2);
  }
  return dss!;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

/**
 * The OCSP/CRL responders on 127.0.0.1:8788/8789 (the URLs in the test certificates). The global setup starts them,
 * unless another test run from this checkout already serves them — and that run may end before this one does.
 * Called before each test: if nobody answers any more, a child process serves them (serve-responders.ts, which
 * stops by itself when the test run's main process is gone). Not in this process: pdfsig runs with spawnSync here and would
 * block the responders it is asking.
 */
export async function ensureResponders(): Promise<void> {
  if ((await portOpen(8788)) && (await portOpen(8789))) return;
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'testenv', 'serve-responders.ts')], {
    cwd: ROOT,
    // Tied to the test run (this worker's parent, vitest's main process), not to this worker: test files in the other
    // worker may be relying on these responders after this file ends.
    env: { ...process.env, KYSO_RESPONDERS_PARENT: String(process.ppid) },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  await new Promise<void>((resolve) => {
    const t = setTimeout(resolve, 10_000);
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('listening')) {
        clearTimeout(t);
        resolve();
      }
    });
    child.on('exit', () => {
      clearTimeout(t);
      resolve(); // EADDRINUSE: someone else serves them again
    });
  });
  // Nothing keeps this worker waiting for it.
  child.stdout?.destroy();
  child.unref();
}

/**
 * globalThis.fetch for the engine in tests: when the test PKI's responders stop answering mid-test (the test run that
 * served them ended), this process starts its own and the request is sent once more. Other URLs are left alone.
 */
export const testFetch: FetchLike = async (url, init) => {
  try {
    return await globalThis.fetch(url, init as RequestInit);
  } catch (e) {
    if (!/^http:\/\/127\.0\.0\.1:(8788|8789)\//.test(url) || init.signal?.aborted) throw e;
    await ensureResponders();
    return globalThis.fetch(url, init as RequestInit);
  }
};

export type KysoRun = { code: number | null; stdout: string; stderr: string };

/**
 * The built kyso bundle as a user runs it, with the test token's module config and PIN. Asynchronous: the test TSA
 * answers from the test's own process, so the child must not block it. Runs once more when the shared test
 * responders vanished during the run (another test run that served them ended).
 */
export async function runKyso(args: string[], env: { softhsmConf: string; userPin: string }): Promise<KysoRun> {
  await ensureResponders();
  const r = await runKysoOnce(args, env);
  if (r.code !== 0 && /127\.0\.0\.1:878[89]\/[^;]*: (ECONNREFUSED|ECONNRESET|timeout)/.test(r.stderr)) {
    await ensureResponders();
    return runKysoOnce(args, env);
  }
  return r;
}

export function runKysoOnce(args: string[], env: { softhsmConf: string; userPin: string }): Promise<KysoRun> {
  const e: NodeJS.ProcessEnv = { ...process.env, SOFTHSM2_CONF: env.softhsmConf, KYSO_PIN: env.userPin };
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [join(ROOT, 'native-host', 'bin', 'kyso.mjs'), ...args], { env: e });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d) => (stdout += d));
    c.stderr.on('data', (d) => (stderr += d));
    const t = setTimeout(() => c.kill(), 120_000);
    c.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A refused kyso run: the code on stderr, the exit status, no output file and no temporary file left behind. */
export function expectRefused(r: KysoRun, code: string, exit: number, out: string): void {
  expect(r.stderr).toContain(`${code}:`);
  expect(r.code).toBe(exit);
  expect(existsSync(out)).toBe(false);
  expect(readdirSync(dirname(out)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
}
