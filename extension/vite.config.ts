// Builds the extension into extension/dist (load it unpacked, or pack it with the key in keys/).
// npm run build:extension at the repository root.

import { crx } from '@crxjs/vite-plugin';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import manifest from './manifest.ts';
import { managedSchema } from './managed-schema-plugin.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  // Vietnamese and English texts live in _locales/ (crxjs copies them); nothing else is copied verbatim.
  publicDir: false,
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  plugins: [crx({ manifest }), managedSchema()],
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
          if (id.endsWith('.css')) return 'pages';
          return undefined;
        },
      },
    },
  },
  server: { strictPort: true, port: 5174 },
});
