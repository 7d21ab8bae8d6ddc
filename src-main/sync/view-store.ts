import type Database from 'better-sqlite3';
import type { LocalRecord, LocalStore } from '../../src-shared/sync/mutation-def';
import { listColumns } from './indexers';

/** Writes one view row with its list columns; `pending` = 1 while a local change is unconfirmed. */
export const VIEW_UPSERT = `INSERT INTO records_view (entity_type, entity_id, scope, version, data_json, pending, sort_key, search_text, tags)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (entity_type, entity_id) DO UPDATE SET scope = excluded.scope, version = excluded.version, data_json = excluded.data_json,
    pending = excluded.pending, sort_key = excluded.sort_key, search_text = excluded.search_text, tags = excluded.tags`;

export type EntityKey = readonly [entityType: string, entityId: string];
export const keyOf = (t: string, id: string) => `${t}\u0000${id}`;

interface Row {
  entity_type: string;
  entity_id: string;
  scope: string;
  version: number;
  data_json: string;
}

const toRecord = <T>(r: Row): LocalRecord<T> => ({
  entityType: r.entity_type,
  entityId: r.entity_id,
  scope: r.scope,
  version: r.version,
  data: JSON.parse(r.data_json) as T,
});

/**
 * Synchronous LocalStore over the optimistic view table. It records which
 * entities a mutation wrote, so a later rebase knows what to rebuild.
 */
export class ViewStore implements LocalStore {
  readonly touched = new Map<string, EntityKey>();
  private readonly getStmt: Database.Statement;
  private readonly listStmt: Database.Statement;
  private readonly putStmt: Database.Statement;
  private readonly delStmt: Database.Statement;

  constructor(
    sqlite: Database.Database,
    private readonly pendingFlag: 0 | 1 = 1,
  ) {
    this.getStmt = sqlite.prepare('SELECT * FROM records_view WHERE entity_type = ? AND entity_id = ?');
    this.listStmt = sqlite.prepare('SELECT * FROM records_view WHERE entity_type = ? AND scope = ? ORDER BY entity_id');
    this.putStmt = sqlite.prepare(VIEW_UPSERT);
    this.delStmt = sqlite.prepare('DELETE FROM records_view WHERE entity_type = ? AND entity_id = ?');
  }

  get<T>(entityType: string, entityId: string): LocalRecord<T> | null {
    const r = this.getStmt.get(entityType, entityId) as Row | undefined;
    return r ? toRecord<T>(r) : null;
  }

  list<T>(entityType: string, scope: string): LocalRecord<T>[] {
    return (this.listStmt.all(entityType, scope) as Row[]).map((r) => toRecord<T>(r));
  }

  put<T>(record: LocalRecord<T>): void {
    this.touched.set(keyOf(record.entityType, record.entityId), [record.entityType, record.entityId]);
    const c = listColumns(record.entityType, record.data);
    this.putStmt.run(record.entityType, record.entityId, record.scope, record.version, JSON.stringify(record.data), this.pendingFlag, c.sortKey, c.searchText, c.tags);
  }

  delete(entityType: string, entityId: string): void {
    this.touched.set(keyOf(entityType, entityId), [entityType, entityId]);
    this.delStmt.run(entityType, entityId);
  }
}
