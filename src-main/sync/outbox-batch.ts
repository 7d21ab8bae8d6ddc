/**
 * Which outbox rows the next push carries, so that no failing mutation
 * blocks the others: rows the portal has failed to apply before go last,
 * and rows made after a failing one that touch the same records wait for it
 * (the order of one record's changes never changes). Rows that failed in
 * this cycle, or too recently, are not sent at all.
 */
import type Database from 'better-sqlite3';
import type { PushResult } from '../../src-shared/sync/protocol';
import { shouldGiveUp } from '../../src-shared/sync/failures';
import type { LocalSchema } from '../db/local-db';
import { keyOf, type EntityKey } from './view-store';

type OutboxRow = LocalSchema['outbox'];

export interface BatchOptions {
  /** Mutation ids the portal failed to apply during this cycle: one attempt per cycle. */
  skip?: ReadonlySet<string>;
  now?: string;
  /** A failing row is sent again no sooner than this after its last failure. */
  spacingMs?: number;
}

export function nextBatch(sqlite: Database.Database, limit: number, o: BatchOptions = {}): OutboxRow[] {
  // The common case (nothing ever failed) reads exactly `limit` rows.
  const anyFailing = sqlite.prepare("SELECT 1 FROM outbox WHERE status = 'pending' AND failures > 0 LIMIT 1").get() !== undefined;
  if (!anyFailing && !o.skip?.size) return sqlite.prepare("SELECT * FROM outbox WHERE status = 'pending' ORDER BY seq LIMIT ?").all(limit) as OutboxRow[];
  const stmt = sqlite.prepare("SELECT * FROM outbox WHERE status = 'pending' ORDER BY seq");
  const now = Date.parse(o.now ?? new Date().toISOString());
  const head: OutboxRow[] = [];
  const tail: OutboxRow[] = [];
  const blocked = new Set<string>();
  for (const row of stmt.iterate() as IterableIterator<OutboxRow>) {
    if (head.length + tail.length >= limit) break;
    const keys = (JSON.parse(row.touches_json) as EntityKey[]).map(([t, id]) => keyOf(t, id));
    const waits = keys.some((k) => blocked.has(k));
    if (waits || row.failures > 0 || o.skip?.has(row.mutation_id)) keys.forEach((k) => blocked.add(k));
    if (waits || o.skip?.has(row.mutation_id)) continue;
    if (row.failures === 0) head.push(row);
    else if (now - Date.parse(row.updated_at) >= (o.spacingMs ?? 0)) tail.push(row);
  }
  return [...head, ...tail];
}

/**
 * The portal answered `retry` for this row: count the attempt and, past N
 * attempts or M hours, stop retrying (the row joins the refused list as
 * "could not be sent", its optimistic effect dropped by the caller's rebase).
 * Returns true when it gave up.
 */
export function recordFailure(sqlite: Database.Database, row: OutboxRow, error: NonNullable<PushResult['error']>, now: string): boolean {
  const failures = row.failures + 1;
  const first = row.first_failed_at ?? now;
  const giveUp = shouldGiveUp(failures, first, now);
  sqlite
    .prepare('UPDATE outbox SET failures = ?, first_failed_at = ?, error_json = ?, status = ?, gave_up = ?, updated_at = ? WHERE seq = ?')
    .run(failures, first, JSON.stringify(error), giveUp ? 'rejected' : 'pending', giveUp ? 1 : 0, now, row.seq);
  return giveUp;
}
