import { AppError, isErrorCode, type AppErrorShape } from '../../src-shared/rpc/errors';
import { mutationRegistry } from '../../src-shared/sync/registry';
import type { PullResponse, PushResult } from '../../src-shared/sync/protocol';
import { uuidv7 } from '../../src-shared/sync/uuidv7';
import { zodDetails } from '../../src-shared/rpc/dispatch';
import type { LocalDb, LocalSchema } from '../db/local-db';
import { stateLoaders, type ActorView } from './state-loaders';
import { keyOf, VIEW_UPSERT, ViewStore, type EntityKey } from './view-store';
import { listColumns } from './indexers';
import { nextBatch, recordFailure, type BatchOptions } from './outbox-batch';

/** One outbox row, as the local schema declares it. */
export type OutboxRow = LocalSchema['outbox'];

export interface RejectedItem {
  mutationId: string;
  name: string;
  args: unknown;
  error: AppErrorShape;
  at: string;
  /** Attempts the portal answered with a failure (push result `retry`). */
  attempts: number;
  /** The app stopped retrying (N attempts or M hours): "could not be sent" rather than "refused". */
  couldNotSend: boolean;
}

/**
 * The local half of sync, all synchronous SQLite work: optimistic mutations
 * with their outbox rows, applying pulled pages, and the rebase that keeps
 * "portal-confirmed" and "still pending" apart (the view is always confirmed
 * state + pending mutations replayed on top, Replicache-style).
 */
