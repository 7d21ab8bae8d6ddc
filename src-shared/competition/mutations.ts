/**
 * The competition wizard as synced mutations (README "How to add a synced
 * feature"). `check` is the rule both the app (before queueing) and the
 * portal (deciding) run; `applyLocal` is the optimistic view. Each edit
 * names the part of the record it changes (`conflictKey`): the portal
 * answers `conflict` only when someone else changed that same part after the
 * version the user saw, so one user's queued edits never collide with each other.
 */
import { z } from 'zod';
import type { AppErrorShape } from '../rpc/errors';
import type { LocalStore, MutationDef } from '../sync/mutation-def';
import { scopes } from '../sync/protocol';
import { AttachmentRefSchema } from '../files/attachments';
import { INVALID_TEXT, isStorableText, safeText } from '../domain/text';
import {
  COMPETITION_ENTITY,
  InitiatorSchema,
  MAX_TEXT,
  MethodRefSchema,
  TEXT_FIELDS,
  emptyLot,
  emptyPartner,
  writeField,
  type CompetitionRecord,
} from './model';
import {
  canCreateCompetition,
  canSeeCompetition,
  checkGeneral,
  checkInitiator,
  checkLot,
  checkPartner,
  checkRegulationNames,
  checkForPublication,
  hasProblems,
  isEditor,
  type Actor,
  type Problems,
} from './rules';

export interface CompetitionState {
  actor: Actor;
  /** The competition as the deciding side sees it (the portal: with the method's current reference data). */
  competition: { record: CompetitionRecord; version: number } | null;
}

const Id = z.string().uuid();
const Base = z.number().int().min(0);
const Name = safeText({ max: MAX_TEXT, trim: false });

export const CreateCompetitionArgs = z
  .object({ competitionId: Id, organizationId: Id, method: MethodRefSchema, nameKk: Name, nameRu: Name, nameEn: Name.default('') })
  .strict();
export type CreateCompetitionArgs = z.infer<typeof CreateCompetitionArgs>;

export const SetMethodArgs = z.object({ competitionId: Id, method: MethodRefSchema, baseVersion: Base }).strict();
export type SetMethodArgs = z.infer<typeof SetMethodArgs>;

const MULTILINE_FIELDS: ReadonlySet<string> = new Set(['lot.summary', 'lot.goals', 'lot.parameters', 'lot.criteria', 'lot.timeline', 'partner.contact']);
const IsoOrEmpty = z.union([z.literal(''), z.string().datetime({ offset: false })]);
export const SetFieldArgs = z
  .object({ competitionId: Id, field: z.enum(TEXT_FIELDS), value: safeText({ max: MAX_TEXT, trim: false, multiline: true }), baseVersion: Base })
  .strict()
  .superRefine((a, ctx) => {
    // Line breaks only in the fields typed into textareas (the lot's paragraphs, the partner's contact).
    if (!MULTILINE_FIELDS.has(a.field) && !isStorableText(a.value, false)) ctx.addIssue({ code: 'custom', path: ['value'], message: INVALID_TEXT });
    if ((a.field === 'discussionStart' || a.field === 'discussionEnd') && !IsoOrEmpty.safeParse(a.value).success)
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'not a UTC ISO instant' });
    if (a.field === 'partner.bin' && !/^[0-9]{0,12}$/.test(a.value)) ctx.addIssue({ code: 'custom', path: ['value'], message: 'digits only' });
  });
export type SetFieldArgs = z.infer<typeof SetFieldArgs>;

export const SetPartnerOrgArgs = z
  .object({
    competitionId: Id,
    bin: z.string().regex(/^[0-9]{12}$/),
    organization: z.object({ id: Id, name: Name }).strict().nullable(),
    representative: z.object({ userId: Id, fullName: Name }).strict().nullable(),
    baseVersion: Base,
  })
  .strict();
export type SetPartnerOrgArgs = z.infer<typeof SetPartnerOrgArgs>;

export const LotArgs = z.object({ competitionId: Id, baseVersion: Base }).strict();
export type LotArgs = z.infer<typeof LotArgs>;

export const SaveInitiatorArgs = z.object({ competitionId: Id, initiator: InitiatorSchema, baseVersion: Base }).strict();
export type SaveInitiatorArgs = z.infer<typeof SaveInitiatorArgs>;
export const RemoveInitiatorArgs = z.object({ competitionId: Id, initiatorId: Id, baseVersion: Base }).strict();
export type RemoveInitiatorArgs = z.infer<typeof RemoveInitiatorArgs>;

export const RegulationInputSchema = z.object({ id: Id, nameRu: Name, nameKk: Name, file: AttachmentRefSchema.nullable() }).strict();
export const SaveRegulationArgs = z.object({ competitionId: Id, regulation: RegulationInputSchema, baseVersion: Base }).strict();
export type SaveRegulationArgs = z.infer<typeof SaveRegulationArgs>;
export const RemoveRegulationArgs = z.object({ competitionId: Id, regulationId: Id, baseVersion: Base }).strict();
export type RemoveRegulationArgs = z.infer<typeof RemoveRegulationArgs>;

