import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { looksLikeCardNumber, luhnValid, panRuns } from '../../src/shared/card-number';

/** appends the Luhn check digit to a body of digits */
function withLuhn(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}

describe('card numbers', () => {
  it('knows the Luhn check', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('')).toBe(false);
  });

  it('sees a card number through separators and inside other text', () => {
    for (const r of ['4111-1111-1111-1111', '4111 1111 1111 1111', '4111.1111.1111.1111', '4111/1111/1111/1111', '4111_1111_1111_1111', 'REF4111111111111111', '5500 0000 0000 0004', '6222 0202 0011 2233 445']) {
      expect(looksLikeCardNumber(r), r).toBe(true);
    }
  });

  it('lets terminal references through', () => {
    for (const r of ['POS-778', 'POS000111', 'RF123456', 'AUTH 123456 RRN 987654321012', '2026-0601-0001']) expect(looksLikeCardNumber(r), r).toBe(false);
  });

  it('finds every generated card number, however it is written', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[2-6]\d{11,17}$/), fc.constantFrom(' ', '-', '.', '/', ''), fc.integer({ min: 2, max: 6 }), (body, sep, group) => {
        const pan = withLuhn(body);
        const written = pan.match(new RegExp(`.{1,${group}}`, 'g'))?.join(sep) ?? pan;
        expect(looksLikeCardNumber(written)).toBe(true);
        expect(looksLikeCardNumber(`REF ${written}`)).toBe(true);
        expect(panRuns(pan)).toContain(pan);
      }),
    );
  });
});
