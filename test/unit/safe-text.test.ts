import { describe, expect, it } from 'vitest';
import { hasUnstorableString, isStorableText, safeText } from '../../src-shared/domain/text';

describe('safeText', () => {
  const one = safeText({ max: 10, min: 1 });
  const multi = safeText({ max: 50, multiline: true });
  it('accepts ordinary Kazakh, Russian and emoji text (a valid surrogate pair)', () => {
    expect(one.parse('  Қазақ  ')).toBe('Қазақ');
    expect(one.parse('😀 ок')).toBe('😀 ок');
  });
  it('refuses lone surrogates, NUL and C0 controls with invalid_text', () => {
    for (const bad of ['a\uD800', '\uDC00b', 'a\u0000b', 'a\u0007b', 'a\nb', 'a\tb', 'a\u007fb']) {
      const r = one.safeParse(bad);
      expect(r.success, JSON.stringify(bad)).toBe(false);
      expect(r.error?.issues[0]?.message).toBe('invalid_text');
    }
  });
  it('allows tab, LF and CRLF only in multiline text, never a lone CR', () => {
    expect(multi.parse('a\tb\nc\r\nd')).toBe('a\tb\nc\r\nd');
    expect(multi.safeParse('a\rb').success).toBe(false);
    expect(isStorableText('a\u0000', true)).toBe(false);
  });
  it('keeps length and emptiness rules', () => {
    expect(one.safeParse('   ').success).toBe(false);
    expect(one.safeParse('x'.repeat(11)).success).toBe(false);
  });
  it('finds an unstorable string anywhere in a JSON body, keys included', () => {
    expect(hasUnstorableString({ a: [{ b: 'ok' }] })).toBe(false);
    expect(hasUnstorableString({ a: [{ b: 'x\uD834' }] })).toBe(true);
    expect(hasUnstorableString({ ['k\u0000']: 1 })).toBe(true);
    expect(hasUnstorableString({ a: 'line\nbreak' })).toBe(false);
  });
});
