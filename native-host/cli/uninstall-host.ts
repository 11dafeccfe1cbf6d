// kyso uninstall-host [--user | --system] [--browser chrome,edge,chromium] [--dir DIR] [--reg-dir DIR] [--dry-run] [--json]:
// removes what install-host wrote, and only that; running it again changes nothing.

import { HOST_NAME } from '@kyso/shared/protocol/extension-id';
import { uninstallHost } from '../install/execute.ts';
import { hostOptions, planJson, planLines, regPath, scopeVi } from '../install/options.ts';
import { planHost } from '../install/plan.ts';
import { currentProgram } from '../install/program.ts';
import { regExe } from '../install/registry.ts';

export async function uninstallHostCommand(args: string[]): Promise<number> {
  const o = hostOptions(args, 'uninstall-host');
  const plan = planHost({ platform: o.platform, scope: o.scope, browsers: o.browsers, env: process.env, program: currentProgram(), dir: o.dir, regDir: o.regDir });
  if (o.dryRun) {
    if (o.json) process.stdout.write(JSON.stringify({ action: 'uninstall', dryRun: true, ...planJson(plan), launcherPath: plan.launcherPath }, null, 2) + '\n');
    else process.stdout.write([`Chạy thử, chưa xóa gì. Lệnh sẽ gỡ ${HOST_NAME} ${scopeVi(plan.scope)}, chỉ những tệp và khóa do KýSố ghi:`, ...planLines(plan), `  tệp chạy kèm (nếu có): ${plan.launcherPath}`, ''].join('\n'));
    return 0;
  }
  const r = uninstallHost(plan, { registry: plan.registry.length > 0 ? regExe : undefined });
  if (o.json) {
    const registryRemoved = r.registryRemoved.map((k) => ({ browser: k.browser, key: regPath(k) }));
    process.stdout.write(JSON.stringify({ action: 'uninstall', dryRun: false, hostName: HOST_NAME, platform: plan.platform, scope: plan.scope, browsers: plan.browsers, ...r, registryRemoved }, null, 2) + '\n');
  } else {
    const lines = [`Gỡ ${HOST_NAME} ${scopeVi(plan.scope)}:`];
    for (const k of r.registryRemoved) lines.push(`  đã xóa khóa ${regPath(k)}`);
    for (const f of r.removed) lines.push(`  đã xóa ${f.path}`);
    if (r.removedDir) lines.push(`  đã xóa thư mục trống ${r.removedDir}`);
    for (const f of r.kept) lines.push(`  giữ lại (không phải do KýSố ghi): ${f.path}`);
    if (r.registryRemoved.length + r.removed.length === 0) lines.push('  Không có gì để gỡ: KýSố chưa được cài ở đây.');
    process.stdout.write(lines.join('\n') + '\n');
  }
  return 0;
}
