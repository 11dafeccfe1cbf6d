// PolicyService against in-memory storage areas: reading, merging, saving to the right area, refusals.

import { describe, expect, it } from 'vitest';
import { PolicyService, USER_SETTINGS_KEY, type StorageAreaLike } from './policy.ts';

class Area implements StorageAreaLike {
  constructor(public data: Record<string, unknown> = {}) {}
  async get(keys?: string | string[] | null) {
    if (keys === null || keys === undefined) return structuredClone(this.data);
    const ks = typeof keys === 'string' ? [keys] : keys;
    return Object.fromEntries(ks.filter((k) => k in this.data).map((k) => [k, structuredClone(this.data[k])]));
  }
  async set(items: Record<string, unknown>) {
    Object.assign(this.data, structuredClone(items));
  }
}

function service(managed: Record<string, unknown> = {}) {
  const areas = { managed: new Area(managed), sync: new Area(), local: new Area() };
  return { areas, svc: new PolicyService(areas) };
}

describe('PolicyService', () => {
  it('reads policy, user values and defaults', async () => {
    const { areas, svc } = service({ language: 'en', tsaUrl: 'bad' });
    areas.sync.data[USER_SETTINGS_KEY] = { portals: ['https://a.example/*'] };
    const s = await svc.settings();
    expect(s.values).toMatchObject({ language: 'en', portals: ['https://a.example/*'], tsaUrl: '' });
    expect(s.state.language.locked).toBe(true);
    expect(s.issues).toEqual([expect.objectContaining({ key: 'tsaUrl', reason: 'BAD_URL' })]);
  });

  it('saves portals to sync and PKCS#11 paths to local (this machine only); null resets', async () => {
    const { areas, svc } = service();
    const s = await svc.save({ portals: ['https://a.example/*'], pkcs11Modules: ['/opt/p11.so'], language: 'en' });
    expect(areas.sync.data[USER_SETTINGS_KEY]).toEqual({ portals: ['https://a.example/*'], language: 'en' });
    expect(areas.local.data[USER_SETTINGS_KEY]).toEqual({ pkcs11Modules: ['/opt/p11.so'] });
    expect(s.state.pkcs11Modules.source).toBe('user');
    const r = await svc.save({ language: null });
    expect(r.values.language).toBe('vi');
    expect(areas.sync.data[USER_SETTINGS_KEY]).toEqual({ portals: ['https://a.example/*'] });
  });

  it('refuses locked keys, policy-only keys, unknown keys and bad values, and saves nothing', async () => {
    const { areas, svc } = service({ portals: ['https://qlvb.example/*'] });
    const e = (await svc.save({ portals: ['https://mine.example/*'], tsaUrl: 'http://t/', nope: 1, language: 'fr', markers: { signature: ['#A'] } }).catch((x: unknown) => x)) as {
      code: string;
      details: { issues: string };
      messageVi: string;
    };
    expect(e.code).toBe('INVALID_ARGUMENT');
    const issues = JSON.parse(e.details.issues) as { key: string; reason: string }[];
    expect(issues.map((i) => [i.key, i.reason])).toEqual([
      ['portals', 'LOCKED_BY_POLICY'],
      ['tsaUrl', 'NOT_USER_SETTABLE'],
      ['nope', 'UNKNOWN_KEY'],
      ['language', 'NOT_ALLOWED_VALUE'],
    ]);
    expect(e.messageVi).toContain('Chưa lưu');
    expect(areas.sync.data).toEqual({});
  });

  it('managed storage that cannot be read: reported, defaults apply', async () => {
    const svc = new PolicyService({
      managed: { get: async () => Promise.reject(new Error('Managed storage unavailable')) },
      sync: new Area(),
      local: new Area(),
    });
    const s = await svc.settings();
    expect(s.issues).toEqual([expect.objectContaining({ key: '*', reason: 'UNAVAILABLE' })]);
    expect(s.values.language).toBe('vi');
  });
});
