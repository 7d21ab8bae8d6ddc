/**
 * `npm run bench -- --json --only P4` at the small size prints a JSON array with every field of the
 * bench format and nothing else on stdout (progress goes to stderr), and leaves no temporary folder.
 * Only the format is checked: the numbers are the bench's business, never a test's.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/processes';

const leftovers = () => new Set(readdirSync(tmpdir()).filter((n) => n.startsWith('seriktes-bench-p4-')));

function npmBench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((ok, fail) => {
    // -s: npm's own "> seriktes@… bench" banner would otherwise go to stdout.
    const child = spawn('npm', ['run', '-s', 'bench', '--', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BENCH_SCALE: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('exit', (code) => ok({ code, stdout, stderr }));
  });
}

describe('npm run bench -- --json', () => {
  it('--only P4 --small: a parseable array with every field, nothing else on stdout, no folder left', async () => {
    const before = leftovers();
    const r = await npmBench(['--json', '--only', 'P4', '--small']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().startsWith('[')).toBe(true);
    const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(Object.keys(row).sort()).toEqual(['baseline', 'goal', 'goalText', 'id', 'load', 'measured', 'notes', 'pass', 'ratio', 'title']);
    expect(row).toMatchObject({ id: 'P4', goal: expect.any(Number), goalText: expect.any(String), ratio: expect.any(Number), load: expect.any(Number), pass: expect.any(Boolean), notes: expect.any(Array) });
    for (const side of [row.measured, row.baseline] as Record<string, unknown>[]) {
      expect(side).toMatchObject({ minMs: expect.any(Number), medianMs: expect.any(Number), runsMs: expect.any(Array) });
      expect((side.runsMs as number[]).length).toBeGreaterThanOrEqual(3);
    }
    expect(row.baseline).toMatchObject({ label: expect.stringContaining('openssl') });
    expect(r.stderr).toContain('P4'); // progress went to stderr
    expect([...leftovers()].filter((n) => !before.has(n))).toEqual([]);
  }, 300_000);

  it('an unknown row is refused with a non-zero exit and no JSON', async () => {
    const r = await npmBench(['--json', '--only', 'P99', '--small']);
    expect(r.code).not.toBe(0);
    expect(r.stdout.trim()).toBe('');
    expect(r.stderr).toMatch(/unknown bench row/);
  }, 120_000);
});
