// The extension in Debian's Chromium talking to the kyso native host: the diagnostics page's round trip
// (page → background → host → back), and the two ways a registration goes wrong. Assertions read the page's DOM;
// a screenshot of each state goes to out/e2e/<run>/.

import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { ERROR_TEXTS } from '../../shared/protocol/errors.ts';
import { SHOTS_ROOT, launchWithExtension, type HostRegistration, type KysoBrowser } from './browser.ts';

const OTHER_EXTENSION = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/';

let current: KysoBrowser | undefined;

afterEach(async () => {
  await current?.close();
  current = undefined;
});

beforeAll(() => {
  console.log(`Screenshots: ${SHOTS_ROOT}`);
});

/** Opens "Kiểm tra kết nối" with the host registered as given and waits for its verdict. */
async function diagnostics(host: HostRegistration, name: string): Promise<{ page: Page; state: string; text: string; shot: string }> {
  current = await launchWithExtension({ host, name });
  const page = await current.openPage('diagnostics');
  await page.waitForSelector('main[data-state="ok"], main[data-state="error"]', { timeout: 20_000 });
  const state = await page.$eval('main', (m) => m.getAttribute('data-state') ?? '');
  const text = await page.$eval('main', (m) => (m as HTMLElement).innerText);
  const shot = await current.screenshot(page, 'diagnostics');
  console.log(`${name}: ${shot}`);
  return { page, state, text, shot };
}

async function errorCode(page: Page): Promise<string | null> {
  return page.$eval('main > [data-error-code]', (e) => e.getAttribute('data-error-code')).catch(() => null);
}

describe('diagnostics page and the native host', { timeout: 45_000 }, () => {
  it('shows the host version and the demo token (page → background → host → page)', async () => {
    const { page, state, text } = await diagnostics({ kind: 'installed' }, 'host-installed');
    expect(state, text).toBe('ok');
    const hostVersion = await page.$eval('[data-testid="host-version"]', (e) => e.textContent ?? '');
    expect(hostVersion).toMatch(/^\d+\.\d+\.\d+/);
    const labels = await page.$$eval('[data-testid="token-label"]', (es) => es.map((e) => e.textContent));
    expect(labels).toContain('KySo Demo');
    expect(text).toContain('SoftHSM');
  });

  it('reports HOST_NOT_INSTALLED in Vietnamese when no host manifest exists', async () => {
    const { page, state, text } = await diagnostics({ kind: 'none' }, 'host-not-installed');
    expect(state).toBe('error');
    expect(await errorCode(page)).toBe('HOST_NOT_INSTALLED');
    expect(text).toContain(ERROR_TEXTS.HOST_NOT_INSTALLED.vi);
    expect(text).toContain('Mã lỗi: HOST_NOT_INSTALLED');
  });

  it('reports HOST_FORBIDDEN when the host manifest allows another extension only', async () => {
    const { page, state, text } = await diagnostics({ kind: 'other-origins', origins: [OTHER_EXTENSION] }, 'host-forbidden');
    expect(state).toBe('error');
    expect(await errorCode(page)).toBe('HOST_FORBIDDEN');
    expect(text).toContain(ERROR_TEXTS.HOST_FORBIDDEN.vi);
  });
});
