/**
 * Shifts (交接班) and the cash drawer. A shift is the drawer's period of
 * accountability: opened with a float, paid-in and paid-out with reasons,
 * closed with a blind count by denomination. The expected amount is never
 * shown before the count is submitted; the answer to the close carries it
 * with the over/short.
 */
import { z } from 'zod';
import { method } from './define';
import { plainText } from './text';
import { fen } from './catalog';

/** CNY notes and coins in fen */
export const DENOMINATIONS = [10000, 5000, 2000, 1000, 500, 100, 50, 20, 10, 5, 2, 1] as const;

export const countSchema = z
  .array(
    z.object({
      value: z.number().int().refine((v) => (DENOMINATIONS as readonly number[]).includes(v), 'not a CNY note or coin (fen)'),
      count: z.number().int().min(0).max(100_000),
    }),
  )
  .max(DENOMINATIONS.length)
  .refine((a) => new Set(a.map((x) => x.value)).size === a.length, 'each denomination once');
export type Count = z.infer<typeof countSchema>;

export const shiftViewSchema = z.object({
  shiftId: z.string(),
  openedAt: z.string(),
  openedBy: z.string(),
  float: fen,
});

export const shiftCloseSchema = z.object({
  shiftId: z.string(),
  closedAt: z.string(),
  counted: fen,
  /** negative if more was paid out than the drawer ever held */
  expected: z.number().int(),
  /** counted - expected: positive over, negative short */
  variance: z.number().int(),
  approvedBy: z.string().nullable(),
});
export type ShiftClose = z.infer<typeof shiftCloseSchema>;

const movement = z.object({ amount: fen.min(1).max(100_000_00), reason: plainText(z.string().trim().min(1).max(80)) }).strict();
const movementResult = z.object({ seq: z.number().int(), shiftId: z.string() });

export const shiftMethods = {
  'shift.current': method({
    summary: 'the open shift of this till, or null (never the expected cash: the close is blind)',
    access: 'shift.read',
    input: z.object({}).strict(),
    output: z.object({ shift: shiftViewSchema.nullable() }),
  }),
  'shift.open': method({
    summary: 'open the shift with the float counted into the drawer; one open shift per till',
    access: 'shift.open',
    input: z.object({ float: countSchema }).strict(),
    output: shiftViewSchema,
  }),
  'shift.paidIn': method({
    summary: 'cash put into the drawer outside a sale (change from the safe), with a reason',
    access: 'shift.paid-in',
    input: movement,
    output: movementResult,
  }),
  'shift.paidOut': method({
    summary: 'cash taken out of the drawer outside a sale (a delivery paid, a drop to the safe), with a reason',
    access: 'shift.paid-out',
    input: movement,
    output: movementResult,
  }),
  'shift.close': method({
    summary: 'blind close: the counted cash by denomination; answers the expected amount and the over/short',
    access: 'shift.close',
    input: z.object({ counted: countSchema }).strict(),
    output: shiftCloseSchema,
  }),
  'drawer.open': method({
    summary: 'open the drawer with no sale (journaled with the reason and who approved it)',
    access: 'drawer.no-sale',
    input: z.object({ reason: plainText(z.string().trim().min(1).max(80)) }).strict(),
    output: z.object({ seq: z.number().int(), cause: z.literal('no-sale'), openDrawer: z.literal(true) }),
  }),
};
