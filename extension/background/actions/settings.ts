// getSettings / saveSettings: the options page reads every setting (value, source, locked, bad policy values) and
// saves the user's own values where policy allows.

import { KysoError } from '@kyso/shared/protocol/errors';
import type { EffectiveSettings } from '@kyso/shared/policy/resolve';
import type { PolicyService } from '../services/policy.ts';

export function getSettings(policy: PolicyService): Promise<EffectiveSettings> {
  return policy.settings();
}

export function saveSettings(policy: PolicyService, params: { changes?: unknown }): Promise<EffectiveSettings> {
  const changes = params?.changes;
  if (typeof changes !== 'object' || changes === null || Array.isArray(changes)) {
    throw new KysoError('BAD_MESSAGE', 'saveSettings needs params.changes as an object.');
  }
  return policy.save(changes as Record<string, unknown>);
}
