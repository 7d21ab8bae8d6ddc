import { z } from 'zod';
import { safeText } from '../domain/text';
import { method } from './define';
import { AttachmentRefSchema } from '../files/attachments';
import { IdSchema, RecordTypeSchema, Sha256Schema } from '../portal-api/schemas';

/**
 * The renderer never names a filesystem path. Main hands out opaque handles:
 * from its native dialogs (Electron) or from an upload (browser host).
 */
export const FileHandleSchema = z.string().regex(/^fh_[A-Za-z0-9_-]{16,64}$/, 'opaque file handle');

export const FileInfoSchema = z.object({
  handle: FileHandleSchema,
  name: z.string(),
  size: z.number().int().nonnegative(),
  /** Detected from the bytes, not from the name. */
  contentType: z.string(),
});
export type FileInfo = z.infer<typeof FileInfoSchema>;

export const FileFilterSchema = z.enum(['pdf', 'any', 'p12']);

export const fileMethods = {
  /** Electron only: native open dialog. The browser host answers `not_supported` and the page uploads instead. */
  'files.openDialog': method(
    z.object({ filter: FileFilterSchema, multiple: z.boolean().default(false) }).strict(),
    z.object({ files: z.array(FileInfoSchema) }),
  ),
  'files.info': method(z.object({ handle: FileHandleSchema }).strict(), FileInfoSchema),
  'files.release': method(z.object({ handle: FileHandleSchema }).strict(), z.object({ released: z.boolean() })),
  /**
   * Copies a picked file into the signed-in account's store (hashing it) and
   * queues it for upload; the returned ref is what synced mutations carry.
   * Durable when it returns: it survives a restart and works offline.
   */
  'files.stage': method(z.object({ handle: FileHandleSchema }).strict(), AttachmentRefSchema),
  /**
   * Where the page may read a file of the account's store (for the built-in
   * PDF viewer): a same-origin URL, app://seriktes/files/<sha256> in
   * Electron, /files/<sha256> behind the session cookie in the browser host.
   */
  'files.contentUrl': method(z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict(), z.object({ url: z.string() })),
  /**
   * Makes a file attached to a record (someone else's AKI answer, a competition's regulations) readable
   * through `files.contentUrl`: at once when the account's store already holds it (staged or downloaded),
   * otherwise downloaded from the portal (access-checked per record), its SHA-256 checked, and kept as a
   * downloaded file — never queued for upload. Needs the connection (`offline` otherwise).
   */
  'files.fetch': method(
    z.object({ recordType: RecordTypeSchema, recordId: IdSchema, sha256: Sha256Schema, name: safeText({ max: 255, min: 1 }) }).strict(),
    AttachmentRefSchema,
  ),
};
