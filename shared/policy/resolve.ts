// Which value applies for each key: a valid policy value (locked), else the user's own valid value where the key
// is open to users, else the default. A policy value that is present but invalid still locks the key (IT meant to
// decide it; the user must not override what IT set, only see the default and the warning).

import { POLICY_DEFS, POLICY_KEYS, defaultValues, type PolicyKey, type PolicyValues } from './schema.ts';
import { makeIssue, needsTsa, validateAll, type PolicyIssue } from './validate.ts';

export type ValueSource = 'policy' | 'user' | 'default';

export interface SettingState {
  source: ValueSource;
  /** Set by policy (valid or not): the user cannot change it. */
  locked: boolean;
  /** The user may set it when it is not locked. */
  userSettable: boolean;
}

export interface EffectiveSettings {
  values: PolicyValues;
  state: Record<PolicyKey, SettingState>;
  /** Bad policy values first, then bad stored user values. */
  issues: PolicyIssue[];
}

export function resolveSettings(policyRaw: Record<string, unknown>, userRaw: Record<string, unknown>): EffectiveSettings {
  const policy = validateAll(policyRaw, 'policy');
  const userInput: Record<string, unknown> = {};
  const userIssues: PolicyIssue[] = [];
  for (const [k, v] of Object.entries(userRaw ?? {})) {
    // Stored user values for keys users cannot set (older versions, hand edits) are reported, not used.
    if ((POLICY_KEYS as readonly string[]).includes(k) && POLICY_DEFS[k as PolicyKey].userStorage === null) {
      userIssues.push(makeIssue('user', k, 'NOT_USER_SETTABLE', v));
      continue;
    }
    userInput[k] = v;
  }
  const user = validateAll(userInput, 'user');
  const values = defaultValues();
  const state = {} as Record<PolicyKey, SettingState>;
  for (const key of POLICY_KEYS) {
    const userSettable = POLICY_DEFS[key].userStorage !== null;
    const locked = Object.hasOwn(policyRaw ?? {}, key) && policyRaw[key] !== undefined && policyRaw[key] !== null;
    let source: ValueSource = 'default';
    if (key in policy.values) {
      (values as unknown as Record<string, unknown>)[key] = policy.values[key];
      source = 'policy';
    } else if (!locked && userSettable && key in user.values) {
      (values as unknown as Record<string, unknown>)[key] = user.values[key];
      source = 'user';
    }
    state[key] = { source, locked, userSettable };
  }
  const issues = [...policy.issues, ...user.issues.filter((i) => !state[i.key as PolicyKey]?.locked), ...userIssues];
  // Across keys: a time-stamped level without a TSA falls back to the default level.
  if (needsTsa(values.signatureLevel) && !values.tsaUrl) {
    const src = state.signatureLevel.source === 'policy' ? 'policy' : 'user';
    issues.push(makeIssue(src, 'signatureLevel', 'TSA_REQUIRED', values.signatureLevel));
    values.signatureLevel = POLICY_DEFS.signatureLevel.default;
    state.signatureLevel = { ...state.signatureLevel, source: 'default' };
  }
  return { values, state, issues };
}
