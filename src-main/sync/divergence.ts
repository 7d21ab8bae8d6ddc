/**
 * Divergence detection (issue 15 §5), the app's half.
 *
 * Trust: every pulled page carries the portal's audit head signed with its
 * Ed25519 key. The first sync pins that key in the account's sync_state; a
 * head signed by another key, or not validly signed, is refused before
 * anything of the page is applied.
 *
 * Divergence: each cycle's first pull names the last head the app saw; the
 * portal answers whether its chain still holds that exact entry (or the
 * cursor is ahead of its feed). If not — it was restored from a backup — the
 * app asks which of its own acknowledged mutations the portal still holds,
 * copies its confirmed records aside, and pulls again from zero; the outbox
 * is not touched (unsent changes are replayed on top as always). When the
 * re-sync completes, the records are compared with the copy and the report
 * (added / removed / changed, and the lost mutations to offer again) is kept
 * until the user dismisses it.
 */
import crypto from 'node:crypto';
import { AppError } from '../../src-shared/rpc/errors';
import { auditHeadMessage } from '../../src-shared/sync/audit-head';
import { MAX_KNOWN_QUERY, MUTATION_RETENTION_DAYS, KnownMutationsResponseSchema, type AuditHead } from '../../src-shared/sync/protocol';
import type { DivergenceReport } from '../../src-shared/rpc/app-methods';
import type { LocalDb } from '../db/local-db';
import type { LocalSync, OutboxRow } from './local-sync';
import type { PortalClient } from './portal-client';
import type { ActorView } from './state-loaders';

/** Records named per list in the report; the counts are always whole. */
const LIST_CAP = 200;
const KEY = { pinned: 'auditKey', head: 'auditHead', state: 'divergence' } as const;

type Stored = Omit<DivergenceReport, 'lost'> & { lostIds: string[] };

