// The extension's settings: group policy (chrome.storage.managed, read-only, set by IT through the browser's
// policy: Windows registry/GPO, macOS profiles, Linux JSON files) merged with the user's own values where policy
// leaves a key open. Every read validates afresh (shared/policy), so a policy change applies without a restart
// and a bad value is always reported with its key and reason. The user's values live in chrome.storage.sync,
// except machine-specific ones (PKCS#11 paths) in chrome.storage.local; see userStorage in shared/policy/schema.ts.

import { KysoError } from '@kyso/shared/protocol/errors';
import { POLICY_DEFS, isPolicyKey, type PolicyKey, type PolicyValues } from '@kyso/shared/policy/schema';
import { resolveSettings, type EffectiveSettings } from '@kyso/shared/policy/resolve';
import { makeIssue, validateValue, type PolicyIssue } from '@kyso/shared/policy/validate';

/** Where the user's own settings are kept in each area. */
export const USER_SETTINGS_KEY = 'kyso.userSettings';

/** The part of chrome.storage.StorageArea used here. */
export interface StorageAreaLike {
  get(keys?: string | string[] | null): Promise<Record<string, unknown>>;
  set?(items: Record<string, unknown>): Promise<void>;
}

export interface PolicyStorage {
  managed: StorageAreaLike;
  sync: StorageAreaLike;
  local: StorageAreaLike;
}

export type UserSettings = Partial<PolicyValues>;

export function chromeStorage(): PolicyStorage {
  return { managed: chrome.storage.managed, sync: chrome.storage.sync, local: chrome.storage.local };
}

export class PolicyService {
  constructor(private readonly storage: PolicyStorage) {}

  /** The policy as Chrome delivers it, or {} with an UNAVAILABLE issue when it cannot be read. */
  async readManaged(): Promise<{ raw: Record<string, unknown>; issues: PolicyIssue[] }> {
    try {
      return { raw: (await this.storage.managed.get(null)) ?? {}, issues: [] };
    } catch (e) {
      return { raw: {}, issues: [makeIssue('policy', '*', 'UNAVAILABLE', e instanceof Error ? e.message : String(e))] };
    }
  }

  async readUser(): Promise<Record<string, unknown>> {
    const [sync, local] = await Promise.all([this.storage.sync.get(USER_SETTINGS_KEY), this.storage.local.get(USER_SETTINGS_KEY)]);
    const fromSync = asRecord(sync?.[USER_SETTINGS_KEY]);
    const fromLocal = asRecord(local?.[USER_SETTINGS_KEY]);
    const out: Record<string, unknown> = {};
    // Each key from the area it belongs to; anything else from sync, so stray values are still reported.
    for (const [k, v] of Object.entries(fromSync)) if (!isPolicyKey(k) || POLICY_DEFS[k].userStorage !== 'local') out[k] = v;
    for (const [k, v] of Object.entries(fromLocal)) if (isPolicyKey(k) && POLICY_DEFS[k].userStorage === 'local') out[k] = v;
    return out;
  }

  async settings(): Promise<EffectiveSettings> {
    const [managed, user] = await Promise.all([this.readManaged(), this.readUser()]);
    const s = resolveSettings(managed.raw, user);
    s.issues.unshift(...managed.issues);
    return s;
  }

  /**
   * Saves the user's own values for the keys given (null removes the key: back to the default). Refuses, with
   * INVALID_ARGUMENT and the issues in details, keys locked by policy, keys only policy sets, and invalid values;
   * nothing is saved unless everything is valid.
   */
  async save(changes: Record<string, unknown>): Promise<EffectiveSettings> {
    const current = await this.settings();
    const issues: PolicyIssue[] = [];
    const valid: Partial<Record<PolicyKey, unknown>> = {};
    for (const [k, v] of Object.entries(changes ?? {})) {
      if (!isPolicyKey(k)) {
        issues.push(makeIssue('user', k, 'UNKNOWN_KEY', v));
      } else if (POLICY_DEFS[k].userStorage === null) {
        issues.push(makeIssue('user', k, 'NOT_USER_SETTABLE', v));
      } else if (current.state[k].locked) {
        issues.push(makeIssue('user', k, 'LOCKED_BY_POLICY', v));
      } else if (v === null) {
        valid[k] = null;
      } else {
        const r = validateValue(k, v, 'user');
        if (r.ok) valid[k] = r.value;
        else issues.push(...r.issues);
      }
    }
    if (issues.length) {
      const e = new KysoError('INVALID_ARGUMENT', issues.map((i) => `${i.path}: ${i.reason}`).join('; '), { issues: JSON.stringify(issues) }, {
        vi: `Chưa lưu: ${issues.map((i) => `${i.path} — ${i.messageVi}`).join('; ')}.`,
      });
      throw e;
    }
    for (const area of ['sync', 'local'] as const) {
      const keys = Object.keys(valid).filter((k) => POLICY_DEFS[k as PolicyKey].userStorage === area);
      if (!keys.length) continue;
      const store = this.storage[area];
      const stored = asRecord((await store.get(USER_SETTINGS_KEY))?.[USER_SETTINGS_KEY]);
      for (const k of keys) {
        const v = valid[k as PolicyKey];
        if (v === null) delete stored[k];
        else stored[k] = v;
      }
      if (!store.set) throw new KysoError('INTERNAL_ERROR', `storage.${area} cannot be written.`);
      await store.set({ [USER_SETTINGS_KEY]: stored });
    }
    return this.settings();
  }
}

function asRecord(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? { ...(v as Record<string, unknown>) } : {};
}
