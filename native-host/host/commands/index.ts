// The commands the host answers, one file each.

import type { Command } from '@kyso/shared/protocol/messages';
import type { AnyCommandSpec } from '../command.ts';
import { cancel } from './cancel.ts';
import { hello } from './hello.ts';
import { listCertificates } from './list-certificates.ts';
import { listTokens } from './list-tokens.ts';
import { logout } from './logout.ts';
import { sign } from './sign.ts';

export const COMMAND_SPECS: { readonly [C in Command]: AnyCommandSpec & { command: C } } = {
  hello,
  listTokens,
  listCertificates,
  sign,
  logout,
  cancel,
};
