// cancel: abandons a pending request. Its reply becomes USER_CANCELLED at once; if it was still waiting for its
// token it never runs (a PIN it carried is never sent), if it was already at the token its result is dropped.

import type { CommandSpec } from '../command.ts';
import { object, string } from '../validate.ts';

export const cancel: CommandSpec<'cancel'> = {
  command: 'cancel',
  timeout: 'default',
  parse(params) {
    const o = object(params, 'params', ['requestId']);
    return { requestId: string(o.requestId, 'params.requestId', { max: 64 }) };
  },
  queueKey: () => null,
  async run(p, ctx) {
    return { cancelled: p.requestId !== ctx.id && ctx.cancelRequest(p.requestId) };
  },
};
