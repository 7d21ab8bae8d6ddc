/**
 * No test under test/ compares a measured duration with a constant (issue 14): speed is measured by
 * `npm run bench` against same-run baselines; tests wait for events with generous deadlines.
 * The lint is a heuristic (test/helpers/timing-lint.ts); its own cases are checked first.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/processes';
import { sourceFiles } from '../helpers/source-files';
import { lintTiming } from '../helpers/timing-lint';

/**
 * Files allowed to hold what the lint flags, each with its reason. Deadline helpers compare the clock
 * with a deadline (never flagged), so they need no entry; the lint itself quotes the patterns.
 */
const ALLOWED: Record<string, string> = {
  'test/helpers/timing-lint.ts': 'the lint quotes the patterns it looks for',
  'test/unit/no-timing.test.ts': 'the lint’s own examples',
};

describe('the timing lint', () => {
  it.each([
    ['const started = Date.now();\nawait x();\nexpect(Date.now() - started).toBeLessThan(650);'],
    ['const t0 = performance.now();\nconst elapsed = performance.now() - t0;\nexpect(elapsed).toBeLessThan(5000);'],
    ['for (;;) { const t = performance.now(); f(); times.push(performance.now() - t); }\nexpect(times[3]!).toBeLessThan(100);'],
    ['latencies.push(msg.at - returned);\nexpect(Math.max(...latencies)).toBeLessThan(1000);'],
    ['const msg = await reader.next((m) => m.type === "changed", 1000);'],
    ["await until(() => rpc.call('x', {}), (s) => s.ok, 2000);"],
    ["await expect(page.getByText('saved')).toBeVisible({ timeout: 1500 });"],
  ])('flags %s', (src) => {
    expect(lintTiming(src)).not.toEqual([]);
  });

  it.each([
    ['const end = Date.now() + timeoutMs;\nwhile (Date.now() < end) await sleep(50);\nif (Date.now() > end) throw new Error("deadline");'],
    ["await until(() => rpc.call('x', {}), (s) => s.ok, 30_000, 10);"],
    ['expect(gz.body.length).toBeLessThan(plain.body.length);'],
    ['const future = new Date(Date.now() + 86_400_000);\nexpect(Number(info.certNotAfter)).toBeGreaterThan(Date.now());'],
    ['await sleep(300);'],
  ])('leaves alone %s', (src) => {
    expect(lintTiming(src)).toEqual([]);
  });
});

describe('tests under test/', () => {
  it('compare no measured duration with a constant and use no short deadlines', () => {
    const findings = sourceFiles(['test'])
      .filter((f) => !(f in ALLOWED))
      .flatMap((f) => lintTiming(readFileSync(join(repoRoot, f), 'utf8')).map((x) => `${f}:${x.line}: ${x.why}: ${x.text}`));
    expect(findings).toEqual([]);
  });
});
