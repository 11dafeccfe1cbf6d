// `npm run bench`: KýSố's signing engine against poppler's `pdfsig -add-signature` on two generated files.
// Prints figures, asserts nothing about speed (see scripts/bench/README.md for what each number means).
//
// Environment: KYSO_BENCH_RUNS (runs per tool and file, default 7, the first reported as cold),
//              KYSO_BENCH_PROFILE_REPS (in-process repetitions for the breakdown, default 7).

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { makeLargeImagePdf, makeManyPagesPdf } from './generate.ts';
import { startResponders, type Responders } from '../testenv/responders.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT = join(ROOT, 'out', 'bench');
const KYSO = join(ROOT, '.kyso');
const PKI = join(KYSO, 'pki');
const NSSDB_VERIFY = join(KYSO, 'nssdb');
const NSSDB_SIGNER = join(KYSO, 'nssdb-signer');
const SIGNER_NICK = 'leader'; // make-nssdb.sh imports leader.p12 under this nickname; the database has no password
const TIME = '/usr/bin/time';
const RUNS = Math.max(2, Number(process.env.KYSO_BENCH_RUNS ?? 7));
const LOAD_AT_START = os.loadavg()[0];
const PROFILE_REPS = Math.max(2, Number(process.env.KYSO_BENCH_PROFILE_REPS ?? 7));

interface BenchFile {
  id: string;
  path: string;
  pages: number;
  bytes: number;
  xref: string;
}

interface Run {
  wallMs: number;
  rssMB?: number;
  cpuMs?: number;
  child?: ChildReport;
}

interface ChildReport {
  loadMs: number;
  setupMs: number;
  readMs: number;
  signMs: number;
  writeMs: number;
  totalInProcessMs: number;
  sinceStartMs: number;
  gcMs: number;
  maxRssMB: number;
}

interface ProfileReport {
  loadMs: number;
  phases: Record<string, number>[];
  totals: number[];
  real: number[];
  maxRssMB: number;
}

// ---------- small helpers ----------

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (x: number | undefined, d = 0): string => (x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(d));
const mb = (b: number): string => (b / 1e6).toFixed(1);

function table(head: string[], rows: string[][], rightFrom = 1): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i >= rightFrom ? c.padStart(w[i]) : c.padEnd(w[i]))).join('  ');
  return [line(head), w.map((x) => '-'.repeat(x)).join('  '), ...rows.map(line)].join('\n');
}

function log(s: string): void {
  process.stderr.write(`[bench] ${s}\n`);
}

/** Runs a command under /usr/bin/time (peak RSS, CPU) and measures its wall time from spawn to exit. */
function timed(cmd: string, args: string[]): Promise<{ run: Run; stdout: string; stderr: string; code: number }> {
  const haveTime = existsSync(TIME);
  const timeFile = join(OUT, `.time-${process.pid}.txt`);
  const [file, argv] = haveTime ? [TIME, ['-f', '%M %U %S', '-o', timeFile, cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const p = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      const run: Run = { wallMs };
      if (haveTime && existsSync(timeFile)) {
        const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
        const [rssKB, user, sys] = last.split(/\s+/).map(Number);
        if (Number.isFinite(rssKB)) run.rssMB = rssKB / 1024;
        if (Number.isFinite(user) && Number.isFinite(sys)) run.cpuMs = (user + sys) * 1000;
        rmSync(timeFile, { force: true });
      }
      resolve({ run, stdout, stderr, code: code ?? -1 });
    });
  });
}

/** With our own responders running pdfsig checks OCSP; without them (port taken, or they failed) it is told not to. */
let ocspArgs: string[] = [];

