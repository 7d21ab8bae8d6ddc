import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { AppError } from '../../src-shared/rpc/errors';
import type { AttachmentRef } from '../../src-shared/files/attachments';
import { sniffContentType } from '../../src-shared/files/content-type';
import type { LocalDb } from '../db/local-db';
import { syncDirectory } from './write-atomically';

export const MAX_STAGED_FILE_BYTES = 512 * 1024 * 1024;

/**
 * The account's content-addressed file store (files/<sha256>) plus the
 * staged_files table: what the user attached, durable across restarts and
 * offline, until the sync engine has uploaded it.
 */
export class FileStore {
  constructor(
    private readonly dir: string,
    private readonly db: LocalDb,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {}

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new AppError('invalid_input', 'Bad hash');
    return join(this.dir, sha256);
  }

  /** Copies a file into the store while hashing it (one pass, streamed), and queues it for upload. */
  async stage(sourcePath: string, name: string): Promise<AttachmentRef> {
    const st = await stat(sourcePath).catch(() => null);
    if (!st?.isFile()) throw new AppError('file_unreadable', 'File could not be read');
    if (st.size > MAX_STAGED_FILE_BYTES) throw new AppError('file_too_large', 'File too large', { limit: MAX_STAGED_FILE_BYTES, size: st.size });
    if (st.size === 0) throw new AppError('file_unreadable', 'The file is empty');
    await mkdir(this.dir, { recursive: true });
    const tmp = join(this.dir, `.incoming-${randomBytes(8).toString('hex')}`);
    const hash = createHash('sha256');
    let head = Buffer.alloc(0);
    try {
      await pipeline(
        createReadStream(sourcePath),
        new Transform({
          transform(chunk: Buffer, _enc, cb) {
            hash.update(chunk);
            if (head.length < 4096) head = Buffer.concat([head, chunk.subarray(0, 4096 - head.length)]);
            cb(null, chunk);
          },
        }),
        createWriteStream(tmp),
      );
      const fh = await open(tmp, 'r+');
      await fh.sync();
      await fh.close();
    } catch {
      await rm(tmp, { force: true });
      throw new AppError('file_unreadable', 'File could not be read');
    }
    const sha256 = hash.digest('hex');
    await rename(tmp, this.pathOf(sha256));
    // The staged_files row below must never name a file whose directory entry a crash could lose.
    await syncDirectory(this.dir);
    const ref: AttachmentRef = { sha256, name: name.slice(0, 255) || 'file', size: st.size, contentType: sniffContentType(new Uint8Array(head)) };
    const now = this.now();
    this.db.tx(() => {
      this.db.sqlite
        .prepare(
          `INSERT INTO staged_files (sha256, name, size, content_type, status, created_at, updated_at) VALUES (?, ?, ?, ?, 'pending', ?, ?)
           ON CONFLICT (sha256) DO UPDATE SET status = CASE WHEN staged_files.status = 'failed' THEN 'pending' ELSE staged_files.status END, updated_at = excluded.updated_at`,
        )
        .run(ref.sha256, ref.name, ref.size, ref.contentType, now, now);
    });
    return ref;
  }

  /** The path of a file this account holds (staged or downloaded), or null: the page can name nothing else. */
  existingPath(sha256: string): string | null {
    return this.localRef(sha256) ? this.pathOf(sha256) : null;
  }

  /** What the store knows of a file it holds: staged by this user, or downloaded from the portal (files.fetch). */
  localRef(sha256: string): { name: string; size: number; contentType: string } | null {
    if (!/^[0-9a-f]{64}$/.test(sha256)) return null;
    const row = (this.db.sqlite.prepare('SELECT name, size, content_type FROM staged_files WHERE sha256 = ?').get(sha256) ??
      this.db.sqlite.prepare('SELECT name, size, content_type FROM downloaded_files WHERE sha256 = ?').get(sha256)) as { name: string; size: number; content_type: string } | undefined;
    return row ? { name: row.name, size: row.size, contentType: row.content_type } : null;
  }

  /**
   * Moves a downloaded file whose hash was checked into the store and records it in downloaded_files —
   * never in staged_files: someone else's file must not be uploaded again as this user's.
   */
  async adoptDownloaded(tmpPath: string, ref: AttachmentRef): Promise<void> {
    await rename(tmpPath, this.pathOf(ref.sha256));
    await syncDirectory(this.dir);
    this.db.tx(() => {
      this.db.sqlite
        .prepare('INSERT INTO downloaded_files (sha256, name, size, content_type, downloaded_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING')
        .run(ref.sha256, ref.name, ref.size, ref.contentType, this.now());
    });
  }

  /** Where a download in progress is written: inside the store, so the final rename stays on one disk. */
  async incomingPath(): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    return join(this.dir, `.incoming-${randomBytes(8).toString('hex')}`);
  }

  pending(): { sha256: string; name: string; size: number; upload_id: string | null; uploaded_bytes: number }[] {
    return this.db.sqlite.prepare("SELECT sha256, name, size, upload_id, uploaded_bytes FROM staged_files WHERE status = 'pending' ORDER BY created_at").all() as never;
  }

  pendingBytes(): { files: number; bytes: number } {
    const r = this.db.sqlite.prepare("SELECT COUNT(*) AS files, COALESCE(SUM(size - uploaded_bytes), 0) AS bytes FROM staged_files WHERE status = 'pending'").get() as {
      files: number;
      bytes: number;
    };
    return r;
  }

  setProgress(sha256: string, uploadId: string, uploadedBytes: number) {
    this.db.tx(() =>
      this.db.sqlite.prepare('UPDATE staged_files SET upload_id = ?, uploaded_bytes = ?, updated_at = ? WHERE sha256 = ?').run(uploadId, uploadedBytes, this.now(), sha256),
    );
  }

  markUploaded(sha256: string) {
    this.db.tx(() => this.db.sqlite.prepare("UPDATE staged_files SET status = 'uploaded', uploaded_bytes = size, updated_at = ? WHERE sha256 = ?").run(this.now(), sha256));
  }

  markFailed(sha256: string, error: { code: string; message: string }) {
    this.db.tx(() =>
      this.db.sqlite.prepare("UPDATE staged_files SET status = 'failed', error_json = ?, updated_at = ? WHERE sha256 = ?").run(JSON.stringify(error), this.now(), sha256),
    );
  }

  /** Files the portal refused (type, size), shown with the refused mutations until dismissed. */
  failed(): { sha256: string; name: string; error: { code: string; message: string }; at: string }[] {
    return (this.db.sqlite.prepare("SELECT sha256, name, error_json, updated_at FROM staged_files WHERE status = 'failed' ORDER BY updated_at").all() as {
      sha256: string;
      name: string;
      error_json: string | null;
      updated_at: string;
    }[]).map((r) => ({ sha256: r.sha256, name: r.name, error: JSON.parse(r.error_json ?? '{"code":"internal","message":"failed"}'), at: r.updated_at }));
  }

  dismissFailed(sha256: string): boolean {
    return this.db.tx(() => this.db.sqlite.prepare("UPDATE staged_files SET status = 'dismissed' WHERE sha256 = ? AND status = 'failed'").run(sha256).changes > 0);
  }

  /** Reads [offset, offset+length) of a staged file. */
  async readChunk(sha256: string, offset: number, length: number): Promise<Buffer> {
    const fh = await open(this.pathOf(sha256), 'r');
    try {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await fh.read(buf, 0, length, offset);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  }
}
