/**
 * Returns and refunds. The original sale is found by its receipt barcode
 * (the receipt number), its QR content (till:receipt:<number>) or the number
 * typed in. What a line can still pay back is its share of what the customer
 * actually paid (after promotions, discounts and rounding), pro rata by
 * quantity, less what earlier returns of it already paid back.
 */
import { z } from 'zod';
import { method } from './define';
import { plainText } from './text';
import { fen, skuSchema } from './catalog';
import { paymentProviderNameSchema } from './cart';
import { receiptDocumentSchema } from '../receipt';

const receiptCode = plainText(z.string().trim().min(1).max(128));

export const returnableLineSchema = z.object({
  lineNo: z.number().int().positive(),
  sku: z.string(),
  name: z.string(),
  weighed: z.boolean(),
  qty: z.number().int().positive(),
  returnedQty: z.number().int().min(0),
  /** what the customer paid for the whole line */
  paid: fen,
  /** what returning the rest of the line would pay back */
  refundable: fen,
});

export const refundTenderSchema = z.object({
  kind: z.enum(['cash', 'card', 'payment-code']),
  provider: paymentProviderNameSchema.nullable(),
  amount: fen,
  /** card: the external terminal's refund reference; payment code: the original order */
  reference: z.string().nullable(),
});
export type RefundTender = z.infer<typeof refundTenderSchema>;

const returnLinesSchema = z
  .array(z.object({ lineNo: z.number().int().positive(), qty: z.number().int().positive().optional() }).strict())
  .min(1)
  .max(500);
const eachLineOnce = (v: { lines: ReadonlyArray<{ lineNo: number }> }): boolean => new Set(v.lines.map((l) => l.lineNo)).size === v.lines.length;

export const refundQuoteSchema = z.object({
  lines: z.array(z.object({ lineNo: z.number().int().positive(), qty: z.number().int().positive(), amount: fen })),
  amount: fen,
  /** where it would go back (a card's reference is entered when the refund is made) */
  tenders: z.array(refundTenderSchema),
});
export type RefundQuote = z.infer<typeof refundQuoteSchema>;

export const refundResultSchema = z.object({
  refundId: z.string(),
  refundNo: z.string(),
  seq: z.number().int(),
  amount: fen,
  tenders: z.array(refundTenderSchema),
  receipt: receiptDocumentSchema,
});
export type RefundResult = z.infer<typeof refundResultSchema>;

export const refundMethods = {
  'refund.lookup': method({
    summary: 'find a sale by receipt barcode, QR or number, with what each line can still pay back',
    access: 'sale.read',
    input: z.object({ code: receiptCode }).strict(),
    output: z.object({
      receiptNo: z.string(),
      saleId: z.string(),
      at: z.string(),
      cashier: z.string(),
      total: fen,
      refunded: fen,
      lines: z.array(returnableLineSchema),
    }),
  }),
  'refund.quote': method({
    summary: 'what returning these lines of a receipt would pay back, per line and in all, and to which tenders; writes nothing',
    access: 'sale.read',
    input: z.object({ code: receiptCode, lines: returnLinesSchema }).strict().refine(eachLineOnce, 'each line once'),
    output: refundQuoteSchema,
  }),
  'refund.receipt': method({
    summary: 'return some or all lines of a receipt: pays back to the original tenders (or cash, by store policy)',
    access: 'refund.receipt',
    input: z
      .object({
        code: receiptCode,
        /** qty omitted = the rest of the line */
        lines: returnLinesSchema,
        reason: plainText(z.string().trim().min(1).max(80)),
        /** the external card terminal's refund reference, when a card is paid back */
        cardReference: z.string().min(4).max(40).regex(/^[0-9A-Za-z][0-9A-Za-z .\/_-]*$/).optional(),
      })
      .strict()
      .refine(eachLineOnce, 'each line once'),
    output: refundResultSchema,
  }),
  'refund.noReceipt': method({
    summary: "a return without a receipt: at today's catalog price, in cash, up to the store's limit",
    access: 'refund.no-receipt',
    input: z
      .object({
        items: z.array(z.object({ sku: skuSchema, qty: z.number().int().positive().max(9999) }).strict()).min(1).max(50),
        reason: plainText(z.string().trim().min(1).max(80)),
      })
      .strict(),
    output: refundResultSchema,
  }),
};
