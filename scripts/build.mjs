// Builds every bundle: Electron main, the sandboxed preload (one CommonJS
// file), the back-end utility process, the browser host, and the renderer.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist');
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
const production = process.env.NODE_ENV === 'production';

const nodeCommon = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  // Native and Electron-provided modules are loaded at run time, never bundled.
  external: ['electron', 'better-sqlite3', 'bufferutil', 'utf-8-validate', 'electron-updater'],
  // pdf.js (in the inspection worker) requires its canvas polyfills through createRequire(import.meta.url), which a
  // CommonJS bundle lacks: without this it prints "Cannot access the require function" and renders no images.
  define: { __APP_VERSION__: JSON.stringify(pkg.version), 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
};

// A build newer than every input is kept (`npm start` twice, or tests that run `npm start` after
// `npm test` built once: rebuilding would pull dist/ from under the hosts other tests are running).
// `--force` rebuilds anyway.
const stamp = join(out, '.build-stamp');
function newestInput() {
  let newest = 0;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const d of ['src-main', 'src-shared', 'src-renderer', 'src-portal']) walk(join(root, d));
  for (const f of ['package.json', 'package-lock.json', 'scripts/build.mjs']) if (existsSync(join(root, f))) newest = Math.max(newest, statSync(join(root, f)).mtimeMs);
  return newest;
}
// One build at a time (the unit and e2e stages' setups may both ask): a lock folder, taken over when stale.
const lock = `${out}.lock`;
for (;;) {
  try {
    mkdirSync(lock);
    break;
  } catch {
    if (Date.now() - statSync(lock, { throwIfNoEntry: false })?.mtimeMs > 10 * 60_000) rmSync(lock, { recursive: true, force: true });
    else await new Promise((r) => setTimeout(r, 250));
  }
}
process.on('exit', () => rmSync(lock, { recursive: true, force: true }));
const inputsAt = newestInput();
if (!process.argv.includes('--force') && existsSync(stamp) && Number(JSON.parse(await readFile(stamp, 'utf8')).inputsAt) >= inputsAt && JSON.parse(await readFile(stamp, 'utf8')).production === production) {
  console.log('build: dist/ is up to date');
  process.exit(0);
}

await rm(out, { recursive: true, force: true });
await mkdir(join(out, 'renderer'), { recursive: true });

await Promise.all([
  build({ ...nodeCommon, entryPoints: { 'electron-main': 'src-main/electron/main.ts' }, outdir: join(out, 'main'), outExtension: { '.js': '.cjs' } }),
  build({ ...nodeCommon, entryPoints: { 'backend-process': 'src-main/electron/backend-process.ts' }, outdir: join(out, 'main'), outExtension: { '.js': '.cjs' } }),
  // The PDF inspection runs in a worker thread with a time and memory limit (src-main/documents/inspect-isolated.ts), which loads this file from next to the back end.
  build({ ...nodeCommon, entryPoints: { 'inspect-worker': 'src-main/documents/inspect-worker.ts' }, outdir: join(out, 'main'), outExtension: { '.js': '.cjs' } }),
  build({ ...nodeCommon, entryPoints: { 'browser-host': 'src-main/host/cli.ts' }, outdir: join(out, 'main'), outExtension: { '.js': '.cjs' } }),
  // The reference portal and its PDF-check worker, bundled once: `npm start` and the tests start portals many times,
  // and compiling the sources under tsx cost each start about 2 s of CPU. `npm run portal` still runs the sources.
  build({ ...nodeCommon, external: [...nodeCommon.external, 'pg-native'], entryPoints: { cli: 'src-portal/cli.ts', 'pdf-check-worker': 'src-portal/documents/pdf-check-worker.ts' }, outdir: join(out, 'portal'), outExtension: { '.js': '.cjs' } }),
  // `seriktes` command line (sign, verify, stamp, package): the same bundle tests run, instead of compiling it on every start.
  build({ ...nodeCommon, entryPoints: { cli: 'src-main/cli/index.ts' }, outdir: join(out, 'main'), outExtension: { '.js': '.cjs' } }),
  // The file-hashing worker thread (src-main/signing/hash-file.ts starts it from next to the bundle).
  build({ ...nodeCommon, entryPoints: { 'hash-worker': 'src-main/signing/hash-worker.ts' }, outdir: join(out, 'main'), outExtension: { '.js': '.cjs' } }),
  // Sandboxed preloads may load only the electron module and a few polyfills: everything else is bundled in.
  build({ ...nodeCommon, platform: 'browser', target: 'chrome130', define: { __APP_VERSION__: JSON.stringify(pkg.version) }, banner: {}, entryPoints: { preload: 'src-main/electron/preload.ts' }, outdir: join(out, 'main'), outExtension: { '.js': '.cjs' }, external: ['electron'] }),
  build({
    entryPoints: { app: 'src-renderer/main.tsx' },
    outdir: join(out, 'renderer'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome130',
    jsx: 'automatic',
    minify: production,
    sourcemap: true,
    loader: { '.woff2': 'file', '.woff': 'file', '.svg': 'file', '.png': 'file' },
    assetNames: 'assets/[name]-[hash]',
    define: { 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') },
    logLevel: 'warning',
  }),
]);
await copyFile(join(root, 'src-renderer', 'index.html'), join(out, 'renderer', 'index.html'));
// pdf.js worker and its wasm decoders (JPEG 2000 scans, JBIG2) are served from our own origin: the CSP allows nothing else.
await mkdir(join(out, 'renderer', 'pdfjs', 'wasm'), { recursive: true });
await copyFile(join(root, 'node_modules', 'pdfjs-dist', 'build', 'pdf.worker.min.mjs'), join(out, 'renderer', 'pdfjs', 'pdf.worker.min.mjs'));
for (const f of ['openjpeg.wasm', 'jbig2.wasm', 'qcms_bg.wasm', 'openjpeg_nowasm_fallback.js']) {
  await copyFile(join(root, 'node_modules', 'pdfjs-dist', 'wasm', f), join(out, 'renderer', 'pdfjs', 'wasm', f));
}
writeFileSync(stamp, JSON.stringify({ inputsAt, production }));
console.log('build: dist/main (electron-main, preload, backend-process, browser-host, cli, hash-worker, inspect-worker), dist/portal (cli, pdf-check-worker) and dist/renderer ready');
