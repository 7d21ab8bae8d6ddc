/**
 * A throwaway PostgreSQL cluster for tests, when the machine has one
 * installed (initdb/pg_ctl). As root, the server runs as the `postgres`
 * user (PostgreSQL refuses root).
 *
 * Starting a cluster is the slow part (initdb), so a test run shares ONE:
 * `sharedPostgres()` starts it on first use, in whichever test file asks
 * first, and records it in the run folder that the vitest global setup
 * (test/helpers/pg-global-setup.ts) created; every other file reuses it and
 * the global teardown stops it. Each portal gets a fresh database copied
 * from a migrated template (`freshDb`), which is cheaper than migrating.
 * Outside vitest (npm run soak) the process starts its own cluster.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { execFileSync } from 'node:child_process';
import pg from 'pg';

function findBin(): string | null {
  const roots = ['/usr/lib/postgresql'];
  for (const r of roots) {
    if (!fs.existsSync(r)) continue;
    for (const v of fs.readdirSync(r).sort().reverse()) {
      const bin = path.join(r, v, 'bin');
      if (fs.existsSync(path.join(bin, 'initdb')) && fs.existsSync(path.join(bin, 'pg_ctl'))) return bin;
    }
  }
  return null;
}

export const postgresBin = findBin();

/** The folder the vitest global setup shares between test files (absent outside vitest). */
export const PG_RUN_ENV = 'SERIKTES_TEST_PG_RUN';

const freePort = () => new Promise<number>((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as net.AddressInfo;
    s.close(() => resolve(port));
  });
});

const asRoot = () => process.getuid?.() === 0;
function runPg(cmd: string, args: string[]): void {
  if (!postgresBin) throw new Error('PostgreSQL is not installed');
  const bin = path.join(postgresBin, cmd);
  if (asRoot()) execFileSync('runuser', ['-u', 'postgres', '--', bin, ...args], { stdio: 'pipe' });
  else execFileSync(bin, args, { stdio: 'pipe' });
}

interface ClusterInfo { dir: string; port: number }

const urlOf = (info: ClusterInfo, db: string) => `postgres://portal@127.0.0.1:${info.port}/${db}`;

/** Global teardown: stops every cluster this run started. */
export function stopRunClusters(runDir: string): void {
  for (const f of fs.existsSync(runDir) ? fs.readdirSync(runDir) : []) {
    if (/^started-\d+\.json$/.test(f)) stopCluster(JSON.parse(fs.readFileSync(path.join(runDir, f), 'utf8')) as ClusterInfo);
  }
  fs.rmSync(runDir, { recursive: true, force: true });
}

