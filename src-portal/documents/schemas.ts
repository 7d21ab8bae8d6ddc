/**
 * The public answer of GET /verify/{serial} (JSON form; the HTML page shows the same facts).
 * Signers' IINs are masked; no file content, file name or record is ever part of it.
 */
import { z } from 'zod';
import { BADGES } from '../../src-shared/documents/model';
import { LOCK_STATES } from '../../src-shared/documents/lock';

export const VerifyOrganizationSchema = z.object({
  bin: z.string(),
  name: z.object({ kk: z.string(), ru: z.string(), en: z.string() }),
});

export const VerifySignerSchema = z.object({
  /** Order of signing (0 = first). */
  index: z.number().int(),
  /** Certificate owner's full name; null when the signer's certificate could not be read. */
  name: z.string().nullable(),
  /** Masked: birth date and last two digits only, e.g. `800521****02`. */
  iinMasked: z.string().optional(),
  bin: z.string().optional(),
  organization: z.string().optional(),
  /** Kazakh role codes from the certificate: 'first_head', 'employee', 'individual'… */
  roles: z.array(z.string()),
  /** What the signer claims (not proof). */
  claimedTime: z.string().optional(),
  /** Proven by a verified timestamp. */
  timestampTime: z.string().optional(),
  timestamped: z.boolean(),
  verdict: z.enum(['valid', 'invalid', 'indeterminate']),
  /** Report reason codes behind the verdict (untrusted chain, revocation not checked…). */
  reasons: z.array(z.string()),
  /** Signed with an NCA RK TEST certificate. */
  test: z.boolean(),
});

export const VerifyVersionSchema = z.object({
  sha256: z.string(),
  registeredAt: z.string(),
  pages: z.number().int().nullable(),
  lock: z.object({ state: z.enum(LOCK_STATES), reasons: z.array(z.string()) }),
  badges: z.array(z.enum(BADGES)),
  signers: z.array(VerifySignerSchema),
  /** The organization this version was uploaded for, when it could be told. */
  organization: VerifyOrganizationSchema.nullable(),
  /** Uploaded by another organization than the serial's owner: possibly a forgery. */
  serialConflict: z.boolean(),
});

export const VerifyAnswerSchema = z.object({
  serial: z.string(),
  /** The organization that first uploaded a document carrying this serial. */
  organization: VerifyOrganizationSchema.nullable(),
  firstRegisteredAt: z.string(),
  /** Some version was uploaded by another organization than the owner. */
  conflict: z.boolean(),
  /** Newest first. Signature status as checked when each version was uploaded. */
  versions: z.array(VerifyVersionSchema),
});
export type VerifyAnswer = z.infer<typeof VerifyAnswerSchema>;
export type VerifyVersion = z.infer<typeof VerifyVersionSchema>;
