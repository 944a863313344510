/**
 * Tender calls. A tender that brings the remaining amount to zero commits the
 * sale in the same call, and the call returns only after the commit, with the
 * receipt document.
 */
import { z } from 'zod';
import { method } from './define';
import { fen } from './catalog';
import { cartSchema } from './cart';
import { receiptDocumentSchema } from '../receipt';

export const completedSaleSchema = z.object({
  saleId: z.string(),
  receiptNo: z.string(),
  seq: z.number().int().positive(),
  total: fen,
  change: fen,
  receipt: receiptDocumentSchema,
});
export type CompletedSale = z.infer<typeof completedSaleSchema>;

const tenderResult = z.object({
  cart: cartSchema,
  /** set when this tender completed the sale (the cart is then the next, empty one) */
  completed: completedSaleSchema.nullable(),
});
export type TenderResult = z.infer<typeof tenderResult>;

export const tenderMethods = {
  'tender.cash': method({
    summary: 'cash handed over: pays up to the remaining amount, the rest is change',
    access: 'tender.take',
    input: z.object({ tendered: fen.min(1) }).strict(),
    output: tenderResult,
  }),
  'tender.card': method({
    summary: 'a card paid on the external terminal: amount and its reference (never a card number)',
    access: 'tender.take',
    input: z
      .object({
        amount: fen.min(1),
        /** letters and digits, with separators (space - . / _) as the card terminal prints them; a card number is refused by the core */
        reference: z.string().min(4).max(40).regex(/^[0-9A-Za-z][0-9A-Za-z .\/_-]*$/),
      })
      .strict(),
    output: tenderResult,
  }),
  'tender.paymentCode': method({
    summary: "a customer's WeChat / Alipay / UnionPay code: charged through the provider (refused offline)",
    access: 'tender.take',
    input: z.object({ code: z.string().regex(/^\d{16,24}$/), amount: fen.min(1).optional() }).strict(),
    output: tenderResult,
  }),
  'tender.remove': method({
    summary: 'take back a cash or card tender before the sale completes',
    access: 'tender.take',
    input: z.object({ tenderNo: z.number().int().positive().max(1000) }).strict(),
    output: z.object({ cart: cartSchema }),
  }),
};
