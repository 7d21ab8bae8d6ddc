/**
 * Walks a zod schema (zod 4 `_zod.def`) to every string it accepts — object
 * fields, array elements, union branches, record keys and values — so the
 * text tests cover every field of every mutation without a list that a new
 * mutation could be missing from. `sampleOf` builds a plausible value
 * around the field under test; it need not be valid (the portal's answer to
 * the field is what the tests check).
 */
import fc from 'fast-check';
import type { z } from 'zod';
import { hasUnstorableString } from '../../src-shared/domain/text';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Def = { type: string; [k: string]: any };
const defOf = (s: z.ZodType): Def => (s as any)._zod.def as Def;

/** Values tried, in order, for a string field that is not under test: the first the field accepts. */
const STRING_CANDIDATES = [
  'Тест',
  '0190f0e2-0000-7000-8000-000000000000',
  '2026-12-06T10:00:00.000Z',
  '2026-12-06',
  'test@example.kz',
  '+7 701 234 56 78',
  '0'.repeat(64),
  '130540000221',
  'code_1',
];

export function sampleOf(schema: z.ZodType): unknown {
  const d = defOf(schema);
  switch (d.type) {
    case 'string':
      return STRING_CANDIDATES.find((c) => schema.safeParse(c).success) ?? 'x';
    case 'object':
      return Object.fromEntries(Object.entries(d.shape as Record<string, z.ZodType>).map(([k, v]) => [k, sampleOf(v)]));
    case 'optional': case 'nullable': case 'default': case 'prefault': case 'readonly': case 'catch': case 'nonoptional':
      return sampleOf(d.innerType);
    case 'pipe':
      return sampleOf(d.in);
    case 'array':
      return [sampleOf(d.element)];
    case 'union':
      return sampleOf(d.options[0]);
    case 'record':
      return { [String(sampleOf(d.keyType))]: sampleOf(d.valueType) };
    case 'enum':
      return Object.values(d.entries as Record<string, unknown>)[0];
    case 'literal':
      return d.values[0];
    case 'number': case 'int':
      return 1;
    case 'boolean':
      return false;
    case 'lazy':
      return sampleOf(d.getter());
    default:
      return null;
  }
}

export interface TextLeaf {
  /** Where the string sits, e.g. `initiator.userName`, `answers.<key>`, `requirements[].options[].label.kk`. */
  path: string;
  /** The string's own schema. */
  schema: z.ZodType;
  /** A whole value of the walked schema with `text` in this place. */
  place(text: string): unknown;
}

/** Every place a string can sit in values of `schema`. */
export function textLeaves(schema: z.ZodType, path = ''): TextLeaf[] {
  const d = defOf(schema);
  const sub = (s: z.ZodType, p: string, wrap: (inner: unknown) => unknown): TextLeaf[] =>
    textLeaves(s, p).map((l) => ({ ...l, place: (t: string) => wrap(l.place(t)) }));
  switch (d.type) {
    case 'string':
      return [{ path, schema, place: (t) => t }];
    case 'object': {
      const shape = d.shape as Record<string, z.ZodType>;
      return Object.entries(shape).flatMap(([k, v]) =>
        sub(v, path ? `${path}.${k}` : k, (inner) => ({ ...(sampleOf(schema) as object), [k]: inner })));
    }
    case 'optional': case 'nullable': case 'default': case 'prefault': case 'readonly': case 'catch': case 'nonoptional':
      return textLeaves(d.innerType, path);
    case 'pipe':
      return textLeaves(d.in, path);
    case 'array':
      return sub(d.element, `${path}[]`, (inner) => [inner]);
    case 'union':
      return (d.options as z.ZodType[]).flatMap((o) => textLeaves(o, path));
    case 'record': {
      const value = sampleOf(d.valueType);
      const key = String(sampleOf(d.keyType));
      return [
        ...textLeaves(d.keyType, `${path}{key}`).map((l) => ({ ...l, place: (t: string) => ({ [t]: value }) })),
        ...sub(d.valueType, `${path}{}`, (inner) => ({ [key]: inner })),
      ];
    }
    case 'lazy':
      return textLeaves(d.getter(), path);
    default:
      return [];
  }
}

/** One UTF-16 unit or pair that breaks storage somewhere, or ordinary text around it. */
const nastyUnit: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) },
  { weight: 3, arbitrary: fc.constantFrom('\u0000', '\t', '\n', '\r', '\r\n', '\u0007', '\u001b', '\u007f', '\u2028') },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)) },
  { weight: 2, arbitrary: fc.constantFrom('😀', '𝕏', 'Қ', 'ә', 'Ж', ' ', 'a') },
);

/**
 * Strings with lone surrogates, NUL, C0 controls, line breaks and valid pairs (emoji). They start
 * with a letter, so a field's "at least one character" never decides; they are short, so no
 * length limit does.
 */
export const nastyText: fc.Arbitrary<string> = fc.string({ unit: nastyUnit, minLength: 1, maxLength: 8 }).map((s) => `Ж${s}`);

/** A lone surrogate or NUL: text the body guard and the push refuse before any schema. */
export const hasLoneSurrogateOrNul = (s: string): boolean => hasUnstorableString(s);
