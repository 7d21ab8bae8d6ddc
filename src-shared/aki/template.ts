/**
 * AKI requirement templates as the customer edits them (SPEC §2.3; seed 002):
 * six requirement types, each required or optional, ordered, with kk/ru/en
 * texts. A superset of `src-shared/reference/requirements.ts` (the seeded
 * templates parse unchanged); the extra fields are the file flags the
 * signing issues will read and relative date limits.
 *
 * A requirement's `key` is its id: answers are stored by key, so a draft
 * moved to a newer template version keeps every answer whose key survives.
 */
import { z } from 'zod';
import { REQUIREMENT_TYPES, type RequirementType } from '../reference/requirements';
import { safeText } from '../domain/text';

export { REQUIREMENT_TYPES, type RequirementType };

export const FILE_KINDS = ['pdf', 'image', 'office', 'zip'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

// Typed into textareas by the customer: line breaks allowed.
const Labels = z.object({
  kk: safeText({ max: 1000, min: 1, multiline: true }),
  ru: safeText({ max: 1000, min: 1, multiline: true }),
  en: safeText({ max: 1000, trim: false, multiline: true }).default(''),
});
export type Labels = z.infer<typeof Labels>;
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const Key = z.string().regex(/^[a-z0-9_]{1,64}$/);
const base = { key: Key, label: Labels, required: z.boolean().default(false) };

/** The portal's default upper bound for one answer file. */
export const DEFAULT_FILE_LIMIT_BYTES = 20 * 1024 * 1024;

export const AkiRequirementSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('heading'), key: Key, label: Labels, text: Labels.optional() }),
  z.object({
    ...base,
    type: z.literal('file'),
    accept: z.array(z.enum(FILE_KINDS)).min(1),
    maxSizeBytes: z.number().int().min(1).max(500 * 1024 * 1024).optional(),
    /**
     * Document flags (issue 9), checked by the package checks (src-shared/documents/package-check):
     * signed — a valid signature is required; pdfA — PDF/A claimed or flattened (no fillable fields);
     * maxAgeDays — issue date (entered by the supplier, or a verified timestamp) not older than this;
     * signerMustBeSupplier — a signer's IIN/BIN is the supplier's; timestamp — a trusted timestamp is
     * required; gost — the seed asks for GOST signatures (reported, not refused: RSA keys are common);
     * declareLanguage — the supplier declares ru or kk, checked against the text layer.
     */
    signed: z.boolean().default(false),
    pdfA: z.boolean().default(false),
    maxAgeDays: z.number().int().min(1).max(3650).optional(),
    signerMustBeSupplier: z.boolean().default(false),
    timestamp: z.boolean().default(false),
    gost: z.boolean().default(false),
    declareLanguage: z.boolean().default(false),
  }),
  z.object({
    ...base,
    type: z.literal('select'),
    options: z.array(z.object({ value: safeText({ max: 64, min: 1, trim: false }), label: Labels })).min(1).max(200),
    multiple: z.boolean().default(false),
  }),
  z.object({ ...base, type: z.literal('number'), min: z.number().finite().optional(), max: z.number().finite().optional(), unit: safeText({ max: 32, trim: false }).optional() }),
  z.object({ ...base, type: z.literal('text'), maxLength: z.number().int().min(1).max(10_000).default(1000) }),
  z.object({
    ...base,
    type: z.literal('date'),
    notBefore: IsoDate.optional(),
    notAfter: IsoDate.optional(),
    /** "Not older than N days", checked against the portal's clock at publication. */
    notOlderThanDays: z.number().int().min(0).max(36500).optional(),
  }),
]);
export type AkiRequirement = z.infer<typeof AkiRequirementSchema>;

export const AkiTemplateSchema = z
  .object({ requirements: z.array(AkiRequirementSchema).max(500) })
  .superRefine((t, ctx) => {
    const seen = new Set<string>();
    t.requirements.forEach((r, i) => {
      if (seen.has(r.key)) ctx.addIssue({ code: 'custom', path: ['requirements', i, 'key'], message: 'duplicate_key' });
      seen.add(r.key);
      if (r.type === 'number' && r.min !== undefined && r.max !== undefined && r.min > r.max) ctx.addIssue({ code: 'custom', path: ['requirements', i, 'max'], message: 'min_above_max' });
      if (r.type === 'date' && r.notBefore && r.notAfter && r.notBefore > r.notAfter) ctx.addIssue({ code: 'custom', path: ['requirements', i, 'notAfter'], message: 'min_above_max' });
      if (r.type === 'select' && new Set(r.options.map((o) => o.value)).size !== r.options.length) ctx.addIssue({ code: 'custom', path: ['requirements', i, 'options'], message: 'duplicate_option' });
    });
  });
export type AkiTemplate = z.infer<typeof AkiTemplateSchema>;

/** PDF only: the one flag the signing issues read most often. */
export const isPdfOnly = (r: Extract<AkiRequirement, { type: 'file' }>): boolean => r.accept.length === 1 && r.accept[0] === 'pdf';

/** The requirements a supplier answers (headings are read-only text). */
export const answerable = (t: AkiTemplate): Exclude<AkiRequirement, { type: 'heading' }>[] =>
  t.requirements.filter((r): r is Exclude<AkiRequirement, { type: 'heading' }> => r.type !== 'heading');