/** pdfsig's verdict on a signed file (async: the OCSP responder lives in this process). */
async function verify(path: string): Promise<{ valid: boolean; trust: string; type: string; count: number }> {
  const r = await timed('pdfsig', ['-nssdir', `sql:${NSSDB_VERIFY}`, ...ocspArgs, path]);
  const out = r.stdout + r.stderr;
  const valid = /Signature Validation: Signature is Valid\./.test(out);
  const trust = /Certificate Validation: (.*)/.exec(out)?.[1]?.trim() ?? '?';
  const type = /Signature Type: (.*)/.exec(out)?.[1]?.trim() ?? '?';
  const count = (out.match(/^Signature #\d+:/gm) ?? []).length;
  return { valid, trust, type, count };
}

function samePrefix(original: Uint8Array, signed: Uint8Array): boolean {
  return signed.length > original.length && Buffer.compare(original, signed.subarray(0, original.length)) === 0;
}

// ---------- steps ----------

function checkPrerequisites(): void {
  const fixtures = spawnSync('bash', [join(ROOT, 'scripts', 'testenv', 'make-all.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (fixtures.status !== 0) throw new Error('scripts/testenv/make-all.sh failed');
  if (spawnSync('pdfsig', ['-v']).error) throw new Error('pdfsig (poppler-utils) not found: run scripts/install-system-deps.sh');
  for (const f of [join(PKI, 'leader.key.pem'), join(NSSDB_SIGNER, 'key4.db'), join(NSSDB_VERIFY, 'cert9.db')]) {
    if (!existsSync(f)) throw new Error(`${f} missing: scripts/testenv/make-all.sh did not make it (libnss3-tools installed?)`);
  }
  if (!existsSync(TIME)) log(`${TIME} not found: pdfsig's RSS will be n/a; ours falls back to process.resourceUsage() in the child`);
}

async function bundleChild(): Promise<string> {
  const outfile = join(OUT, 'child.mjs');
  await build({
    absWorkingDir: ROOT,
    entryPoints: [join(ROOT, 'scripts', 'bench', 'child.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['pkcs11js', 'pdfjs-dist', 'pdfjs-dist/*'],
    banner: { js: "import { createRequire as __kysoRequire } from 'node:module'; const require = __kysoRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  return outfile;
}

function generate(): BenchFile[] {
  const files: BenchFile[] = [];
  const t0 = performance.now();
  const specs = [
    { id: 'large-200p', pages: 200, xref: 'table', make: () => makeLargeImagePdf(200) },
    { id: 'pages-3000p', pages: 3000, xref: 'stream+objstm', make: () => makeManyPagesPdf(3000) },
  ];
  for (const s of specs) {
    const bytes = s.make();
    const path = join(OUT, `${s.id}.pdf`);
    writeFileSync(path, bytes);
    files.push({ id: s.id, path, pages: s.pages, bytes: bytes.length, xref: s.xref });
  }
  log(`generated ${files.map((f) => `${f.id}.pdf (${mb(f.bytes)} MB)`).join(', ')} in ${fmt(performance.now() - t0)} ms`);
  return files;
}

async function startOcsp(): Promise<Responders | undefined> {
  try {
    return await startResponders(PKI);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    log(`test OCSP responder not started here (${code === 'EADDRINUSE' ? 'port 8788/8789 taken by another process' : (e as Error).message}): verifying with -no-ocsp`);
    ocspArgs = ['-no-ocsp'];
    return undefined;
  }
}

interface FileResult {
  file: BenchFile;
  ours: Run[];
  pdfsig: Run[];
  oursVerdict: Awaited<ReturnType<typeof verify>>;
  pdfsigVerdict: Awaited<ReturnType<typeof verify>>;
  oursUpdate: number;
  pdfsigUpdate: number;
  profile?: ProfileReport;
  profileValid?: boolean;
}

async function benchFile(file: BenchFile, child: string): Promise<FileResult> {
  const oursOut = join(OUT, `${file.id}.kyso.pdf`);
  const popplerOut = join(OUT, `${file.id}.pdfsig.pdf`);
  const original = new Uint8Array(readFileSync(file.path));
  const ours: Run[] = [];
  const pdfsig: Run[] = [];

  const runOurs = async () => {
    rmSync(oursOut, { force: true });
    const r = await timed(process.execPath, ['--expose-gc', child, 'sign', file.path, oursOut]);
    if (r.code !== 0) throw new Error(`our signing failed on ${file.id}:\n${r.stderr}`);
    const rep = JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildReport;
    r.run.child = rep;
    if (r.run.rssMB === undefined) r.run.rssMB = rep.maxRssMB;
    ours.push(r.run);
  };
  const runPdfsig = async () => {
    rmSync(popplerOut, { force: true });
    const r = await timed('pdfsig', ['-add-signature', '-nssdir', `sql:${NSSDB_SIGNER}`, '-nick', SIGNER_NICK, '-digest', 'SHA256', '-reason', 'Ký phụ lục', '-new-signature-field-name', 'PopplerBench', file.path, popplerOut]);
    if (r.code !== 0 || !existsSync(popplerOut)) throw new Error(`pdfsig -add-signature failed on ${file.id} (exit ${r.code}):\n${r.stdout}${r.stderr}`);
    pdfsig.push(r.run);
  };

  // Run 1 of each (cold), then check both outputs before timing anything else.
  await runOurs();
  await runPdfsig();
  const oursSigned = new Uint8Array(readFileSync(oursOut));
  const popplerSigned = new Uint8Array(readFileSync(popplerOut));
  const [oursVerdict, pdfsigVerdict] = [await verify(oursOut), await verify(popplerOut)];
  if (!oursVerdict.valid || oursVerdict.count !== 1 || !samePrefix(original, oursSigned)) {
    throw new Error(`${file.id}: our output is not a valid single-signature incremental update (pdfsig: valid=${oursVerdict.valid}, ${oursVerdict.count} signature(s), prefix=${samePrefix(original, oursSigned)}); not benchmarking a broken signing`);
  }
  if (!pdfsigVerdict.valid) log(`warning: pdfsig's own output for ${file.id} does not verify`);

  // Warm runs, interleaved and alternating which goes first, so background load hits both alike.
  for (let i = 1; i < RUNS; i++) {
    if (i % 2) {
      await runPdfsig();
      await runOurs();
    } else {
      await runOurs();
      await runPdfsig();
    }
  }

  // Breakdown: the pipeline in timed phases, PROFILE_REPS times in one process.
  const profOut = join(OUT, `${file.id}.kyso-profile.pdf`);
  const pr = await timed(process.execPath, ['--expose-gc', child, 'profile', file.path, profOut, String(PROFILE_REPS)]);
  let profile: ProfileReport | undefined;
  let profileValid: boolean | undefined;
  if (pr.code === 0) {
    profile = JSON.parse(pr.stdout.trim().split('\n').pop()!) as ProfileReport;
    profileValid = (await verify(profOut)).valid;
  } else log(`profile run failed on ${file.id}:\n${pr.stderr}`);

  return { file, ours, pdfsig, oursVerdict, pdfsigVerdict, oursUpdate: oursSigned.length - original.length, pdfsigUpdate: popplerSigned.length - original.length, profile, profileValid };
}

// ---------- report ----------

function report(results: FileResult[]): void {
  const warm = (rs: Run[]) => rs.slice(1);
  const out: string[] = [];
  out.push('');
  out.push(`KýSố signing benchmark — appendix mode, software signer (token time excluded), RSA-2048, SHA-256`);
  out.push(`node ${process.version}, ${spawnSync('pdfsig', ['-v'], { encoding: 'utf8' }).stderr.split('\n')[0]}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, load avg (1 min) ${LOAD_AT_START.toFixed(2)} at start, ${os.loadavg()[0].toFixed(2)} at end`);
  out.push(`${RUNS} runs per tool and file, each a fresh process; run 1 = cold, medians over runs 2–${RUNS}. Wall = spawn to exit; RSS = peak (/usr/bin/time %M).`);
  out.push('');
  const rows = results.map((r) => {
    const o = median(warm(r.ours).map((x) => x.wallMs));
    const p = median(warm(r.pdfsig).map((x) => x.wallMs));
    const inproc = median(warm(r.ours).map((x) => x.child!.readMs + x.child!.signMs + x.child!.writeMs));
    return [
      r.file.id,
      String(r.file.pages),
      `${mb(r.file.bytes)} MB`,
      r.file.xref,
      fmt(o),
      fmt(p),
      (o / p).toFixed(2),
      fmt(inproc),
      (inproc / p).toFixed(2),
      fmt(median(warm(r.ours).map((x) => x.rssMB ?? NaN)), 1),
      fmt(median(warm(r.pdfsig).map((x) => x.rssMB ?? NaN)), 1),
    ];
  });
  out.push(table(['file', 'pages', 'size', 'xref', 'ours ms', 'pdfsig ms', 'ratio', 'ours in-proc ms', 'ratio in-proc', 'ours RSS MB', 'pdfsig RSS MB'], rows, 1));
  out.push('');
  out.push('ours ms: `node child.mjs sign` process, start to exit (node start + bundle load + key/fonts + read + signPdf + write).');
  out.push('ours in-proc ms: read + signPdf + write inside that process (no node start-up). ratio = ours / pdfsig; target ≤ 1.0.');
  out.push('');

  out.push('Cold runs (run 1) and details (medians of warm runs):');
  const drows = results.map((r) => {
    const c = r.ours[0];
    const w = warm(r.ours);
    const m = (f: (c: ChildReport) => number) => median(w.map((x) => f(x.child!)));
    return [
      r.file.id,
      fmt(c.wallMs),
      fmt(r.pdfsig[0].wallMs),
      fmt(m((c) => c.loadMs)),
      fmt(m((c) => c.setupMs), 1),
      fmt(m((c) => c.readMs), 1),
      fmt(m((c) => c.signMs)),
      fmt(m((c) => c.writeMs), 1),
      fmt(m((c) => c.gcMs), 1),
      fmt(median(w.map((x) => x.wallMs - x.child!.sinceStartMs))),
      fmt(median(w.map((x) => x.cpuMs ?? NaN))),
      fmt(median(warm(r.pdfsig).map((x) => x.cpuMs ?? NaN))),
      `${(r.oursUpdate / 1024).toFixed(0)} / ${(r.pdfsigUpdate / 1024).toFixed(0)}`,
    ];
  });
  out.push(
    table(['file', 'ours cold', 'pdfsig cold', 'node+load', 'key+fonts', 'read', 'signPdf', 'write', 'GC in sign', 'exit+spawn', 'ours CPU', 'pdfsig CPU', 'update KB ours/pdfsig'], drows, 1),
  );
  out.push('');
  out.push('node+load: node start-up and loading the bundle; key+fonts: reading the key and the three fonts; read/signPdf/write: in the child;');
  out.push('GC in sign: main-thread GC pauses inside read+signPdf+write; exit+spawn: the rest of the wall time (process exit, spawn, /usr/bin/time).');
  out.push('');
  out.push(`Verification (pdfsig -nssdir sql:.kyso/nssdb${ocspArgs.length ? ' -no-ocsp' : ', OCSP answered by the test responder'}):`);
  for (const r of results) {
    out.push(`  ${r.file.id}: ours ${r.oursVerdict.valid ? 'Signature is Valid.' : 'INVALID'} (${r.oursVerdict.type}; certificate: ${r.oursVerdict.trust}); pdfsig's ${r.pdfsigVerdict.valid ? 'Signature is Valid.' : 'INVALID'} (${r.pdfsigVerdict.type}); breakdown replica ${r.profileValid === undefined ? 'n/a' : r.profileValid ? 'valid' : 'INVALID'}`);
  }

  for (const r of results) {
    const p = r.profile;
    if (!p) continue;
    out.push('');
    out.push(`Breakdown, ${r.file.id} (signPdf's steps timed one by one in one process, ${p.phases.length} reps; cold = first signing in the process):`);
    const names = Object.keys(p.phases[0]);
    const warmPh = p.phases.slice(1);
    const warmTotal = median(p.totals.slice(1));
    const rowsB = names.map((nm) => {
      const w = median(warmPh.map((x) => x[nm] ?? 0));
      return [nm, fmt(p.phases[0][nm], 1), fmt(w, 1), `${((100 * w) / warmTotal).toFixed(0)}%`];
    });
    rowsB.push(['total (measured around all the steps; "of which" rows are inside them)', fmt(p.totals[0], 1), fmt(warmTotal, 1), '100%']);
    rowsB.push(['real signPdf + read + write, same process (for comparison)', fmt(p.real[0], 1), fmt(median(p.real.slice(1)), 1), '']);
    out.push(table(['phase', 'cold ms', 'warm ms', 'warm %'], rowsB, 1));
    out.push(`  process: node start + bundle load ${fmt(p.loadMs)} ms; peak RSS after ${2 * p.phases.length} signings ${fmt(p.maxRssMB, 1)} MB`);
  }
  process.stdout.write(out.join('\n') + '\n');
}

async function main(): Promise<void> {
  const t0 = performance.now();
  mkdirSync(OUT, { recursive: true });
  checkPrerequisites();
  const child = await bundleChild();
  const files = generate();
  const responders = await startOcsp();
  const results: FileResult[] = [];
  try {
    for (const f of files) {
      log(`${f.id}: ${RUNS} runs each of ours and pdfsig, then the breakdown`);
      results.push(await benchFile(f, child));
    }
  } finally {
    await responders?.close();
  }
  report(results);
  process.stdout.write(`\n(total benchmark time ${((performance.now() - t0) / 1000).toFixed(1)} s; files in ${OUT})\n`);
}

main().catch((e) => {
  process.stderr.write(`[bench] ${(e as Error).message ?? e}\n`);
  process.exitCode = 1;
});
