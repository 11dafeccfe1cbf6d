// Group policy reaching the extension in Debian's Chromium: a managed policy file in /etc/chromium/policies/managed
// (the "3rdparty" extension policy, as IT deploys it on Linux) → chrome.storage.managed → the background's policy
// service → the options page. Asserts the values shown locked with the badge, a deliberately bad value reported
// with its key and reason (and its default applied), defaults for the keys policy leaves unset, and that the
// generated Linux template (npm run package:policies) is taken whole.
// Needs root (the file lives in /etc); the folder is restored exactly afterwards, under a lock (managed-policy.ts).

import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { EXTENSION_ID } from '../../shared/protocol/extension-id.ts';
import { POLICY_KEYS } from '../../shared/policy/schema.ts';
import { linuxExtensionPolicy } from '../../scripts/package/policies/templates.ts';
import { SHOTS_ROOT, type KysoBrowser } from './browser.ts';
import { launchWithExtensionAtStart } from './policy-browser.ts';
import { POLICY_ROOT, TEST_POLICY_FILE, canWritePolicy, sameSnapshot, snapshot, withExtensionPolicy, withPolicyFile } from './managed-policy.ts';

let current: KysoBrowser | undefined;

afterEach(async () => {
  await current?.close();
  current = undefined;
});

beforeAll(() => {
  console.log(`Screenshots: ${SHOTS_ROOT}`);
});

const POLICY = {
  portals: ['https://qlvb.example.gov.vn/*', 'https://*.motcua.example.gov.vn/*'],
  defaultModes: { 'https://*.motcua.example.gov.vn/*': 'certify' },
  tsaUrl: 'http://tsa.example.gov.vn/tsa',
  signatureLevel: 'B-T',
  onlineRevocation: false,
  // Deliberately bad: a relative path. The right type for Chrome (a list of strings), wrong for KýSố.
  pkcs11Modules: ['/usr/lib/softhsm/libsofthsm2.so', 'vnpt-ca_csp11.dll'],
  // The wrong JSON type: Chromium itself drops it against managed_schema.json (shown on chrome://policy), so the
  // extension never sees it and the key stays open to the user.
  language: 42,
};

interface SectionView {
  key: string;
  source: string;
  locked: string;
  badge: boolean;
  disabled: boolean[];
}

/**
 * Opens the options page and waits until the policy shows on it. The extension is loaded at start
 * (policy-browser.ts), so the policy is normally there at once; if not, "Reload policies" on chrome://policy
 * (chrome.send('reloadPolicies'), what IT staff press too) and, every fifth round, rewriting the file (Chromium's
 * folder watcher) until it is.
 */
async function optionsWithPolicy(b: KysoBrowser, name: string): Promise<{ page: Page; sections: Record<string, SectionView>; text: string }> {
  const policyPage = await b.browser.newPage();
  await policyPage.goto('chrome://policy', { waitUntil: 'load' });
  const page = await b.openPage('options');
  let locked = 0;
  for (let i = 0; i < 25 && locked === 0; i++) {
    await page.waitForSelector('main[data-state="ok"], main[data-state="error"]', { timeout: 20_000 });
    locked = await page.$$eval('section[data-locked="true"]', (s) => s.length);
    if (locked === 0) {
      await policyPage.evaluate(() => (window as unknown as { chrome: { send(m: string): void } }).chrome.send('reloadPolicies'));
      // Every fifth round also rewrite the file (same bytes, new time): Chromium's folder watcher reloads on its own.
      if (i % 5 === 4) writeFileSync(TEST_POLICY_FILE, readFileSync(TEST_POLICY_FILE));
      await new Promise((r) => setTimeout(r, 1500));
      await page.reload({ waitUntil: 'load' });
    } else {
      console.log(`${name}: policy reached the options page after ${i} reload(s) of chrome://policy`);
    }
  }
  await policyPage.close();
  console.log(`${name}: ${await b.screenshot(page, name)}`);
  const text = await page.$eval('main', (m) => (m as HTMLElement).innerText);
  expect(locked, `no setting shown locked; the page says:\n${text}`).toBeGreaterThan(0);
  const list = await page.$$eval('section[data-key]', (ss) =>
    ss.map((s) => ({
      key: s.getAttribute('data-key') ?? '',
      source: s.getAttribute('data-source') ?? '',
      locked: s.getAttribute('data-locked') ?? '',
      badge: !!s.querySelector('[data-testid="lock-badge"]'),
      disabled: [...s.querySelectorAll('input, textarea, select')].map((e) => (e as HTMLInputElement).disabled),
    })),
  );
  return { page, sections: Object.fromEntries(list.map((s) => [s.key, s])), text };
}

