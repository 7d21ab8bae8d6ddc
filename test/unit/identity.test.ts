import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkDigit, isValidBin, isValidIin, isValidIinBin, withCheckDigit } from '../../src-shared/domain/identity';

describe('IIN / BIN check digit', () => {
  it('accepts the worked examples and rejects their corruptions', () => {
    expect(isValidIin('850722400563')).toBe(true);
    expect(isValidIin('900115301235')).toBe(true); // second weight pass
    expect(isValidIinBin('900115301234')).toBe(false);
    expect(isValidIinBin('900115301253')).toBe(false); // transposition
    expect(isValidBin('150340012340')).toBe(true);
    expect(isValidBin('200760001231')).toBe(true);
    expect(checkDigit('85072240097')).toBeNull(); // both passes give 10: never issued
  });

  it('tells BIN from IIN by the fifth digit', () => {
    expect(isValidBin('850722400563')).toBe(false);
    expect(isValidIin('150340012340')).toBe(false);
  });

  it('rejects the NCA test numbers, which fail the check digit', () => {
    expect(isValidIinBin('123456789011')).toBe(false);
    expect(isValidIinBin('123456789021')).toBe(false);
  });

  it('rejects anything that is not 12 digits', () => {
    for (const v of ['', '15034001234', '1503400123400', '15034001234a', ' 150340012340', '１５０３４００１２３４０']) {
      expect(isValidIinBin(v), v).toBe(false);
    }
  });

  it('a prefix has exactly one valid check digit, or none', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{11}$/), (prefix) => {
        const valid = Array.from({ length: 10 }, (_, d) => prefix + d).filter(isValidIinBin);
        return checkDigit(prefix) === null ? valid.length === 0 : valid.length === 1 && valid[0] === withCheckDigit(prefix);
      }),
      { numRuns: 2000 },
    );
  });

  it('a changed digit in the first ten positions is caught when the first weight pass decides', () => {
    // Position 11 has weight 11 ≡ 0 (mod 11) in the first pass, so only positions 1–10 are guaranteed.
    fc.assert(
      fc.property(fc.stringMatching(/^\d{11}$/), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 9 }), (prefix, pos, delta) => {
        const valid = withCheckDigit(prefix);
        const W1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
        const firstPass = (s: string) => [...s].slice(0, 11).reduce((a, d, i) => a + Number(d) * W1[i]!, 0) % 11;
        fc.pre(valid !== null && firstPass(valid) !== 10);
        const digits = [...valid!];
        digits[pos] = String((Number(digits[pos]) + delta) % 10);
        const changed = digits.join('');
        fc.pre(firstPass(changed) !== 10);
        return !isValidIinBin(changed);
      }),
      { numRuns: 2000 },
    );
  });
});
