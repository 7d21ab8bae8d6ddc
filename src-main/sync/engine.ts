import WebSocket from 'ws';
import { AppError } from '../../src-shared/rpc/errors';
import {
  LiveMessageSchema,
  MAX_PUSH_BATCH,
  MAX_PULL_PAGE,
  PullResponseSchema,
  PushResponseSchema,
  SYNC_PROTOCOL_VERSION,
  type PullResponse,
} from '../../src-shared/sync/protocol';
import type { SyncStatus } from '../../src-shared/rpc/app-methods';
import { isTransient, type PortalClient } from './portal-client';
import type { LocalSync } from './local-sync';
import type { ActorView } from './state-loaders';
import type { FileStore } from '../files/file-store';
import { uploadPending } from './uploader';
import { FAILED_RETRY_SPACING_MS } from '../../src-shared/sync/failures';
import type { Divergence } from './divergence';
import type { PortalClock } from '../../src-shared/time/portal-clock';

export interface SyncEngineOptions {
  client: PortalClient;
  local: LocalSync;
  /** Staged files, uploaded before the mutations that reference them are pushed. */
  files?: FileStore;
  clientId: string;
  actor: () => ActorView;
  token: () => string | null;
  /** Refreshes the signed-in user's memberships (they decide what the rules allow offline). */
  refreshActor?: (signal?: AbortSignal) => Promise<void>;
  onStatus: (status: SyncStatus) => void;
  onSessionExpired?: () => void;
  /** Background pull interval; 0 turns periodic pulls off (the live channel still works). */
  periodicPullMs?: number;
  /** Minimum time between two attempts of a mutation the portal failed to apply (default FAILED_RETRY_SPACING_MS). */
  failedRetrySpacingMs?: number;
  pageSize?: number;
  /** Checks the portal's signed audit head and handles a portal restored from a backup (issue 15). */
  divergence?: Divergence;
  log?: (message: string, fields?: Record<string, unknown>) => void;
  /** The portal's time: learned from every pull answer, the source of every "now" the app shows. */
  clock?: PortalClock;
}

const BACKOFF_MAX_MS = 30_000;

/**
 * Push the outbox, pull by cursor, listen on the live channel; back off
 * while the portal is unreachable. One cycle at a time; a poke during a
 * cycle schedules exactly one more.
 */
export class SyncEngine {
  private running = false;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private live: WebSocket | null = null;
  private liveRetry: NodeJS.Timeout | null = null;
  private liveFailures = 0;
  private status: SyncStatus = { state: 'offline', pending: 0, rejected: 0, lastSyncAt: null, progress: null };
  private cycleWaiters: (() => void)[] = [];
  /** The next cycle retries failing mutations regardless of their spacing ("sync now"). */
  private retryFailedNow = false;
  /** Aborts the requests of the cycle in flight (a hung request must not hold up "sync now"). */
  private inflight: AbortController | null = null;

  constructor(private readonly o: SyncEngineOptions) {
    // Offline at start: the offset learned at the last sync still holds best.
    const offset = Number(o.local.getState('portalOffsetMs') ?? NaN);
    if (Number.isFinite(offset)) o.clock?.set(offset);
    this.status = { ...this.status, ...this.counts(), lastSyncAt: o.local.getState('lastSyncAt'), ...this.offset() };
  }

  private offset(): Pick<SyncStatus, 'portalOffsetMs'> {
    return this.o.clock ? { portalOffsetMs: this.o.clock.offsetMs } : {};
  }

