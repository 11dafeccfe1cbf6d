// hello: who the host is and which PKCS#11 modules it sees; refuses an extension whose protocol it does not speak.

import { KysoError } from '@kyso/shared/protocol/errors';
import { PROTOCOL_VERSION, type HelloResult } from '@kyso/shared/protocol/messages';
import { discoverModules } from '../../token/modules.ts';
import hostPackage from '../../package.json' with { type: 'json' };
import type { CommandSpec } from '../command.ts';
import { integer, object, string } from '../validate.ts';

export const HOST_VERSION: string = hostPackage.version;

export const hello: CommandSpec<'hello'> = {
  command: 'hello',
  timeout: 'default',
  parse(params) {
    const o = object(params, 'params', ['protocolVersion', 'extensionVersion']);
    return {
      protocolVersion: integer(o.protocolVersion, 'params.protocolVersion', 0, 1_000_000),
      extensionVersion: string(o.extensionVersion, 'params.extensionVersion', { max: 64 }),
    };
  },
  queueKey: () => null,
  async run(params) {
    const versions = { hostProtocolVersion: PROTOCOL_VERSION, extensionProtocolVersion: params.protocolVersion, hostVersion: HOST_VERSION };
    if (params.protocolVersion > PROTOCOL_VERSION) {
      throw new KysoError('HOST_UPDATE_REQUIRED', `The extension speaks protocol ${params.protocolVersion}, this host ${PROTOCOL_VERSION}.`, versions);
    }
    if (params.protocolVersion < PROTOCOL_VERSION) {
      throw new KysoError('EXTENSION_UPDATE_REQUIRED', `The extension speaks protocol ${params.protocolVersion}, this host ${PROTOCOL_VERSION}.`, versions);
    }
    const result: HelloResult = {
      hostVersion: HOST_VERSION,
      protocolVersion: PROTOCOL_VERSION,
      platform: process.platform,
      arch: process.arch,
      modules: discoverModules().map((m) => ({ path: m.path, vendor: m.vendor, source: m.source, ...(m.loadable ? {} : { loadable: false as const }) })),
    };
    return result;
  },
};
