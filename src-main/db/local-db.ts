import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { AppError } from '../../src-shared/rpc/errors';
import { LOCAL_MIGRATIONS, type LocalMigration } from './migrations';

export interface LocalSchema {
  records_confirmed: { entity_type: string; entity_id: string; scope: string; version: number; data_json: string };
  records_view: {
    entity_type: string;
    entity_id: string;
    scope: string;
    version: number;
    data_json: string;
    pending: number;
    sort_key: string;
    search_text: string;
    tags: string;
  };
  outbox: {
    seq: number;
    mutation_id: string;
    name: string;
    args_json: string;
    coalesce_key: string | null;
    touches_json: string;
    status: 'pending' | 'applied' | 'rejected' | 'dismissed';
    applied_seq: number | null;
    error_json: string | null;
    attempts: number;
    failures: number;
    first_failed_at: string | null;
    gave_up: number;
    created_at: string;
    updated_at: string;
  };
  sync_state: { key: string; value: string };
  staged_files: {
    sha256: string;
    name: string;
    size: number;
    content_type: string;
    status: 'pending' | 'uploaded' | 'failed' | 'dismissed';
    upload_id: string | null;
    uploaded_bytes: number;
    error_json: string | null;
    created_at: string;
    updated_at: string;
  };
}

export interface LocalDb {
  /** The raw handle: synchronous statements inside `tx`. */
  sqlite: Database.Database;
  /** Typed query builder for reads (lists, filters). */
  kysely: Kysely<LocalSchema>;
  /**
   * Runs `fn` in one synchronous transaction. Refuses async callbacks: an
   * awaited I/O inside would let other work interleave with a half-made
   * change (or commit it early) — the local change and its outbox row must
   * land together or not at all.
   */
  tx<T>(fn: () => T): T;
  close(): Promise<void>;
}

/** Chooses the better-sqlite3 build: Electron's (built by `npm start`) or Node's (tests, browser host). */
function nativeBindingOption(): { nativeBinding?: string } {
  const binding = process.env.SERIKTES_SQLITE_BINDING;
  return process.versions.electron && binding ? { nativeBinding: binding } : {};
}

export function openLocalDb(file: string, migrations: LocalMigration[] = LOCAL_MIGRATIONS): LocalDb {
  const sqlite = new Database(file, nativeBindingOption());
  try {
    sqlite.pragma('journal_mode = WAL');
    // FULL: an acknowledged change survives power loss, not only a crash of the app.
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    migrate(sqlite, migrations);
  } catch (err) {
    sqlite.close();
    throw err;
  }
  const kysely = new Kysely<LocalSchema>({ dialect: new SqliteDialect({ database: sqlite }) });
  const tx = <T>(fn: () => T): T => {
    const run = sqlite.transaction(() => {
      const result = fn();
      if (result && typeof (result as { then?: unknown }).then === 'function') {
        throw new Error('local transaction callback returned a promise: transactions must be synchronous');
      }
      return result;
    });
    return run();
  };
  return {
    sqlite,
    kysely,
    tx,
    async close() {
      await kysely.destroy().catch(() => undefined);
      if (sqlite.open) sqlite.close();
    },
  };
}

export function migrate(sqlite: Database.Database, migrations: LocalMigration[]): void {
  const newest = migrations.reduce((m, x) => Math.max(m, x.version), 0);
  const current = Number(sqlite.pragma('user_version', { simple: true }));
  if (current > newest) {
    // A newer app wrote this cache; opening it with older code could corrupt it.
    throw new AppError('upgrade_required', `The local cache was written by a newer version of Seriktes (schema ${current} > ${newest})`, {
      schema: current,
      supported: newest,
    });
  }
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (m.version <= current) continue;
    sqlite.transaction(() => {
      sqlite.exec(m.sql);
      sqlite.pragma(`user_version = ${Math.trunc(m.version)}`);
    })();
  }
}