export class Divergence {
  constructor(
    private readonly db: LocalDb,
    private readonly local: LocalSync,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private get(key: string): string | null {
    return this.local.getState(key);
  }

  private set(key: string, value: string | null): void {
    if (value === null) this.db.sqlite.prepare('DELETE FROM sync_state WHERE key = ?').run(key);
    else this.db.sqlite.prepare('INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  // ---- trust ---------------------------------------------------------------

  /** Refuses a head not signed by the pinned key; pins the key on the first sync. */
  checkHead(head: AuditHead): void {
    const pinned = this.get(KEY.pinned);
    if (pinned !== null && pinned !== head.publicKey) {
      throw new AppError('audit_key_changed', 'The portal signs its audit head with another key than the one pinned at the first sync', { seq: head.seq });
    }
    if (!validSignature(head)) throw new AppError('audit_signature_invalid', 'The portal\'s audit head signature does not verify', { seq: head.seq });
    if (pinned === null) this.db.tx(() => this.set(KEY.pinned, head.publicKey));
  }

  /** The last head the app saw (stored with each applied page), to ask the portal about. */
  seenHead(): { seq: number; hash: string } | null {
    const raw = this.get(KEY.head);
    if (!raw) return null;
    const h = JSON.parse(raw) as { seq?: unknown; hash?: unknown };
    return typeof h.seq === 'number' && typeof h.hash === 'string' && /^[0-9a-f]{64}$/.test(h.hash) ? { seq: h.seq, hash: h.hash } : null;
  }

  // ---- divergence ----------------------------------------------------------

  private stored(): Stored | null {
    const raw = this.get(KEY.state);
    return raw ? (JSON.parse(raw) as Stored) : null;
  }

  /** True while a re-sync from zero has not completed (also after a crash in the middle of one). */
  resyncing(): boolean {
    return this.stored()?.complete === false;
  }

  /**
   * The portal diverged: learn which acknowledged mutations it lost, then copy the confirmed
   * records aside and reset the cache for a pull from zero (outbox untouched), in one transaction.
   */
  async begin(client: PortalClient, actor: ActorView, signal?: AbortSignal): Promise<void> {
    const known = await this.knownByPortal(client, signal);
    this.db.tx(() => {
      // Acknowledged mutations are never replayed as unconfirmed on the fresh view (0), except under the
      // portal's own position for those it kept; the lost ones wait for the user's choice.
      this.db.sqlite.exec("UPDATE outbox SET applied_seq = 0 WHERE status = 'applied'");
      const setSeq = this.db.sqlite.prepare('UPDATE outbox SET applied_seq = ? WHERE mutation_id = ?');
      const lostIds: string[] = [];
      for (const [id, seq] of known) {
        if (seq === null) lostIds.push(id);
        else setSeq.run(seq, id);
      }
      if (!this.resyncing()) {
        // After a crash mid-resync the copy of the older view is kept, not overwritten by a partial one.
        this.db.sqlite.exec('DELETE FROM resync_before; INSERT INTO resync_before SELECT entity_type, entity_id, version, data_json FROM records_confirmed');
      }
      const before = this.stored();
      const state: Stored = {
        detectedAt: this.now().toISOString(),
        complete: false,
        counts: { added: 0, removed: 0, changed: 0 },
        added: [],
        removed: [],
        changed: [],
        lostIds: [...new Set([...(before?.lostIds ?? []), ...lostIds])],
      };
      this.set(KEY.state, JSON.stringify(state));
      this.set(KEY.head, null);
      this.local.resetForResync(actor);
    });
  }

  /**
   * Acknowledged by the portal in an earlier cycle whose pull never completed (the app was killed, the
   * network fell): the last head seen predates them, so the chain check cannot vouch for them. Rare;
   * only then the portal is asked whether it still holds them. True when it lost any.
   */
  async lostUnpulled(client: PortalClient, cycleStartedAt: string, signal?: AbortSignal): Promise<boolean> {
    const ids = (
      this.db.sqlite
        .prepare("SELECT mutation_id FROM outbox WHERE status = 'applied' AND applied_seq > ? AND updated_at < ? ORDER BY seq LIMIT ?")
        .all(this.local.cursor(), cycleStartedAt, MAX_KNOWN_QUERY) as { mutation_id: string }[]
    ).map((r) => r.mutation_id);
    if (ids.length === 0) return false;
    const res = KnownMutationsResponseSchema.parse(await client.request('POST', '/api/sync/known', { ids }, { signal }));
    return res.known.length < ids.length;
  }

  /** Acknowledged mutations still within the portal's retention: which of them it holds (id → its seq, or null). */
  private async knownByPortal(client: PortalClient, signal?: AbortSignal): Promise<Map<string, number | null>> {
    const since = new Date(this.now().getTime() - MUTATION_RETENTION_DAYS * 86_400_000).toISOString();
    const ids = (this.db.sqlite.prepare("SELECT mutation_id FROM outbox WHERE status = 'applied' AND created_at >= ? ORDER BY seq").all(since) as { mutation_id: string }[]).map(
      (r) => r.mutation_id,
    );
    const result = new Map<string, number | null>(ids.map((id) => [id, null]));
    for (let i = 0; i < ids.length; i += MAX_KNOWN_QUERY) {
      const res = KnownMutationsResponseSchema.parse(await client.request('POST', '/api/sync/known', { ids: ids.slice(i, i + MAX_KNOWN_QUERY) }, { signal }));
      for (const k of res.known) if (result.has(k.id)) result.set(k.id, k.seq);
    }
    return result;
  }

  /** After the re-sync from zero completed: compare with the copy, keep the report. */
  finish(): void {
    const state = this.stored();
    if (!state || state.complete) return;
    this.db.tx(() => {
      const q = (sql: string) => this.db.sqlite.prepare(sql).all() as { entity_type: string; entity_id: string; data_json: string }[];
      const added = q(`SELECT c.entity_type, c.entity_id, c.data_json FROM records_confirmed c
        LEFT JOIN resync_before b ON b.entity_type = c.entity_type AND b.entity_id = c.entity_id WHERE b.entity_id IS NULL ORDER BY c.entity_type, c.entity_id`);
      const removed = q(`SELECT b.entity_type, b.entity_id, b.data_json FROM resync_before b
        LEFT JOIN records_confirmed c ON b.entity_type = c.entity_type AND b.entity_id = c.entity_id WHERE c.entity_id IS NULL ORDER BY b.entity_type, b.entity_id`);
      const changed = q(`SELECT c.entity_type, c.entity_id, c.data_json FROM records_confirmed c
        JOIN resync_before b ON b.entity_type = c.entity_type AND b.entity_id = c.entity_id
        WHERE b.version <> c.version OR b.data_json <> c.data_json ORDER BY c.entity_type, c.entity_id`);
      const items = (rows: typeof added) => rows.slice(0, LIST_CAP).map((r) => ({ entityType: r.entity_type, entityId: r.entity_id, label: labelOf(r.data_json, r.entity_id) }));
      const done: Stored = {
        ...state,
        complete: true,
        counts: { added: added.length, removed: removed.length, changed: changed.length },
        added: items(added),
        removed: items(removed),
        changed: items(changed),
      };
      this.set(KEY.state, JSON.stringify(done));
      this.db.sqlite.exec('DELETE FROM resync_before');
    });
  }

  hasReport(): boolean {
    return this.get(KEY.state) !== null;
  }

  report(): DivergenceReport | null {
    const s = this.stored();
    if (!s) return null;
    const { lostIds, ...rest } = s;
    const rows = this.lostRows(lostIds);
    return { ...rest, lost: rows.map((r) => ({ mutationId: r.mutation_id, name: r.name, args: JSON.parse(r.args_json) as unknown, at: r.created_at })) };
  }

  /** Lost mutations still as the portal acknowledged them (not already queued again). */
  private lostRows(ids: string[]): OutboxRow[] {
    const get = this.db.sqlite.prepare("SELECT * FROM outbox WHERE mutation_id = ? AND status = 'applied'");
    return ids.map((id) => get.get(id) as OutboxRow | undefined).filter((r): r is OutboxRow => r !== undefined);
  }

  /** Queues the lost mutations again, under their own ids. */
  resendLost(actor: ActorView): number {
    const s = this.stored();
    if (!s) return 0;
    return this.db.tx(() => {
      const n = this.local.requeue(this.lostRows(s.lostIds).map((r) => r.mutation_id), actor);
      this.set(KEY.state, JSON.stringify({ ...s, lostIds: [] }));
      return n;
    });
  }

  dismiss(): boolean {
    const s = this.stored();
    if (!s || !s.complete) return false;
    this.db.tx(() => this.set(KEY.state, null));
    return true;
  }
}

/** The same check as the portal's verify-audit (src-portal/audit/head-signing.ts): the app and the portal share no Node code. */
function validSignature(head: AuditHead): boolean {
  try {
    const key = crypto.createPublicKey({ key: Buffer.from(head.publicKey, 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ed25519') return false;
    return crypto.verify(null, Buffer.from(auditHeadMessage(head.seq, head.hash), 'utf8'), key, Buffer.from(head.signature, 'base64'));
  } catch {
    return false;
  }
}

/** A name a person recognises: the record's own name fields, else its id. */
function labelOf(dataJson: string, id: string): string {
  try {
    const d = JSON.parse(dataJson) as Record<string, unknown>;
    for (const k of ['fullName', 'number', 'nameRu', 'nameKk', 'nameEn', 'name', 'title', 'email']) {
      const v = d?.[k];
      if (typeof v === 'string' && v.trim() !== '') return v;
    }
  } catch {
    // fall through to the id
  }
  return id;
}
