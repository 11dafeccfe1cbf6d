// The built manifest (extension/dist, or KYSO_EXTENSION_DIST): what the extension asks of the browser.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXTENSION_DIST } from './browser.ts';

const file = join(EXTENSION_DIST, 'manifest.json');

describe.skipIf(!existsSync(file))('built manifest', () => {
  const m = JSON.parse(existsSync(file) ? readFileSync(file, 'utf8') : '{}') as Record<string, unknown>;

  it('declares no content scripts and exposes no file to web pages (the portal script is registered for the allowlist only)', () => {
    expect(m.content_scripts).toBeUndefined();
    expect(m.web_accessible_resources).toBeUndefined();
    const script = join(EXTENSION_DIST, 'content', 'portal-script.js');
    expect(existsSync(script)).toBe(true);
    // Registered with chrome.scripting: one self-contained file, no module imports.
    expect(readFileSync(script, 'utf8')).not.toMatch(/^\s*import\s/m);
  });

  it('lets pdf.js decode JPX/JBIG2 (wasm) and nothing else run but its own scripts', () => {
    expect((m.content_security_policy as { extension_pages: string }).extension_pages).toBe("script-src 'self' 'wasm-unsafe-eval'; object-src 'self'");
  });

  it('asks for the permissions the manifest source explains, and the managed schema', () => {
    expect([...(m.permissions as string[])].sort()).toEqual(['activeTab', 'contextMenus', 'downloads', 'nativeMessaging', 'scripting', 'storage']);
    expect(m.storage).toEqual({ managed_schema: 'managed_schema.json' });
    expect(existsSync(join(EXTENSION_DIST, 'pdfjs', 'cmaps'))).toBe(true);
  });
});
