/**
 * Portal side of the competition mutations (src-shared/competition/mutations.ts):
 * loads the state the shared rule needs, answers `conflict` when someone else
 * changed the same part of the record after the version the user saw, and
 * applies each change with its audit entry and feed change. Publication is
 * decided here by the portal's clock, with the discussion-start job written
 * in the same transaction.
 */
import { v7 as uuidv7 } from 'uuid';
import { AppError, type AppErrorShape } from '../../src-shared/rpc/errors';
import {
  competitionMutations,
  conflictKeyOf,
  type CompetitionState,
  type CreateCompetitionArgs,
  type LotArgs,
  type RemoveInitiatorArgs,
  type RemoveRegulationArgs,
  type SaveInitiatorArgs,
  type SaveRegulationArgs,
  type SetFieldArgs,
  type SetMethodArgs,
  type SetPartnerOrgArgs,
  type SetSecretariesArgs,
  type WholeArgs,
} from '../../src-shared/competition/mutations';
import { COMPETITION_ENTITY, emptyLot, emptyPartner, writeField, type CompetitionRecord, type Regulation } from '../../src-shared/competition/model';
import { canSeeCompetition, publicationOutcome } from '../../src-shared/competition/rules';
import type { MutationDef } from '../../src-shared/sync/mutation-def';
import type { Trx } from '../db/schema';
import { membershipsOf, parseRoles } from '../http/auth';
import { recordChange } from '../audit/audit';
import { scheduleJob } from '../scheduler/scheduler';
import type { ApplyInput, PortalMutation, SyncActor } from '../sync/handler';
import { notifyStatusChange } from './notifier';
import { deleteCompetition, loadCompetition, loadMethod, nextCompetitionNumber, saveCompetition, type FieldVersions, type StoredCompetition } from './store';

export const START_DISCUSSION_JOB = 'competition.startDiscussion';

interface PortalState extends CompetitionState {
  stored: StoredCompetition | null;
}

const invalid = (fields: Record<string, string>) => new AppError('validation_failed', 'The competition has invalid fields', { fields });

async function loadState(trx: Trx, actor: SyncActor, args: { competitionId: string }): Promise<PortalState> {
  const stored = await loadCompetition(trx, args.competitionId);
  return {
    actor: { userId: actor.id, memberships: await membershipsOf(trx, actor.id) },
    competition: stored ? { record: stored.record, version: stored.version } : null,
    stored,
  };
}

/** baseVersion 0: the app built the edit on a competition the portal had not confirmed yet, i.e. on version 1. */
const effectiveBase = (baseVersion: number) => (baseVersion === 0 ? 1 : baseVersion);

function stalenessFor(name: string) {
  const keyOf = conflictKeyOf[name] as (a: unknown) => string;
  return async (trx: Trx, state: PortalState, args: { baseVersion: number }, actor: SyncActor): Promise<AppErrorShape | null> => {
    // Whoever may not see the competition gets the rule's not_found, as for one that does not exist: a conflict
    // would tell an outsider who edited which part of a draft, and when (issue 16, no existence oracle).
    if (!state.stored || !canSeeCompetition(state.actor, state.stored.record)) return null;
    const key = keyOf(args);
    const base = effectiveBase(args.baseVersion);
    const fv = state.stored.fieldVersions;
    // '*' (publish, delete) stands on the whole record: any part changed by someone else since counts.
    const candidates = key === '*' ? Object.entries(fv).filter(([k]) => k !== '*') : fv[key] ? [[key, fv[key]] as const] : [];
    // This device's own earlier edits are not someone else's; the same user's other device is (a stamp without clientId predates the distinction).
    const byThisDevice = (v: FieldVersions[string]) => v.userId === state.actor.userId && (v.clientId === undefined || v.clientId === actor.clientId);
    const newer = candidates.filter(([, v]) => v.version > base && !byThisDevice(v)).sort((a, b) => b[1].version - a[1].version)[0];
    if (!newer) return null;
    const [field, v] = newer;
    const who = await trx.selectFrom('users').select('full_name').where('id', '=', v.userId).executeTakeFirst();
    return {
      code: 'conflict',
      message: 'Someone else changed this part of the competition',
      details: { field, changedBy: who?.full_name ?? null, changedByUserId: v.userId, changedAt: v.at, currentVersion: state.stored.version },
    };
  };
}

type Change = { record: CompetitionRecord; action: string; data?: Record<string, unknown>; fromStatus?: string; toStatus?: string };

