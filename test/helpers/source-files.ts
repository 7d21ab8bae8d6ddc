import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './processes';

const SKIP = new Set(['node_modules', 'dist', '.git', 'test-results', 'artifacts', 'release', 'playwright-report', '.electron-native']);

/** Source files under the given top-level folders (repo-relative paths). */
export function sourceFiles(folders: string[], re = /\.(ts|tsx|mjs|cjs|js)$/): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (SKIP.has(name)) continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (re.test(name)) out.push(relative(repoRoot, p));
    }
  };
  for (const f of folders) {
    try {
      walk(join(repoRoot, f));
    } catch {
      // folder absent
    }
  }
  return out;
}

/** Files whose text matches `re`. */
export function grepSources(folders: string[], re: RegExp): string[] {
  return sourceFiles(folders).filter((f) => re.test(readFileSync(join(repoRoot, f), 'utf8')));
}
