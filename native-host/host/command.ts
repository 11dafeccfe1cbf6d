// What a command file provides to the dispatcher: strict parsing of its params, which token queue it waits in,
// which timeout applies, and the work itself.

import type { Command, CommandMap } from '@kyso/shared/protocol/messages';
import type { Logger } from './log.ts';

export interface HostConfig {
  /** Timeout of every request but sign, from arrival to reply (queue wait included). */
  timeoutMs: number;
  /** Timeout of sign: long enough for a PIN pad. */
  signTimeoutMs: number;
}

export interface CommandContext {
  /** This request's id. */
  id: string;
  /** Aborted once the request has its reply (done, cancelled, timed out): later work is of no use. */
  signal: AbortSignal;
  log: Logger;
  config: HostConfig;
  /** Abandons another pending request (its reply becomes USER_CANCELLED); false when none has that id. */
  cancelRequest(requestId: string): boolean;
  /** Resolves when every request already queued for this token label (any module) has finished. */
  drainToken(token: string): Promise<void>;
}

export interface CommandSpec<C extends Command> {
  command: C;
  /** Strict check of params; throws BAD_MESSAGE. */
  parse(params: unknown): CommandMap[C]['params'];
  /** Requests with the same key run one after another (a token: module + label); null: run at once. */
  queueKey(params: CommandMap[C]['params']): string | null;
  timeout: 'default' | 'sign';
  run(params: CommandMap[C]['params'], ctx: CommandContext): Promise<CommandMap[C]['result']>;
  /** Drops secrets from params once the request is settled (the PIN). */
  forget?(params: CommandMap[C]['params']): void;
}

export type AnyCommandSpec = { [C in Command]: CommandSpec<C> }[Command];

/** The queue of one token: its module and its label. */
export function tokenQueueKey(module: string, token: string): string {
  return `${module}\u0000${token}`;
}