export const SetSecretariesArgs = z.object({ competitionId: Id, secretaryIds: z.array(Id).max(50), baseVersion: Base }).strict();
export type SetSecretariesArgs = z.infer<typeof SetSecretariesArgs>;

export const WholeArgs = z.object({ competitionId: Id, baseVersion: Base }).strict();
export type WholeArgs = z.infer<typeof WholeArgs>;

// ---- checks shared by every edit ----------------------------------------------

const invalid = (problems: Problems): AppErrorShape => ({ code: 'validation_failed', message: 'The competition has invalid fields', details: { fields: problems } });

/** Visibility, then authorship, then status: outsiders learn nothing about a draft. */
function editProblem(state: CompetitionState): AppErrorShape | null {
  const c = state.competition?.record;
  if (!c || !canSeeCompetition(state.actor, c)) return { code: 'not_found', message: 'No such competition' };
  if (!isEditor(state.actor, c)) return { code: 'forbidden', message: 'Only the creator and the secretaries they named edit this competition' };
  if (c.status !== 'draft') return { code: 'competition_not_draft', message: 'A published competition can no longer be changed', details: { status: c.status } };
  return null;
}

/** Applies a change to the cached record (optimistic; the portal's version replaces it when pulled). */
function update(store: LocalStore, competitionId: string, fn: (c: CompetitionRecord) => CompetitionRecord | null): void {
  const current = store.get<CompetitionRecord>(COMPETITION_ENTITY, competitionId);
  if (!current) return;
  const next = fn(current.data);
  if (next === null) store.delete(COMPETITION_ENTITY, competitionId);
  else store.put({ ...current, data: { ...next, updatedAt: new Date().toISOString() } });
}

export const competitionScope = (c: Pick<CompetitionRecord, 'status' | 'organizationId'>): string =>
  c.status === 'draft' ? scopes.organization(c.organizationId) : scopes.public;

/** The part of the record a mutation changes, for conflict detection on the portal. */
export const conflictKeyOf: Record<string, (args: never) => string> = {
  'competition.setMethod': () => 'method',
  'competition.setField': (a: SetFieldArgs) => a.field,
  'competition.setPartnerOrg': () => 'partner.bin',
  'competition.saveLot': () => 'lot',
  'competition.deleteLot': () => 'lot',
  'competition.saveInitiator': (a: SaveInitiatorArgs) => `initiator:${a.initiator.id}`,
  'competition.removeInitiator': (a: RemoveInitiatorArgs) => `initiator:${a.initiatorId}`,
  'competition.saveRegulation': (a: SaveRegulationArgs) => `regulation:${a.regulation.id}`,
  'competition.removeRegulation': (a: RemoveRegulationArgs) => `regulation:${a.regulationId}`,
  'competition.setSecretaries': () => 'secretaries',
  'competition.publish': () => '*',
  'competition.delete': () => '*',
};

