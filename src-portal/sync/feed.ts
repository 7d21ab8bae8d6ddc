/**
 * The change feed clients pull (issue 4). Every accepted change that a
 * client may cache is published here, in the SAME transaction as the change
 * and its audit entry (call `publishChange` right next to `recordChange`).
 *
 * - seq comes from the `change_feed_head` row, bumped inside the writer's
 *   transaction: its lock (row lock on PostgreSQL, the write lock on SQLite)
 *   serialises writers, so seq order is commit order and a reader's cursor
 *   never jumps over a transaction that commits late.
 * - Compaction: one row per (entity_type, entity_id, scope). Writing a new
 *   row deletes the older one, so a pull from 0 is the current state;
 *   deletes stay as tombstones so caches that saw the entity drop it.
 * - An entity that moves to another scope gets a tombstone in its old scope.
 */
import type { Queryable, Trx } from '../db/schema';

export type FeedOp = 'put' | 'delete';

export interface FeedChange {
  entityType: string;
  entityId: string;
  scope: string;
  op: FeedOp;
  /** The entity's portal version after this change (tombstones: the last version + 1). */
  version: number;
  /** The record as clients cache it; null for deletes. Never secrets. */
  data: unknown;
}

/** Takes the feed's write lock early: the caller then reads state no concurrent writer can change under it. */
export async function lockFeed(trx: Trx): Promise<void> {
  await trx.updateTable('change_feed_head').set((eb) => ({ seq: eb('seq', '+', 0) })).where('id', '=', 1).execute();
}

async function nextSeq(trx: Trx): Promise<number> {
  await trx.updateTable('change_feed_head').set((eb) => ({ seq: eb('seq', '+', 1) })).where('id', '=', 1).execute();
  const head = await trx.selectFrom('change_feed_head').select('seq').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(head.seq);
}

async function writeRow(trx: Trx, at: string, c: FeedChange): Promise<number> {
  const seq = await nextSeq(trx);
  await trx.deleteFrom('change_feed').where('entity_type', '=', c.entityType).where('entity_id', '=', c.entityId).where('scope', '=', c.scope).execute();
  await trx
    .insertInto('change_feed')
    .values({
      seq,
      entity_type: c.entityType,
      entity_id: c.entityId,
      scope: c.scope,
      op: c.op,
      version: c.version,
      data_json: c.op === 'put' ? JSON.stringify(c.data ?? null) : null,
      at,
    })
    .execute();
  return seq;
}

/** Publishes one change inside the caller's transaction. Returns the seq of the last row written. */
export async function publishChange(trx: Trx, at: string, c: FeedChange): Promise<number> {
  let last = 0;
  if (c.op === 'put') {
    // Moved between scopes: readers of the old scope must drop it.
    const elsewhere = await trx
      .selectFrom('change_feed')
      .select(['scope'])
      .where('entity_type', '=', c.entityType)
      .where('entity_id', '=', c.entityId)
      .where('scope', '!=', c.scope)
      .where('op', '=', 'put')
      .execute();
    for (const row of elsewhere) last = await writeRow(trx, at, { ...c, scope: row.scope, op: 'delete', data: null });
  }
  last = await writeRow(trx, at, c);
  return last;
}

export async function feedHead(db: Queryable): Promise<number> {
  const h = await db.selectFrom('change_feed_head').select('seq').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(h.seq);
}
