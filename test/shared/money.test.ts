import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { divRoundHalfUp, formatMinor, mulDivHalfUp, parseMinor } from '../../src/shared/money';

describe('money', () => {
  it('formats and parses minor units without floats', () => {
    expect(formatMinor(1234)).toBe('12.34');
    expect(formatMinor(-5)).toBe('-0.05');
    expect(formatMinor(0)).toBe('0.00');
    expect(parseMinor('12.3')).toBe(1230);
    expect(parseMinor('0.07')).toBe(7);
    expect(() => parseMinor('1.234')).toThrow(/too many decimals/);
    expect(() => parseMinor('abc')).toThrow(/not an amount/);
  });

  it('rounds half up (away from zero)', () => {
    expect(divRoundHalfUp(5, 2)).toBe(3);
    expect(divRoundHalfUp(-5, 2)).toBe(-3);
    expect(divRoundHalfUp(4, 3)).toBe(1);
    expect(mulDivHalfUp(1000, 1300, 11300)).toBe(115); // 13% VAT inside 10.00
    expect(mulDivHalfUp(50, 1, 100)).toBe(1); // 0.5 -> 1
  });

  it('format/parse round-trips any integer', () => {
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), (n) => parseMinor(formatMinor(n)) === n));
  });
});
