import { z } from 'zod';
import { safeText } from '../domain/text';

/**
 * A file as synced mutations reference it: content-addressed. The app stages
 * the bytes locally (`files.stage` RPC: copied into the account's file store,
 * hashed) and the sync engine uploads every staged file — resumably, before
 * pushing the mutations that reference it. On the portal, a mutation that
 * attaches a file checks that the acting user completed an upload of exactly
 * these bytes (proof of possession) and creates the attachment row.
 */
export const AttachmentRefSchema = z
  .object({
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    name: safeText({ max: 255, min: 1 }),
    size: z.number().int().nonnegative(),
    contentType: safeText({ max: 100, trim: false }),
  })
  .strict();
export type AttachmentRef = z.infer<typeof AttachmentRefSchema>;
