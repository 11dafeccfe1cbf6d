// The allowlist: Chrome match patterns as the policy and the options page write them, the demo portal allowed
// unless IT names the portals, and the list the content scripts and the context menu are registered for.

import { describe, expect, it } from 'vitest';
import { currentPortals, DEMO_PORTALS, effectivePortals, isMatchPattern, matchPattern, portalAllowed } from './portals.ts';

const m = (p: string, url: string) => matchPattern(p, new URL(url));

describe('matchPattern', () => {
  it('matches scheme, host and path like Chrome', () => {
    expect(m('https://qlvb.example.gov.vn/*', 'https://qlvb.example.gov.vn/van-ban/1?x=2')).toBe(true);
    expect(m('https://qlvb.example.gov.vn/*', 'http://qlvb.example.gov.vn/van-ban/1')).toBe(false);
    expect(m('https://qlvb.example.gov.vn/*', 'https://evil.example/qlvb.example.gov.vn/')).toBe(false);
    expect(m('https://qlvb.example.gov.vn/*', 'https://qlvb.example.gov.vn.evil.example/')).toBe(false);
    expect(m('*://qlvb.example.gov.vn/*', 'http://qlvb.example.gov.vn/')).toBe(true);
    expect(m('*://qlvb.example.gov.vn/*', 'ftp://qlvb.example.gov.vn/')).toBe(false);
  });

  it('*.domain covers the domain and its subdomains, not look-alikes', () => {
    expect(m('https://*.motcua.gov.vn/*', 'https://motcua.gov.vn/')).toBe(true);
    expect(m('https://*.motcua.gov.vn/*', 'https://kontum.motcua.gov.vn/ho-so/1')).toBe(true);
    expect(m('https://*.motcua.gov.vn/*', 'https://fakemotcua.gov.vn/')).toBe(false);
    expect(m('https://*/*', 'https://anything.example/')).toBe(true);
  });

  it('paths: literal parts must match, * spans anything including the query', () => {
    expect(m('https://p.gov.vn/ioffice/*', 'https://p.gov.vn/ioffice/download.jsp?fileId=1')).toBe(true);
    expect(m('https://p.gov.vn/ioffice/*', 'https://p.gov.vn/qoffice/1')).toBe(false);
    expect(m('https://p.gov.vn/a.b/*', 'https://p.gov.vn/aXb/1')).toBe(false);
  });

  it('without a port any port matches; with one, only that (default ports written or not)', () => {
    expect(m('http://127.0.0.1/*', 'http://127.0.0.1:5173/qoffice/1')).toBe(true);
    expect(m('http://127.0.0.1:8080/*', 'http://127.0.0.1:5173/')).toBe(false);
    expect(m('http://127.0.0.1:8080/*', 'http://127.0.0.1:8080/x')).toBe(true);
    expect(m('https://p.gov.vn:443/*', 'https://p.gov.vn/x')).toBe(true);
  });

  it('refuses malformed patterns instead of matching everything', () => {
    expect(m('qlvb.example.gov.vn', 'https://qlvb.example.gov.vn/')).toBe(false);
    expect(m('https://qlvb.example.gov.vn', 'https://qlvb.example.gov.vn/')).toBe(false);
    expect(m('https://*evil.example/*', 'https://qlvb.example.gov.vn/')).toBe(false);
  });
});

describe('portalAllowed, effectivePortals', () => {
  it('a URL is allowed when one pattern matches; bad URLs never', () => {
    const list = ['https://qlvb.example.gov.vn/*', 'https://*.motcua.gov.vn/*'];
    expect(portalAllowed('https://a.motcua.gov.vn/x', list)).toBe(true);
    expect(portalAllowed('https://example.com/', list)).toBe(false);
    expect(portalAllowed('not a url', list)).toBe(false);
    expect(portalAllowed('chrome-extension://abc/pages/sign/index.html', ['<all_urls>'])).toBe(false);
  });

  it('the demo portal joins the user\'s list, but not a list IT set by policy', () => {
    expect(effectivePortals(['https://qlvb.example.gov.vn/*'], false)).toEqual(['https://qlvb.example.gov.vn/*', ...DEMO_PORTALS]);
    expect(effectivePortals(['https://qlvb.example.gov.vn/*'], true)).toEqual(['https://qlvb.example.gov.vn/*']);
    expect(effectivePortals([], true)).toEqual([]);
    expect(effectivePortals(['http://127.0.0.1/*'], false)).toEqual(['http://127.0.0.1/*']);
  });

  it('currentPortals reads the settings and drops what Chrome would refuse', async () => {
    const policy = (portals: string[], locked: boolean) => ({ settings: async () => ({ values: { portals }, state: { portals: { locked } } }) });
    expect(await currentPortals(policy(['https://a.gov.vn/*', 'a.gov.vn'], true))).toEqual(['https://a.gov.vn/*']);
    expect(await currentPortals(policy([], false))).toEqual([...DEMO_PORTALS]);
    expect(isMatchPattern('<all_urls>')).toBe(true);
    expect(isMatchPattern('https://a.gov.vn')).toBe(false);
  });
});
