/**
 * writeAtomically (issue 15), on real files: the whole new content or the old one, never a torn
 * file or a leftover temporary; secrets get their mode before they appear under the final name.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { syncDirectory, writeAtomically } from '../../src-main/files/write-atomically';
import { tempDir } from '../helpers/processes';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeAtomically', () => {
  it('replaces the content whole and leaves no temporary file', async () => {
    dir = tempDir('atomic');
    const file = join(dir, 'me.json');
    writeFileSync(file, 'old');
    await writeAtomically(file, JSON.stringify({ a: 'x'.repeat(100_000) }));
    await writeAtomically(file, new Uint8Array([123, 125]));
    expect(readFileSync(file, 'utf8')).toBe('{}');
    expect(readdirSync(dir)).toEqual(['me.json']);
  });

  it('a failed write keeps the old file and removes its temporary', async () => {
    dir = tempDir('atomic');
    const target = join(dir, 'taken');
    mkdirSync(target); // renaming a file over a directory fails
    await expect(writeAtomically(target, 'new')).rejects.toMatchObject({ code: expect.any(String) });
    expect(statSync(target).isDirectory()).toBe(true);
    expect(readdirSync(dir)).toEqual(['taken']);
  });

  it('gives a secret its mode (0600) whatever the umask (POSIX)', async () => {
    dir = tempDir('atomic');
    const file = join(dir, 'session.json');
    await writeAtomically(file, '{}', { mode: 0o600 });
    expect(readFileSync(file, 'utf8')).toBe('{}');
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('syncs a directory (a no-op on Windows) and refuses one that does not exist', async () => {
    dir = tempDir('atomic');
    await syncDirectory(dir);
    // Windows cannot fsync a directory: skipped there, so nothing to refuse.
    if (process.platform === 'win32') await expect(syncDirectory(join(dir, 'missing'))).resolves.toBeUndefined();
    else await expect(syncDirectory(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