/** Stops a cluster and removes its folder (the data lives nowhere else). */
export function stopCluster(info: ClusterInfo): void {
  try {
    runPg('pg_ctl', ['-D', path.join(info.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
  } finally {
    fs.rmSync(info.dir, { recursive: true, force: true });
  }
}

async function initCluster(): Promise<ClusterInfo> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-pg-'));
  if (asRoot()) execFileSync('chown', ['postgres', dir]);
  const port = await freePort();
  runPg('initdb', ['-D', path.join(dir, 'data'), '-A', 'trust', '-U', 'portal']);
  startServer({ dir, port });
  return { dir, port };
}

/** (Re)starts the server of an initialised cluster; fsync off: tests never survive a power cut. */
export function startServer(info: ClusterInfo): void {
  runPg('pg_ctl', ['-D', path.join(info.dir, 'data'), '-o', `-p ${info.port} -k ${info.dir} -c listen_addresses=127.0.0.1 -c fsync=off`, '-l', path.join(info.dir, 'log'), '-w', 'start']);
}

/** An immediate shutdown: the server dies like a killed process and recovers from its WAL on the next start. */
export function crashServer(info: ClusterInfo): void {
  runPg('pg_ctl', ['-D', path.join(info.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
}

export async function startPostgres(): Promise<{ url(db: string): string; createDb(name: string): void; stop(): void }> {
  const info = await initCluster();
  return {
    url: (db) => urlOf(info, db),
    createDb: (name) => runPg('createdb', ['-h', '127.0.0.1', '-p', String(info.port), '-U', 'portal', name]),
    stop: () => stopCluster(info),
  };
}

async function admin<T>(info: ClusterInfo, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: urlOf(info, 'postgres') });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const TEMPLATE = 'portal_template';

/**
 * The template every fresh database copies (made once per cluster, by its starter): migrated and
 * with the demo data, as a demo portal leaves it. A demo portal started on a copy finds its accounts
 * there and skips hashing 26 passwords, the slowest part of its start.
 */
async function makeTemplate(info: ClusterInfo): Promise<void> {
  await admin(info, (c) => c.query(`CREATE DATABASE ${TEMPLATE}`));
  const { openPortalDbPostgres } = await import('../../src-portal/db/open');
  const { seedDemoData } = await import('../../src-portal/seed/seed');
  const { DEFAULT_LIMITS } = await import('../../src-portal/context');
  const nowIso = () => new Date().toISOString();
  const { db } = await openPortalDbPostgres(urlOf(info, TEMPLATE), nowIso);
  try {
    await seedDemoData({ db, clock: { now: () => new Date() }, dataDir: '', demo: true, limits: DEFAULT_LIMITS, smtp: null, mailDir: null, publicName: 'template', nowIso, log: () => {} });
  } finally {
    await db.destroy();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Takes the run's cluster, starting it if this file is the first to ask. */
async function clusterOfRun(runDir: string): Promise<ClusterInfo> {
  const infoFile = path.join(runDir, 'cluster.json');
  const lock = path.join(runDir, 'starting');
  for (;;) {
    if (fs.existsSync(infoFile)) return JSON.parse(fs.readFileSync(infoFile, 'utf8')) as ClusterInfo;
    try {
      fs.mkdirSync(lock);
    } catch {
      // Another file is starting it: wait for its cluster.json (or for its failure to free the lock).
      await sleep(50);
      continue;
    }
    try {
      if (fs.existsSync(infoFile)) continue;
      const info = await initCluster();
      // Recorded before the template, so the global teardown stops it even if the template fails.
      fs.writeFileSync(path.join(runDir, `started-${info.port}.json`), JSON.stringify(info));
      await makeTemplate(info);
      fs.writeFileSync(infoFile, JSON.stringify(info));
      return info;
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
  }
}

let own: Promise<ClusterInfo> | null = null;

export interface SharedPostgres {
  info: ClusterInfo;
  url(db: string): string;
  /** A new database copied from the migrated template; returns its URL. */
  freshDb(prefix?: string): Promise<string>;
  /** A new database without the portal's schema (migration tests); returns its URL. */
  emptyDb(prefix?: string): Promise<string>;
  /** A copy of a database no one is connected to (a backup of a stopped portal's); returns its URL. */
  copyDb(url: string, prefix?: string): Promise<string>;
  /** Replaces the database at `url` by a copy of the one at `fromUrl` (a restore); both unconnected. */
  replaceDb(url: string, fromUrl: string): Promise<void>;
}

const dbName = (url: string) => new URL(url).pathname.slice(1);

let counter = 0;

/** The one cluster of this test run (or of this process outside vitest). */
export async function sharedPostgres(): Promise<SharedPostgres> {
  const runDir = process.env[PG_RUN_ENV];
  let info: ClusterInfo;
  if (runDir) info = await clusterOfRun(runDir);
  else {
    own ??= initCluster().then(async (i) => {
      process.once('exit', () => stopCluster(i));
      await makeTemplate(i);
      return i;
    });
    info = await own;
  }
  // Copying a database just left (a portal's pool closing, another copy of the template) can meet
  // "source database is being accessed by other users": try again.
  const copy = async (name: string, template: string) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin(info, (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
        return urlOf(info, name);
      } catch (e) {
        if ((e as { code?: string }).code !== '55006' || attempt >= 50) throw e;
        await sleep(20 + Math.random() * 80);
      }
    }
  };
  const create = (prefix: string, template: string) =>
    copy(`${prefix}_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`.toLowerCase().replace(/[^a-z0-9_]/g, '_'), template);
  return {
    info,
    url: (db) => urlOf(info, db),
    freshDb: (prefix = 't') => create(prefix, TEMPLATE),
    emptyDb: (prefix = 'e') => create(prefix, 'template0'),
    copyDb: (url, prefix = 'copy') => create(prefix, dbName(url)),
    async replaceDb(url, fromUrl) {
      await admin(info, (c) => c.query(`DROP DATABASE ${dbName(url)} WITH (FORCE)`));
      await copy(dbName(url), dbName(fromUrl));
    },
  };
}