/** The common shape of an edit: compute the new record, bump the version, note who changed which part, audit, publish. */
function edit<A extends { competitionId: string; baseVersion: number }>(
  name: keyof typeof competitionMutations,
  change: (input: ApplyInput<A, PortalState, undefined>, current: StoredCompetition) => Promise<Change>,
): PortalMutation<A, PortalState> {
  const keyOf = conflictKeyOf[name] as (a: unknown) => string;
  return {
    def: competitionMutations[name] as unknown as MutationDef<A, PortalState>,
    loadState: (trx, actor, args) => loadState(trx, actor, args),
    staleness: stalenessFor(name),
    async apply(input) {
      const current = input.state.stored!;
      const c = await change(input, current);
      const version = current.version + 1;
      const stamp = { version, userId: input.actor.id, at: input.now, ...(input.actor.clientId ? { clientId: input.actor.clientId } : {}) };
      const fieldVersions: FieldVersions = { ...current.fieldVersions, [keyOf(input.args)]: stamp, '*': stamp };
      const record = { ...c.record, updatedAt: input.now };
      await recordChange(input.trx, input.now, {
        actorUserId: input.actor.id, entityType: COMPETITION_ENTITY, entityId: record.competitionId, recordType: 'competition', recordId: record.competitionId,
        action: c.action, fromStatus: c.fromStatus ?? null, toStatus: c.toStatus ?? null, data: { ...c.data, mutationId: input.mutationId },
      });
      const seq = await saveCompetition(input.trx, input.now, { record, version, fieldVersions });
      return { result: { version, number: record.number, status: record.status }, seq };
    },
  };
}

const create: PortalMutation<CreateCompetitionArgs, PortalState> = {
  def: competitionMutations['competition.create'] as unknown as MutationDef<CreateCompetitionArgs, PortalState>,
  loadState: (trx, actor, args) => loadState(trx, actor, args),
  async apply({ trx, actor, now, mutationId, args }) {
    const method = await loadMethod(trx, args.method.id);
    if (!method) throw invalid({ method: 'required' });
    const number = await nextCompetitionNumber(trx, now);
    const record: CompetitionRecord = {
      competitionId: args.competitionId, organizationId: args.organizationId, createdBy: actor.id, secretaryIds: [], number,
      status: 'draft', lotStatus: 'draft', method, nameKk: args.nameKk, nameRu: args.nameRu, nameEn: args.nameEn,
      lot: emptyLot(), partner: emptyPartner(), initiators: [], regulations: [], discussionStart: null, discussionEnd: null,
      publishRequested: false, publishedAt: null, createdAt: now, updatedAt: now,
    };
    const stamp = { version: 1, userId: actor.id, at: now };
    await recordChange(trx, now, {
      actorUserId: actor.id, entityType: COMPETITION_ENTITY, entityId: record.competitionId, recordType: 'competition', recordId: record.competitionId,
      action: 'competition.created', toStatus: 'draft', data: { number, organizationId: args.organizationId, mutationId },
    });
    const seq = await saveCompetition(trx, now, { record, version: 1, fieldVersions: { '*': stamp } }, true);
    return { result: { version: 1, number, status: 'draft' }, seq };
  },
};

const setMethod = edit<SetMethodArgs>('competition.setMethod', async ({ trx, args }, cur) => {
  const method = await loadMethod(trx, args.method.id);
  if (!method) throw invalid({ method: 'required' });
  return { record: { ...cur.record, method }, action: 'competition.method_changed', data: { methodId: method.id } };
});

const setField = edit<SetFieldArgs>('competition.setField', async ({ args }, cur) => ({
  record: writeField(cur.record, args.field, args.value),
  action: 'competition.field_changed',
  data: { field: args.field },
}));

