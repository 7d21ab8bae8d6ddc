// `npm run dist`: builds the bundles, compiles better-sqlite3 for Electron
// into .electron-native/current (never touching the Node build the tests
// use), then runs electron-builder. Needs the network (Electron, headers).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32', ...opts });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

run(process.execPath, [join(root, 'scripts', 'build.mjs')], { env: { ...process.env, NODE_ENV: 'production' } });
const version = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
const target = join(root, '.electron-native', version, 'better-sqlite3');
run(process.execPath, ['-e', `require('fs').cpSync(${JSON.stringify(join(root, 'node_modules', 'better-sqlite3'))}, ${JSON.stringify(target)}, { recursive: true })`]);
run(join(root, 'node_modules', '.bin', 'node-gyp'), ['rebuild', '--release', `--target=${version}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'], { cwd: target });
mkdirSync(join(root, '.electron-native', 'current'), { recursive: true });
copyFileSync(join(target, 'build', 'Release', 'better_sqlite3.node'), join(root, '.electron-native', 'current', 'better_sqlite3.node'));
run(join(root, 'node_modules', '.bin', 'electron-builder'), ['--config', 'electron-builder.yml', ...process.argv.slice(2)]);
