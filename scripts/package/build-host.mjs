// npm run package:host — the kyso host as one self-contained executable for this machine's platform and
// architecture: dist-host/<platform>-<arch>/kyso (kyso.exe on Windows). A Node.js single executable application:
//
//   1. esbuild bundles native-host/main.ts as CommonJS (the only kind of main script a Node 20 SEA runs) with
//      everything inside, pdf.js and its worker included; pkcs11js's require of its .node file is routed to
//      native-host/sea/native-addon.ts, which extracts the addon from a SEA asset at run time.
//   2. node --experimental-sea-config writes the preparation blob: the bundle (with V8's code cache), the fonts,
//      their licence and pkcs11.node as assets.
//   3. A copy of this node binary gets the blob (postject, NODE_SEA_BLOB, the NODE_SEA fuse); on macOS its
//      signature is removed first and an ad-hoc one added after, as Node's SEA documentation says.
//
// The result is reused while nothing that goes into it changed (bundle, assets, node binary, this script): a
// stamp with their hash sits in dist-host/.build/<platform>-<arch>/. --force rebuilds; --node PATH picks the node
// binary to wrap (default: the one running this script; it must be an official build, which has the SEA fuse).

import { build, transform } from 'esbuild';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(join(root, 'native-host', 'package.json'));

const args = process.argv.slice(2);
const force = args.includes('--force');
const nodeArg = args.indexOf('--node');
const nodeBinary = nodeArg >= 0 ? args[nodeArg + 1] : process.execPath;
const quiet = args.includes('--quiet');
const log = (msg) => quiet || console.log(`package:host: ${msg}`);

const target = `${process.platform}-${process.arch}`;
const exeName = process.platform === 'win32' ? 'kyso.exe' : 'kyso';
const outDir = join(root, 'dist-host', target);
const exe = join(outDir, exeName);
const work = join(root, 'dist-host', '.build', target);
mkdirSync(work, { recursive: true });
mkdirSync(outDir, { recursive: true });
// Build output, never committed.
writeFileSync(join(root, 'dist-host', '.gitignore'), '*\n');

const pkcs11Dir = dirname(require.resolve('pkcs11js/package.json'));
const fontsDir = join(root, 'shared', 'assets', 'fonts');
/** SEA assets: key → file. The keys are what native-host/assets.ts and native-host/sea/native-addon.ts ask for. */
const assets = {
  'pkcs11.node': join(pkcs11Dir, 'build', 'Release', 'pkcs11.node'),
  'LiberationSerif-Regular.ttf': join(fontsDir, 'LiberationSerif-Regular.ttf'),
  'LiberationSerif-Bold.ttf': join(fontsDir, 'LiberationSerif-Bold.ttf'),
  'LiberationSerif-Italic.ttf': join(fontsDir, 'LiberationSerif-Italic.ttf'),
  'LICENSE-LiberationSerif-OFL.txt': join(fontsDir, 'LICENSE-LiberationSerif-OFL.txt'),
};
for (const [key, file] of Object.entries(assets)) {
  if (!existsSync(file)) throw new Error(`Asset ${key} missing: ${file}${key === 'pkcs11.node' ? ' (npm ci builds it)' : ''}`);
}

// ---- 1. The CommonJS bundle ----------------------------------------------------------------------------------

const addonLoader = join(root, 'native-host', 'sea', 'native-addon.ts');
const pdfjsPolyfills = join(root, 'native-host', 'sea', 'pdfjs-polyfills.ts');
const sep = String.raw`[\\/]`;

/**
 * native-host/main.ts awaits at top level, which CommonJS cannot: its statements (everything but the import
 * lines) run in an async function instead. A rejection still ends the process with the error and status 1.
 */
