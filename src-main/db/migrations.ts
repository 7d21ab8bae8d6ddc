/**
 * Local cache migrations: append-only. Each runs in its own transaction with
 * PRAGMA user_version bumped inside it, so a failure halfway leaves the file
 * exactly as it was. Never edit a shipped migration; add the next one.
 */
export interface LocalMigration {
  version: number;
  name: string;
  sql: string;
}

export const LOCAL_MIGRATIONS: LocalMigration[] = [
  {
    version: 1,
    name: 'records, outbox, sync state',
    sql: `
      -- What the portal confirmed, exactly as pulled.
      CREATE TABLE records_confirmed (
        entity_type TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        scope TEXT NOT NULL,
        version INTEGER NOT NULL,
        data_json TEXT NOT NULL,
        PRIMARY KEY (entity_type, entity_id)
      ) STRICT;
      CREATE INDEX records_confirmed_scope ON records_confirmed (scope);

      -- What the user sees: confirmed state with pending mutations applied on top.
      CREATE TABLE records_view (
        entity_type TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        scope TEXT NOT NULL,
        version INTEGER NOT NULL,
        data_json TEXT NOT NULL,
        pending INTEGER NOT NULL DEFAULT 0 CHECK (pending IN (0, 1)),
        PRIMARY KEY (entity_type, entity_id)
      ) STRICT;
      CREATE INDEX records_view_type_scope ON records_view (entity_type, scope);

      -- Mutations waiting for (or decided by) the portal, in the order they were made.
      CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        mutation_id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        args_json TEXT NOT NULL,
        coalesce_key TEXT,
        touches_json TEXT NOT NULL DEFAULT '[]',
        status TEXT NOT NULL CHECK (status IN ('pending', 'applied', 'rejected', 'dismissed')),
        applied_seq INTEGER,
        error_json TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX outbox_status ON outbox (status, seq);

      CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
    `,
  },
  {
    version: 2,
    name: 'list columns on the view',
    sql: `
      -- Filled from each entity type's indexer (src-main/sync/indexers.ts) whenever a view row is written,
      -- so lists filter and sort on plain indexed columns instead of parsing JSON for every row.
      ALTER TABLE records_view ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';
      ALTER TABLE records_view ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
      ALTER TABLE records_view ADD COLUMN tags TEXT NOT NULL DEFAULT '';
      CREATE INDEX records_view_list ON records_view (entity_type, scope, sort_key);
    `,
  },
  {
    version: 3,
    name: 'staged files',
    sql: `
      -- Files the user attached, copied into the account's store (files/<sha256>), waiting for or done with upload.
      CREATE TABLE staged_files (
        sha256 TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        size INTEGER NOT NULL,
        content_type TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'uploaded', 'failed', 'dismissed')),
        upload_id TEXT,
        uploaded_bytes INTEGER NOT NULL DEFAULT 0,
        error_json TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX staged_files_status ON staged_files (status);
    `,
  },
  {
    version: 4,
    name: 'document inspections, downloaded files',
    sql: `
      -- Verification / PDF profile of a file of the store (src-main/documents/inspect.ts). A report depends on the
      -- trust anchors, the expected IIN/BIN and the day it was made, so \`context\` names those and a changed
      -- context simply misses the cache.
      CREATE TABLE document_inspections (
        sha256 TEXT NOT NULL,
        context TEXT NOT NULL,
        inspected_at TEXT NOT NULL,
        json TEXT NOT NULL,
        PRIMARY KEY (sha256, context)
      ) STRICT;
      -- Files fetched from the portal into the account's store (someone else's attachments opened for review):
      -- readable like staged files, never uploaded.
      CREATE TABLE downloaded_files (
        sha256 TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        size INTEGER NOT NULL,
        content_type TEXT NOT NULL,
        downloaded_at TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 5,
    name: 'outbox failures the portal answered',
    sql: `
      -- Attempts the portal answered with a per-mutation failure (push result \`retry\`); unreachable never counts.
      ALTER TABLE outbox ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE outbox ADD COLUMN first_failed_at TEXT;
      -- 1 when the app stopped retrying (src-shared/sync/failures.ts): listed as "could not be sent", not "refused".
      ALTER TABLE outbox ADD COLUMN gave_up INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 6,
    name: 'divergence: the confirmed records before a re-sync from zero (issue 15)',
    sql: `
      -- When the portal no longer holds the history this app saw (restored from a backup), the confirmed records
      -- are copied here, the app pulls again from zero, and src-main/sync/divergence.ts lists what changed.
      -- Kept until that list is made, so a crash during the re-sync still shows it.
      CREATE TABLE resync_before (
        entity_type TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        data_json TEXT NOT NULL,
        PRIMARY KEY (entity_type, entity_id)
      ) STRICT;
    `,
  },
];
