/**
 * The PPP competition by direct negotiations (SPEC §1.1–1.2, seed 000) as
 * the app caches it and the portal publishes it: one record per competition
 * holding its lot, state partner, initiators and regulations, so a wizard
 * step never waits for another entity to sync.
 */
import { z } from 'zod';
import { AttachmentRefSchema } from '../files/attachments';
import { safeText } from '../domain/text';

export const COMPETITION_ENTITY = 'competition';

/** [decision] Every free-text field of the wizard holds at most this many characters. */
export const MAX_TEXT = 1000;

export const COMPETITION_STATUSES = ['draft', 'published', 'discussion', 'contract_approval', 'completed'] as const;
export type CompetitionStatus = (typeof COMPETITION_STATUSES)[number];
export const LOT_STATUSES = ['draft', 'published'] as const;
export type LotStatus = (typeof LOT_STATUSES)[number];

export const MethodRefSchema = z
  .object({
    id: z.string().uuid(),
    code: safeText({ max: 64, trim: false }),
    name: z.object({ kk: safeText({ max: MAX_TEXT, trim: false }), ru: safeText({ max: MAX_TEXT, trim: false }), en: safeText({ max: MAX_TEXT, trim: false }) }),
    minDiscussionDays: z.number().int().min(0).max(3650),
  })
  .strict();
export type MethodRef = z.infer<typeof MethodRefSchema>;

// Stored as typed (not trimmed), as before safeText.
const Text = safeText({ max: MAX_TEXT, trim: false });
/** The lot's paragraphs and the partner's contact are textareas. */
const Paragraphs = safeText({ max: MAX_TEXT, trim: false, multiline: true });

export const LotSchema = z.object({
  nameKk: Text,
  nameRu: Text,
  nameEn: Text,
  summary: Paragraphs,
  goals: Paragraphs,
  parameters: Paragraphs,
  criteria: Paragraphs,
  timeline: Paragraphs,
  /** «Сақтау» of the state partner form passed: the lot exists (status `draft` until publication). */
  saved: z.boolean(),
});
export type Lot = z.infer<typeof LotSchema>;

export const PartnerSchema = z.object({
  contact: Paragraphs,
  bin: safeText({ max: 12, trim: false }),
  organizationId: z.string().uuid().nullable(),
  organizationName: Text.nullable(),
  representativeUserId: z.string().uuid().nullable(),
  representativeName: Text.nullable(),
});
export type Partner = z.infer<typeof PartnerSchema>;

export const InitiatorSchema = z
  .object({
    id: z.string().uuid(),
    /** The registered user chosen in «Пайдаланушыны таңдау». */
    userId: z.string().uuid(),
    userName: Text,
    partnerIinBin: safeText({ max: 12, trim: false }),
    representative: Text,
    position: Text,
    phone: safeText({ max: 40, trim: false }),
    email: safeText({ max: 200, trim: false }),
  })
  .strict();
export type Initiator = z.infer<typeof InitiatorSchema>;

export const RegulationSchema = z
  .object({
    id: z.string().uuid(),
    nameRu: Text,
    nameKk: Text,
    file: AttachmentRefSchema.nullable(),
    /** The portal's attachment row (download link); null until the portal has attached the file. */
    attachmentId: z.string().uuid().nullable().default(null),
  })
  .strict();
export type Regulation = z.infer<typeof RegulationSchema>;

export interface CompetitionRecord {
  competitionId: string;
  organizationId: string;
  createdBy: string;
  secretaryIds: string[];
  /** The number people read; the portal assigns it (null = pending). */
  number: string | null;
  status: CompetitionStatus;
  lotStatus: LotStatus;
  method: MethodRef;
  nameKk: string;
  nameRu: string;
  nameEn: string;
  lot: Lot;
  partner: Partner;
  initiators: Initiator[];
  regulations: Regulation[];
  /** UTC ISO instants (shown in Asia/Almaty); null until set on the review step. */
  discussionStart: string | null;
  discussionEnd: string | null;
  /** Set optimistically when «Жариялау» is queued; the portal decides. */
  publishRequested: boolean;
  publishedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * The record as the portal publishes it, checked where the app reads it without a local cache
 * (the signed-out view): whatever the portal sends beyond these fields is dropped.
 */
export const CompetitionRecordSchema = z.object({
  competitionId: z.string().uuid(),
  organizationId: z.string().uuid(),
  createdBy: z.string().uuid(),
  secretaryIds: z.array(z.string().uuid()).max(50),
  number: z.string().max(64).nullable(),
  status: z.enum(COMPETITION_STATUSES),
  lotStatus: z.enum(LOT_STATUSES),
  method: MethodRefSchema,
  nameKk: Text,
  nameRu: Text,
  nameEn: Text,
  lot: LotSchema,
  partner: PartnerSchema,
  initiators: z.array(InitiatorSchema).max(500),
  regulations: z.array(RegulationSchema).max(500),
  discussionStart: z.string().datetime().nullable(),
  discussionEnd: z.string().datetime().nullable(),
  publishRequested: z.boolean(),
  publishedAt: z.string().datetime().nullable(),
  createdAt: z.string().datetime(),
  updatedAt: z.string().datetime(),
}) satisfies z.ZodType<CompetitionRecord>;

export const emptyLot = (): Lot => ({ nameKk: '', nameRu: '', nameEn: '', summary: '', goals: '', parameters: '', criteria: '', timeline: '', saved: false });
export const emptyPartner = (): Partner => ({ contact: '', bin: '', organizationId: null, organizationName: null, representativeUserId: null, representativeName: null });

/**
 * Fields edited one at a time with autosave (one coalesced outbox row per field).
 * Paths name the place in the record; `lot.*` and `partner.contact` live in sub-objects.
 */
export const TEXT_FIELDS = [
  'nameKk',
  'nameRu',
  'nameEn',
  'lot.nameKk',
  'lot.nameRu',
  'lot.nameEn',
  'lot.summary',
  'lot.goals',
  'lot.parameters',
  'lot.criteria',
  'lot.timeline',
  'partner.contact',
  'partner.bin',
  'discussionStart',
  'discussionEnd',
] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

export function readField(c: CompetitionRecord, field: TextField): string {
  if (field.startsWith('lot.')) return String(c.lot[field.slice(4) as keyof Lot] ?? '');
  if (field === 'partner.contact') return c.partner.contact;
  if (field === 'partner.bin') return c.partner.bin;
  if (field === 'discussionStart') return c.discussionStart ?? '';
  if (field === 'discussionEnd') return c.discussionEnd ?? '';
  return c[field as 'nameKk' | 'nameRu' | 'nameEn'];
}

/** Returns a copy with one field set (the same effect in the app's optimistic view and on the portal). */
export function writeField(c: CompetitionRecord, field: TextField, value: string): CompetitionRecord {
  if (field.startsWith('lot.')) return { ...c, lot: { ...c.lot, [field.slice(4)]: value } };
  if (field === 'partner.contact') return { ...c, partner: { ...c.partner, contact: value } };
  if (field === 'partner.bin') {
    // A different BIN invalidates the organization found for the old one.
    if (value === c.partner.bin) return c;
    return { ...c, partner: { ...c.partner, bin: value, organizationId: null, organizationName: null, representativeUserId: null, representativeName: null } };
  }
  if (field === 'discussionStart') return { ...c, discussionStart: value === '' ? null : value };
  if (field === 'discussionEnd') return { ...c, discussionEnd: value === '' ? null : value };
  return { ...c, [field]: value };
}
