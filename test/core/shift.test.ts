import { describe, expect, it } from 'vitest';
import { businessDay, countTotal, dayRange, expectedCash, needsApproval } from '../../src/core/shift';

describe('shift arithmetic', () => {
  it('counts the drawer by denomination and computes the expected cash', () => {
    expect(countTotal([{ value: 10000, count: 2 }, { value: 50, count: 3 }, { value: 1, count: 7 }])).toBe(20157);
    expect(expectedCash({ float: 20000, cashSales: 15050, cashRefunds: 300, paidIn: 5000, paidOut: 1200 })).toBe(38550);
    expect(needsApproval(1000, 1000)).toBe(false);
    expect(needsApproval(-1001, 1000)).toBe(true);
  });

  it('a business day is the local date; its range in UTC', () => {
    expect(businessDay(new Date('2026-06-01T15:59:59.999Z'), 480)).toBe('2026-06-01');
    expect(businessDay(new Date('2026-06-01T16:00:00.000Z'), 480)).toBe('2026-06-02');
    expect(dayRange('2026-06-02', 480)).toEqual({ from: '2026-06-01T16:00:00.000Z', to: '2026-06-02T16:00:00.000Z' });
    expect(() => dayRange('2026-02-30', 480)).toThrow(RangeError);
  });
});
