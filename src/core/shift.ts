/**
 * Shift arithmetic and the business day. The drawer should hold
 * float + cash taken in sales (tender amounts, change already given back)
 * - cash paid back in refunds + paid-in - paid-out; the blind count is
 * compared with that after it is submitted: variance = counted - expected
 * (over > 0, short < 0). A business day is the local calendar date at the
 * store's UTC offset.
 */
import type { Count } from '../shared/contract/shift';

export function countTotal(count: Count): number {
  return count.reduce((sum, c) => sum + c.value * c.count, 0);
}

export interface DrawerFlows {
  float: number;
  cashSales: number;
  cashRefunds: number;
  paidIn: number;
  paidOut: number;
}

export function expectedCash(f: DrawerFlows): number {
  return f.float + f.cashSales - f.cashRefunds + f.paidIn - f.paidOut;
}

export function needsApproval(variance: number, threshold: number): boolean {
  return Math.abs(variance) > threshold;
}

/** 'YYYY-MM-DD' of an instant at the store's offset */
export function businessDay(at: Date, utcOffsetMinutes: number): string {
  return new Date(at.getTime() + utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
}

/** the UTC instants [from, to) of a business day, as ISO strings (which sort like the journal's `at`) */
export function dayRange(day: string, utcOffsetMinutes: number): { from: string; to: string } {
  const start = Date.parse(`${day}T00:00:00.000Z`);
  if (Number.isNaN(start) || new Date(start).toISOString().slice(0, 10) !== day) throw new RangeError(`'${day}' is not a calendar date`);
  const from = start - utcOffsetMinutes * 60_000;
  return { from: new Date(from).toISOString(), to: new Date(from + 86_400_000).toISOString() };
}
