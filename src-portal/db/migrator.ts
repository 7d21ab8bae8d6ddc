/**
 * Our own migrator, because kysely's Migrator does not wrap DDL in a
 * transaction on SQLite (SqliteAdapter.supportsTransactionalDdl is false):
 * a migration that failed halfway would leave half its tables behind.
 * Here each migration and its `schema_migrations` row commit together or
 * not at all. SQLite and PostgreSQL both roll DDL back.
 */
import { sql, type Kysely } from 'kysely';
import type { Migration } from './migrations';

export class FutureSchemaError extends Error {
  constructor(readonly unknownMigrations: string[]) {
    super(`database was written by a newer portal (unknown migrations: ${unknownMigrations.join(', ')})`);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrate(db: Kysely<any>, list: readonly Migration[], nowIso: () => string): Promise<{ applied: string[]; version: number }> {
  await db.schema
    .createTable('schema_migrations')
    .ifNotExists()
    .addColumn('name', 'varchar(200)', (c) => c.primaryKey())
    .addColumn('applied_at', 'varchar(40)', (c) => c.notNull())
    .execute();
  const done = new Set(
    (await db.selectFrom('schema_migrations').select('name').execute()).map((r: { name: string }) => r.name),
  );
  const known = new Set(list.map((m) => m.name));
  const unknown = [...done].filter((n) => !known.has(n));
  if (unknown.length) throw new FutureSchemaError(unknown);
  const applied: string[] = [];
  for (const m of list) {
    if (done.has(m.name)) continue;
    await db.transaction().execute(async (trx) => {
      await m.up(trx);
      await trx.insertInto('schema_migrations').values({ name: m.name, applied_at: nowIso() }).execute();
    });
    applied.push(m.name);
  }
  return { applied, version: done.size + applied.length };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function schemaVersion(db: Kysely<any>): Promise<number> {
  const r = await sql<{ n: number }>`select count(*) as n from schema_migrations`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}
