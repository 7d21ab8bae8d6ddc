/**
 * `npm run soak`: campaigns too long for `npm run bench` (kill campaigns, 10 000-scale runs, files
 * of gigabytes). Not part of `npm test`. Later issues add their campaigns to CAMPAIGNS; each gets a
 * BenchContext, so its folders and child processes are removed even when it fails, and returns
 * rows in the bench format (bench/harness.ts).
 *
 *   npm run soak                    every campaign
 *   npm run soak -- --only hash-2g  some campaigns (comma-separated)
 *   npm run soak -- --list          the campaigns and what they do
 *   npm run soak -- --json          rows as a JSON array on stdout, progress on stderr
 */
import { join } from 'node:path';
import { digestFile } from '../src-main/signing/hash-file';
import { OID } from '../src-shared/signing/oids';
import { BenchContext, progress, reportRow, row, sideBySide, timing, withPeakRss, type BenchRow } from './harness';
import { opensslDgstMs, writeRandomFile } from './rows/files';
import { meJsonKillCampaign } from './rows/me-json-kill';
import { formatTable } from './table';
import { runKillCampaign, type CampaignReport, type Victim } from '../test/portal-sync/kill-campaign';
import type { Backend } from '../test/portal-sync/backends';

interface Campaign {
  name: string;
  about: string;
  run(ctx: BenchContext): Promise<BenchRow[]>;
}

export const CAMPAIGNS: Campaign[] = [
  {
    name: 'hash-2g',
    about: 'SHA-256 of a 2 GiB file in the hash worker vs openssl dgst (P4 at scale; memory stays flat)',
    async run(ctx) {
      const path = join(ctx.tempDir('soak-hash'), 'big.bin');
      writeRandomFile(path, 2048);
      await digestFile(path, OID.sha256);
      let peak = 0;
      const r = await sideBySide(
        3,
        () => Promise.resolve(opensslDgstMs(path)),
        async () => {
          const m = await withPeakRss(async () => {
            const t0 = performance.now();
            await digestFile(path, OID.sha256);
            return performance.now() - t0;
          });
          peak = Math.max(peak, m.peakRssMb);
          return m.result;
        },
      );
      return [row({ id: 'S-hash-2g', title: 'SHA-256 of 2 GiB' }, 1.11, 'throughput ≥ 0.9× openssl', r, 'openssl dgst -sha256 (start-up included, negligible at 2 GiB)', [`peak RSS of this process ${peak} MB`])];
    },
  },
  {
    name: 'me-json-kill',
    about: '100 × kill -9 of the app back end while it rewrites me.json: me.json stays whole, the app reopens signed in (needs dist/)',
    run: meJsonKillCampaign,
  },
];

/** Suites whose portal is a process started by test/helpers/processes.ts (SERIKTES_TEST_PORTAL_DB applies). */
const APP_SUITES = ['test/sync/', 'test/aki/apps.test.ts'];

/**
 * Issue 15: the sync kill campaigns at full length (npm test runs a few trials of each). A campaign
 * that lost, duplicated or re-answered anything fails the soak; the row reports what was counted.
 */
function killCampaign(backend: Backend, runs: [Victim, number][]): Campaign {
  return {
    name: `sync-kill-${backend}`,
    about: `kills at random points of a push stream on ${backend}: ${runs.map(([v, n]) => `${n}× ${v}`).join(', ')}; 0 lost, 0 duplicated`,
    async run() {
      const rows: BenchRow[] = [];
      for (const [victim, trials] of runs) {
        const t0 = performance.now();
        const r: CampaignReport = await runKillCampaign({ backend, victim, trials, log: progress });
        const ms = performance.now() - t0;
        const bad = [...r.lost, ...r.duplicated, ...r.changedAnswers, ...(r.auditOk ? [] : ['audit chain broken'])];
        if (bad.length) throw new Error(`sync-kill-${backend}/${victim}: ${bad.length} problem(s):\n${bad.slice(0, 20).join('\n')}`);
        rows.push(reportRow(
          { id: `S-kill-${backend}-${victim}`, title: `${victim} killed mid-push on ${backend}` },
          '0 lost, 0 duplicated, every acknowledged answer replays unchanged',
          timing([ms]),
          null,
          [`${r.trials} trials, ${r.sent} mutations, ${r.acknowledged} acknowledged before the replay, ${r.unanswered} pushes unanswered; 0 lost, 0 duplicated, audit chain verified`],
        ));
      }
      return rows;
    },
  };
}
CAMPAIGNS.push(
  killCampaign('sqlite', [['portal', 60]]),
  killCampaign('postgres', [['portal', 60], ['connections', 100], ['server', 30]]),
  {
    name: 'sync-apps-postgres',
    about: 'the app-to-portal suites (test/sync and AKI through the app: live, offline kill -9, conflicts, uploads, notifications) with the portal on PostgreSQL',
    async run(ctx) {
      const root = join(__dirname, '..');
      const t0 = performance.now();
      // The suite's output goes to stderr (fd 2): stdout stays for the rows.
      const child = ctx.spawn(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...APP_SUITES], {
        cwd: root, env: { ...process.env, SERIKTES_TEST_PORTAL_DB: 'postgres' }, stdio: ['ignore', 2, 2],
      });
      const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
      if (code !== 0) throw new Error(`the app-to-portal suites on PostgreSQL failed (exit ${code})`);
      return [reportRow({ id: 'S-apps-postgres', title: 'app back ends with the portal on PostgreSQL' }, `every test of ${APP_SUITES.join(' ')} passes`, timing([performance.now() - t0]), null, [])];
    },
  },
);

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes('--list')) {
    for (const c of CAMPAIGNS) process.stdout.write(`${c.name}\t${c.about}\n`);
    return 0;
  }
  const json = argv.includes('--json');
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? (argv[onlyAt + 1] ?? '').split(',') : null;
  const writeStdout = process.stdout.write.bind(process.stdout);
  if (json) process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  const ctx = new BenchContext({ small: false, runs: 3 });
  process.once('SIGINT', () => void ctx.cleanup().then(() => process.exit(130)));
  const rows: BenchRow[] = [];
  let failed = false;
  try {
    for (const c of CAMPAIGNS.filter((x) => !only || only.includes(x.name))) {
      progress(`soak ${c.name}: ${c.about}`);
      try {
        rows.push(...(await c.run(ctx)));
      } catch (e) {
        failed = true;
        progress(`soak ${c.name} failed: ${(e as Error).stack ?? String(e)}`);
      }
    }
  } finally {
    await ctx.cleanup();
  }
  writeStdout(json ? `${JSON.stringify(rows, null, 2)}\n` : formatTable(rows));
  return failed ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`soak: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(2);
    },
  );
}
