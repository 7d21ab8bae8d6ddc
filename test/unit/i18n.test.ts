import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { catalogs, lookup, translate, LANGUAGES } from '../../src-shared/i18n';
import { ERROR_CODES } from '../../src-shared/rpc/errors';
import { SEED_LABEL_KEYS } from '../../src-shared/i18n/seed-labels';
import { mutationRegistry } from '../../src-shared/sync/registry';
import { repoRoot } from '../helpers/processes';

function keys(node: unknown, prefix = ''): string[] {
  if (typeof node === 'string') return [prefix];
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.(tsx?|mjs)$/.test(name) ? [p] : [];
  });
}

const LATIN_TO_CYRILLIC: Record<string, string> = {
  A: 'А', B: 'В', C: 'С', E: 'Е', H: 'Н', I: 'І', K: 'К', M: 'М', O: 'О', P: 'Р', T: 'Т', X: 'Х', Y: 'У',
  a: 'а', c: 'с', e: 'е', i: 'і', o: 'о', p: 'р', x: 'х', y: 'у',
};
const normalise = (s: string) =>
  s.replace(/[\p{L}]+/gu, (word) => (/\p{Script=Cyrillic}/u.test(word) || /^[AKIС]+$/.test(word) ? [...word].map((ch) => LATIN_TO_CYRILLIC[ch] ?? ch).join('') : word));

/** kk fragments of SPEC.md §4's label table, split on " / " and ";" and normalised to Cyrillic. */
function specKazakhLabels(): Set<string> {
  const spec = readFileSync(join(repoRoot, 'docs', 'SPEC.md'), 'utf8');
  const section = spec.slice(spec.indexOf('## 4. Labels'));
  const out = new Set<string>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 4 || cells[1] === 'kk' || /^-+$/.test(cells[1] ?? '')) continue;
    const kk = (cells[1] ?? '').replace(/\(tabs\)/, '').replace(/^(AKI )?status /, '');
    for (const part of kk.split(/\s*[/;]\s*/)) if (part.trim()) out.add(normalise(part.trim()));
  }
  return out;
}

describe('i18n catalogs', () => {
  const reference = keys(catalogs.kk).sort();

  it('ru and en have exactly the Kazakh keys, none empty', () => {
    for (const lng of LANGUAGES) {
      expect(keys(catalogs[lng]).sort(), lng).toEqual(reference);
      for (const k of reference) expect(lookup(catalogs[lng], k)?.trim(), `${lng}:${k}`).toBeTruthy();
    }
  });

  it('every error code has a translation in every language', () => {
    for (const lng of LANGUAGES) for (const code of ERROR_CODES) expect(lookup(catalogs[lng], `errors.${code}`), `${lng}:${code}`).toBeTruthy();
  });

  it('every synced mutation has a name in the refused-changes list, in every language', () => {
    for (const lang of LANGUAGES) for (const name of Object.keys(mutationRegistry)) expect(lookup(catalogs[lang], `rejected.mutation.${name}`), `${lang}: ${name}`).toEqual(expect.any(String));
  });

  it('every key the renderer asks for exists (a missing key fails here)', () => {
    const used = new Set<string>();
    for (const file of files(join(repoRoot, 'src-renderer'))) {
      const src = readFileSync(file, 'utf8');
      for (const m of src.matchAll(/\bt\(\s*['"]([A-Za-z0-9_.]+)['"]/g)) used.add(m[1]!);
      for (const m of src.matchAll(/\b(?:labelKey|titleKey|messageKey|key)\s*:\s*['"]([A-Za-z0-9_.]+)['"]/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(10);
    const missing = [...used].filter((k) => lookup(catalogs.kk, k) === undefined);
    expect(missing).toEqual([]);
  });

  it('Kazakh texts never mix Latin look-alike letters into Cyrillic words', () => {
    const offenders: string[] = [];
    for (const k of reference) {
      const text = lookup(catalogs.kk, k)!;
      for (const word of text.match(/[\p{L}]+/gu) ?? []) {
        if (/\p{Script=Cyrillic}/u.test(word) && /[A-Za-z]/.test(word)) offenders.push(`${k}: ${word}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('seed labels are verbatim from SPEC.md §4', () => {
    const labels = specKazakhLabels();
    expect(labels.has('Жұмыс кабинеті')).toBe(true);
    for (const key of SEED_LABEL_KEYS) {
      const text = lookup(catalogs.kk, key);
      expect(text, key).toBeDefined();
      expect(labels.has(text!), `${key}: «${text}» is not a §4 label`).toBe(true);
    }
  });

  it('translate() interpolates and falls back to the key, never to undefined', () => {
    expect(translate('ru', 'sync.pending', { count: 3 })).toBe('Ожидают отправки: 3');
    expect(translate('kk', 'no.such.key')).toBe('no.such.key');
  });
});
