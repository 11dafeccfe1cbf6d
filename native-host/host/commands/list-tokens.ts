// listTokens: every initialized token every module sees, the known modules and those the extension names. A module
// that is missing or fails is reported in `problems`, never allowed to hide the others.

import { realpathSync } from 'node:fs';
import { asKysoError, KysoError } from '@kyso/shared/protocol/errors';
import type { ListTokensResult } from '@kyso/shared/protocol/messages';
import { discoverModules } from '../../token/modules.ts';
import { Pkcs11Service } from '../../token/pkcs11-service.ts';
import type { CommandSpec } from '../command.ts';
import { bad, modulePath, object, typeName } from '../validate.ts';

/** The most extra module paths one request may name. */
export const MAX_EXTRA_MODULES = 16;

function samePathKey(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

export const listTokens: CommandSpec<'listTokens'> = {
  command: 'listTokens',
  timeout: 'default',
  parse(params) {
    const o = object(params, 'params', [], ['modules']);
    if (o.modules === undefined) return {};
    if (!Array.isArray(o.modules)) throw bad('params.modules', `must be an array of paths, got ${typeName(o.modules)}.`);
    if (o.modules.length > MAX_EXTRA_MODULES) throw bad('params.modules', `must name at most ${MAX_EXTRA_MODULES} modules.`);
    return { modules: o.modules.map((m, i) => modulePath(m, `params.modules[${i}]`)) };
  },
  queueKey: () => null,
  async run(params, ctx) {
    const candidates: { path: string; loadable: boolean }[] = [
      ...(params.modules ?? []).map((p) => ({ path: p, loadable: true })),
      ...discoverModules().map((m) => ({ path: m.path, loadable: m.loadable })),
    ];
    const seen = new Set<string>();
    const result: ListTokensResult = { tokens: [], problems: [] };
    for (const c of candidates) {
      if (ctx.signal.aborted) break;
      const key = samePathKey(c.path);
      if (seen.has(key)) continue;
      seen.add(key);
      if (!c.loadable) {
        result.problems.push({
          module: c.path,
          error: new KysoError('MODULE_LOAD_FAILED', `${c.path} is built for another processor architecture than this host (${process.arch}).`, { path: c.path }).toPayload(),
        });
        continue;
      }
      try {
        const tokens = await Pkcs11Service.use(c.path, (s) => s.listTokens());
        // A slot with a blank token (SoftHSM always shows one) cannot sign anything.
        for (const t of tokens.filter((x) => x.flags.tokenInitialized)) {
          result.tokens.push({
            module: c.path,
            label: t.label,
            manufacturer: t.manufacturer,
            model: t.model,
            serial: t.serial,
            protectedAuthPath: t.flags.protectedAuthPath,
            pinCountLow: t.flags.pinCountLow,
            pinFinalTry: t.flags.pinFinalTry,
            pinLocked: t.flags.pinLocked,
          });
        }
      } catch (e) {
        const err = asKysoError(e, 'TOKEN_ERROR');
        ctx.log.warn(`listTokens: ${c.path}: ${err.code}`);
        result.problems.push({ module: c.path, error: err.toPayload() });
      }
    }
    return result;
  },
};