describe.skipIf(!canWritePolicy())('group policy on the options page', { timeout: 120_000 }, () => {
  it('shows policy values locked, a bad value with its key and reason, defaults for unset keys', async () => {
    const before = snapshot(POLICY_ROOT);
    await withExtensionPolicy(EXTENSION_ID, POLICY, async () => {
      console.log(`policy file: ${TEST_POLICY_FILE}`);
      current = await launchWithExtensionAtStart('policy');
      const { page, sections: by, text } = await optionsWithPolicy(current, 'options-with-policy');
      for (const key of ['portals', 'defaultModes', 'tsaUrl', 'signatureLevel', 'onlineRevocation']) {
        expect(by[key], key).toMatchObject({ source: 'policy', locked: 'true', badge: true });
        expect(by[key].disabled.every(Boolean), `${key} editable`).toBe(true);
      }
      expect(text).toContain('Do bộ phận CNTT thiết lập');
      expect(await page.$eval('#setting-portals', (e) => (e as HTMLTextAreaElement).value)).toBe(POLICY.portals.join('\n'));
      expect(await page.$eval('#setting-signatureLevel', (e) => (e as HTMLSelectElement).value)).toBe('B-T');
      expect(await page.$eval('#setting-tsaUrl', (e) => (e as HTMLInputElement).value)).toBe(POLICY.tsaUrl);
      expect(await page.$eval('#setting-onlineRevocation', (e) => (e as HTMLInputElement).checked)).toBe(false);
      expect(await page.$eval('select[data-pattern="https://*.motcua.example.gov.vn/*"]', (e) => (e as HTMLSelectElement).value)).toBe('certify');

      // The bad value: reported with its key, path and reason; locked (IT set it) but the default applies.
      const issues = await page.$$eval('[data-testid="policy-issues"] li', (ls) =>
        ls.map((l) => ({ key: l.getAttribute('data-issue-key'), reason: l.getAttribute('data-issue-reason'), text: (l as HTMLElement).innerText })),
      );
      expect(issues).toEqual([{ key: 'pkcs11Modules', reason: 'NOT_ABSOLUTE_PATH', text: expect.stringContaining('pkcs11Modules[1]') }]);
      expect(issues[0].text).toContain('vnpt-ca_csp11.dll');
      expect(by.pkcs11Modules).toMatchObject({ source: 'default', locked: 'true', badge: true });
      expect(await page.$eval('#setting-pkcs11Modules', (e) => (e as HTMLTextAreaElement).value)).toBe('');

      // The wrong-typed value never arrives: Chromium dropped it.
      const managed = await page.evaluate(async () => chrome.storage.managed.get(null));
      expect(Object.keys(managed).sort()).toEqual(Object.keys(POLICY).filter((k) => k !== 'language').sort());
      expect(by.language).toMatchObject({ source: 'default', locked: 'false', badge: false });
      expect(await page.$eval('#setting-language', (e) => (e as HTMLSelectElement).value)).toBe('vi');

      // Unset keys: defaults, and the ones users may set are editable.
      expect(by.markers).toMatchObject({ source: 'default', locked: 'false', badge: false });
      expect(by.markers.disabled.some(Boolean)).toBe(false);
      expect(await page.$eval('input[data-role="signature"]', (e) => (e as HTMLInputElement).value)).toBe('#ChuKyLanhDao');
      expect(by.trustAnchors).toMatchObject({ source: 'default', locked: 'false' });

      // The user's own setting that policy leaves open is saved and read back.
      await page.$eval('input[data-role="signature"]', (e) => {
        const input = e as HTMLInputElement;
        input.value = '#ChuKyLanhDao, #KyDuyet';
        input.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await page.click('[data-testid="save"]');
      await page.waitForSelector('[data-testid="saved"]', { timeout: 10_000 });
      await page.reload({ waitUntil: 'load' });
      await page.waitForSelector('main[data-state="ok"]', { timeout: 20_000 });
      expect(await page.$eval('section[data-key="markers"]', (s) => s.getAttribute('data-source'))).toBe('user');
      expect(await page.$eval('input[data-role="signature"]', (e) => (e as HTMLInputElement).value)).toBe('#ChuKyLanhDao, #KyDuyet');
      // Only what was changed is saved as the user's own.
      expect(await page.$eval('section[data-key="language"]', (s) => s.getAttribute('data-source'))).toBe('default');
      console.log(`options page after saving: ${await current.screenshot(page, 'options-saved')}`);

      // IT changes the policy while the page is open: Chromium's folder watcher reloads the file (after it has been
      // stable for a few seconds), chrome.storage.onChanged fires for "managed", and the page shows the new value.
      writeFileSync(TEST_POLICY_FILE, JSON.stringify({ '3rdparty': { extensions: { [EXTENSION_ID]: { ...POLICY, signatureLevel: 'B-LTA' } } } }));
      const t0 = Date.now();
      await page.waitForFunction(() => (document.querySelector('#setting-signatureLevel') as HTMLSelectElement | null)?.value === 'B-LTA', { timeout: 45_000, polling: 250 });
      console.log(`a policy change reached the open page after ${Date.now() - t0} ms`);
    });
    expect(sameSnapshot(before, snapshot(POLICY_ROOT))).toBe(true);
  });

  it('takes the generated Linux template (linux/chromium/kyso-extension.json) whole: every key locked, no warning', async () => {
    const before = snapshot(POLICY_ROOT);
    await withPolicyFile(linuxExtensionPolicy(), async () => {
      current = await launchWithExtensionAtStart('policy-template');
      const { page, sections } = await optionsWithPolicy(current, 'options-with-template');
      const managed = await page.evaluate(async () => chrome.storage.managed.get(null));
      expect(Object.keys(managed).sort()).toEqual([...POLICY_KEYS].sort());
      for (const key of POLICY_KEYS) {
        expect(sections[key], key).toMatchObject({ locked: 'true', badge: true, source: 'policy' });
      }
      expect(await page.$('[data-testid="policy-issues"]')).toBeNull();
      // Nothing left for the user to set: no save.
      expect(await page.$eval('[data-testid="save"]', (e) => (e as HTMLButtonElement).disabled)).toBe(true);
      expect(await page.$eval('#setting-signatureLevel', (e) => (e as HTMLSelectElement).value)).toBe('B-LT');
    });
    expect(sameSnapshot(before, snapshot(POLICY_ROOT))).toBe(true);
  });
});
