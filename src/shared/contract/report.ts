/**
 * The X report (读数, any time, changes nothing) and the Z report (日结),
 * which closes one business day across its shifts and can run once per day.
 * A business day is a local calendar date (StoreSettings.utcOffsetMinutes);
 * every journal entry belongs to the day of its time.
 */
import { z } from 'zod';
import { method } from './define';
import { fen, vatRateSchema } from './catalog';
import { paymentProviderNameSchema } from './cart';
import { receiptDocumentSchema } from '../receipt';

const signed = z.number().int();
const day = z.string().regex(/^\d{4}-\d\d-\d\d$/, 'YYYY-MM-DD');

export const tenderTotalSchema = z.object({
  kind: z.enum(['cash', 'card', 'payment-code']),
  provider: paymentProviderNameSchema.nullable(),
  sales: fen,
  refunds: fen,
  net: signed,
});
export const taxTotalSchema = z.object({ vatRate: vatRateSchema, salesNet: fen, salesTax: fen, refundsNet: fen, refundsTax: fen });
export const categoryTotalSchema = z.object({ category: z.string(), sales: fen, refunds: fen, net: signed });

export const shiftReportSchema = z.object({
  shiftId: z.string(),
  openedAt: z.string(),
  openedBy: z.string(),
  closedAt: z.string().nullable(),
  closedBy: z.string().nullable(),
  float: fen,
  /** cash the drawer should hold (so far, for an open shift) */
  expected: signed,
  counted: fen.nullable(),
  /** over (+) or short (-); null while open */
  variance: signed.nullable(),
});
export type ShiftReport = z.infer<typeof shiftReportSchema>;

export const reportSchema = z.object({
  kind: z.enum(['x', 'z']),
  businessDay: day,
  store: z.string(),
  terminal: z.string(),
  generatedAt: z.string(),
  /** the journal position the figures include */
  throughSeq: z.number().int(),
  counts: z.object({
    sales: z.number().int(),
    voids: z.number().int(),
    refunds: z.number().int(),
    noSales: z.number().int(),
    overrides: z.number().int(),
    drawerOpenings: z.number().int(),
  }),
  sales: z.object({ gross: fen, savings: fen, rounding: signed, total: fen }),
  refunds: fen,
  voidedTotal: fen,
  paidIn: fen,
  paidOut: fen,
  net: signed,
  byTender: z.array(tenderTotalSchema),
  byTaxRate: z.array(taxTotalSchema),
  byCategory: z.array(categoryTotalSchema),
  shifts: z.array(shiftReportSchema),
  /** set on a Z report: who closed the day */
  closedBy: z.string().nullable(),
});
export type Report = z.infer<typeof reportSchema>;

/** what the report calls answer: the report and its slip for the receipt printer */
export const printedReportSchema = reportSchema.extend({ receipt: receiptDocumentSchema });
export type PrintedReport = z.infer<typeof printedReportSchema>;

export const reportMethods = {
  'report.x': method({
    summary: 'X report: the business day so far (default today), changes nothing',
    access: 'report.x',
    input: z.object({ date: day.optional() }).strict(),
    output: printedReportSchema,
  }),
  'report.z': method({
    summary: 'Z report (日结): closes a business day (default today) once; every shift of it must be closed',
    access: 'report.z',
    input: z.object({ date: day.optional() }).strict(),
    output: printedReportSchema,
  }),
  'report.print': method({
    summary: 'prints a report slip on the receipt printer: a fresh X report of a day (default today), or a copy of the Z report a closed day ended with',
    access: 'report.x',
    input: z.object({ kind: z.enum(['x', 'z']), date: day.optional() }).strict(),
    output: printedReportSchema.extend({ jobId: z.string() }),
  }),
};
