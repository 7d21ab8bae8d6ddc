import { AppError } from '../../src-shared/rpc/errors';
import { FinalizedFileSchema, UploadStatusSchema } from '../../src-shared/portal-api/schemas';
import type { FileStore } from '../files/file-store';
import type { PortalClient } from './portal-client';

const CHUNK = 1024 * 1024;
/**
 * Refusals that no retry will change: the file is marked failed and the user told why (the
 * portal's lock check answers the same refusal to every later resume or finalize of the upload).
 */
const PERMANENT = new Set(['file_too_large', 'file_type_not_allowed', 'pdf_too_large', 'document_modified_after_signing', 'document_signature_invalid', 'pdf_check_timeout', 'pdf_check_out_of_memory', 'pdf_check_failed']);

/**
 * Uploads every staged file, resuming each from the offset the portal
 * acknowledged (after a dropped connection, a restart or a kill), before the
 * mutations that reference them are pushed.
 */
export async function uploadPending(
  files: FileStore,
  client: PortalClient,
  opts: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<void> {
  const queue = files.pending();
  if (queue.length === 0) return;
  const total = queue.reduce((n, f) => n + f.size, 0);
  let done = queue.reduce((n, f) => n + f.uploaded_bytes, 0);
  for (const f of queue) {
    try {
      let status = f.upload_id
        ? await client
            .request('GET', `/api/uploads/${f.upload_id}`, undefined, { signal: opts.signal })
            .then((r) => UploadStatusSchema.parse(r))
            .catch((err: unknown) => {
              if (err instanceof AppError && err.code === 'not_found') return null; // expired on the portal: start again
              throw err;
            })
        : null;
      if (!status) {
        done -= f.uploaded_bytes;
        status = UploadStatusSchema.parse(await client.request('POST', '/api/uploads', { size: f.size, sha256: f.sha256, name: f.name }, { signal: opts.signal }));
      }
      let offset = status.offset;
      done += offset - f.uploaded_bytes;
      files.setProgress(f.sha256, status.uploadId, offset);
      const chunkSize = Math.max(1, Math.min(CHUNK, status.maxChunkBytes));
      while (status.status === 'open' && offset < f.size) {
        const bytes = await files.readChunk(f.sha256, offset, Math.min(chunkSize, f.size - offset));
        try {
          status = UploadStatusSchema.parse(
            await client.request('PUT', `/api/uploads/${status.uploadId}?offset=${offset}`, undefined, { raw: bytes, signal: opts.signal, timeoutMs: 60_000 }),
          );
        } catch (err) {
          const acked = err instanceof AppError && err.code === 'file_offset_mismatch' ? Number(err.details?.offset) : NaN;
          if (!Number.isFinite(acked)) throw err;
          status = { ...status, offset: acked };
        }
        done += status.offset - offset;
        offset = status.offset;
        files.setProgress(f.sha256, status.uploadId, offset);
        opts.onProgress?.(done, total);
      }
      FinalizedFileSchema.parse(await client.request('POST', `/api/uploads/${status.uploadId}/finalize`, undefined, { signal: opts.signal, timeoutMs: 120_000 }));
      files.markUploaded(f.sha256);
    } catch (err) {
      if (err instanceof AppError && PERMANENT.has(err.code)) {
        files.markFailed(f.sha256, { code: err.code, message: err.message });
        continue;
      }
      throw err;
    }
  }
}