const setPartnerOrg = edit<SetPartnerOrgArgs>('competition.setPartnerOrg', async ({ trx, args }, cur) => {
  // The portal trusts only its own organizations and heads, never the names the app sent.
  const org = await trx.selectFrom('organizations').select(['id', 'name_kk']).where('bin', '=', args.bin).executeTakeFirst();
  if (args.organization && (!org || org.id !== args.organization.id)) throw invalid({ 'partner.bin': 'partner_not_found' });
  let representative: { userId: string; fullName: string } | null = null;
  if (args.representative && org) {
    const m = await trx.selectFrom('memberships').innerJoin('users', 'users.id', 'memberships.user_id').select(['users.id', 'users.full_name', 'memberships.roles_json'])
      .where('memberships.organization_id', '=', org.id).where('memberships.user_id', '=', args.representative.userId).executeTakeFirst();
    if (!m || !parseRoles(m.roles_json).includes('head')) throw invalid({ 'partner.representative': 'required' });
    representative = { userId: m.id, fullName: m.full_name };
  }
  const partner = {
    ...cur.record.partner, bin: args.bin,
    organizationId: args.organization && org ? org.id : null, organizationName: args.organization && org ? org.name_kk : null,
    representativeUserId: representative?.userId ?? null, representativeName: representative?.fullName ?? null,
  };
  return { record: { ...cur.record, partner }, action: 'competition.partner_changed', data: { bin: args.bin, organizationId: partner.organizationId, representativeUserId: partner.representativeUserId } };
});

const saveLot = edit<LotArgs>('competition.saveLot', async (_i, cur) => ({
  record: { ...cur.record, lot: { ...cur.record.lot, saved: true } }, action: 'competition.lot_saved', toStatus: 'draft', data: { lotStatus: 'draft' },
}));

const deleteLot = edit<LotArgs>('competition.deleteLot', async (_i, cur) => ({
  record: { ...cur.record, lot: emptyLot(), partner: emptyPartner() }, action: 'competition.lot_deleted',
}));

const saveInitiator = edit<SaveInitiatorArgs>('competition.saveInitiator', async ({ trx, args }, cur) => {
  const user = await trx.selectFrom('users').select(['id', 'full_name']).where('id', '=', args.initiator.userId).executeTakeFirst();
  if (!user) throw invalid({ user: 'required' });
  const initiator = { ...args.initiator, userName: user.full_name };
  const list = cur.record.initiators;
  const at = list.findIndex((i) => i.id === initiator.id);
  const initiators = at < 0 ? [...list, initiator] : list.map((i, n) => (n === at ? initiator : i));
  return { record: { ...cur.record, initiators }, action: at < 0 ? 'competition.initiator_added' : 'competition.initiator_changed', data: { initiatorId: initiator.id, userId: user.id } };
});

const removeInitiator = edit<RemoveInitiatorArgs>('competition.removeInitiator', async ({ args }, cur) => ({
  record: { ...cur.record, initiators: cur.record.initiators.filter((i) => i.id !== args.initiatorId) }, action: 'competition.initiator_removed', data: { initiatorId: args.initiatorId },
}));

/**
 * A regulation's file: the acting user must have completed an upload of
 * exactly these bytes (proof of possession; knowing a hash grants nothing).
 * The attachment row makes it downloadable through the competition.
 */
async function attachFile(i: ApplyInput<SaveRegulationArgs, PortalState, undefined>, old: Regulation | undefined): Promise<Regulation> {
  const { trx, actor, now, args } = i;
  const reg = args.regulation;
  if (!reg.file) {
    if (old?.attachmentId) await trx.deleteFrom('attachments').where('id', '=', old.attachmentId).execute();
    return { ...reg, attachmentId: null };
  }
  if (old?.file?.sha256 === reg.file.sha256 && old.attachmentId) return { ...reg, file: old.file, attachmentId: old.attachmentId };
  const proof = await trx.selectFrom('uploads').select('id').where('user_id', '=', actor.id).where('sha256', '=', reg.file.sha256).where('status', '=', 'complete').executeTakeFirst();
  if (!proof) throw new AppError('not_found', 'Upload the file first', { field: `regulation.${reg.id}.file` });
  const file = await trx.selectFrom('files').selectAll().where('sha256', '=', reg.file.sha256).executeTakeFirstOrThrow();
  if (old?.attachmentId) await trx.deleteFrom('attachments').where('id', '=', old.attachmentId).execute();
  const attachmentId = uuidv7();
  await trx.insertInto('attachments').values({ id: attachmentId, record_type: 'competition', record_id: args.competitionId, sha256: file.sha256, name: reg.file.name, attached_by: actor.id, version: 1, created_at: now }).execute();
  await recordChange(trx, now, {
    actorUserId: actor.id, entityType: 'attachment', entityId: attachmentId, recordType: 'competition', recordId: args.competitionId,
    action: 'attachment.added', data: { sha256: file.sha256, name: reg.file.name, size: Number(file.size), regulationId: reg.id },
  });
  return { ...reg, file: { ...reg.file, size: Number(file.size), contentType: file.content_type }, attachmentId };
}

