// Builds the extension into extension/dist (load it unpacked, or pack it with the key in keys/).
// npm run build:extension at the repository root.

import { crx } from '@crxjs/vite-plugin';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import manifest from './manifest.ts';
import { managedSchema } from './managed-schema-plugin.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * pdf.js's data files, served from the extension (pages/common/pdfjs.ts points pdf.js at them): character maps for
 * CJK and other CID fonts, the 14 standard fonts for files that do not embed them, and the JPX/JBIG2 decoders.
 */
function pdfjsAssets(): Plugin {
  const dist = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
  return {
    name: 'kyso-pdfjs-assets',
    apply: 'build',
    generateBundle() {
      for (const dir of ['cmaps', 'standard_fonts', 'wasm']) {
        for (const name of readdirSync(join(dist, dir))) {
          this.emitFile({ type: 'asset', fileName: `pdfjs/${dir}/${name}`, source: readFileSync(join(dist, dir, name)) });
        }
      }
    },
  };
}

/**
 * crxjs lists scripts imported with `?script`/`?iife` as web-accessible on every page, so any web page could load
 * content/portal-script.js and learn that KýSố is installed. The script is registered through chrome.scripting, which
 * needs no web-accessible entry, so the entry is dropped from the written manifest.
 */
function noWebAccessibleScripts(): Plugin {
  return {
    name: 'kyso-no-web-accessible-scripts',
    apply: 'build',
    enforce: 'post',
    writeBundle(options) {
      const file = join(options.dir ?? join(root, 'dist'), 'manifest.json');
      const m = JSON.parse(readFileSync(file, 'utf8')) as { web_accessible_resources?: { resources: string[] }[] };
      if (!m.web_accessible_resources) return;
      const kept = m.web_accessible_resources
        .map((w) => ({ ...w, resources: w.resources.filter((r) => !r.startsWith('content/')) }))
        .filter((w) => w.resources.length > 0);
      if (kept.length) m.web_accessible_resources = kept;
      else delete m.web_accessible_resources;
      writeFileSync(file, `${JSON.stringify(m, null, 2)}\n`);
    },
  };
}

export default defineConfig({
  root,
  // Vietnamese and English texts live in _locales/ (crxjs copies them); nothing else is copied verbatim.
  publicDir: false,
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  plugins: [crx({ manifest }), managedSchema(), pdfjsAssets(), noWebAccessibleScripts()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'chrome110',
    // Readable output: the extension is reviewed by the IT departments that deploy it.
    minify: false,
    // Chrome and Edge support modulepreload natively.
    modulePreload: { polyfill: false },
    sourcemap: false,
    rollupOptions: {
      // Pages the manifest does not name are built as extra inputs.
      input: {
        diagnostics: fileURLToPath(new URL('pages/diagnostics/index.html', import.meta.url)),
        sign: fileURLToPath(new URL('pages/sign/index.html', import.meta.url)),
        verify: fileURLToPath(new URL('pages/verify/index.html', import.meta.url)),
      },
      output: {
        // Chunks named for what they hold, so a reviewer of dist/ finds their way.
        manualChunks(id) {
          if (id.includes('/node_modules/preact/')) return 'preact';
          if (id.includes('/node_modules/webextension-polyfill/')) return 'webextension-polyfill';
          if (id.includes('/shared/protocol/')) return 'protocol';
          if (id.includes('/node_modules/pdfjs-dist/')) return 'pdfjs';
          if (id.endsWith('.css')) return 'pages';
          return undefined;
        },
      },
    },
  },
  server: { strictPort: true, port: 5174 },
});
