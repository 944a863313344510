import { describe, expect, it } from 'vitest';
import { applyKey, type PadKey } from '../../src/renderer/keypad-input';

const press = (keys: PadKey[], opts = { decimals: 2, maxLength: 9 }): string => keys.reduce((v, k) => applyKey(v, k, opts), '');

describe('applyKey', () => {
  it('builds an amount with at most the allowed decimals', () => {
    expect(press(['1', '2', '.', '3', '4'])).toBe('12.34');
    expect(press(['1', '.', '2', '3', '4'])).toBe('1.23');
    expect(press(['.', '5'])).toBe('0.5');
    expect(press(['1', '.', '.', '5'])).toBe('1.5');
  });

  it('ignores the decimal point where there are no decimals, and respects the length', () => {
    expect(press(['4', '.', '2'], { decimals: 0, maxLength: 8 })).toBe('42');
    expect(press(['1', '2', '3', '4', '5'], { decimals: 0, maxLength: 4 })).toBe('1234');
    expect(press(['9', '00'], { decimals: 0, maxLength: 4 })).toBe('900');
  });

  it('deletes and clears', () => {
    expect(press(['1', '2', 'back'])).toBe('1');
    expect(press(['1', '2', 'clear', '7'])).toBe('7');
    expect(press(['back'])).toBe('');
  });
});