export class LocalSync {
  constructor(
    private readonly db: LocalDb,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {}

  // ---- cursor and scopes -------------------------------------------------

  getState(key: string): string | null {
    const row = this.db.sqlite.prepare('SELECT value FROM sync_state WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  private setState(key: string, value: string) {
    this.db.sqlite
      .prepare('INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(key, value);
  }

  cursor(): number {
    return Number(this.getState('cursor') ?? 0);
  }

  /** The last sync's (portal) time and the portal clock's offset then, kept for the next offline start. */
  setLastSync(at: string, portalOffsetMs?: number) {
    this.db.tx(() => {
      this.setState('lastSyncAt', at);
      if (portalOffsetMs !== undefined) this.setState('portalOffsetMs', String(portalOffsetMs));
    });
  }

  knownScopes(): string[] {
    return JSON.parse(this.getState('scopes') ?? '[]') as string[];
  }

  // ---- local mutations ---------------------------------------------------

  /**
   * Validates the arguments, runs the shared rule against what the user sees,
   * applies the optimistic change and writes the outbox row — one synchronous
   * transaction, so when this returns the change is durable.
   */
  mutate(name: string, rawArgs: unknown, actor: ActorView): { mutationId: string } {
    const def = mutationRegistry[name];
    const loader = stateLoaders[name];
    if (!def || !loader) throw new AppError('unknown_method', `Unknown mutation ${name}`);
    const parsed = def.args.safeParse(rawArgs);
    if (!parsed.success) throw new AppError('invalid_input', 'Invalid input', zodDetails(parsed.error));
    const args = parsed.data;
    return this.db.tx(() => {
      const store = new ViewStore(this.db.sqlite, 1);
      const state = loader(args, store, actor);
      const problem = def.check(state, args);
      if (problem) throw new AppError(isErrorCode(problem.code) ? problem.code : 'validation_failed', problem.message, problem.details);
      def.applyLocal(store, args, state);
      const touches = [...store.touched.values()];
      const now = this.now();
      const key = def.coalesceKey?.(args) ?? null;
      const target = key ? this.coalescible(key, touches) : null;
      if (target) {
        this.db.sqlite
          .prepare('UPDATE outbox SET args_json = ?, touches_json = ?, updated_at = ? WHERE seq = ?')
          .run(JSON.stringify(args), JSON.stringify(mergeKeys(JSON.parse(target.touches_json) as EntityKey[], touches)), now, target.seq);
        return { mutationId: target.mutation_id };
      }
      const mutationId = uuidv7();
      this.db.sqlite
        .prepare(
          `INSERT INTO outbox (mutation_id, name, args_json, coalesce_key, touches_json, status, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)`,
        )
        .run(mutationId, name, JSON.stringify(args), key, JSON.stringify(touches), now, now);
      return { mutationId };
    });
  }

  /**
   * A pending row with the same coalesce key can absorb a new edit only if it
   * was never sent (the portal may already hold a result under its id) and no
   * later pending mutation touched the same entities (order would change).
   */
  private coalescible(key: string, touches: EntityKey[]): OutboxRow | null {
    const row = this.db.sqlite
      .prepare("SELECT * FROM outbox WHERE coalesce_key = ? AND status = 'pending' ORDER BY seq DESC LIMIT 1")
      .get(key) as OutboxRow | undefined;
    if (!row || row.attempts > 0) return null;
    const mine = new Set(touches.map(([t, id]) => keyOf(t, id)));
    const later = this.db.sqlite.prepare("SELECT touches_json FROM outbox WHERE status = 'pending' AND seq > ?").all(row.seq) as { touches_json: string }[];
    for (const l of later) for (const [t, id] of JSON.parse(l.touches_json) as EntityKey[]) if (mine.has(keyOf(t, id))) return null;
    return row;
  }

  /** Runs a mutation's shared rule against the view without changing anything (throws the rule's error). */
  check(name: string, rawArgs: unknown, actor: ActorView): void {
    const def = mutationRegistry[name];
    const loader = stateLoaders[name];
    if (!def || !loader) throw new AppError('unknown_method', `Unknown mutation ${name}`);
    const parsed = def.args.safeParse(rawArgs);
    if (!parsed.success) throw new AppError('invalid_input', 'Invalid input', zodDetails(parsed.error));
    const problem = def.check(loader(parsed.data, new ViewStore(this.db.sqlite, 1), actor), parsed.data);
    if (problem) throw new AppError(isErrorCode(problem.code) ? problem.code : 'validation_failed', problem.message, problem.details);
  }

  /**
   * Folds an edit of a record the portal has never seen into the unsent
   * mutation that creates it (or cancels that mutation when `amend` returns
   * null), so the portal is never asked to edit something at version 0.
   * Returns the amended mutation's id, or null when nothing matched.
   */
  amendUnsent(name: string, matches: (args: Record<string, unknown>) => boolean, amend: (args: Record<string, unknown>) => Record<string, unknown> | null, actor: ActorView): string | null {
    return this.db.tx(() => {
      const rows = this.db.sqlite.prepare("SELECT * FROM outbox WHERE name = ? AND status = 'pending' AND attempts = 0 ORDER BY seq").all(name) as OutboxRow[];
      const row = rows.find((r) => matches(JSON.parse(r.args_json) as Record<string, unknown>));
      if (!row) return null;
      const touches = JSON.parse(row.touches_json) as EntityKey[];
      const next = amend(JSON.parse(row.args_json) as Record<string, unknown>);
      if (next === null) {
        this.db.sqlite.prepare('DELETE FROM outbox WHERE seq = ?').run(row.seq);
      } else {
        const def = mutationRegistry[name];
        const parsed = def?.args.safeParse(next);
        if (!parsed?.success) throw new AppError('invalid_input', 'Invalid input');
        this.db.sqlite.prepare('UPDATE outbox SET args_json = ?, updated_at = ? WHERE seq = ?').run(JSON.stringify(parsed.data), this.now(), row.seq);
      }
      this.rebase(touches, actor);
      return row.mutation_id;
    });
  }

  /** The next push (see outbox-batch.ts: failing mutations last, their records' later changes held back). */
  pendingBatch(limit: number, opts: Omit<BatchOptions, 'now'> = {}): OutboxRow[] {
    return nextBatch(this.db.sqlite, limit, { ...opts, now: this.now() });
  }

  markAttempt(seqs: number[]) {
    const stmt = this.db.sqlite.prepare('UPDATE outbox SET attempts = attempts + 1 WHERE seq = ?');
    this.db.tx(() => seqs.forEach((s) => stmt.run(s)));
  }

  /**
   * Records the portal's decisions; rejected mutations lose their optimistic effect at once. A `retry`
   * counts one failed attempt (outbox-batch.ts); returns the ids that got one.
   */
  recordResults(results: PushResult[], actor: ActorView): string[] {
    const retried: string[] = [];
    this.db.tx(() => {
      const now = this.now();
      const resetKeys: EntityKey[] = [];
      for (const r of results) {
        const row = this.db.sqlite.prepare('SELECT * FROM outbox WHERE mutation_id = ?').get(r.id) as OutboxRow | undefined;
        if (!row || row.status !== 'pending') continue;
        if (r.status === 'applied') {
          this.db.sqlite.prepare("UPDATE outbox SET status = 'applied', applied_seq = ?, updated_at = ? WHERE seq = ?").run(r.seq, now, row.seq);
        } else if (r.status === 'retry') {
          retried.push(r.id);
          if (recordFailure(this.db.sqlite, row, r.error ?? { code: 'mutation_failed', message: 'Failed' }, now)) resetKeys.push(...(JSON.parse(row.touches_json) as EntityKey[]));
        } else {
          this.db.sqlite
            .prepare("UPDATE outbox SET status = 'rejected', error_json = ?, updated_at = ? WHERE seq = ?")
            .run(JSON.stringify(r.error ?? { code: 'internal', message: 'Rejected' }), now, row.seq);
          resetKeys.push(...(JSON.parse(row.touches_json) as EntityKey[]));
        }
      }
      this.rebase(resetKeys, actor);
    });
    return retried;
  }

  // ---- pulled changes ----------------------------------------------------

  /**
   * Applies one pulled page and advances the cursor in the same transaction.
   * Entities no unconfirmed mutation touches go straight to the view (the
   * common case: two statements per change); the rest are rebased.
   */
  applyPullPage(page: PullResponse, actor: ActorView, opts: { backfillScope?: string } = {}): void {
    // Pulled pages can always be fetched again (the cursor commits with them), so they skip the
    // fsync that local changes get; a power cut at worst re-pulls the last pages. Outbox writes stay FULL.
    this.db.sqlite.pragma('synchronous = NORMAL');
    try {
      this.applyPullPageTx(page, actor, opts);
    } finally {
      this.db.sqlite.pragma('synchronous = FULL');
    }
  }

  private applyPullPageTx(page: PullResponse, actor: ActorView, opts: { backfillScope?: string }): void {
    this.db.tx(() => {
      const upsert = this.db.sqlite.prepare(
        `INSERT INTO records_confirmed (entity_type, entity_id, scope, version, data_json) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (entity_type, entity_id) DO UPDATE SET scope = excluded.scope, version = excluded.version, data_json = excluded.data_json
         WHERE excluded.version >= records_confirmed.version`,
      );
      const del = this.db.sqlite.prepare('DELETE FROM records_confirmed WHERE entity_type = ? AND entity_id = ? AND scope = ?');
      const viewPut = this.db.sqlite.prepare(VIEW_UPSERT);
      const viewDel = this.db.sqlite.prepare('DELETE FROM records_view WHERE entity_type = ? AND entity_id = ?');
      const unconfirmed = this.unconfirmedKeys();
      for (const c of page.changes) {
        const owned = unconfirmed.has(keyOf(c.entityType, c.entityId));
        if (c.op === 'put') {
          const json = JSON.stringify(c.data ?? null);
          const changed = upsert.run(c.entityType, c.entityId, c.scope, c.version, json).changes > 0;
          if (changed && !owned) {
            const l = listColumns(c.entityType, c.data);
            viewPut.run(c.entityType, c.entityId, c.scope, c.version, json, 0, l.sortKey, l.searchText, l.tags);
          }
        } else if (del.run(c.entityType, c.entityId, c.scope).changes > 0 && !owned) {
          viewDel.run(c.entityType, c.entityId);
        }
      }
      if (!opts.backfillScope) this.setState('cursor', String(page.cursor));
      this.setState('auditHead', JSON.stringify(page.auditHead));
      if (unconfirmed.size > 0) this.rebase([...unconfirmed.values()], actor);
    });
  }

  /** Entities that some pending (or applied but not yet pulled) mutation changed locally. */
  private unconfirmedKeys(): Map<string, EntityKey> {
    const keys = new Map<string, EntityKey>();
    for (const r of this.replayRows()) for (const k of JSON.parse(r.touches_json) as EntityKey[]) keys.set(keyOf(k[0], k[1]), k);
    return keys;
  }

  private replayRows(): OutboxRow[] {
    return this.db.sqlite
      .prepare("SELECT * FROM outbox WHERE status = 'pending' OR (status = 'applied' AND applied_seq > ?) ORDER BY seq")
      .all(this.cursor()) as OutboxRow[];
  }

  /**
   * Around a multi-page pull: the WAL is not checkpointed after every page
   * (each checkpoint copies and syncs the log), but once at the end.
   */
  async bulkPull<T>(fn: () => Promise<T>): Promise<T> {
    this.db.sqlite.pragma('wal_autocheckpoint = 0');
    try {
      return await fn();
    } finally {
      if (this.db.sqlite.open) {
        this.db.sqlite.pragma('wal_autocheckpoint = 1000');
        this.db.sqlite.pragma('wal_checkpoint(PASSIVE)');
      }
    }
  }

  /** Scopes the user gained (to back-fill) and lost (purged here, at once). */
  reconcileScopes(current: string[], actor: ActorView): { gained: string[] } {
    const known = new Set(this.knownScopes());
    const now = new Set(current);
    const gained = current.filter((s) => !known.has(s));
    const lost = [...known].filter((s) => !now.has(s));
    if (lost.length) {
      this.db.tx(() => {
        const keys: EntityKey[] = [];
        for (const scope of lost) {
          for (const r of this.db.sqlite.prepare('SELECT entity_type, entity_id FROM records_confirmed WHERE scope = ?').all(scope) as {
            entity_type: string;
            entity_id: string;
          }[]) {
            keys.push([r.entity_type, r.entity_id]);
          }
          this.db.sqlite.prepare('DELETE FROM records_confirmed WHERE scope = ?').run(scope);
          this.db.sqlite.prepare('DELETE FROM records_view WHERE scope = ?').run(scope);
        }
        this.setState('scopes', JSON.stringify([...known].filter((s) => now.has(s))));
        this.rebase(keys, actor);
      });
    }
    return { gained };
  }

  /**
   * The portal's feed is behind our cursor (it was restored from a backup):
   * forget everything it confirmed and pull again from zero. Unsent work in
   * the outbox is kept and replayed on top.
   */
  resetForResync(actor: ActorView): void {
    this.db.tx(() => {
      this.db.sqlite.exec("DELETE FROM records_confirmed; DELETE FROM records_view; DELETE FROM sync_state WHERE key IN ('cursor', 'scopes')");
      this.rebase([], actor);
    });
  }

  /**
   * Queues acknowledged mutations again under their own ids (a portal restored from a backup lost
   * them, issue 15); their effect shows as pending until the portal answers.
   */
  requeue(mutationIds: string[], actor: ActorView): number {
    return this.db.tx(() => {
      const keys: EntityKey[] = [];
      const get = this.db.sqlite.prepare("SELECT * FROM outbox WHERE mutation_id = ? AND status = 'applied'");
      const upd = this.db.sqlite.prepare("UPDATE outbox SET status = 'pending', attempts = 0, applied_seq = NULL, updated_at = ? WHERE seq = ?");
      let n = 0;
      for (const id of mutationIds) {
        const row = get.get(id) as OutboxRow | undefined;
        if (!row) continue;
        upd.run(this.now(), row.seq);
        keys.push(...(JSON.parse(row.touches_json) as EntityKey[]));
        n++;
      }
      this.rebase(keys, actor);
      return n;
    });
  }

  markScopeKnown(scope: string) {
    const known = new Set(this.knownScopes());
    known.add(scope);
    this.db.tx(() => this.setState('scopes', JSON.stringify([...known].sort())));
  }

  // ---- rebase ------------------------------------------------------------

  /**
   * Rebuilds the view for the given entities and for everything a
   * still-unconfirmed mutation touched: confirmed state first, then every
   * pending mutation (and every applied one the pull has not reached yet)
   * replayed in order. Runs inside the caller's transaction.
   */
  private rebase(extra: EntityKey[], actor: ActorView): void {
    const replay = this.replayRows();
    const keys = new Map<string, EntityKey>();
    for (const k of extra) keys.set(keyOf(k[0], k[1]), k);
    for (const r of replay) for (const k of JSON.parse(r.touches_json) as EntityKey[]) keys.set(keyOf(k[0], k[1]), k);
    const confirmed = this.db.sqlite.prepare('SELECT * FROM records_confirmed WHERE entity_type = ? AND entity_id = ?');
    const put = this.db.sqlite.prepare(VIEW_UPSERT);
    const del = this.db.sqlite.prepare('DELETE FROM records_view WHERE entity_type = ? AND entity_id = ?');
    for (const [t, id] of keys.values()) {
      const c = confirmed.get(t, id) as { scope: string; version: number; data_json: string } | undefined;
      if (c) {
        const l = listColumns(t, JSON.parse(c.data_json));
        put.run(t, id, c.scope, c.version, c.data_json, 0, l.sortKey, l.searchText, l.tags);
      } else del.run(t, id);
    }
    for (const r of replay) {
      const def = mutationRegistry[r.name];
      const loader = stateLoaders[r.name];
      if (!def || !loader) continue;
      const store = new ViewStore(this.db.sqlite, r.status === 'pending' ? 1 : 0);
      const args = JSON.parse(r.args_json) as unknown;
      def.applyLocal(store, args, loader(args, store, actor));
    }
  }

  // ---- what the user sees ------------------------------------------------

  counts(): { pending: number; rejected: number } {
    const row = this.db.sqlite
      .prepare("SELECT SUM(status = 'pending') AS pending, SUM(status = 'rejected') AS rejected FROM outbox")
      .get() as { pending: number | null; rejected: number | null };
    return { pending: row.pending ?? 0, rejected: row.rejected ?? 0 };
  }

  rejected(): RejectedItem[] {
    return (this.db.sqlite.prepare("SELECT * FROM outbox WHERE status = 'rejected' ORDER BY seq").all() as OutboxRow[]).map((r) => ({
      mutationId: r.mutation_id,
      name: r.name,
      args: JSON.parse(r.args_json) as unknown,
      error: JSON.parse(r.error_json ?? '{}') as AppErrorShape,
      at: r.updated_at,
      attempts: r.failures,
      couldNotSend: r.gave_up === 1,
    }));
  }

  /**
   * "Edit and retry" from the refused list: the same mutation with the user's corrected arguments,
   * queued as a new change (new id: the portal may hold a result under the old one) after the shared
   * rule checks it again; the listed one is dismissed in the same transaction.
   */
  retry(mutationId: string, rawArgs: unknown, actor: ActorView): { mutationId: string } {
    return this.db.tx(() => {
      const row = this.db.sqlite.prepare("SELECT name FROM outbox WHERE mutation_id = ? AND status = 'rejected'").get(mutationId) as { name: string } | undefined;
      if (!row) throw new AppError('not_found', 'No such refused change');
      this.db.sqlite.prepare("UPDATE outbox SET status = 'dismissed' WHERE mutation_id = ?").run(mutationId);
      return this.mutate(row.name, rawArgs, actor);
    });
  }

  dismiss(mutationId: string): boolean {
    return this.db.tx(() => this.db.sqlite.prepare("UPDATE outbox SET status = 'dismissed' WHERE mutation_id = ? AND status = 'rejected'").run(mutationId).changes > 0);
  }

  /** Pending mutation ids per entity, for "waiting to be sent" marks in lists. */
  isPending(entityType: string, entityId: string): boolean {
    const row = this.db.sqlite.prepare('SELECT pending FROM records_view WHERE entity_type = ? AND entity_id = ?').get(entityType, entityId) as
      | { pending: number }
      | undefined;
    return row?.pending === 1;
  }
}

function mergeKeys(a: EntityKey[], b: EntityKey[]): EntityKey[] {
  const m = new Map<string, EntityKey>();
  for (const k of [...a, ...b]) m.set(keyOf(k[0], k[1]), k);
  return [...m.values()];
}
