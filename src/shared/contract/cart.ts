/**
 * Cart calls and the cart as every one of them returns it. Invariants the
 * core keeps (and the tests check): gross - savings + rounding = total;
 * paid - change = total once complete; every amount an integer (fen).
 * Quantities are counts, or grams for weighed lines.
 */
import { z } from 'zod';
import { method } from './define';
import { plainText } from './text';
import { fen, skuSchema, pluSchema, vatRateSchema } from './catalog';

export const discountSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('amount'), amount: fen.min(1) }),
  /** basis points of what it applies to: 1000 = 10 % off */
  z.object({ kind: z.literal('percent'), basisPoints: z.number().int().min(1).max(10000) }),
]);
export type Discount = z.infer<typeof discountSchema>;

export const paymentProviderNameSchema = z.enum(['wechat', 'alipay', 'unionpay']);
export type PaymentProviderName = z.infer<typeof paymentProviderNameSchema>;

export const cartLineSchema = z.object({
  lineNo: z.number().int().positive(),
  sku: z.string(),
  name: z.string(),
  unit: z.string(),
  category: z.string(),
  barcode: z.string().nullable(),
  weighed: z.boolean(),
  /** a count, or grams for a weighed line */
  qty: z.number().int().positive(),
  /** price per unit (per kg when weighed) before any saving: catalog price or the override */
  unitPrice: fen,
  /** the amount printed on a price-embedded label, which is charged as is */
  labelAmount: fen.nullable(),
  priceOverride: fen.nullable(),
  discount: discountSchema.nullable(),
  /** unitPrice x qty (or the label amount) */
  gross: fen,
  /** promotions, member price and discounts allocated to this line */
  savings: fen,
  net: fen,
  vatRate: vatRateSchema,
  /** VAT inside net, half-up */
  tax: fen,
  voided: z.boolean(),
});
export type CartLine = z.infer<typeof cartLineSchema>;

/** one saving as its own receipt line */
export const savingSchema = z.object({
  kind: z.enum(['promotion', 'member-price', 'line-discount', 'cart-discount']),
  /** promotion id, or 'member' / 'discount' */
  ref: z.string(),
  name: z.string(),
  amount: fen,
  lineNos: z.array(z.number().int().positive()),
});
export type Saving = z.infer<typeof savingSchema>;

export const taxRowSchema = z.object({ vatRate: vatRateSchema, net: fen, tax: fen });
export type TaxRow = z.infer<typeof taxRowSchema>;

export const tenderSchema = z.object({
  tenderNo: z.number().int().positive(),
  kind: z.enum(['cash', 'card', 'payment-code']),
  /** what this tender pays of the sale */
  amount: fen,
  /** cash handed over (>= amount); equals amount for other kinds */
  tendered: fen,
  change: fen,
  /** external card terminal reference, or the provider's order id; never a card number */
  reference: z.string().nullable(),
  provider: paymentProviderNameSchema.nullable(),
});
export type Tender = z.infer<typeof tenderSchema>;

export const cartSchema = z.object({
  cartId: z.string(),
  member: z.object({ code: z.string(), name: z.string() }).nullable(),
  lines: z.array(cartLineSchema),
  cartDiscount: discountSchema.nullable(),
  savings: z.array(savingSchema),
  taxes: z.array(taxRowSchema),
  tenders: z.array(tenderSchema),
  totals: z.object({
    /** sum of the gross of the lines not voided */
    gross: fen,
    savings: fen,
    /** 抹零: negative when rounded down, positive when rounded half-up */
    rounding: z.number().int().min(-99).max(99),
    total: fen,
    paid: fen,
    remaining: fen,
    change: fen,
    items: z.number().int().min(0),
  }),
  /** suggested cash amounts for the remaining amount (exact first) */
  quickCash: z.array(fen),
});
export type CartView = z.infer<typeof cartSchema>;

