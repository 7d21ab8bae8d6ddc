/**
 * The audit log: an append-only hash chain. Each entry's hash is
 * SHA-256(prevHash + "\n" + canonicalJson(entry)), RFC 8785 canonical JSON,
 * so anyone holding the rows can recompute it. The latest hash goes out with
 * every sync pull, so a client notices rewritten history.
 *
 * `recordChange` is the single path every accepted change goes through: it
 * writes the audit entry now and (issue 4) the change-feed row for sync.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../src-shared/portal-api/canonical-json';
import { hasUnstorableString } from '../../src-shared/domain/text';
import { AppError } from '../../src-shared/rpc/errors';
import type { Queryable, Trx, AuditLogTable } from '../db/schema';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChangeInput {
  actorUserId: string | null;
  /** The thing that changed (e.g. 'membership'). */
  entityType: string;
  entityId: string;
  /** The record whose readers may read this entry (e.g. 'organization' + its id). */
  recordType: string;
  recordId: string;
  action: string;
  fromStatus?: string | null;
  toStatus?: string | null;
  /** What changed. Never secrets (password hashes, tokens). */
  data: Record<string, unknown>;
}

type EntryBody = Omit<AuditLogTable, 'hash' | 'prev_hash'>;

function bodyOf(row: EntryBody): Record<string, unknown> {
  return {
    seq: Number(row.seq),
    at: row.at,
    actor: row.actor_user_id,
    entityType: row.entity_type,
    entityId: row.entity_id,
    recordType: row.record_type,
    recordId: row.record_id,
    action: row.action,
    fromStatus: row.from_status,
    toStatus: row.to_status,
    data: JSON.parse(row.data_json) as unknown,
  };
}

export function entryHash(prevHash: string, row: EntryBody): string {
  return createHash('sha256').update(`${prevHash}\n${canonicalJson(bodyOf(row))}`, 'utf8').digest('hex');
}

/** Appends one audit entry inside the caller's transaction. Returns its sequence number and hash. */
export async function recordChange(trx: Trx, at: string, change: ChangeInput): Promise<{ seq: number; hash: string }> {
  // Defence in depth behind safeText and the body guard: text the chain cannot encode (a lone surrogate)
  // or PostgreSQL cannot store (NUL) is a refusal of this change, never an exception answered with 500.
  if (hasUnstorableString(change)) throw new AppError('invalid_text', 'The change holds text that cannot be stored', { entityType: change.entityType, action: change.action });
  // Bumping the head row first takes its write lock (PostgreSQL) before we read the previous hash.
  await trx.updateTable('audit_head').set((eb) => ({ seq: eb('seq', '+', 1) })).where('id', '=', 1).execute();
  const head = await trx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  const row: EntryBody = {
    seq: Number(head.seq),
    at,
    actor_user_id: change.actorUserId,
    entity_type: change.entityType,
    entity_id: change.entityId,
    record_type: change.recordType,
    record_id: change.recordId,
    action: change.action,
    from_status: change.fromStatus ?? null,
    to_status: change.toStatus ?? null,
    data_json: canonicalJson(change.data),
  };
  const hash = entryHash(head.hash, row);
  await trx.insertInto('audit_log').values({ ...row, prev_hash: head.hash, hash }).execute();
  await trx.updateTable('audit_head').set({ hash }).where('id', '=', 1).execute();
  return { seq: row.seq, hash };
}

export async function auditHead(db: Queryable): Promise<{ seq: number; hash: string }> {
  const h = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  return { seq: Number(h.seq), hash: h.hash };
}

export type VerifyResult =
  | { ok: true; entries: number; headHash: string }
  | { ok: false; entries: number; brokenSeq: number; reason: string };

/** Recomputes the whole chain in pages; names the first entry that does not match. */
export async function verifyAuditChain(db: Queryable): Promise<VerifyResult> {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  for (;;) {
    const page = await db.selectFrom('audit_log').selectAll().where('seq', '>=', expectedSeq).orderBy('seq').limit(1000).execute();
    if (page.length === 0) break;
    for (const r of page) {
      const seq = Number(r.seq);
      if (seq !== expectedSeq) return { ok: false, entries: count, brokenSeq: expectedSeq, reason: `entry ${expectedSeq} is missing` };
      if (r.prev_hash !== prev) return { ok: false, entries: count, brokenSeq: seq, reason: `entry ${seq} does not link to entry ${seq - 1}` };
      let computed: string;
      try {
        computed = entryHash(prev, { ...r, seq });
      } catch {
        return { ok: false, entries: count, brokenSeq: seq, reason: `entry ${seq} is unreadable` };
      }
      if (computed !== r.hash) return { ok: false, entries: count, brokenSeq: seq, reason: `entry ${seq} was altered (hash mismatch)` };
      prev = r.hash;
      expectedSeq++;
      count++;
    }
  }
  const head = await auditHead(db);
  if (head.seq !== count || head.hash !== prev) {
    return { ok: false, entries: count, brokenSeq: count + 1, reason: `the chain head (${head.seq}) does not match the last entry (${count}): entries were removed or the head was rewritten` };
  }
  return { ok: true, entries: count, headHash: prev };
}
