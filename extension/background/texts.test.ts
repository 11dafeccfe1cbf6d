// The context menus' titles follow the language setting: the user's choice (storage.sync), IT's policy over it,
// Vietnamese when nothing is set or the settings cannot be read.

import { describe, expect, it } from 'vitest';
import { PolicyService, USER_SETTINGS_KEY } from './services/policy.ts';
import { menuTitle } from './texts.ts';

function policy(managed: Record<string, unknown>, user: Record<string, unknown>): PolicyService {
  return new PolicyService({
    managed: { get: async () => managed },
    sync: { get: async () => ({ [USER_SETTINGS_KEY]: user }) },
    local: { get: async () => ({}) },
  });
}

describe('menuTitle', () => {
  it('Vietnamese by default', async () => {
    expect(await menuTitle(policy({}, {}), 'signLink')).toBe('Ký số tệp PDF này');
    expect(await menuTitle(policy({}, {}), 'verify')).toBe('Kiểm tra chữ ký số');
  });

  it("English when the user chose it; IT's policy wins over the user", async () => {
    expect(await menuTitle(policy({}, { language: 'en' }), 'signLink')).toBe('Sign this PDF');
    expect(await menuTitle(policy({}, { language: 'en' }), 'verify')).toBe('Verify digital signatures');
    expect(await menuTitle(policy({ language: 'vi' }, { language: 'en' }), 'verify')).toBe('Kiểm tra chữ ký số');
    expect(await menuTitle(policy({ language: 'en' }, {}), 'signLink')).toBe('Sign this PDF');
  });

  it('unreadable settings or no policy service: Vietnamese', async () => {
    const broken = new PolicyService({
      managed: { get: async () => ({}) },
      sync: { get: async () => Promise.reject(new Error('sync unavailable')) },
      local: { get: async () => ({}) },
    });
    expect(await menuTitle(broken, 'signLink')).toBe('Ký số tệp PDF này');
    expect(await menuTitle(undefined, 'verify')).toBe('Kiểm tra chữ ký số');
  });
});
