import { kk } from './catalogs/kk';
import { ru } from './catalogs/ru';
import { en } from './catalogs/en';
import type { Catalog } from './catalog-type';
import type { Language } from './languages';

export * from './languages';
export type { Catalog };

export const catalogs: Record<Language, Catalog> = { kk, ru, en };

/** Looks up a dotted key; returns undefined when it is missing (tests assert none is). */
export function lookup(catalog: Catalog, key: string): string | undefined {
  let node: unknown = catalog;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** Minimal interpolation for code outside React (e-mails on the portal, main-process dialogs). */
export function translate(language: Language, key: string, vars: Record<string, string | number> = {}): string {
  const text = lookup(catalogs[language], key) ?? lookup(catalogs.en, key) ?? key;
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(vars[name] ?? ''));
}