const lineNo = z.number().int().positive().max(100_000);
/** a count (1-9999) or, for weighed goods, grams (1-99999) */
const qty = z.number().int().positive().max(99_999);

export const heldCartSchema = z.object({
  heldId: z.string(),
  at: z.string(),
  note: z.string(),
  items: z.number().int(),
  total: fen,
  cashier: z.string(),
});

export const cartMethods = {
  'cart.get': method({
    summary: 'the open cart (restored after a restart)',
    access: 'cart.sell',
    input: z.object({}).strict(),
    output: cartSchema,
  }),
  'cart.scan': method({
    summary: 'a scanned code: adds the product (GTIN, UPC-E, price/weight label, scale label), or recognises a payment code',
    access: 'cart.sell',
    input: z.object({ code: plainText(z.string().min(1).max(64)) }).strict(),
    output: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('item'), lineNo: z.number().int(), cart: cartSchema }),
      z.object({ kind: z.literal('payment-code'), provider: paymentProviderNameSchema, code: z.string() }),
    ]),
  }),
  'cart.addPlu': method({
    summary: 'add by PLU from the keypad (grams required for weighed goods)',
    access: 'cart.sell',
    input: z.object({ plu: pluSchema, qty: qty.optional() }).strict(),
    output: z.object({ lineNo: z.number().int(), cart: cartSchema }),
  }),
  'cart.addProduct': method({
    summary: 'add a product picked from search (grams required for weighed goods)',
    access: 'cart.sell',
    input: z.object({ sku: skuSchema, qty: qty.optional() }).strict(),
    output: z.object({ lineNo: z.number().int(), cart: cartSchema }),
  }),
  'cart.setQty': method({
    summary: 'change the quantity (grams for weighed) of a line',
    access: 'cart.sell',
    input: z.object({ lineNo, qty }).strict(),
    output: cartSchema,
  }),
  'cart.voidLine': method({
    summary: 'void a line (kept, struck through, for loss prevention)',
    access: 'cart.sell',
    input: z.object({ lineNo }).strict(),
    output: cartSchema,
  }),
  'cart.discountLine': method({
    summary: 'discount one line by amount or percent (null removes); over the role limit needs an override',
    access: 'cart.discount',
    input: z.object({ lineNo, discount: discountSchema.nullable() }).strict(),
    output: cartSchema,
  }),
  'cart.discountCart': method({
    summary: 'discount the whole cart by amount or percent (null removes); over the role limit needs an override',
    access: 'cart.discount',
    input: z.object({ discount: discountSchema.nullable() }).strict(),
    output: cartSchema,
  }),
  'cart.overridePrice': method({
    summary: 'set a line unit price by hand (null restores the catalog price); needs a supervisor',
    access: 'cart.price-override',
    input: z.object({ lineNo, unitPrice: fen.nullable() }).strict(),
    output: cartSchema,
  }),
  'cart.setMember': method({
    summary: 'identify a member (member prices and members-only promotions apply); null clears',
    access: 'cart.sell',
    input: z.object({ memberCode: plainText(z.string().min(1).max(24)).nullable() }).strict(),
    output: cartSchema,
  }),
  'cart.hold': method({
    summary: '挂单: park the open cart and start an empty one',
    access: 'cart.sell',
    input: z.object({ note: plainText(z.string().max(40)).default('') }).strict(),
    output: z.object({ heldId: z.string(), cart: cartSchema }),
  }),
  'cart.listHeld': method({
    summary: 'the parked carts, oldest first',
    access: 'cart.sell',
    input: z.object({}).strict(),
    output: z.object({ held: z.array(heldCartSchema) }),
  }),
  'cart.recall': method({
    summary: '取单: bring a parked cart back (the open cart must be empty)',
    access: 'cart.sell',
    input: z.object({ heldId: plainText(z.string().min(1).max(40)) }).strict(),
    output: cartSchema,
  }),
};
