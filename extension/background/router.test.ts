// Only the extension's own pages reach the host.

import { describe, expect, it } from 'vitest';
import { route, type RouterContext } from './router.ts';
import type { NativeHost } from './services/native-host.ts';
import { PolicyService } from './services/policy.ts';
import { JobStore } from './services/jobs.ts';

const ID = 'kkikmailolohkgijeoakdjhpnacmlfgi';
const hello = { hostVersion: '1', protocolVersion: 1, platform: 'linux', arch: 'x64', modules: [] };
const ctx: RouterContext = {
  host: { hello: async () => hello, request: async () => ({ tokens: [], problems: [] }) } as unknown as NativeHost,
  policy: new PolicyService({ managed: { get: async () => ({ language: 'en' }) }, sync: { get: async () => ({}) }, local: { get: async () => ({}) } }),
  extensionId: ID,
  extensionOrigin: `chrome-extension://${ID}/`,
  extensionVersion: '0.1.0',
  jobs: new JobStore(null),
  openPage: async () => undefined,
};
const msg = { kyso: 1, type: 'hostStatus', params: {} };

describe('route', () => {
  it('answers the extension’s own page', async () => {
    const r = await route(msg, { id: ID, url: `chrome-extension://${ID}/pages/diagnostics/index.html` }, ctx);
    expect(r).toMatchObject({ ok: true, result: { host: hello, tokens: { ok: true } } });
  });

  it.each([
    ['a content script in a portal', { id: ID, url: 'https://qlvb.example.gov.vn/van-ban/1', tab: { id: 3 } }],
    ['another extension', { id: 'abcdefghijklmnopabcdefghijklmnop', url: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/x.html' }],
    ['a look-alike origin', { id: ID, url: `chrome-extension://${ID}.evil/x.html` }],
    ['no url', { id: ID }],
  ])('refuses %s', async (_, sender) => {
    const r = await route(msg, sender, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'CALLER_FORBIDDEN' } });
  });

  it('hostStatus tries the PKCS#11 modules the settings name', async () => {
    const asked: unknown[] = [];
    const c: RouterContext = {
      ...ctx,
      host: { hello: async () => hello, request: async (_: string, p: unknown) => (asked.push(p), { tokens: [], problems: [] }) } as unknown as NativeHost,
      policy: new PolicyService({ managed: { get: async () => ({ pkcs11Modules: ['/opt/token/p11.so'] }) }, sync: { get: async () => ({}) }, local: { get: async () => ({}) } }),
    };
    await route(msg, { id: ID, url: `chrome-extension://${ID}/pages/diagnostics/index.html` }, c);
    expect(asked).toEqual([{ modules: ['/opt/token/p11.so'] }]);
    await route(msg, { id: ID, url: `chrome-extension://${ID}/pages/diagnostics/index.html` }, ctx);
  });

  it('answers getSettings with the policy applied', async () => {
    const r = await route({ kyso: 1, type: 'getSettings', params: {} }, { id: ID, url: `chrome-extension://${ID}/pages/options/index.html` }, ctx);
    expect(r).toMatchObject({ ok: true, result: { values: { language: 'en' }, state: { language: { source: 'policy', locked: true } } } });
  });

  it('refuses an unknown message', async () => {
    const r = await route({ kyso: 1, type: 'sign', params: {} }, { id: ID, url: `chrome-extension://${ID}/x.html` }, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'BAD_MESSAGE' } });
  });
});
