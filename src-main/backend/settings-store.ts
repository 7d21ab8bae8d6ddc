import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DEFAULT_LANGUAGE, isLanguage } from '../../src-shared/i18n/languages';
import type { Settings } from '../../src-shared/rpc/app-methods';
import { writeAtomically } from '../files/write-atomically';

/**
 * Device-wide preferences (language) in a small JSON file, written with
 * writeAtomically so a crash leaves either the old or the new file, never a
 * torn one. Account data lives in the per-account SQLite cache instead.
 */
export class SettingsStore {
  private current: Settings = { language: DEFAULT_LANGUAGE };
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'settings.json');
  }

  async load(): Promise<Settings> {
    try {
      const raw = JSON.parse(await readFile(this.file, 'utf8')) as Partial<Settings>;
      if (isLanguage(raw.language)) this.current = { ...this.current, language: raw.language };
    } catch {
      // Missing or unreadable: keep defaults; the next save rewrites it.
    }
    return this.current;
  }

  get(): Settings {
    return this.current;
  }

  async update(patch: Partial<Settings>): Promise<Settings> {
    const next = { ...this.current, ...patch };
    await mkdir(dirname(this.file), { recursive: true });
    await writeAtomically(this.file, JSON.stringify(next, null, 2));
    this.current = next;
    return next;
  }
}