  start(): void {
    this.stopped = false;
    this.connectLive();
    this.poke();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.liveRetry) clearTimeout(this.liveRetry);
    this.live?.terminate();
    this.live = null;
    // A cycle in flight is abandoned at its next await; it touches the cache no more.
    this.inflight?.abort();
  }

  /** Stops and resolves once no cycle is running, so the cache can be closed safely. */
  async stopAndWait(): Promise<void> {
    this.stop();
    while (this.running) await new Promise((r) => setTimeout(r, 10));
  }

  current(): SyncStatus {
    return { ...this.status, ...this.counts() };
  }

  /** Pending = unsent mutations + files still to upload; the user sees one number. */
  private counts(): { pending: number; rejected: number; diverged: boolean } {
    const c = this.o.local.counts();
    return {
      pending: c.pending + (this.o.files?.pendingBytes().files ?? 0),
      rejected: c.rejected + (this.o.files?.failed().length ?? 0),
      diverged: this.o.divergence?.hasReport() ?? false,
    };
  }

  /** Something changed locally or on the portal: sync soon. */
  poke(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.cycle(), 0);
  }

  /**
   * Resolves after the next complete cycle (tests, "sync now"). The user asked: changes the portal
   * failed to apply are tried again in it without waiting out their spacing.
   */
  syncNow(): Promise<void> {
    return new Promise((resolve) => {
      this.cycleWaiters.push(resolve);
      this.retryFailedNow = true;
      this.restartCycle();
    });
  }

  /** Starts over now: a request stuck on a dead connection is abandoned, not waited out. */
  private restartCycle(): void {
    if (this.running) {
      this.again = true;
      this.inflight?.abort();
    } else {
      this.poke();
    }
  }

  private emit(patch: Partial<SyncStatus>) {
    if (this.stopped) return; // the account is closing: its cache may already be closed
    this.status = { ...this.status, ...patch, ...this.counts() };
    this.o.onStatus(this.status);
  }

  private async cycle(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    this.again = false;
    if (this.timer) clearTimeout(this.timer);
    this.inflight = new AbortController();
    const cycleStartedAt = new Date().toISOString();
    try {
      if (!this.o.token()) {
        this.emit({ state: 'signed_out', progress: null });
        return;
      }
      this.emit({ state: 'syncing' });
      await this.o.refreshActor?.(this.inflight?.signal);
      if (this.o.files) {
        await uploadPending(this.o.files, this.o.client, {
          signal: this.inflight?.signal,
          onProgress: (done, total) => this.emit({ state: 'syncing', progress: { done, total } }),
        });
      }
      await this.push();
      await this.o.local.bulkPull(() => this.pullAll(cycleStartedAt));
      const at = this.o.clock?.nowIso() ?? new Date().toISOString();
      this.failures = 0;
      this.emit({ state: 'online', lastSyncAt: at, progress: null, trustError: null, ...this.offset() });
      this.saveLastSync(at);
      this.schedule(this.o.periodicPullMs ?? 30_000);
    } catch (err) {
      if (err instanceof AppError && err.code === 'session_expired') {
        this.emit({ state: 'session_expired', progress: null });
        this.o.onSessionExpired?.();
      } else if (err instanceof AppError && err.code === 'upgrade_required') {
        this.emit({ state: 'upgrade_required', progress: null });
      } else if (err instanceof AppError && (err.code === 'audit_key_changed' || err.code === 'audit_signature_invalid')) {
        // Nothing of that answer was applied; try again now and then (the administrator may fix the portal).
        this.o.log?.('portal audit head refused', { code: err.code });
        this.emit({ state: 'untrusted', trustError: err.code, progress: null });
        this.schedule(BACKOFF_MAX_MS);
      } else {
        const transient = isTransient(err);
        if (!transient) this.o.log?.('sync cycle failed', { error: String(err) });
        this.failures++;
        // The portal answered, with an error for the whole request: it is not "offline". Nothing is counted
        // against any mutation either way (only a per-mutation `retry` result counts); everything waits.
        this.emit({ state: transient ? 'offline' : 'portal_error', progress: null });
        const delay = Math.min(BACKOFF_MAX_MS, 500 * 2 ** Math.min(this.failures, 10)) * (0.75 + Math.random() * 0.5);
        this.schedule(delay);
      }
    } finally {
      this.running = false;
      this.inflight = null;
      // Waiters are released only by a cycle that started after their poke.
      if (this.again) this.poke();
      else for (const w of this.cycleWaiters.splice(0)) w();
    }
  }

  private saveLastSync(at: string) {
    this.o.local.setLastSync(at, this.o.clock?.offsetMs);
  }

  private schedule(ms: number) {
    if (this.stopped || ms <= 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.cycle(), ms);
  }

  /**
   * Pushes until nothing sendable is left. The portal may answer fewer results than sent (its per-push
   * cost budget, or a mutation it failed to apply): the rest goes in the next request of this cycle.
   * A mutation it failed to apply is tried once per cycle, after the others (outbox-batch.ts).
   */
  private async push(): Promise<void> {
    const failedThisCycle = new Set<string>();
    const spacingMs = this.retryFailedNow ? 0 : (this.o.failedRetrySpacingMs ?? FAILED_RETRY_SPACING_MS);
    this.retryFailedNow = false;
    for (;;) {
      const batch = this.o.local.pendingBatch(MAX_PUSH_BATCH, { skip: failedThisCycle, spacingMs });
      if (batch.length === 0) return;
      // A file staged while this cycle was uploading may back a mutation of this batch (files.stage returns
      // before the mutation that references it is queued): upload it first, or the portal refuses the mutation.
      if (this.o.files && this.o.files.pending().length > 0) {
        await uploadPending(this.o.files, this.o.client, { signal: this.inflight?.signal });
      }
      this.o.local.markAttempt(batch.map((b) => b.seq));
      const response = PushResponseSchema.parse(
        await this.o.client.request(
          'POST',
          '/api/sync/push',
          {
            protocolVersion: SYNC_PROTOCOL_VERSION,
            clientId: this.o.clientId,
            mutations: batch.map((b) => ({ id: b.mutation_id, name: b.name, args: JSON.parse(b.args_json) as unknown, createdAt: b.created_at })),
          },
          { signal: this.inflight?.signal },
        ),
      );
      for (const id of this.o.local.recordResults(response.results, this.o.actor())) failedThisCycle.add(id);
      this.emit({});
      const sent = new Set(batch.map((b) => b.mutation_id));
      if (!response.results.some((r) => sent.has(r.id))) return; // no progress: the rest goes next cycle
    }
  }

  private async pullAll(cycleStartedAt: string): Promise<void> {
    let page: PullResponse;
    let done = 0;
    const d = this.o.divergence;
    // A pull from the very beginning already brings every scope's history: nothing to back-fill.
    let fromScratch = this.o.local.cursor() === 0;
    const diverged = async (why: string) => {
      this.o.log?.(`the portal no longer holds what this app saw (${why}; restored from a backup?): full resync`);
      if (d) await d.begin(this.o.client, this.o.actor(), this.inflight?.signal);
      else this.o.local.resetForResync(this.o.actor());
      fromScratch = true;
      return this.pullPage(0);
    };
    let next: Promise<PullResponse> =
      d && (await d.lostUnpulled(this.o.client, cycleStartedAt, this.inflight?.signal))
        ? diverged('it lost changes it acknowledged')
        : this.pullPage(this.o.local.cursor(), undefined, d?.seenHead() ?? undefined).catch(async (err: unknown) => {
            if (!(err instanceof AppError && err.code === 'conflict' && err.details?.reason === 'cursor_ahead')) throw err;
            return diverged('its feed is behind the local cursor');
          });
    for (;;) {
      page = await next;
      d?.checkHead(page.auditHead);
      if (page.diverged) {
        next = diverged('its audit chain does not hold the last entry seen');
        continue;
      }
      // Ask for the next page before applying this one: the portal prepares it while SQLite writes.
      // (Yield once so the request is actually written to the socket before the synchronous apply.)
      if (page.hasMore) {
        next = this.pullPage(page.cursor);
        await new Promise((r) => setTimeout(r, 0));
      }
      this.o.local.applyPullPage(page, this.o.actor());
      done += page.changes.length;
      if (!page.hasMore) break;
      this.emit({ state: 'syncing', progress: { done, total: null } });
    }
    const { gained } = this.o.local.reconcileScopes(page.scopes, this.o.actor());
    for (const scope of gained) {
      if (fromScratch) {
        this.o.local.markScopeKnown(scope);
        continue;
      }
      let cursor = 0;
      let p: PullResponse;
      do {
        p = await this.pullPage(cursor, scope);
        d?.checkHead(p.auditHead);
        this.o.local.applyPullPage(p, this.o.actor(), { backfillScope: scope });
        cursor = p.cursor;
        done += p.changes.length;
        if (p.hasMore) this.emit({ state: 'syncing', progress: { done, total: null } });
      } while (p.hasMore);
      this.o.local.markScopeKnown(scope);
    }
    if (d?.resyncing()) d.finish();
  }

  private async pullPage(cursor: number, scope?: string, seen?: { seq: number; hash: string }): Promise<PullResponse> {
    const q = new URLSearchParams({ cursor: String(cursor), limit: String(this.o.pageSize ?? MAX_PULL_PAGE), protocolVersion: String(SYNC_PROTOCOL_VERSION) });
    if (scope) q.set('scope', scope);
    if (seen) {
      q.set('auditSeq', String(seen.seq));
      q.set('auditHash', seen.hash);
    }
    const sentAt = Date.now();
    const page = PullResponseSchema.parse(await this.o.client.request('GET', `/api/sync/pull?${q.toString()}`, undefined, { signal: this.inflight?.signal }));
    if (page.serverTime) this.o.clock?.learn(page.serverTime, sentAt, Date.now());
    return page;
  }

  // ---- live channel ------------------------------------------------------

  private connectLive(): void {
    if (this.stopped) return;
    const token = this.o.token();
    if (!token) return;
    const ws = new WebSocket(this.o.client.liveUrl(), { headers: { Authorization: `Bearer ${token}` }, handshakeTimeout: 10_000 });
    this.live = ws;
    ws.on('message', (data) => {
      const parsed = LiveMessageSchema.safeParse(safeJson(String(data)));
      if (!parsed.success) return;
      if (parsed.data.type === 'hello') {
        this.liveFailures = 0;
        // The portal is reachable again: whatever the cycle in flight is waiting on, start over.
        this.restartCycle();
      } else if (parsed.data.seq > this.o.local.cursor()) {
        this.poke();
      }
    });
    ws.on('error', () => undefined);
    ws.on('close', () => {
      if (this.live === ws) this.live = null;
      if (this.stopped) return;
      const delay = Math.min(BACKOFF_MAX_MS, 500 * 2 ** Math.min(this.liveFailures++, 10));
      this.liveRetry = setTimeout(() => this.connectLive(), delay);
    });
  }

  /** Tests: drop the live socket as a network would. */
  dropLive(): void {
    this.live?.terminate();
  }
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}
