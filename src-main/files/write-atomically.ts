import { randomBytes } from 'node:crypto';
import { chmod, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes next to the target, flushes the file to disk, renames it over the target and flushes the
 * directory: after a crash or power loss the target holds either the old or the new content in
 * full, never an empty or torn file (a rename alone can reach the disk before the data it names).
 * `mode` (e.g. 0o600 for secrets) is set before the rename, so the content is never readable by others.
 */
export async function writeAtomically(path: string, data: Uint8Array | string, opts: { mode?: number } = {}): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fh = await open(tmp, 'w', opts.mode ?? 0o666);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    // open()'s mode is filtered by the umask; chmod makes it exact (no-op where POSIX modes do not exist).
    if (opts.mode !== undefined) await chmod(tmp, opts.mode).catch(() => undefined);
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await syncDirectory(dirname(path));
}

/**
 * Flushes a directory's entries (a rename or a new file in it) to disk. Windows cannot open a
 * directory for fsync (NTFS journals renames itself), and some file systems refuse fsync on a
 * directory (EINVAL) or opening one (EISDIR, EPERM): the data is already flushed, so those skip.
 */
export async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM' && code !== 'EACCES' && code !== 'ENOTSUP') throw e;
  } finally {
    await fh?.close();
  }
}
