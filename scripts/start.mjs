// `npm start`: builds, starts the local reference portal with demo data
// (unless SERIKTES_PORTAL_URL points elsewhere), then opens the desktop app.
// Where the Electron binary is not available (and cannot be downloaded), it
// starts the browser host instead and prints `app url: …` within seconds.
// `npm run start:browser` (`--browser`) always uses the browser host.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const browserOnly = process.argv.includes('--browser');
const children = [];
const say = (msg) => process.stderr.write(`seriktes: ${msg}\n`);

function dataDir() {
  if (process.env.SERIKTES_DATA_DIR) return process.env.SERIKTES_DATA_DIR;
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Seriktes');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Seriktes');
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Seriktes');
}

/** The Electron executable, found by its files (requiring the package would start a download). */
function electronBinary() {
  const dir = join(root, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const exe = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(exe) ? exe : null;
}

/** Fetches the Electron binary once (users have the network). Fails fast where downloads are refused. */
function downloadElectron() {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'node_modules', 'electron', 'install.js')], { stdio: ['ignore', 'ignore', 'pipe'] });
    const slow = setTimeout(() => say('downloading Electron for the first start…'), 4000);
    child.on('exit', (code) => {
      clearTimeout(slow);
      resolve(code === 0 ? electronBinary() : null);
    });
    child.on('error', () => resolve(null));
  });
}

/**
 * better-sqlite3 compiled for Electron's ABI goes to .electron-native/<version>/, so the Node build
 * that `npm test` uses is never overwritten. The back end loads it through `nativeBinding`.
 */
function sqliteForElectron() {
  const version = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
  const target = join(root, '.electron-native', version, 'better-sqlite3');
  const binding = join(target, 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(binding)) return binding;
  say(`building better-sqlite3 for Electron ${version} (once)…`);
  mkdirSync(dirname(target), { recursive: true });
  cpSync(join(root, 'node_modules', 'better-sqlite3'), target, { recursive: true, filter: (src) => !src.includes(`${join('build', 'Release')}`) });
  const opts = { cwd: target, stdio: 'inherit', shell: process.platform === 'win32' };
  const prebuilt = spawnSync(join(root, 'node_modules', '.bin', 'prebuild-install'), ['--runtime', 'electron', '--target', version], opts);
  if (prebuilt.status !== 0) {
    const built = spawnSync(join(root, 'node_modules', '.bin', 'node-gyp'), ['rebuild', '--release', `--target=${version}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'], opts);
    if (built.status !== 0) return null;
  }
  return existsSync(binding) ? binding : null;
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });

/** The embedded reference portal with demo data; the app works offline if it is slow or fails. */
async function startPortal() {
  if (process.env.SERIKTES_PORTAL_URL) return process.env.SERIKTES_PORTAL_URL; // an empty value means: the embedded one
  // The bundle scripts/build.mjs wrote just before (starts in a fraction of the time the sources take under tsx).
  const cli = join(root, 'dist', 'portal', 'cli.cjs');
  if (!existsSync(cli)) return 'http://127.0.0.1:8787';
  const port = await freePort();
  const portalData = join(dataDir(), 'portal');
  // --demo loads the demo data (idempotently) before serving; the app does not wait for the portal.
  const child = spawn(process.execPath, [cli, '--data', portalData, '--port', String(port), '--demo'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  child.on('exit', (code) => {
    if (code) say(`the local portal stopped (exit ${code}); the app keeps working offline`);
  });
  return `http://127.0.0.1:${port}`;
}

function run(cmd, args, env) {
  const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  children.push(child);
  child.on('exit', (code) => {
    for (const c of children) if (c !== child && c.exitCode === null) c.kill('SIGTERM');
    process.exit(code ?? 0);
  });
}

for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  process.exit(0);
});

const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const [portalUrl, electron] = await Promise.all([startPortal(), browserOnly ? null : electronBinary() ?? downloadElectron()]);
const binding = electron ? sqliteForElectron() : null;
// With the embedded demo portal, the app also trusts the NCA RK TEST roots (the demo keys are test keys);
// every report then says TEST. Against a real portal only the configured production roots count.
const trustEnv = process.env.SERIKTES_PORTAL_URL ? {} : { SERIKTES_TRUST_TEST_ROOTS: process.env.SERIKTES_TRUST_TEST_ROOTS ?? '1' };

if (electron && binding) {
  run(electron, [root], { SERIKTES_PORTAL_URL: portalUrl, SERIKTES_SQLITE_BINDING: binding, ...trustEnv });
} else {
  if (!browserOnly) {
    say(
      electron
        ? 'better-sqlite3 could not be built for Electron; starting in browser mode instead.'
        : 'the Electron binary is not available on this machine (it could not be downloaded); starting in browser mode instead.',
    );
  }
  say(`portal: ${portalUrl}. Open the app url below in Chromium, Chrome, Edge or Firefox.`);
  run(process.execPath, [join(root, 'dist', 'main', 'browser-host.cjs'), '--data', dataDir(), '--portal', portalUrl], trustEnv);
}
