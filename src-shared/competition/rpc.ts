/**
 * RPC methods of the competition wizard (spread into src-shared/rpc/contract.ts).
 * Edits take no baseVersion: the app back end fills in the version the
 * portal last confirmed. Look-ups that need the portal (method list, BIN,
 * user search, history) fail with `portal_unreachable`/`timeout` offline;
 * the method list and the last BIN look-up answer from the local cache then.
 */
import { z } from 'zod';
import { safeText } from '../domain/text';
import { method } from '../rpc/define';
import { AttachmentRefSchema } from '../files/attachments';
import { COMPETITION_STATUSES, InitiatorSchema, MAX_TEXT, MethodRefSchema, TEXT_FIELDS } from './model';
import { RegulationInputSchema } from './mutations';

const Id = z.string().uuid();

export const COMPETITION_SCOPES = ['mine', 'participating', 'published'] as const;
export type CompetitionScope = (typeof COMPETITION_SCOPES)[number];
const Done = z.object({ mutationId: z.string() });
const Name = safeText({ max: MAX_TEXT, trim: false });
/** A form's unsaved values (textareas among them). */
const Draft = safeText({ max: MAX_TEXT, trim: false, multiline: true });
const ById = z.object({ competitionId: Id }).strict();

export const CompetitionRowSchema = z.object({
  competitionId: z.string(),
  organizationId: z.string(),
  number: z.string().nullable(),
  status: z.enum(COMPETITION_STATUSES),
  methodName: z.object({ kk: z.string(), ru: z.string(), en: z.string() }),
  nameKk: z.string(),
  nameRu: z.string(),
  nameEn: z.string(),
  createdAt: z.string(),
  discussionStart: z.string().nullable(),
  discussionEnd: z.string().nullable(),
  publishRequested: z.boolean(),
  pending: z.boolean(),
  canEdit: z.boolean(),
  canDelete: z.boolean(),
});
export type CompetitionRow = z.infer<typeof CompetitionRowSchema>;

/** The record as cached (shape of `CompetitionRecord`, loosely typed at the boundary). */
export const CompetitionDetailSchema = z.object({
  record: z.record(z.string(), z.unknown()),
  version: z.number().int(),
  pending: z.boolean(),
  canEdit: z.boolean(),
  isCreator: z.boolean(),
});

export const Step1Schema = z
  .object({ organizationId: safeText({ max: 64, trim: false }), methodId: safeText({ max: 64, trim: false }), nameKk: Name, nameRu: Name, nameEn: Name })
  .strict();
export type Step1Values = z.infer<typeof Step1Schema>;

export const OrgLookupSchema = z.object({
  organization: z.object({ id: z.string(), bin: z.string(), name: z.string(), names: z.object({ kk: z.string(), ru: z.string(), en: z.string() }) }),
  heads: z.array(z.object({ userId: z.string(), fullName: z.string() })),
  /** Answered from the local cache (the portal could not be reached). */
  cached: z.boolean(),
});
export type OrgLookup = z.infer<typeof OrgLookupSchema>;

export const HistoryEntrySchema = z.object({ at: z.string(), action: z.string(), fromStatus: z.string().nullable(), toStatus: z.string().nullable(), actorName: z.string().nullable() });

