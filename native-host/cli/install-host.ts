// kyso install-host [--user | --system] [--browser chrome,edge,chromium] [--dir DIR] [--reg-dir DIR] [--dry-run] [--json]:
// registers kyso as the native messaging host vn.kyso.host for the browsers (see native-host/install/).

import { HOST_NAME } from '@kyso/shared/protocol/extension-id';
import { installHost } from '../install/execute.ts';
import { hostOptions, planJson, planLines, scopeVi } from '../install/options.ts';
import { planHost } from '../install/plan.ts';
import { currentProgram } from '../install/program.ts';
import { regExe } from '../install/registry.ts';

export async function installHostCommand(args: string[]): Promise<number> {
  const o = hostOptions(args, 'install-host');
  const plan = planHost({ platform: o.platform, scope: o.scope, browsers: o.browsers, env: process.env, program: currentProgram(), dir: o.dir, regDir: o.regDir });
  if (!o.dryRun) installHost(plan, { registry: plan.registry.length > 0 ? regExe : undefined });
  if (o.json) process.stdout.write(JSON.stringify({ action: 'install', dryRun: o.dryRun, ...planJson(plan) }, null, 2) + '\n');
  else {
    const head = o.dryRun ? `Chạy thử, chưa ghi gì. Lệnh sẽ cài ${HOST_NAME} ${scopeVi(plan.scope)}:` : `Đã cài ${HOST_NAME} ${scopeVi(plan.scope)}:`;
    process.stdout.write([head, ...planLines(plan), ''].join('\n'));
  }
  return 0;
}
