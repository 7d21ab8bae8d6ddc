import { createServer, type AddressInfo } from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..', '..');

export interface RunningHost {
  proc: ChildProcess;
  appUrl: string;
  origin: string;
  dataDir: string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Stops a child process (SIGTERM by default) and resolves when it has exited. */
export function stopProcess(proc: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((ok) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return ok();
    proc.once('exit', () => ok());
    proc.kill(signal);
  });
}

/** A loopback port free right now (a portal restarted on it keeps its address). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

export const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), `seriktes-${prefix}-`));

/** Waits for a line matching `re` on a child's stdout. */
export function waitForLine(proc: ChildProcess, re: RegExp, timeoutMs = 90_000): Promise<RegExpMatchArray> {
  return new Promise((ok, fail) => {
    let buf = '';
    let errBuf = '';
    const timer = setTimeout(() => fail(new Error(`timed out waiting for ${re}; stdout: ${buf}; stderr: ${errBuf}`)), timeoutMs);
    proc.stderr?.on('data', (d: Buffer) => {
      errBuf += d.toString();
    });
    proc.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = buf.match(re);
      if (m) {
        clearTimeout(timer);
        ok(m);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`process exited (${code}) before ${re}; stdout: ${buf}; stderr: ${errBuf}`));
    });
  });
}

/** Starts the built browser host (dist/main/browser-host.cjs) as a real child process. */
export async function startBrowserHostProcess(opts: { dataDir?: string; portalUrl?: string; port?: number; pullIntervalMs?: number; failedRetrySpacingMs?: number; env?: Record<string, string> } = {}): Promise<RunningHost> {
  const dataDir = opts.dataDir ?? tempDir('app');
  const args = [join(repoRoot, 'dist', 'main', 'browser-host.cjs'), '--data', dataDir];
  if (opts.portalUrl) args.push('--portal', opts.portalUrl);
  if (opts.port) args.push('--port', String(opts.port));
  if (opts.pullIntervalMs !== undefined) args.push('--pull-interval', String(opts.pullIntervalMs));
  if (opts.failedRetrySpacingMs !== undefined) args.push('--failed-retry-spacing', String(opts.failedRetrySpacingMs));
  const proc = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
  if (process.env.SERIKTES_DEBUG_SYNC) proc.stderr?.on('data', (d: Buffer) => process.stderr.write(d));
  const m = await waitForLine(proc, /app url: (\S+)/);
  const appUrl = m[1]!;
  return {
    proc,
    appUrl,
    origin: new URL(appUrl).origin,
    dataDir,
    stop: (signal = 'SIGTERM') => stopProcess(proc, signal),
  };
}

export interface RunningPortal {
  proc: ChildProcess;
  url: string;
  dataDir: string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * SERIKTES_TEST_PORTAL_DB=postgres puts every portal process of the app-to-portal suites (test/sync
 * and AKI through the app) on PostgreSQL: a fresh database of the run's shared cluster per
 * data folder, the same one when a test restarts the portal on its folder. They cost minutes per
 * database, so `npm test` runs them on SQLite and `npm run soak` (sync-apps-postgres) on PostgreSQL.
 */
const postgresOfDataDir = new Map<string, Promise<string>>();
async function portalDbEnv(dataDir: string): Promise<Record<string, string>> {
  if (process.env.SERIKTES_TEST_PORTAL_DB !== 'postgres') return {};
  let url = postgresOfDataDir.get(dataDir);
  if (!url) {
    const { sharedPostgres } = await import('../portal/postgres');
    url = sharedPostgres().then((pg) => pg.freshDb('app'));
    postgresOfDataDir.set(dataDir, url);
  }
  return { SERIKTES_PORTAL_POSTGRES: await url };
}

/** The bundled reference portal (scripts/build.mjs), as `npm start` runs it. */
export const portalCli = join(repoRoot, 'dist', 'portal', 'cli.cjs');

/** The reference portal as a real child process (the bundle), demo data loaded, on a free port. */
export async function startPortalProcess(opts: { dataDir?: string; port?: number; env?: Record<string, string> } = {}): Promise<RunningPortal> {
  const dataDir = opts.dataDir ?? tempDir('portal');
  const dbEnv = await portalDbEnv(dataDir);
  const proc = spawn(process.execPath, [portalCli, '--data', dataDir, '--port', String(opts.port ?? 0), '--demo'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...dbEnv, ...opts.env },
  });
  const m = await waitForLine(proc, /listening on (http:\/\/\S+)/, 90_000);
  return {
    proc,
    url: m[1]!,
    dataDir,
    stop: (signal = 'SIGTERM') => stopProcess(proc, signal),
  };
}
