/** Migrations: each in its own transaction with its version row; a failure halfway leaves the database unchanged. */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openPortalDb } from '../../src-portal/db/open';
import { migrations, type Migration } from '../../src-portal/db/migrations';
import { FutureSchemaError } from '../../src-portal/db/migrator';
import { tmpDir } from './helpers';
import { PortabilityRecorder } from '../../src-portal/db/portability';
import { openPortalDbPostgres } from '../../src-portal/db/open';
import { postgresBin, sharedPostgres } from './postgres';
import { verifyAuditChain } from '../../src-portal/audit/audit';
import { runVerifyAudit } from '../../src-portal/cli';

const now = () => '2026-11-23T12:00:00.000Z';
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function dump(file: string): string {
  const db = new SQLite(file, { readonly: true });
  const schema = db.prepare("select type, name, sql from sqlite_master order by name").all();
  const versions = db.prepare('select name from schema_migrations order by name').all();
  db.close();
  return JSON.stringify({ schema, versions });
}

describe('migrations', () => {
  it('a migration that fails halfway leaves the schema and version unchanged', async () => {
    const dir = tmpDir();
    dirs.push(dir);
    const first = await openPortalDb(dir, now);
    expect(first.schemaVersion).toBe(migrations.length);
    await first.db.destroy();
    const before = dump(path.join(dir, 'portal.sqlite'));

    const broken: Migration = {
      name: '2099_01_01_001_broken',
      async up(db) {
        await db.schema.createTable('half_done').addColumn('id', 'integer', (c) => c.primaryKey()).execute();
        await db.schema.alterTable('users').addColumn('nickname', 'text').execute();
        await sql`insert into no_such_table values (1)`.execute(db);
      },
    };
    await expect(openPortalDb(dir, now, [...migrations, broken])).rejects.toThrow(/no_such_table/);
    expect(dump(path.join(dir, 'portal.sqlite'))).toBe(before);

    // A good next migration applies, with its version row in the same transaction.
    const good: Migration = { name: '2099_01_01_001_good', async up(db) { await db.schema.createTable('later').addColumn('id', 'integer', (c) => c.primaryKey()).execute(); } };
    const again = await openPortalDb(dir, now, [...migrations, good]);
    expect(again.schemaVersion).toBe(migrations.length + 1);
    await again.db.destroy();
  });

  it('refuses a database written by a newer portal', async () => {
    const dir = tmpDir();
    dirs.push(dir);
    const newer: Migration = { name: '2099_12_31_001_future', async up() {} };
    const opened = await openPortalDb(dir, now, [...migrations, newer]);
    await opened.db.destroy();
    await expect(openPortalDb(dir, now)).rejects.toBeInstanceOf(FutureSchemaError);
  });

  it('the schema has no database-supplied time defaults', async () => {
    const dir = tmpDir();
    dirs.push(dir);
    const opened = await openPortalDb(dir, now);
    await opened.db.destroy();
    const db = new SQLite(path.join(dir, 'portal.sqlite'), { readonly: true });
    const ddl = (db.prepare('select sql from sqlite_master where sql is not null').all() as { sql: string }[]).map((r) => r.sql).join('\n');
    db.close();
    expect(ddl).not.toMatch(/CURRENT_TIMESTAMP|datetime\(|now\(\)/i);
  });

  it('the portability recorder flags SQLite-only SQL and passes the migrations', async () => {
    const dir = tmpDir();
    dirs.push(dir);
    const rec = new PortabilityRecorder();
    const opened = await openPortalDb(dir, now, migrations, [rec]);
    expect(rec.checked).toBeGreaterThan(20);
    expect(rec.violations).toEqual([]);
    await sql`select datetime('now') as t`.execute(opened.db);
    await opened.db.insertInto('portal_state').values({ key: 'k', value: 'v' }).onConflict((oc) => oc.column('key').doNothing()).execute();
    await opened.db.destroy();
    expect(rec.violations.map((v) => v.reason)).toEqual(['SQLite date function (use the portal clock and ISO strings)']);
  });
});

describe.skipIf(!postgresBin)('migrations and audit on PostgreSQL', () => {
  it('a failing migration leaves a PostgreSQL database unchanged; verify-audit names a tampered entry', async () => {
    // The run's shared cluster, an empty database: the migrations run from the first one.
    const url = await (await sharedPostgres()).emptyDb('portal_mig');
    {
      const first = await openPortalDbPostgres(url, now);
      expect(first.schemaVersion).toBe(migrations.length);
      const dumpPg = async () => JSON.stringify({
        cols: (await sql<{ t: string; c: string }>`select table_name as t, column_name as c from information_schema.columns where table_schema = 'public' order by 1, 2`.execute(first.db)).rows,
        versions: await first.db.selectFrom('schema_migrations').select('name').orderBy('name').execute(),
      });
      const before = await dumpPg();
      const broken: Migration = {
        name: '2099_01_01_001_broken',
        async up(db) {
          await db.schema.createTable('half_done').addColumn('id', 'integer', (c) => c.primaryKey()).execute();
          await db.schema.alterTable('users').addColumn('nickname', 'text').execute();
          await sql`insert into no_such_table values (1)`.execute(db);
        },
      };
      await expect(openPortalDbPostgres(url, now, [...migrations, broken])).rejects.toThrow(/no_such_table/);
      expect(await dumpPg()).toBe(before);

      // Seed through the shared code path, then tamper with one audit row.
      const { seedDemoData } = await import('../../src-portal/seed/seed');
      const ctx = { db: first.db, clock: { now: () => new Date(now()) }, dataDir: '', demo: true, limits: { maxFileBytes: 1, maxChunkBytes: 1, sessionTtlMs: 1 }, smtp: null, mailDir: null, publicName: 't', nowIso: now, log: () => {} };
      expect((await seedDemoData(ctx)).created).toBeGreaterThan(10);
      expect((await seedDemoData(ctx)).created).toBe(0);
      expect((await verifyAuditChain(first.db)).ok).toBe(true);
      await sql`update audit_log set data_json = replace(data_json, 'head', 'supplier') where seq = 9`.execute(first.db);
      const lines: string[] = [];
      expect(await runVerifyAudit('', (l) => lines.push(l), url)).toBe(1);
      expect(lines.join('')).toContain('BROKEN at entry 9');
      await first.db.destroy();
    }
  });
});
