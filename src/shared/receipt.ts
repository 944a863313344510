/**
 * The device-neutral receipt document. src/core builds it from a committed
 * sale; drivers/escpos renders it for a 32- or 48-column printer; the renderer
 * shows it on screen. Amounts are already formatted text here: the document
 * is what the customer reads, not what the ledger stores.
 */
import { z } from 'zod';

const align = z.enum(['left', 'center', 'right']);
const size = z.enum(['normal', 'double', 'tall', 'wide']);

export const receiptBlockSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('logo') }),
  z.object({ kind: z.literal('text'), text: z.string(), align: align.optional(), bold: z.boolean().optional(), size: size.optional() }),
  /** label on the left, value flush right (totals, tenders, change) */
  z.object({ kind: z.literal('pair'), left: z.string(), right: z.string(), bold: z.boolean().optional(), size: size.optional() }),
  /**
   * a table row; widths are relative weights of the line width (CJK characters
   * count as two columns); a cell that does not fit wraps in its column
   */
  z.object({
    kind: z.literal('row'),
    cells: z.array(z.object({ text: z.string(), width: z.number().int().positive(), align: align.optional() })).min(1),
    bold: z.boolean().optional(),
  }),
  z.object({ kind: z.literal('rule'), char: z.enum(['-', '=', '*']).optional() }),
  z.object({ kind: z.literal('qr'), data: z.string().min(1).max(512), size: z.number().int().min(1).max(16).optional() }),
  z.object({ kind: z.literal('barcode'), data: z.string().min(1).max(64), symbology: z.literal('CODE128') }),
  z.object({ kind: z.literal('feed'), lines: z.number().int().min(1).max(10) }),
]);
export type ReceiptBlock = z.infer<typeof receiptBlockSchema>;

export const receiptDocumentSchema = z.object({
  receiptNo: z.string(),
  /** 'sale' | 'refund' | 'void' | 'report' | 'test' */
  kind: z.enum(['sale', 'refund', 'void', 'report', 'test']),
  blocks: z.array(receiptBlockSchema),
  /** kick the drawer after printing (cash taken or given) */
  openDrawer: z.boolean(),
  /** a reprint says so on paper */
  copy: z.boolean().optional(),
});
export type ReceiptDocument = z.infer<typeof receiptDocumentSchema>;
