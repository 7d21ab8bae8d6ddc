/**
 * `npm run bench`: the project's performance goals, one table (not part of `npm test`).
 *
 *   npm run bench                       every row, realistic sizes (≤ 20 min on 2 cores)
 *   npm run bench -- --only P4,P5       a subset
 *   npm run bench -- --small            tiny sizes, same code paths (tests); also BENCH_SCALE=small
 *   npm run bench -- --runs 5           runs per side (default 3, never fewer)
 *   npm run bench -- --json             only a JSON array of rows on stdout; progress on stderr
 *   npm run bench -- --reports [name]   the older free-form reports in bench/reports/ (stderr)
 *
 * Each row: id, goal, measured (min / median), baseline (min / median) from the same run, ratio of
 * the medians, 1-minute load average, PASS / MISS (— for rows that only report). Temporary folders,
 * portal data folders and child processes are removed after every row, also when it fails.
 * Runs too long for this (kill campaigns, 10 000-scale) belong to `npm run soak`.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BenchContext, progress, reportRow, type BenchDef, type BenchRow } from './harness';
import { formatTable } from './table';
/** Row ids in table order; each module is loaded only when its row runs (a subset starts fast). */
export const BENCHES: { id: string; load: () => Promise<BenchDef> }[] = [
  { id: 'P4', load: async () => (await import('./rows/p4-hash')).bench },
  { id: 'P4-GOST', load: async () => (await import('./rows/p4-hash')).gostBench },
  { id: 'GOST-VERIFY', load: async () => (await import('./rows/gost-verify')).bench },
  { id: 'P5', load: async () => (await import('./rows/p5-pades')).bench },
  { id: 'P1', load: async () => (await import('./rows/p1-pull')).bench },
  { id: 'P2', load: async () => (await import('./rows/p2-incremental')).bench },
  { id: 'P3', load: async () => (await import('./rows/p3-list')).bench },
  { id: 'P6', load: async () => (await import('./rows/p6-pending')).bench },
  { id: 'P7', load: async () => (await import('./rows/p7-start')).bench },
];

interface Args {
  json: boolean;
  small: boolean;
  runs: number;
  only: string[] | null;
  reports: string[] | null;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { json: false, small: process.env.BENCH_SCALE === 'small', runs: 3, only: null, reports: null };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const value = () => inline ?? argv[++i] ?? '';
    if (flag === '--json') a.json = true;
    else if (flag === '--small') a.small = true;
    else if (flag === '--runs') a.runs = Math.max(3, Number(value()) || 3);
    else if (flag === '--only') a.only = value().split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
    else if (flag === '--reports') {
      a.reports = [];
      while (argv[i + 1] && !argv[i + 1]!.startsWith('--')) a.reports.push(argv[++i]!);
    } else throw new Error(`unknown option ${argv[i]} (see bench/index.ts)`);
  }
  return a;
}

async function runReports(names: string[]): Promise<void> {
  const dir = join(__dirname, 'reports');
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && (names.length === 0 || names.includes(f.replace(/\.ts$/, ''))));
  for (const file of files) {
    progress(`=== bench/reports/${file}`);
    const mod = (await import(join(dir, file))) as { run(): Promise<void> };
    await mod.run();
  }
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  // With --json, stdout carries the array alone: anything else that writes there goes to stderr.
  const writeStdout = process.stdout.write.bind(process.stdout);
  if (args.json || args.reports) process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  if (args.reports) {
    await runReports(args.reports);
    return 0;
  }
  const selected = BENCHES.filter((b) => !args.only || args.only.includes(b.id));
  if (args.only) {
    const unknown = args.only.filter((id) => !BENCHES.some((b) => b.id === id));
    if (unknown.length) throw new Error(`unknown bench row(s) ${unknown.join(', ')}; known: ${BENCHES.map((b) => b.id).join(', ')}`);
  }
  const ctx = new BenchContext({ small: args.small, runs: args.runs });
  const stop = () => void ctx.cleanup().then(() => process.exit(130));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const rows: BenchRow[] = [];
  let failed = false;
  const started = performance.now();
  try {
    for (const entry of selected) {
      const t0 = performance.now();
      let def: BenchDef = { id: entry.id, title: '(not loaded)', run: () => Promise.reject(new Error('not loaded')) };
      try {
        def = await entry.load();
        progress(`${def.id} ${def.title}${args.small ? ' (small)' : ''}…`);
        rows.push(await def.run(ctx));
      } catch (e) {
        failed = true;
        progress(`${def.id} failed: ${(e as Error).stack ?? String(e)}`);
        rows.push({ ...reportRow(def, 'the bench failed', null, null, [`error: ${(e as Error).message}`]), pass: false });
      }
      progress(`${def.id} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
  } finally {
    await ctx.cleanup();
  }
  progress(`all rows in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  writeStdout(args.json ? `${JSON.stringify(rows, null, 2)}\n` : formatTable(rows));
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bench: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(2);
  },
);
