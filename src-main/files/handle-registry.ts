import { randomBytes } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { sniffContentType } from '../../src-shared/files/content-type';
import { AppError } from '../../src-shared/rpc/errors';
import type { FileInfo } from '../../src-shared/rpc/file-methods';

interface Entry extends FileInfo {
  path: string;
}

/**
 * Paths stay in main. The renderer only ever sees `fh_…` handles that main
 * created from its own dialog or from an upload it stored itself, so a
 * compromised page cannot name an arbitrary file on disk.
 */
export class FileHandleRegistry {
  private readonly entries = new Map<string, Entry>();

  async register(path: string, displayName = basename(path)): Promise<FileInfo> {
    let size: number;
    let head: Uint8Array;
    try {
      const st = await stat(path);
      if (!st.isFile()) throw new Error('not a file');
      size = st.size;
      const fh = await open(path, 'r');
      try {
        const buf = Buffer.alloc(Math.min(4096, size));
        await fh.read(buf, 0, buf.length, 0);
        head = new Uint8Array(buf);
      } finally {
        await fh.close();
      }
    } catch {
      throw new AppError('file_unreadable', 'File could not be read');
    }
    const handle = `fh_${randomBytes(18).toString('base64url')}`;
    const info: FileInfo = { handle, name: displayName, size, contentType: sniffContentType(head) };
    this.entries.set(handle, { ...info, path });
    return info;
  }

  info(handle: string): FileInfo {
    const e = this.entries.get(handle);
    if (!e) throw new AppError('not_found', 'Unknown file handle');
    const { path: _path, ...info } = e;
    return info;
  }

  /** For main-side code only (signing, upload): never return this to the renderer. */
  pathOf(handle: string): string {
    const e = this.entries.get(handle);
    if (!e) throw new AppError('not_found', 'Unknown file handle');
    return e.path;
  }

  release(handle: string): boolean {
    return this.entries.delete(handle);
  }
}
