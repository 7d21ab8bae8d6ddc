// `npm test`: build, typecheck, lint, unit tests, end-to-end tests in
// Chromium through the browser host, Electron tests (skipped where the
// binary is absent), and a static security scan of the Electron shell.
// Prints one closing line: "tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = join(root, '.tmp');
rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });
mkdirSync(join(root, 'artifacts', 'screenshots'), { recursive: true });
const bin = (name) => join(root, 'node_modules', '.bin', name);
const only = process.argv.slice(2); // e.g. `npm test -- unit` runs one stage

const failures = [];
const counts = { passed: 0, failed: 0, skipped: 0 };

function stage(name, cmd, args, env = {}) {
  if (only.length && !only.includes(name)) return true;
  const started = Date.now();
  console.log(`\n=== ${name}: ${[cmd, ...args].map((a) => relative(root, a) || a).join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) {
    failures.push(`${name} (exit ${r.status ?? r.signal})`);
    console.log(`=== ${name}: FAILED in ${secs}s`);
    return false;
  }
  console.log(`=== ${name}: ok in ${secs}s`);
  return true;
}

stage('build', process.execPath, [join(root, 'scripts', 'build.mjs')]);
stage('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
stage('lint', bin('eslint'), ['--max-warnings=0', '.']);

const vitestJson = join(tmp, 'vitest.json');
stage('unit', bin('vitest'), ['run'], { VITEST_JSON: vitestJson });
if (existsSync(vitestJson)) {
  const v = JSON.parse(readFileSync(vitestJson, 'utf8'));
  counts.passed += v.numPassedTests;
  counts.failed += v.numFailedTests;
  const skipped = v.numPendingTests + v.numTodoTests;
  counts.skipped += skipped;
  if (skipped > 0) failures.push(`unit: ${skipped} skipped test(s) — only test/electron/ may skip`);
}

const pwJson = join(tmp, 'playwright.json');
stage('e2e', bin('playwright'), ['test'], { PLAYWRIGHT_JSON: pwJson });
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

// Electronegativity: static scan of the Electron shell; any HIGH or CRITICAL finding fails.
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
const enegCsv = join(tmp, 'electronegativity.csv');
if (stage('electronegativity', bin('electronegativity'), ['-i', 'src-main/electron', '-e', electronVersion, '-o', enegCsv])) {
  const rows = existsSync(enegCsv) ? readFileSync(enegCsv, 'utf8').trim().split('\n').slice(1) : [];
  const high = rows.filter((r) => /"(HIGH|CRITICAL)"/.test(r));
  console.log(`electronegativity: ${rows.length} finding(s), ${high.length} high or critical`);
  for (const r of rows) console.log(`  ${r.split(',').slice(0, 5).join(' ')}`);
  if (high.length) failures.push(`electronegativity: ${high.length} high-severity finding(s)`);
  if (!only.length || only.includes('electronegativity')) counts[high.length ? 'failed' : 'passed']++;
}

console.log('');
for (const f of failures) console.log(`FAILED: ${f}`);
console.log(`skipped tests: ${counts.skipped} (allowed only under test/electron/, where the Electron binary is absent)`);
console.log(`tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
process.exit(failures.length ? 1 : 0);
