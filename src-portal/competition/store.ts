/**
 * Competitions in the portal database and in the change feed. The row's
 * `data_json` is the shared CompetitionRecord (what clients cache); status,
 * organization and discussion dates are copied into columns for queries and
 * the scheduler. Draft → scope `org:<organization>`; published → `public`
 * (publishChange leaves a tombstone in the old scope).
 */
import { COMPETITION_ENTITY, MethodRefSchema, type CompetitionRecord, type MethodRef } from '../../src-shared/competition/model';
import { competitionScope } from '../../src-shared/competition/mutations';
import type { Queryable, Trx } from '../db/schema';
import { publishChange } from '../sync/feed';

/** Who changed which part of the record at which version (see conflictKeyOf). */
/** Who last changed each part, from which device (`clientId`; absent on stamps written before issue 15 and by REST). */
export type FieldVersions = Record<string, { version: number; userId: string; at: string; clientId?: string }>;

export interface StoredCompetition {
  record: CompetitionRecord;
  version: number;
  fieldVersions: FieldVersions;
}

export async function loadMethod(db: Queryable, methodId: string): Promise<MethodRef | null> {
  const m = await db.selectFrom('ppp_methods').selectAll().where('id', '=', methodId).executeTakeFirst();
  if (!m) return null;
  return MethodRefSchema.parse({ id: m.id, code: m.code, name: { kk: m.name_kk, ru: m.name_ru, en: m.name_en }, minDiscussionDays: m.min_discussion_days });
}

/** The stored competition, with the method's current reference data (the authority for its minimum interval). */
export async function loadCompetition(db: Queryable, competitionId: string): Promise<StoredCompetition | null> {
  const row = await db.selectFrom('competitions').selectAll().where('id', '=', competitionId).executeTakeFirst();
  if (!row) return null;
  const record = JSON.parse(row.data_json) as CompetitionRecord;
  const method = await loadMethod(db, row.method_id);
  return { record: method ? { ...record, method } : record, version: row.version, fieldVersions: JSON.parse(row.field_versions_json) as FieldVersions };
}

/** Writes the record (columns follow it) and publishes it; returns the feed seq. */
export async function saveCompetition(trx: Trx, now: string, s: StoredCompetition, insert = false): Promise<number> {
  const r = s.record;
  const cols = {
    organization_id: r.organizationId,
    created_by: r.createdBy,
    number: r.number ?? '',
    status: r.status,
    lot_status: r.lotStatus,
    method_id: r.method.id,
    discussion_start: r.discussionStart,
    discussion_end: r.discussionEnd,
    data_json: JSON.stringify(r),
    field_versions_json: JSON.stringify(s.fieldVersions),
    version: s.version,
    updated_at: now,
    published_at: r.publishedAt,
  };
  if (insert) await trx.insertInto('competitions').values({ id: r.competitionId, created_at: r.createdAt, ...cols }).execute();
  else await trx.updateTable('competitions').set(cols).where('id', '=', r.competitionId).execute();
  return publishChange(trx, now, { entityType: COMPETITION_ENTITY, entityId: r.competitionId, scope: competitionScope(r), op: 'put', version: s.version, data: r });
}

export async function deleteCompetition(trx: Trx, now: string, s: StoredCompetition): Promise<number> {
  await trx.deleteFrom('attachments').where('record_type', '=', 'competition').where('record_id', '=', s.record.competitionId).execute();
  await trx.deleteFrom('competitions').where('id', '=', s.record.competitionId).execute();
  return publishChange(trx, now, { entityType: COMPETITION_ENTITY, entityId: s.record.competitionId, scope: competitionScope(s.record), op: 'delete', version: s.version + 1, data: null });
}

/**
 * The number people read: `МЖӘ-<year>-<n>`, counted per year in portal_state.
 * Runs under the feed's write lock (every push transaction takes it first),
 * so two creations never get the same number, and a deleted draft's number
 * is never given again; the unique index is the last guard.
 */
export async function nextCompetitionNumber(trx: Trx, now: string): Promise<string> {
  const year = now.slice(0, 4);
  const key = `competition_number:${year}`;
  const row = await trx.selectFrom('portal_state').select('value').where('key', '=', key).executeTakeFirst();
  const n = Number(row?.value ?? 0) + 1;
  if (row) await trx.updateTable('portal_state').set({ value: String(n) }).where('key', '=', key).execute();
  else await trx.insertInto('portal_state').values({ key, value: String(n) }).execute();
  return `МЖӘ-${year}-${String(n).padStart(5, '0')}`;
}
