// logout: the host keeps no login between requests (sign logs in, signs and logs out before it replies), so
// logout ends nothing by itself; it is answered once every request queued before it on that token has finished,
// after which no session of the host is logged in to the token. Idempotent.

import type { CommandSpec } from '../command.ts';
import { object, tokenLabel } from '../validate.ts';

export const logout: CommandSpec<'logout'> = {
  command: 'logout',
  timeout: 'default',
  parse(params) {
    const o = object(params, 'params', ['token']);
    return { token: tokenLabel(o.token, 'params.token') };
  },
  queueKey: () => null,
  async run(p, ctx) {
    await ctx.drainToken(p.token);
    return {};
  },
};
