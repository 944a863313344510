import receiptline from 'receiptline';
import { describe, expect, it } from 'vitest';
import { code128Widths } from '../../../drivers/escpos/code128';

type Generate = (o: object) => { widths: number[] };
const generate = (receiptline as unknown as { barcode: { generate: Generate } }).barcode.generate;

function reference(text: string): number[] {
  const w = generate({ data: text, type: 'code128', width: 1, height: 10, hri: false, quietZone: false }).widths;
  return w.filter((x, i) => !(x === 0 && (i === 0 || i === w.length - 1)));
}

describe('CODE128 widths', () => {
  it('match receiptline for every code set B character', () => {
    const letters = Array.from({ length: 95 }, (_, i) => String.fromCharCode(0x20 + i)).filter((ch) => !/\d/.test(ch));
    for (let i = 0; i < letters.length; i += 6) {
      const text = `A${letters.slice(i, i + 6).join('')}Z`;
      expect(code128Widths(text)).toEqual(reference(text));
    }
    expect(code128Widths('R-7')).toEqual(reference('R-7'));
  });

  it('every symbol is 11 modules, the stop 13; non-ASCII is refused', () => {
    const w = code128Widths('Till');
    expect(w.reduce((a, b) => a + b, 0)).toBe(11 * 6 + 13);
    expect(() => code128Widths('价')).toThrow(/code set B/);
  });
});
