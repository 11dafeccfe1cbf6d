// Bundles the host and CLI into native-host/dist/kyso.mjs. pkcs11js (a native addon) and pdf.js (loaded lazily,
// only for placement by text) stay outside the bundle and are resolved from node_modules.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
await build({
  absWorkingDir: root,
  entryPoints: ['native-host/main.ts'],
  outfile: 'native-host/dist/kyso.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  external: ['pkcs11js', 'pdfjs-dist', 'pdfjs-dist/*'],
  banner: { js: "import { createRequire as __kysoRequire } from 'node:module'; const require = __kysoRequire(import.meta.url);" },
  logLevel: 'warning',
});
