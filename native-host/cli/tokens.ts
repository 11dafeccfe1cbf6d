// kyso tokens [--module PATH] [--json]: the tokens every module can see.

import { asKysoError, type ErrorPayload } from '@kyso/shared/protocol/errors';
import { Pkcs11Service, type TokenSummary } from '../token/pkcs11-service.ts';
import { parse } from './args.ts';
import { modulePaths } from './module-path.ts';

export async function tokensCommand(args: string[]): Promise<number> {
  const { values } = parse(args, { module: { type: 'string' }, json: { type: 'boolean' } });
  const result: { module: string; tokens: TokenSummary[]; error?: ErrorPayload }[] = [];
  for (const path of modulePaths(values.module)) {
    try {
      result.push({ module: path, tokens: await Pkcs11Service.use(path, (s) => s.listTokens()) });
    } catch (e) {
      // With --module the failure is the answer; while scanning known modules, one broken module must not hide the others.
      if (values.module) throw e;
      result.push({ module: path, tokens: [], error: asKysoError(e).toPayload() });
    }
  }
  if (values.json) process.stdout.write(JSON.stringify({ modules: result }, null, 2) + '\n');
  else
    for (const m of result) {
      process.stdout.write(`${m.module}\n`);
      if (m.error) process.stdout.write(`  ${m.error.code}: ${m.error.messageVi}\n`);
      for (const t of m.tokens) {
        const pin = t.flags.pinLocked ? ' [PIN đã bị khóa]' : t.flags.pinFinalTry ? ' [lần thử PIN cuối cùng]' : t.flags.pinCountLow ? ' [còn ít lần thử PIN]' : '';
        process.stdout.write(`  "${t.label}"  ${t.manufacturer} ${t.model}  số sê-ri ${t.serial}${pin}\n`);
      }
    }
  return 0;
}