const saveRegulation = edit<SaveRegulationArgs>('competition.saveRegulation', async (i, cur) => {
  const old = cur.record.regulations.find((r) => r.id === i.args.regulation.id);
  const reg = await attachFile(i, old);
  const regulations = old ? cur.record.regulations.map((r) => (r.id === reg.id ? reg : r)) : [...cur.record.regulations, reg];
  return { record: { ...cur.record, regulations }, action: old ? 'competition.regulation_changed' : 'competition.regulation_added', data: { regulationId: reg.id, sha256: reg.file?.sha256 ?? null } };
});

const removeRegulation = edit<RemoveRegulationArgs>('competition.removeRegulation', async ({ trx, args }, cur) => {
  const old = cur.record.regulations.find((r) => r.id === args.regulationId);
  if (old?.attachmentId) await trx.deleteFrom('attachments').where('id', '=', old.attachmentId).execute();
  return { record: { ...cur.record, regulations: cur.record.regulations.filter((r) => r.id !== args.regulationId) }, action: 'competition.regulation_removed', data: { regulationId: args.regulationId } };
});

const setSecretaries = edit<SetSecretariesArgs>('competition.setSecretaries', async ({ trx, args }, cur) => {
  const ids = [...new Set(args.secretaryIds)];
  if (ids.length) {
    const members = await trx.selectFrom('memberships').select('user_id').where('organization_id', '=', cur.record.organizationId).where('user_id', 'in', ids).execute();
    if (members.length !== ids.length) throw new AppError('invalid_input', 'Secretaries must be employees of the organization', { field: 'secretaryIds' });
  }
  return { record: { ...cur.record, secretaryIds: ids }, action: 'competition.secretaries_changed', data: { secretaryIds: ids } };
});

const publish = edit<WholeArgs>('competition.publish', async ({ trx, now, args }, cur) => {
  // The shared check already validated the whole competition against the method's current parameters; the clock decides the rest.
  const outcome = publicationOutcome(cur.record, now);
  if ('problem' in outcome) throw invalid(outcome.problem);
  const missing = cur.record.regulations.findIndex((r) => !r.attachmentId);
  if (missing >= 0) throw invalid({ [`regulations.${missing}.file`]: 'file_missing' });
  const record: CompetitionRecord = { ...cur.record, status: outcome.status, lotStatus: 'published', publishRequested: false, publishedAt: now };
  if (outcome.status === 'published') {
    // Same transaction as the publication: the start survives any restart.
    await scheduleJob(trx, now, { kind: START_DISCUSSION_JOB, dueAt: record.discussionStart!, payload: { competitionId: args.competitionId } });
  }
  // The parties hear of it in the publication's transaction (published, or straight into discussion).
  await notifyStatusChange(trx, now, record, { status: outcome.status });
  return { record, action: 'competition.published', fromStatus: 'draft', toStatus: outcome.status, data: { lotStatus: 'published', discussionStart: record.discussionStart, discussionEnd: record.discussionEnd } };
});

const remove: PortalMutation<WholeArgs, PortalState> = {
  def: competitionMutations['competition.delete'] as unknown as MutationDef<WholeArgs, PortalState>,
  loadState: (trx, actor, args) => loadState(trx, actor, args),
  staleness: stalenessFor('competition.delete'),
  async apply({ trx, actor, now, mutationId, state }) {
    const cur = state.stored!;
    await recordChange(trx, now, {
      actorUserId: actor.id, entityType: COMPETITION_ENTITY, entityId: cur.record.competitionId, recordType: 'competition', recordId: cur.record.competitionId,
      action: 'competition.deleted', fromStatus: 'draft', toStatus: 'deleted', data: { number: cur.record.number, mutationId },
    });
    const seq = await deleteCompetition(trx, now, cur);
    return { result: { version: cur.version + 1, deleted: true }, seq };
  },
};

export const competitionPortalMutations = {
  'competition.create': create,
  'competition.setMethod': setMethod,
  'competition.setField': setField,
  'competition.setPartnerOrg': setPartnerOrg,
  'competition.saveLot': saveLot,
  'competition.deleteLot': deleteLot,
  'competition.saveInitiator': saveInitiator,
  'competition.removeInitiator': removeInitiator,
  'competition.saveRegulation': saveRegulation,
  'competition.removeRegulation': removeRegulation,
  'competition.setSecretaries': setSecretaries,
  'competition.publish': publish,
  'competition.delete': remove,
};
