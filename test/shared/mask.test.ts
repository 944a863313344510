import { describe, expect, it } from 'vitest';
import { maskNumber } from '../../src/shared/mask';

describe('maskNumber', () => {
  it('keeps the first three and last four digits of a phone or member number', () => {
    expect(maskNumber('13800000000')).toBe('138****0000');
    expect(maskNumber('8888000001')).toBe('888***0001');
    expect(maskNumber('88880001')).toBe('888*0001');
    expect(maskNumber('12345')).toBe('***45');
  });
});
