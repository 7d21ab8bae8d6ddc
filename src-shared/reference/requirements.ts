/**
 * AKI requirement templates (seed 002): the customer sets, per category, a
 * list of requirements of six types. Templates are versioned: an application
 * keeps the version it was prepared against. The AKI issue builds the editor
 * on this schema.
 */
import { z } from 'zod';

export const REQUIREMENT_TYPES = ['heading', 'file', 'select', 'number', 'text', 'date'] as const;
export type RequirementType = (typeof REQUIREMENT_TYPES)[number];

const Labels = z.object({ kk: z.string().min(1).max(1000), ru: z.string().min(1).max(1000), en: z.string().max(1000) });
const base = { key: z.string().regex(/^[a-z0-9_]{1,64}$/), label: Labels, required: z.boolean().default(false) };

export const RequirementSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('heading'), key: base.key, label: Labels }),
  z.object({ ...base, type: z.literal('file'), accept: z.array(z.enum(['pdf', 'image', 'office', 'zip'])).min(1), signed: z.boolean().default(false) }),
  z.object({ ...base, type: z.literal('select'), options: z.array(z.object({ value: z.string().min(1).max(64), label: Labels })).min(1), multiple: z.boolean().default(false) }),
  z.object({ ...base, type: z.literal('number'), min: z.number().optional(), max: z.number().optional(), unit: z.string().max(32).optional() }),
  z.object({ ...base, type: z.literal('text'), maxLength: z.number().int().min(1).max(10_000).default(1000) }),
  z.object({ ...base, type: z.literal('date'), notBefore: z.string().optional(), notAfter: z.string().optional() }),
]);
export type Requirement = z.infer<typeof RequirementSchema>;

export const RequirementTemplateSchema = z
  .object({ requirements: z.array(RequirementSchema).max(500) })
  .refine((t) => new Set(t.requirements.map((r) => r.key)).size === t.requirements.length, { message: 'requirement keys must be unique' });
export type RequirementTemplate = z.infer<typeof RequirementTemplateSchema>;
