import path from 'node:path';
import fs from 'node:fs';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type KyselyPlugin } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';
import { migrate } from './migrator';
import { migrations, type Migration } from './migrations';

export interface OpenedDb {
  db: Kysely<Database>;
  sqlite: SQLite.Database;
  schemaVersion: number;
}

/**
 * Opens a portal database read-only, without migrating: verify-audit must
 * inspect a database exactly as it is, never change it.
 */
export function openPortalDbReadOnly(dataDir: string): { db: Kysely<Database>; sqlite: SQLite.Database } {
  const sqlite = new SQLite(path.join(dataDir, 'portal.sqlite'), { readonly: true, fileMustExist: true });
  return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) }), sqlite };
}

/**
 * PostgreSQL instead of the embedded SQLite file: the same migrations and
 * queries. int8 is parsed to a JS number (sequence numbers and file sizes
 * stay far below 2^53), so rows look the same as with better-sqlite3.
 */
export function connectPostgres(connectionString: string, plugins: KyselyPlugin[] = []): Kysely<Database> {
  const pool = new pg.Pool({ connectionString, max: 10 });
  pool.on('error', () => {}); // an idle client dropped by the server is replaced on the next query
  // pg-pool listens for errors only on idle clients: a connection the server ends while checked out
  // (a restart, pg_terminate_backend, a failover) emitted 'error' with no listener and killed the
  // portal. The statement in flight fails on its own (the push answers 5xx and is retried) and the
  // pool drops the broken client when it is released.
  pool.on('connect', (client) => client.on('error', () => {}));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins });
}

export async function openPortalDbPostgres(connectionString: string, nowIso: () => string, list: readonly Migration[] = migrations, plugins: KyselyPlugin[] = []): Promise<{ db: Kysely<Database>; schemaVersion: number }> {
  const db = connectPostgres(connectionString, plugins);
  try {
    const { version } = await migrate(db, list, nowIso);
    return { db, schemaVersion: version };
  } catch (e) {
    await db.destroy();
    throw e;
  }
}
pg.types.setTypeParser(20, (v: string) => Number(v));

/** Opens (creating if needed) `<dataDir>/portal.sqlite` and brings its schema up to date. */
export async function openPortalDb(dataDir: string, nowIso: () => string, list: readonly Migration[] = migrations, plugins: KyselyPlugin[] = []): Promise<OpenedDb> {
  fs.mkdirSync(dataDir, { recursive: true });
  const sqlite = new SQLite(path.join(dataDir, 'portal.sqlite'));
  sqlite.pragma('journal_mode = WAL');
  // FULL: an acknowledged change (and its audit entry and outbox row) survives a power cut.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }), plugins });
  try {
    const { version } = await migrate(db, list, nowIso);
    return { db, sqlite, schemaVersion: version };
  } catch (e) {
    await db.destroy();
    throw e;
  }
}
