/** Sale calls: void the open sale, and read committed sales back (reprint). */
import { z } from 'zod';
import { method } from './define';
import { plainText } from './text';
import { fen } from './catalog';
import { cartSchema } from './cart';
import { receiptDocumentSchema } from '../receipt';

export const saleSummarySchema = z.object({
  saleId: z.string(),
  receiptNo: z.string(),
  seq: z.number().int(),
  at: z.string(),
  cashier: z.string(),
  member: z.string().nullable(),
  items: z.number().int(),
  total: fen,
  status: z.enum(['completed']),
});
export type SaleSummary = z.infer<typeof saleSummarySchema>;

export const saleMethods = {
  'sale.void': method({
    summary: '整单作废: void the whole open sale (journaled); with tenders taken it needs a supervisor',
    access: 'sale.void',
    input: z.object({ reason: plainText(z.string().min(1).max(80)) }).strict(),
    output: z.object({ cart: cartSchema }),
  }),
  'sale.recent': method({
    summary: 'the latest committed sales, newest first',
    access: 'sale.read',
    input: z.object({ limit: z.number().int().min(1).max(200).default(20) }).strict(),
    output: z.object({ sales: z.array(saleSummarySchema) }),
  }),
  'sale.receipt': method({
    summary: 'the receipt document of a committed sale, marked as a copy (reprint)',
    access: 'sale.read',
    input: z.object({ receiptNo: plainText(z.string().min(1).max(64)) }).strict(),
    output: receiptDocumentSchema,
  }),
};
