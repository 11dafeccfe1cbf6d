// Options install-host and uninstall-host share, and how their results are printed.

import { resolve } from 'node:path';
import { HOST_NAME } from '@kyso/shared/protocol/extension-id';
import { KysoError } from '@kyso/shared/protocol/errors';
import { parse, usage } from '../cli/args.ts';
import { BROWSER_NAMES, BROWSERS, PLATFORMS, type Browser, type Plan, type Platform, type Scope } from './plan.ts';
import { HIVE_NAMES } from './reg-file.ts';

export interface HostOptions {
  platform: Platform;
  scope: Scope;
  browsers: Browser[];
  dir?: string;
  regDir?: string;
  dryRun: boolean;
  json: boolean;
}

export function currentPlatform(): Platform {
  const p = process.platform;
  if (p === 'linux' || p === 'darwin' || p === 'win32') return p;
  throw new KysoError('INSTALL_FAILED', `Unsupported platform ${p}.`, undefined, { vi: `KýSố chưa hỗ trợ cài cho trình duyệt trên hệ điều hành ${p}.` });
}

export function hostOptions(args: string[], command: string): HostOptions {
  const { values, positionals } = parse(args, {
    user: { type: 'boolean' },
    system: { type: 'boolean' },
    browser: { type: 'string' },
    dir: { type: 'string' },
    'reg-dir': { type: 'string' },
    'dry-run': { type: 'boolean' },
    platform: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length > 0) throw usage(`Unexpected argument ${positionals[0]}.`, `Tham số thừa: ${positionals[0]}. Xem kyso --help.`);
  if (values.user && values.system) throw usage('--user and --system exclude each other.', 'Chỉ chọn một trong --user và --system.');
  const browsers: Browser[] = [];
  for (const b of (values.browser ?? BROWSERS.join(',')).split(',').map((s) => s.trim().toLowerCase())) {
    if (!b) continue;
    if (!(BROWSERS as readonly string[]).includes(b)) throw usage(`Unknown browser ${b}.`, `Trình duyệt không hợp lệ: ${b} (chọn trong chrome, edge, chromium).`);
    if (!browsers.includes(b as Browser)) browsers.push(b as Browser);
  }
  if (browsers.length === 0) throw usage('--browser is empty.', 'Chưa chọn trình duyệt nào (chrome, edge, chromium).');
  let platform = currentPlatform();
  if (values.platform !== undefined) {
    if (!(PLATFORMS as readonly string[]).includes(values.platform)) throw usage(`Unknown platform ${values.platform}.`, `Hệ điều hành không hợp lệ: ${values.platform} (linux, darwin, win32).`);
    if (values.platform !== platform && !values['dry-run'])
      throw usage('--platform other than this one only shows a plan: add --dry-run.', `--platform khác hệ điều hành đang chạy chỉ dùng để xem trước: thêm --dry-run (${command}).`);
    platform = values.platform as Platform;
  }
  // Relative folders are taken from the current directory when the plan is for this machine.
  const abs = (d: string | undefined) => (d === undefined || platform !== currentPlatform() ? d : resolve(d));
  return {
    platform,
    scope: values.system ? 'system' : 'user',
    browsers,
    dir: abs(values.dir),
    regDir: abs(values['reg-dir']),
    dryRun: values['dry-run'] ?? false,
    json: values.json ?? false,
  };
}

export function scopeVi(scope: Scope): string {
  return scope === 'system' ? 'cho mọi người dùng trên máy' : 'cho người dùng hiện tại';
}

export const regPath = (r: { hive: keyof typeof HIVE_NAMES; key: string }) => `${r.hive}\\${r.key}`;

/** The plan as JSON (dry runs and --json results share it). */
export function planJson(plan: Plan) {
  return {
    hostName: HOST_NAME,
    platform: plan.platform,
    scope: plan.scope,
    browsers: plan.browsers,
    hostPath: plan.hostPath,
    program: plan.program,
    dataDir: plan.dataDir,
    files: plan.files.map((f) => ({ kind: f.kind, path: f.path, browsers: f.browsers })),
    registry: plan.registry.map((r) => ({ browser: r.browser, key: regPath(r), value: r.value })),
  };
}

/** Human-readable lines describing the plan: manifests per browser, program, registry keys, .reg files. */
export function planLines(plan: Plan): string[] {
  const out: string[] = [];
  const pad = Math.max(...plan.browsers.map((b) => BROWSER_NAMES[b].length)) + 2;
  for (const f of plan.files) {
    if (f.kind === 'manifest' && f.browsers.length === 1) out.push(`  ${BROWSER_NAMES[f.browsers[0]].padEnd(pad)}${f.path}`);
    else if (f.kind === 'manifest') out.push(`  tệp khai báo  ${f.path}`);
  }
  for (const r of plan.registry) out.push(`  ${BROWSER_NAMES[r.browser].padEnd(pad)}${regPath(r)} = ${r.value}`);
  out.push(`  Trình duyệt sẽ chạy: ${plan.hostPath}`);
  if (plan.program.kind === 'node') out.push(`    (tệp chạy kèm, gọi ${plan.program.node} ${plan.program.script})`);
  for (const f of plan.files) if (f.kind === 'reg-install' || f.kind === 'reg-uninstall') out.push(`  tệp .reg ${f.kind === 'reg-install' ? 'để cài' : 'để gỡ'}: ${f.path}`);
  return out;
}