export const competitionMutations = {
  'competition.create': {
    args: CreateCompetitionArgs,
    check(state, args) {
      if (!canCreateCompetition(state.actor, args.organizationId)) return { code: 'forbidden', message: 'Only an Organizer creates competitions' };
      if (state.competition) return { code: 'conflict', message: 'This competition already exists' };
      const p = checkGeneral({ ...args, methodId: args.method.id });
      return hasProblems(p) ? invalid(p) : null;
    },
    applyLocal(store, args, state) {
      const now = new Date().toISOString();
      const data: CompetitionRecord = {
        competitionId: args.competitionId,
        organizationId: args.organizationId,
        createdBy: state.actor.userId,
        secretaryIds: [],
        number: null,
        status: 'draft',
        lotStatus: 'draft',
        method: args.method,
        nameKk: args.nameKk,
        nameRu: args.nameRu,
        nameEn: args.nameEn,
        lot: emptyLot(),
        partner: emptyPartner(),
        initiators: [],
        regulations: [],
        discussionStart: null,
        discussionEnd: null,
        publishRequested: false,
        publishedAt: null,
        createdAt: now,
        updatedAt: now,
      };
      store.put({ entityType: COMPETITION_ENTITY, entityId: args.competitionId, scope: scopes.organization(args.organizationId), version: 0, data });
    },
  } satisfies MutationDef<CreateCompetitionArgs, CompetitionState>,

  'competition.setMethod': {
    args: SetMethodArgs,
    coalesceKey: (a) => `competition.setMethod:${a.competitionId}`,
    check: (state) => editProblem(state),
    applyLocal: (store, a) => update(store, a.competitionId, (c) => ({ ...c, method: a.method })),
  } satisfies MutationDef<SetMethodArgs, CompetitionState>,

  'competition.setField': {
    args: SetFieldArgs,
    coalesceKey: (a) => `competition.setField:${a.competitionId}:${a.field}`,
    check: (state) => editProblem(state),
    applyLocal: (store, a) => update(store, a.competitionId, (c) => writeField(c, a.field, a.value)),
  } satisfies MutationDef<SetFieldArgs, CompetitionState>,

  'competition.setPartnerOrg': {
    args: SetPartnerOrgArgs,
    coalesceKey: (a) => `competition.setPartnerOrg:${a.competitionId}`,
    check: (state) => editProblem(state),
    applyLocal: (store, a) =>
      update(store, a.competitionId, (c) => ({
        ...c,
        partner: {
          ...c.partner,
          bin: a.bin,
          organizationId: a.organization?.id ?? null,
          organizationName: a.organization?.name ?? null,
          representativeUserId: a.representative?.userId ?? null,
          representativeName: a.representative?.fullName ?? null,
        },
      })),
  } satisfies MutationDef<SetPartnerOrgArgs, CompetitionState>,

  'competition.saveLot': {
    args: LotArgs,
    check(state) {
      const e = editProblem(state);
      if (e) return e;
      const c = state.competition!.record;
      const p = { ...checkLot(c), ...checkPartner(c) };
      return hasProblems(p) ? invalid(p) : null;
    },
    applyLocal: (store, a) => update(store, a.competitionId, (c) => ({ ...c, lot: { ...c.lot, saved: true } })),
  } satisfies MutationDef<LotArgs, CompetitionState>,

  'competition.deleteLot': {
    args: LotArgs,
    check: (state) => editProblem(state),
    applyLocal: (store, a) => update(store, a.competitionId, (c) => ({ ...c, lot: emptyLot(), partner: emptyPartner() })),
  } satisfies MutationDef<LotArgs, CompetitionState>,

  'competition.saveInitiator': {
    args: SaveInitiatorArgs,
    check(state, a) {
      const p = checkInitiator(a.initiator);
      return editProblem(state) ?? (hasProblems(p) ? invalid(p) : null);
    },
    applyLocal: (store, a) =>
      update(store, a.competitionId, (c) => {
        const at = c.initiators.findIndex((i) => i.id === a.initiator.id);
        const initiators = at < 0 ? [...c.initiators, a.initiator] : c.initiators.map((i, n) => (n === at ? a.initiator : i));
        return { ...c, initiators };
      }),
  } satisfies MutationDef<SaveInitiatorArgs, CompetitionState>,

  'competition.removeInitiator': {
    args: RemoveInitiatorArgs,
    check: (state) => editProblem(state),
    applyLocal: (store, a) => update(store, a.competitionId, (c) => ({ ...c, initiators: c.initiators.filter((i) => i.id !== a.initiatorId) })),
  } satisfies MutationDef<RemoveInitiatorArgs, CompetitionState>,

  'competition.saveRegulation': {
    args: SaveRegulationArgs,
    // Replacing a file while the previous save is unsent just replaces the queued one.
    coalesceKey: (a) => `competition.saveRegulation:${a.regulation.id}`,
    check(state, a) {
      const p = checkRegulationNames(a.regulation);
      return editProblem(state) ?? (hasProblems(p) ? invalid(p) : null);
    },
    applyLocal: (store, a) =>
      update(store, a.competitionId, (c) => {
        const old = c.regulations.find((r) => r.id === a.regulation.id);
        const sameFile = old?.file?.sha256 === a.regulation.file?.sha256;
        const next = { ...a.regulation, attachmentId: sameFile ? (old?.attachmentId ?? null) : null };
        return { ...c, regulations: old ? c.regulations.map((r) => (r.id === next.id ? next : r)) : [...c.regulations, next] };
      }),
  } satisfies MutationDef<SaveRegulationArgs, CompetitionState>,

  'competition.removeRegulation': {
    args: RemoveRegulationArgs,
    check: (state) => editProblem(state),
    applyLocal: (store, a) => update(store, a.competitionId, (c) => ({ ...c, regulations: c.regulations.filter((r) => r.id !== a.regulationId) })),
  } satisfies MutationDef<RemoveRegulationArgs, CompetitionState>,

  'competition.setSecretaries': {
    args: SetSecretariesArgs,
    coalesceKey: (a) => `competition.setSecretaries:${a.competitionId}`,
    check(state) {
      const e = editProblem(state);
      if (e) return e;
      // Naming editors is the creator's decision, not a secretary's.
      if (state.competition!.record.createdBy !== state.actor.userId) return { code: 'forbidden', message: 'Only the creator names secretaries' };
      return null;
    },
    applyLocal: (store, a) => update(store, a.competitionId, (c) => ({ ...c, secretaryIds: [...new Set(a.secretaryIds)] })),
  } satisfies MutationDef<SetSecretariesArgs, CompetitionState>,

  'competition.publish': {
    args: WholeArgs,
    check(state) {
      const e = editProblem(state);
      if (e) return e;
      const p = checkForPublication(state.competition!.record);
      return hasProblems(p) ? invalid(p) : null;
    },
    // The portal decides `published` or `discussion` by its clock; until then the user sees "requested".
    applyLocal: (store, a) => update(store, a.competitionId, (c) => ({ ...c, publishRequested: true })),
  } satisfies MutationDef<WholeArgs, CompetitionState>,

  'competition.delete': {
    args: WholeArgs,
    check: (state) => editProblem(state),
    applyLocal: (store, a) => update(store, a.competitionId, () => null),
  } satisfies MutationDef<WholeArgs, CompetitionState>,
};

export type CompetitionMutationName = keyof typeof competitionMutations;
