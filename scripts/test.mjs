// `npm test`: build once, then typecheck, lint, unit tests, end-to-end tests in
// Chromium through the browser host, Electron tests (skipped where the binary is
// absent) and a static security scan of the Electron shell. The unit and e2e
// stages run side by side (most of their time is spent waiting on child
// processes: portals, back ends, Chromium, pdfsig, java), typecheck and lint
// beside them. Each stage's lines are prefixed with its name. Prints one closing
// line: "tests: N passed, N failed, N skipped (total Ns)".
// `npm test -- unit e2e` runs only the named stages (build always runs).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = join(root, '.tmp');
rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });
mkdirSync(join(root, 'artifacts', 'screenshots'), { recursive: true });
const bin = (name) => join(root, 'node_modules', '.bin', name);
const only = process.argv.slice(2);
const wanted = (name) => !only.length || only.includes(name);
const suiteStarted = Date.now();

const failures = [];
const counts = { passed: 0, failed: 0, skipped: 0 };
const timings = [];

/** Runs one stage as a child process, its output prefixed line by line; resolves true on exit 0. */
function stage(name, cmd, args, env = {}) {
  if (!wanted(name)) return Promise.resolve(true);
  const started = Date.now();
  console.log(`=== ${name}: ${[cmd, ...args].map((a) => relative(root, a) || a).join(' ')}`);
  return new Promise((resolveStage) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', ...env } });
    const pipe = (stream, out) => {
      let rest = '';
      stream.on('data', (d) => {
        const lines = (rest + d.toString()).split('\n');
        rest = lines.pop();
        for (const l of lines) out.write(`[${name}] ${l}\n`);
      });
      stream.on('end', () => rest && out.write(`[${name}] ${rest}\n`));
    };
    pipe(child.stdout, process.stdout);
    pipe(child.stderr, process.stderr);
    child.on('close', (code, signal) => {
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      timings.push(`${name} ${secs}s`);
      if (code !== 0) {
        failures.push(`${name} (exit ${code ?? signal})`);
        console.log(`=== ${name}: FAILED in ${secs}s`);
        resolveStage(false);
      } else {
        console.log(`=== ${name}: ok in ${secs}s`);
        resolveStage(true);
      }
    });
  });
}

// One build for every stage; nothing afterwards rebuilds dist/ (scripts/build.mjs keeps a fresh build).
const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--force'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.log(`tests: 0 passed, 1 failed, 0 skipped — the build failed`);
  process.exit(1);
}

const vitestJson = join(tmp, 'vitest.json');
const pwJson = join(tmp, 'playwright.json');
await Promise.all([
  (async () => {
    await stage('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
    await stage('lint', bin('eslint'), ['--max-warnings=0', '.']);
    await electronegativity();
  })(),
  stage('unit', bin('vitest'), ['run'], { VITEST_JSON: vitestJson }),
  stage('e2e', bin('playwright'), ['test'], { PLAYWRIGHT_JSON: pwJson }),
]);

if (existsSync(vitestJson)) {
  const v = JSON.parse(readFileSync(vitestJson, 'utf8'));
  counts.passed += v.numPassedTests;
  counts.failed += v.numFailedTests;
  const skipped = v.numPendingTests + v.numTodoTests;
  counts.skipped += skipped;
  if (skipped > 0) failures.push(`unit: ${skipped} skipped test(s) — only test/electron/ may skip`);
}

if (existsSync(pwJson)) {
  const report = JSON.parse(readFileSync(pwJson, 'utf8'));
  const walk = (suite, file) => {
    const f = suite.file ?? file;
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        const status = t.status; // expected | unexpected | skipped | flaky
        if (status === 'skipped') {
          counts.skipped++;
          const reason = (t.annotations ?? []).map((a) => a.description).filter(Boolean).join('; ');
          if (!f.startsWith('electron/')) failures.push(`e2e: ${f} › ${spec.title} skipped — only test/electron/ may skip`);
          else console.log(`skipped: ${f} › ${spec.title}${reason ? ` (${reason})` : ''}`);
        } else if (status === 'expected') counts.passed++;
        else if (status === 'flaky') {
          counts.failed++;
          failures.push(`e2e: ${f} › ${spec.title} is flaky`);
        } else counts.failed++;
      }
    }
    for (const s of suite.suites ?? []) walk(s, f);
  };
  for (const s of report.suites ?? []) walk(s, s.file);
}

/** Electronegativity: static scan of the Electron shell; any HIGH or CRITICAL finding fails. */
async function electronegativity() {
  const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
  const enegCsv = join(tmp, 'electronegativity.csv');
  if (!(await stage('electronegativity', bin('electronegativity'), ['-i', 'src-main/electron', '-e', electronVersion, '-o', enegCsv]))) return;
  const rows = existsSync(enegCsv) ? readFileSync(enegCsv, 'utf8').trim().split('\n').slice(1) : [];
  const high = rows.filter((r) => /"(HIGH|CRITICAL)"/.test(r));
  console.log(`electronegativity: ${rows.length} finding(s), ${high.length} high or critical`);
  for (const r of rows) console.log(`  ${r.split(',').slice(0, 5).join(' ')}`);
  if (high.length) failures.push(`electronegativity: ${high.length} high-severity finding(s)`);
  counts[high.length ? 'failed' : 'passed']++;
}

const total = Math.round((Date.now() - suiteStarted) / 1000);
console.log('');
console.log(`stages: ${timings.join(', ')}`);
for (const f of failures) console.log(`FAILED: ${f}`);
console.log(`skipped tests: ${counts.skipped} (allowed only under test/electron/, where the Electron binary is absent)`);
console.log(`tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped (total ${Math.floor(total / 60)} min ${total % 60} s)`);
process.exit(failures.length ? 1 : 0);
