import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './processes';

/**
 * The Electron executable if it is installed, found by its files: requiring
 * the `electron` package would start a download when the binary is missing.
 */
export function electronBinaryPath(): string | null {
  const dir = join(repoRoot, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const exe = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(exe) ? exe : null;
}
