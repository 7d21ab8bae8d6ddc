/**
 * Pull: the changes after a cursor in the scopes the user may read now.
 *
 * One indexed query per readable scope (index (scope, seq)), each stopping
 * after limit+1 rows, merged by seq: cost grows with the page size and the
 * number of the user's scopes, never with the size of the feed.
 *
 * The feed head is read first; rows are taken only up to it. Writers bump
 * the head under its lock and commit it with their rows, so everything up
 * to the head is visible, and when the page is not full the cursor can jump
 * to the head (skipping rows of scopes the user cannot read).
 *
 * The body is built as text around the stored `data_json`, so a 2000-row
 * page is not parsed and re-serialised.
 *
 * Divergence (issue 15): the client may name the last audit entry it saw;
 * the page says whether the chain holds that exact entry, a yes or no about
 * a hash the client already has: no audit entry leaves the portal.
 */
import { scopes as scopeOf } from '../../src-shared/sync/protocol';
import { AppError } from '../../src-shared/rpc/errors';
import type { Queryable } from '../db/schema';
import type { AuditHeadSigner } from '../audit/head-signing';
import { feedHead } from './feed';
import { akiReadableScopes } from '../aki/scopes';

export async function readableScopes(db: Queryable, userId: string): Promise<string[]> {
  const orgs = await db.selectFrom('memberships').select('organization_id').where('user_id', '=', userId).execute();
  return [scopeOf.public, scopeOf.user(userId), ...orgs.map((o) => scopeOf.organization(o.organization_id)).sort(), ...(await akiReadableScopes(db, userId))];
}

export interface PullPage {
  /** The JSON body (PullResponseSchema), as text. */
  body: string;
  count: number;
  cursor: number;
  hasMore: boolean;
}

type Row = { seq: number; entity_type: string; entity_id: string; scope: string; op: string; version: number; data_json: string | null };

/** Whether the audit chain holds exactly this entry (seq 0 with the genesis hash: the empty chain's start). */
export async function chainHolds(db: Queryable, seq: number, hash: string): Promise<boolean> {
  if (seq === 0) return hash === '0'.repeat(64);
  const row = await db.selectFrom('audit_log').select('hash').where('seq', '=', seq).executeTakeFirst();
  return row?.hash === hash;
}

export async function pullPage(
  db: Queryable,
  o: { userScopes: string[]; scopes: string[]; cursor: number; limit: number; signer: AuditHeadSigner; seen?: { seq: number; hash: string } | undefined; now?: string },
): Promise<PullPage> {
  const head = await feedHead(db);
  // A cursor from the future: the portal's database was restored from a backup (or the client
  // talks to another portal). Continuing would silently skip the seqs written again; start over.
  if (o.cursor > head) throw new AppError('conflict', 'The cursor is ahead of the portal\'s feed; pull again from 0', { reason: 'cursor_ahead', feedHead: head });
  const perScope = await Promise.all(
    o.scopes.map((scope) =>
      db
        .selectFrom('change_feed')
        .select(['seq', 'entity_type', 'entity_id', 'scope', 'op', 'version', 'data_json'])
        .where('scope', '=', scope)
        .where('seq', '>', o.cursor)
        .where('seq', '<=', head)
        .orderBy('seq')
        .limit(o.limit + 1)
        .execute(),
    ),
  );
  let rows: Row[] = perScope.length === 1 ? perScope[0]! : perScope.flat().sort((a, b) => Number(a.seq) - Number(b.seq));
  const hasMore = rows.length > o.limit;
  if (hasMore) rows = rows.slice(0, o.limit);
  const cursor = hasMore ? Number(rows[rows.length - 1]!.seq) : Math.max(o.cursor, head);
  const parts: string[] = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    parts[i] =
      `{"seq":${Number(r.seq)},"entityType":${JSON.stringify(r.entity_type)},"entityId":${JSON.stringify(r.entity_id)},"scope":${JSON.stringify(r.scope)},` +
      `"op":${JSON.stringify(r.op)},"version":${Number(r.version)},"data":${r.op === 'put' && r.data_json !== null ? r.data_json : 'null'}}`;
  }
  const audit = await o.signer.current(db);
  const diverged = o.seen ? `,"diverged":${!(await chainHolds(db, o.seen.seq, o.seen.hash))}` : '';
  const body = `{"changes":[${parts.join(',')}],"cursor":${cursor},"hasMore":${hasMore},"scopes":${JSON.stringify(o.userScopes)},"auditHead":${JSON.stringify(audit)}${diverged}${o.now ? `,"serverTime":${JSON.stringify(o.now)}` : ''}}`;
  return { body, count: rows.length, cursor, hasMore };
}