async function unwrapTopLevelAwait(file) {
  const { code } = await transform(readFileSync(file, 'utf8'), { loader: 'ts', format: 'esm', target: 'node20', sourcefile: file });
  const imports = [];
  const body = [];
  for (const line of code.split('\n')) {
    if (/^import\s.*["'];$/.test(line)) imports.push(line);
    else body.push(line);
  }
  if (body.some((l) => /^(import|export)\b/.test(l))) throw new Error(`${file}: an import or export the SEA entry cannot move (one per line expected)`);
  return `${imports.join('\n')}\n(async () => {\n${body.join('\n')}\n})();\n`;
}

/** pdf.mjs for the executable: polyfills first, and no search for @napi-rs/canvas next to the executable. */
function patchPdfjs(file) {
  let src = readFileSync(file, 'utf8');
  const polyfill = /^(\s*)canvas = require\("@napi-rs\/canvas"\);$/gm;
  if (src.match(polyfill)?.length !== 1) throw new Error(`${file}: pdf.js changed; the @napi-rs/canvas polyfill block was not found once`);
  src = src.replace(polyfill, '$1canvas = undefined; /* kyso executable: page text only, no canvas */');
  src = src.replaceAll('require("@napi-rs/canvas")', '(() => { throw new Error("Drawing pages is not available in the kyso executable."); })()');
  return `import ${JSON.stringify(pdfjsPolyfills)};\n${src}`;
}

const seaPlugin = {
  name: 'kyso-sea',
  setup(b) {
    b.onResolve({ filter: /\.node$/ }, (a) => {
      if (!new RegExp(`${sep}pkcs11js${sep}`).test(a.importer)) return { errors: [{ text: `Unexpected native addon ${a.path} from ${a.importer}: add it as a SEA asset first` }] };
      return { path: 'pkcs11.node', namespace: 'kyso-sea-addon' };
    });
    b.onLoad({ filter: /.*/, namespace: 'kyso-sea-addon' }, (a) => ({
      contents: `module.exports = require(${JSON.stringify(addonLoader)}).loadAddonAsset(${JSON.stringify(a.path)});\n`,
      loader: 'js',
      resolveDir: root,
    }));
    b.onLoad({ filter: new RegExp(`${sep}pdfjs-dist${sep}legacy${sep}build${sep}pdf\\.mjs$`) }, (a) => ({ contents: patchPdfjs(a.path), loader: 'js' }));
    b.onLoad({ filter: new RegExp(`${sep}native-host${sep}main\\.ts$`) }, async (a) => ({ contents: await unwrapTopLevelAwait(a.path), loader: 'js', resolveDir: dirname(a.path) }));
  },
};

const bundle = join(work, 'kyso.cjs');
const result = await build({
  absWorkingDir: root,
  entryPoints: ['native-host/main.ts'],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // In the executable, __filename is the executable itself (Node's SEA wrapper passes process.execPath).
  define: { 'import.meta': '__kysoImportMeta' },
  banner: { js: 'const __kysoImportMeta = { url: require("node:url").pathToFileURL(__filename).href, filename: __filename, dirname: __dirname };' },
  plugins: [seaPlugin],
  legalComments: 'eof',
  metafile: true,
  logLevel: 'warning',
});
const inputs = Object.keys(result.metafile.inputs);
for (const needed of ['pdfjs-dist/legacy/build/pdf.mjs', 'pdfjs-dist/legacy/build/pdf.worker.mjs', 'pkcs11js/index.js']) {
  if (!inputs.some((i) => i.replaceAll('\\', '/').endsWith(needed))) throw new Error(`The bundle lacks ${needed}`);
}

// ---- 2. The preparation blob ---------------------------------------------------------------------------------

const blob = join(work, 'sea-prep.blob');
const seaConfig = {
  main: bundle,
  output: blob,
  disableExperimentalSEAWarning: true,
  useSnapshot: false,
  useCodeCache: true,
  assets,
};
const configFile = join(work, 'sea-config.json');
writeFileSync(configFile, JSON.stringify(seaConfig, null, 2) + '\n');

const nodeStat = statSync(nodeBinary);
const nodeVersion = execFileSync(nodeBinary, ['--version'], { encoding: 'utf8' }).trim();
const hash = createHash('sha256');
for (const part of [
  readFileSync(fileURLToPath(import.meta.url)),
  JSON.stringify(seaConfig),
  readFileSync(bundle),
  ...Object.values(assets).map((f) => readFileSync(f)),
  `${nodeBinary}|${nodeVersion}|${nodeStat.size}|${nodeStat.mtimeMs}`,
  readFileSync(require.resolve('postject/package.json')),
]) hash.update(createHash('sha256').update(part).digest());
const digest = hash.digest('hex');
const stampFile = join(work, 'stamp.json');
const stamp = existsSync(stampFile) ? JSON.parse(readFileSync(stampFile, 'utf8')) : {};
if (!force && stamp.hash === digest && existsSync(exe) && statSync(exe).size === stamp.size) {
  log(`${relative(root, exe)} is up to date (${(stamp.size / 1048576).toFixed(1)} MiB)`);
  process.exit(0);
}

const binary = readFileSync(nodeBinary);
if (!binary.includes(`${FUSE}:0`)) {
  throw new Error(`${nodeBinary} (${nodeVersion}) has no unused SEA fuse: use an official Node.js build (nodejs.org, actions/setup-node), not a distribution's.`);
}
log(`bundle ${(statSync(bundle).size / 1048576).toFixed(1)} MiB; writing the SEA blob with ${nodeBinary} ${nodeVersion}`);
const gen = spawnSync(nodeBinary, ['--experimental-sea-config', configFile], { cwd: work, encoding: 'utf8' });
if (gen.status !== 0) throw new Error(`node --experimental-sea-config failed:\n${gen.stdout}${gen.stderr}`);

// ---- 3. The executable ---------------------------------------------------------------------------------------

const tmpExe = join(outDir, `.${exeName}.${process.pid}.tmp${process.platform === 'win32' ? '.exe' : ''}`);
rmSync(tmpExe, { force: true });
copyFileSync(nodeBinary, tmpExe);
chmodSync(tmpExe, 0o755);
try {
  if (process.platform === 'darwin') execFileSync('codesign', ['--remove-signature', tmpExe], { stdio: 'inherit' });
  // Windows: node.exe's Authenticode signature no longer matches once the blob is in; postject warns and the
  // executable still runs. The release workflow signs kyso.exe afterwards (see .github/workflows/package-host.yml).
  // postject's own command line, as in Node's documentation; its output (LIEF warns about the names of some of
  // node's ELF note sections, harmlessly) is shown only when it fails.
  const postject = join(dirname(require.resolve('postject/package.json')), 'dist', 'cli.js');
  const inject = spawnSync(
    process.execPath,
    [postject, tmpExe, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', FUSE, ...(process.platform === 'darwin' ? ['--macho-segment-name', 'NODE_SEA'] : [])],
    { encoding: 'utf8' },
  );
  if (inject.status !== 0) throw new Error(`postject failed:\n${inject.stdout}${inject.stderr}`);
  if (process.platform === 'darwin') execFileSync('codesign', ['--sign', '-', tmpExe], { stdio: 'inherit' });

  // Smoke test before it replaces the previous build: it starts, and it is the executable, not node.
  const smoke = spawnSync(tmpExe, ['--help'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', SYSTEMROOT: process.env.SYSTEMROOT ?? '' }, timeout: 60_000 });
  if (smoke.status !== 0 || !smoke.stdout.includes('kyso sign')) throw new Error(`The new executable does not start:\n${smoke.stdout}${smoke.stderr}${smoke.error ?? ''}`);
  renameSync(tmpExe, exe);
} finally {
  rmSync(tmpExe, { force: true });
}
const size = statSync(exe).size;
writeFileSync(stampFile, JSON.stringify({ hash: digest, size, node: nodeVersion }) + '\n');
log(`${relative(root, exe)} (${(size / 1048576).toFixed(1)} MiB)`);
