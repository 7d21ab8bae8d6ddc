/**
 * `files.fetch`: someone else's attachment into the account's store, so the built-in viewer
 * (files.contentUrl, the hosts' /files/<sha256>) and the document inspection can read it.
 *
 * The portal serves files only through a record the user may see (GET
 * /api/records/{type}/{id}/attachments, then /api/attachments/{id}/content), so access is the
 * portal's decision; a file the user may not see answers `not_found`, like one that does not exist.
 * The bytes stream into a temporary file in the store while being hashed; only when the SHA-256
 * and size match what the record names is the file moved to files/<sha256> and recorded in
 * downloaded_files (never staged_files: it must not be uploaded again as this user's file).
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { AppError, isErrorCode } from '../../src-shared/rpc/errors';
import { AttachmentListSchema } from '../../src-shared/portal-api/schemas';
import type { AttachmentRef } from '../../src-shared/files/attachments';
import { MAX_STAGED_FILE_BYTES, type FileStore } from './file-store';
import { PortalClient, isTransient } from '../sync/portal-client';
import type { AccountManager } from '../accounts/accounts';

/** Same cap as for the user's own files: the portal refuses bigger ones anyway. */
export const MAX_FETCHED_FILE_BYTES = MAX_STAGED_FILE_BYTES;

export interface FetchInput {
  recordType: 'organization' | 'competition' | 'aki_application';
  recordId: string;
  sha256: string;
  name: string;
}

export interface FetchOptions {
  portalUrl: string;
  token: () => string | null;
  store: FileStore;
  maxBytes?: number;
  /** Time to the first byte of each request; a big download may then take as long as it needs. */
  timeoutMs?: number;
}

/** The check before a downloaded file is kept: the bytes are exactly the ones the record names. */
export function checkDownloaded(expected: { sha256: string; size: number }, got: { sha256: string; size: number }): void {
  if (got.sha256 !== expected.sha256 || got.size !== expected.size) {
    throw new AppError('file_hash_mismatch', 'The downloaded file differs from the one attached to the record', { expected: expected.sha256, got: got.sha256, expectedSize: expected.size, size: got.size });
  }
}

/** The portal cannot be reached → `offline` (opening someone else's file needs the connection). */
const offlineIfTransient = (err: unknown): unknown => (isTransient(err) ? new AppError('offline', 'Opening this file needs the portal', { cause: (err as AppError).code }) : err);

export async function fetchAttachment(input: FetchInput, o: FetchOptions): Promise<AttachmentRef> {
  const local = o.store.localRef(input.sha256);
  if (local) return { sha256: input.sha256, name: input.name, size: local.size, contentType: local.contentType };

  const maxBytes = o.maxBytes ?? MAX_FETCHED_FILE_BYTES;
  const client = new PortalClient({ baseUrl: o.portalUrl, token: o.token, timeoutMs: o.timeoutMs ?? 15_000 });
  const list = AttachmentListSchema.parse(
    await client.request('GET', `/api/records/${input.recordType}/${input.recordId}/attachments`).catch((e: unknown) => {
      throw offlineIfTransient(e);
    }),
  );
  const matches = list.attachments.filter((a) => a.sha256 === input.sha256);
  const att = matches.find((a) => a.name === input.name) ?? matches[0];
  if (!att) throw new AppError('not_found', 'No such file on this record');
  if (att.size > maxBytes) throw new AppError('file_too_large', 'File too large', { limit: maxBytes, size: att.size });

  const token = o.token();
  if (!token) throw new AppError('session_expired', 'Not signed in');
  const controller = new AbortController();
  const firstByte = setTimeout(() => controller.abort(), o.timeoutMs ?? 15_000);
  let res: Response;
  try {
    res = await fetch(`${client.baseUrl}/api/attachments/${att.id}/content`, { headers: { Authorization: `Bearer ${token}` }, signal: controller.signal });
  } catch {
    throw new AppError('offline', 'Opening this file needs the portal');
  } finally {
    clearTimeout(firstByte);
  }
  if (!res.ok) {
    const e = ((await res.json().catch(() => null)) ?? {}) as { code?: unknown; message?: unknown };
    if (res.status === 401) throw new AppError('session_expired', 'The session has expired');
    throw offlineIfTransient(new AppError(isErrorCode(e.code) ? e.code : res.status >= 500 ? 'portal_unreachable' : 'internal', typeof e.message === 'string' ? e.message : `Portal answered ${res.status}`));
  }
  if (!res.body) throw new AppError('internal', 'Empty answer');

  const tmp = await o.store.incomingPath();
  const hash = createHash('sha256');
  let size = 0;
  try {
    await pipeline(
      Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>),
      new Transform({
        transform(chunk: Buffer, _enc, cb) {
          size += chunk.length;
          // More than the record said (or the cap): stop reading, whatever the server claims.
          if (size > Math.min(att.size, maxBytes)) return cb(new AppError('file_hash_mismatch', 'The portal sent more bytes than the file has'));
          hash.update(chunk);
          cb(null, chunk);
        },
      }),
      createWriteStream(tmp),
    );
    checkDownloaded({ sha256: input.sha256, size: att.size }, { sha256: hash.digest('hex'), size });
    const ref: AttachmentRef = { sha256: input.sha256, name: input.name, size, contentType: att.contentType };
    await o.store.adoptDownloaded(tmp, { ...ref, name: att.name });
    return ref;
  } catch (err) {
    await rm(tmp, { force: true });
    if (err instanceof AppError) throw err;
    throw new AppError('offline', 'The download was interrupted');
  }
}

/** The `files.fetch` RPC handler for the signed-in account. */
export function filesFetchHandler(accounts: AccountManager, portalUrl: string) {
  return (input: FetchInput): Promise<AttachmentRef> => {
    const acc = accounts.require();
    return fetchAttachment(input, { portalUrl, token: () => (acc.sessionExpired ? null : (acc.session?.token ?? null)), store: acc.files });
  };
}
