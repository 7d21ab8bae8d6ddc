/**
 * "Your own edits never conflict with themselves" (issue 15): an edit built on version V that
 * reaches the portal after the same device's earlier edits of that record (queued or in flight
 * when the user made it) is not stale — the device knew those changes. A change by anyone else,
 * the same user on another device included (told apart by the push's clientId), is.
 */
import type { Trx } from '../db/schema';
import type { SyncActor } from './handler';

/** Bounds the look-back: a device's unacknowledged chain on one record is never this long. */
export const MAX_OWN_CHAIN = 500;

export interface AuditAuthor {
  actor_user_id: string | null;
  data_json: string;
}

/** The newest `n` audit entries of one record (its versions after base, one entry per version). */
export async function lastEntries(trx: Trx, entityType: string, entityId: string, n: number): Promise<AuditAuthor[]> {
  return trx
    .selectFrom('audit_log')
    .select(['actor_user_id', 'data_json'])
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .orderBy('seq', 'desc')
    .limit(n)
    .execute();
}

/** True when every entry was written by a mutation this user pushed from this device (and there is at least one). */
export async function madeByThisDevice(trx: Trx, actor: SyncActor, entries: readonly AuditAuthor[]): Promise<boolean> {
  if (!actor.clientId || entries.length === 0) return false;
  const ids = new Set<string>();
  for (const e of entries) {
    if (e.actor_user_id !== actor.id) return false;
    const id = (JSON.parse(e.data_json) as { mutationId?: unknown } | null)?.mutationId;
    if (typeof id !== 'string') return false; // a REST edit or a job: not from this device's outbox
    ids.add(id);
  }
  const rows = await trx
    .selectFrom('applied_mutations')
    .select('id')
    .where('id', 'in', [...ids])
    .where('user_id', '=', actor.id)
    .where('client_id', '=', actor.clientId)
    .where('status', '=', 'applied')
    .execute();
  return rows.length === ids.size;
}