export const competitionMethods = {
  'competition.methods': method(z.object({}).strict(), z.object({ methods: z.array(MethodRefSchema), cached: z.boolean() })),
  /**
   * «Конкурстар» from the local cache, by scope: `mine` (organizations where I organize or am a secretary),
   * `participating` (I am the state partner's representative, a Head of the state partner organization or an
   * initiator), `published` (every published one). What the cache holds is what the portal's feed let through.
   */
  'competition.list': method(
    z.object({ query: safeText({ max: 100, trim: false }).optional(), status: z.enum(COMPETITION_STATUSES).optional(), scope: z.enum(COMPETITION_SCOPES).optional() }).strict(),
    z.object({ items: z.array(CompetitionRowSchema) }),
  ),
  /** Signed out: the portal's published competitions, read through its public API (no account, no offline copy). */
  'competition.public.list': method(
    z.object({ query: safeText({ max: 100, trim: false }).optional(), status: z.enum(COMPETITION_STATUSES).optional() }).strict(),
    z.object({ items: z.array(CompetitionRowSchema) }),
  ),
  'competition.public.get': method(ById, z.object({ record: z.record(z.string(), z.unknown()) })),
  'competition.get': method(ById, CompetitionDetailSchema),
  /** Step 1 before «Келесі»: kept in the local database only. */
  'competition.step1.get': method(z.object({}).strict(), z.object({ values: Step1Schema.nullable() })),
  'competition.step1.save': method(z.object({ values: Step1Schema.nullable() }).strict(), z.object({ saved: z.boolean() })),
  /** A half-filled sub-form (initiator, regulation names) before its «Сақтау»: local only, survives a restart. */
  'competition.formDraft.get': method(z.object({ key: safeText({ max: 120, min: 1, trim: false }) }).strict(), z.object({ values: z.record(z.string(), z.string().max(MAX_TEXT)).nullable() })),
  'competition.formDraft.save': method(
    z.object({ key: safeText({ max: 120, min: 1, trim: false }), values: z.record(safeText({ max: 120, trim: false }), Draft).nullable() }).strict(),
    z.object({ saved: z.boolean() }),
  ),
  'competition.create': method(
    z.object({ organizationId: Id, method: MethodRefSchema, nameKk: Name, nameRu: Name, nameEn: Name }).strict(),
    z.object({ competitionId: z.string(), mutationId: z.string() }),
  ),
  'competition.setMethod': method(z.object({ competitionId: Id, method: MethodRefSchema }).strict(), Done),
  'competition.setField': method(z.object({ competitionId: Id, field: z.enum(TEXT_FIELDS), value: safeText({ max: MAX_TEXT, trim: false, multiline: true }) }).strict(), Done),
  'competition.setPartnerOrg': method(
    z.object({
      competitionId: Id,
      bin: z.string().regex(/^[0-9]{12}$/),
      organization: z.object({ id: Id, name: Name }).strict().nullable(),
      representative: z.object({ userId: Id, fullName: Name }).strict().nullable(),
    }).strict(),
    Done,
  ),
  'competition.saveLot': method(ById, Done),
  'competition.deleteLot': method(ById, Done),
  'competition.saveInitiator': method(z.object({ competitionId: Id, initiator: InitiatorSchema.extend({ id: Id.optional() }) }).strict(), Done.extend({ initiatorId: z.string() })),
  'competition.removeInitiator': method(z.object({ competitionId: Id, initiatorId: Id }).strict(), Done),
  'competition.saveRegulation': method(
    z.object({ competitionId: Id, regulation: RegulationInputSchema.extend({ id: Id.optional(), file: AttachmentRefSchema.nullable() }) }).strict(),
    Done.extend({ regulationId: z.string() }),
  ),
  'competition.removeRegulation': method(z.object({ competitionId: Id, regulationId: Id }).strict(), Done),
  'competition.setSecretaries': method(z.object({ competitionId: Id, secretaryIds: z.array(Id).max(50) }).strict(), Done),
  'competition.publish': method(ById, Done),
  'competition.delete': method(ById, Done),
  /** «Табу»: the portal's public BIN look-up (heads only); the last answer per BIN is cached for offline. */
  'competition.lookupOrg': method(z.object({ bin: safeText({ max: 20, trim: false }) }).strict(), OrgLookupSchema),
  /** «Пайдаланушыны таңдау»: the portal's user search (≥ 3 characters); needs the portal. */
  'competition.searchUsers': method(
    z.object({ q: safeText({ max: 100, min: 3 }) }).strict(),
    z.object({ users: z.array(z.object({ userId: z.string(), fullName: z.string(), organizations: z.array(z.object({ bin: z.string(), name: z.string() })) })) }),
  ),
  /** Members of the organization with the Secretary or Organizer role (from the local cache), for naming editors. */
  'competition.secretaryCandidates': method(z.object({ organizationId: Id }).strict(), z.object({ users: z.array(z.object({ userId: z.string(), fullName: z.string() })) })),
  /**
   * A regulation's file for download: from the local store when this app staged it, otherwise from the
   * portal (through the competition, so only for those who may see it); its SHA-256 is checked. Base64, ≤ 25 MB.
   */
  'competition.readRegulation': method(
    z.object({ competitionId: Id, regulationId: Id }).strict(),
    z.object({ name: z.string(), contentType: z.string(), base64: z.string() }),
  ),
  /** Status history from the portal's audit log. */
  'competition.history': method(ById, z.object({ entries: z.array(HistoryEntrySchema) })),
};
