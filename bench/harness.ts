/**
 * The one bench format (issue 14). Every row times the app's path and a baseline side by side in the
 * same run, alternating which goes first, and judges the ratio of the medians — absolute
 * milliseconds on a shared 2-core machine drift with the load, ratios much less. The load average is
 * printed with each row so a reader can tell a noisy run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Timing {
  minMs: number;
  medianMs: number;
  runsMs: number[];
}

export interface BenchRow {
  id: string;
  title: string;
  /** Largest allowed ratio measured / baseline (time); null = the row only reports. */
  goal: number | null;
  goalText: string;
  measured: Timing | null;
  baseline: (Timing & { label: string }) | null;
  /** median(measured) / median(baseline); null when there is no baseline or nothing was measured. */
  ratio: number | null;
  /** 1-minute load average when the row finished. */
  load: number;
  pass: boolean | null;
  notes: string[];
}

export interface BenchOptions {
  /** Small sizes for tests: same code paths, tiny data. */
  small: boolean;
  /** Runs per side (≥ 3). */
  runs: number;
}

export interface BenchDef {
  id: string;
  title: string;
  run(ctx: BenchContext): Promise<BenchRow>;
}

/** Progress goes to stderr so `--json` keeps stdout for the array alone. */
export const progress = (msg: string): void => {
  process.stderr.write(`bench: ${msg}\n`);
};

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

export function timing(runsMs: number[]): Timing {
  const s = [...runsMs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  // Sub-10 ms timings (P3) keep microseconds, or their ratio would be a ratio of rounding steps.
  const r = (x: number) => round(x, x < 10 ? 3 : 1);
  return { minMs: r(s[0]!), medianMs: r(median), runsMs: runsMs.map(r) };
}

/**
 * Runs baseline and measured `runs` times each, alternating which goes first so neither side always
 * inherits a warm (or cold) cache. Each function returns its own duration in ms, so per-run setup
 * (fresh databases, files) stays outside the clock.
 */
export async function sideBySide(runs: number, baseline: (i: number) => Promise<number>, measured: (i: number) => Promise<number>): Promise<{ baseline: Timing; measured: Timing }> {
  const b: number[] = [];
  const m: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      b.push(await baseline(i));
      m.push(await measured(i));
    } else {
      m.push(await measured(i));
      b.push(await baseline(i));
    }
  }
  return { baseline: timing(b), measured: timing(m) };
}

/** A finished row: ratio of the medians, PASS when ≤ goal. */
export function row(def: { id: string; title: string }, goal: number | null, goalText: string, r: { baseline: Timing; measured: Timing } | null, baselineLabel: string, notes: string[] = []): BenchRow {
  const ratio = r && r.baseline.medianMs > 0 ? round(r.measured.medianMs / r.baseline.medianMs, 2) : null;
  return {
    id: def.id,
    title: def.title,
    goal,
    goalText,
    measured: r?.measured ?? null,
    baseline: r ? { label: baselineLabel, ...r.baseline } : null,
    ratio,
    load: round(loadavg()[0]!, 2),
    pass: goal === null || ratio === null ? null : ratio <= goal,
    notes,
  };
}

/** Report-only row (no goal yet, or not measured here). */
export function reportRow(def: { id: string; title: string }, goalText: string, measured: Timing | null, baseline: (Timing & { label: string }) | null, notes: string[]): BenchRow {
  const ratio = measured && baseline && baseline.medianMs > 0 ? round(measured.medianMs / baseline.medianMs, 2) : null;
  return { id: def.id, title: def.title, goal: null, goalText, measured, baseline, ratio, load: round(loadavg()[0]!, 2), pass: null, notes };
}

/**
 * What a bench may leave behind — temporary folders, child processes, servers — registered here and
 * removed by the runner after every row, whether it passed, failed or threw.
 */
export class BenchContext {
  private readonly cleanups: (() => Promise<void> | void)[] = [];
  private readonly shared = new Map<string, Promise<unknown>>();

  constructor(readonly options: BenchOptions) {}

  tempDir(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), `seriktes-bench-${prefix}-`));
    this.defer(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  /** Registers a cleanup; they run last-in, first-out. */
  defer(fn: () => Promise<void> | void): void {
    this.cleanups.push(fn);
  }

  /** A child process killed (SIGTERM, then SIGKILL) at cleanup. */
  spawn(cmd: string, args: string[], opts: Parameters<typeof spawn>[2] = {}): ChildProcess {
    const child = spawn(cmd, args, opts);
    this.defer(() => stopChild(child));
    return child;
  }

  /** One instance per run of something several rows use (a seeded portal), cleaned up at the end. */
  once<T>(key: string, make: () => Promise<T>): Promise<T> {
    if (!this.shared.has(key)) this.shared.set(key, make());
    return this.shared.get(key) as Promise<T>;
  }

  async cleanup(): Promise<void> {
    while (this.cleanups.length) {
      const fn = this.cleanups.pop()!;
      try {
        await fn();
      } catch (e) {
        progress(`cleanup failed: ${(e as Error).message}`);
      }
    }
    this.shared.clear();
  }
}

export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((ok) => {
    if (child.exitCode !== null || child.signalCode !== null) return ok();
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      ok();
    });
    child.kill('SIGTERM');
  });
}

/** Resolves with the first match of `re` on a child's stdout (rejects if it exits first). */
export function waitForOutput(child: ChildProcess, re: RegExp): Promise<RegExpMatchArray> {
  return new Promise((ok, fail) => {
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d.toString();
      const m = buf.match(re);
      if (m) {
        child.stdout?.off('data', onData);
        ok(m);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => fail(new Error(`child exited (${code}) before printing ${re}; output: ${buf.slice(-500)}`)));
  });
}

export const TSX_CLI = join(__dirname, '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** Peak resident memory of this process while `fn` runs (sampled every 10 ms). */
export async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ result: T; peakRssMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peakRssMb: Math.round(peak / 2 ** 20) };
  } finally {
    clearInterval(timer);
  }
}
