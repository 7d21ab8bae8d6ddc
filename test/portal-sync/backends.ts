/**
 * The sync suites run on both databases the portal supports: the embedded
 * SQLite file and PostgreSQL (one shared cluster per test run, a fresh
 * database per portal; see test/portal/postgres.ts). PostgreSQL is listed
 * when the machine has it installed, as in the authorization table test.
 */
import type { Kysely } from 'kysely';
import { connectPostgres, openPortalDb } from '../../src-portal/db/open';
import type { Database } from '../../src-portal/db/schema';
import { postgresBin, sharedPostgres } from '../portal/postgres';
import { startTestPortal } from '../portal/helpers';

export type Backend = 'sqlite' | 'postgres';
export type TestPortal = Awaited<ReturnType<typeof startTestPortal>>;
export const BACKENDS: Backend[] = ['sqlite', ...(postgresBin ? (['postgres'] as const) : [])];

/** Where a portal keeps its rows: its data folder (SQLite) or a fresh PostgreSQL database. */
export interface Store {
  backend: Backend;
  /** PostgreSQL only: the fresh database's URL. */
  postgresUrl?: string;
}

export async function freshStore(backend: Backend): Promise<Store> {
  if (backend === 'sqlite') return { backend };
  return { backend, postgresUrl: await (await sharedPostgres()).freshDb('sync') };
}

/** An in-process test portal on a fresh store of `backend`. */
export async function startBackendPortal(backend: Backend, opts: Parameters<typeof startTestPortal>[0] = {}): Promise<TestPortal> {
  const store = await freshStore(backend);
  return startTestPortal({ ...opts, ...(store.postgresUrl ? { postgresUrl: store.postgresUrl } : {}) });
}

/** The environment that points a portal process (src-portal/cli.ts) at the store. */
export const storeEnv = (s: Store): Record<string, string | undefined> => ({ SERIKTES_PORTAL_POSTGRES: s.postgresUrl });

/** Opens the store directly (a stopped or killed portal's rows, as they are on disk). */
export async function openStore(s: Store, dataDir: string): Promise<Kysely<Database>> {
  if (s.postgresUrl) return connectPostgres(s.postgresUrl);
  return (await openPortalDb(dataDir, () => new Date().toISOString())).db;
}
