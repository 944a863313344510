/**
 * The journal's event types and what each entry carries: one map from entry
 * type to the zod schema of its payload. The ledger checks a payload against
 * it when appending (a writer's mistake is refused before anything is
 * written) and parses it when reading (projectors, rebuilds, device slips,
 * receipt lookups), so no reader casts a payload. Types outside the map (the
 * ledger's own tests) are any JSON; the Genesis entry has its own schema in
 * journal.ts, because only the ledger writes it.
 *
 * The schemas describe what the terminal has written since its first
 * release; a change to one must still accept every entry already in a
 * ledger (entries are never rewritten), so fields are only ever added as
 * optional. The record types of src/core (SaleRecord, RefundRecord,
 * CartState, OverrideRecord) are these schemas' types, so the two cannot
 * drift apart.
 */
import { z } from 'zod';
import { cartLineSchema, cartSchema, discountSchema, paymentProviderNameSchema, savingSchema, taxRowSchema, tenderSchema } from './contract/cart';
import { catalogUserSchema, fen, memberSchema, productSchema, promotionSchema, storePaymentsSchema, storeSettingsSchema, vatRateSchema } from './contract/catalog';
import { operationsSettingsSchema } from './contract/operations';
import { refundTenderSchema } from './contract/refund';
import { reportSchema } from './contract/report';
import { countSchema } from './contract/shift';
import { TillError } from './errors';
import { PAYMENT_REASONS } from './payment-reasons';

const int = z.number().int();
const person = z.object({ code: z.string(), name: z.string() });
export type Person = z.infer<typeof person>;

/** a supervisor's approval of one action, journaled with what it approved */
export const overrideRecordSchema = z.object({ action: z.string(), cashier: z.string(), approvedBy: z.string(), at: z.string(), detail: z.string() });
export type OverrideRecord = z.infer<typeof overrideRecordSchema>;

/** a cart line as the open cart keeps it: the prices captured when it was scanned */
export const lineStateSchema = z.object({
  lineNo: int,
  sku: z.string(),
  name: z.string(),
  unit: z.string(),
  category: z.string(),
  barcode: z.string().nullable(),
  weighed: z.boolean(),
  /** count, or grams when weighed */
  qty: int,
  /** catalog price at scan time (per kg when weighed) */
  price: int,
  memberPrice: int.nullable(),
  vatRate: vatRateSchema,
  labelAmount: int.nullable(),
  priceOverride: int.nullable(),
  discount: discountSchema.nullable(),
  voided: z.boolean(),
});
export type LineState = z.infer<typeof lineStateSchema>;

/** the open cart: what the cashier did; what it costs is recomputed from it */
export const cartStateSchema = z.object({
  cartId: z.string(),
  openedAt: z.string(),
  cashier: person,
  member: person.nullable(),
  lines: z.array(lineStateSchema),
  cartDiscount: discountSchema.nullable(),
  tenders: z.array(tenderSchema),
  nextLineNo: int,
  overrides: z.array(overrideRecordSchema),
  /** a payment-code order sent to the provider and not yet answered (resolved after a crash) */
  pendingPayment: z.object({ orderId: z.string(), provider: paymentProviderNameSchema, amount: int }).nullable(),
});
export type CartState = z.infer<typeof cartStateSchema>;

/** a completed sale as journaled (SaleCompleted) */
export const saleRecordSchema = z.object({
  saleId: z.string(),
  openedAt: z.string(),
  cashier: person,
  member: person.nullable(),
  lines: z.array(cartLineSchema),
  savings: z.array(savingSchema),
  taxes: z.array(taxRowSchema),
  tenders: z.array(tenderSchema),
  totals: cartSchema.shape.totals,
  overrides: z.array(overrideRecordSchema),
});
export type SaleRecord = z.infer<typeof saleRecordSchema>;

export const refundLineSchema = z.object({
  /** the original line, or null for a return without a receipt */
  lineNo: int.nullable(),
  sku: z.string(),
  name: z.string(),
  category: z.string(),
  qty: int,
  amount: int,
  vatRate: vatRateSchema,
  tax: int,
});
export type RefundLine = z.infer<typeof refundLineSchema>;

/** a refund as journaled (RefundCompleted) */
export const refundRecordSchema = z.object({
  refundId: z.string(),
  sale: z.object({ seq: int, receiptNo: z.string(), saleId: z.string() }).nullable(),
  shiftId: z.string().nullable(),
  cashier: person,
  approvedBy: z.string().nullable(),
  reason: z.string(),
  lines: z.array(refundLineSchema),
  tenders: z.array(refundTenderSchema),
  amount: int,
});
export type RefundRecord = z.infer<typeof refundRecordSchema>;

/** what one CatalogImported / CatalogApplied entry carries */
export const catalogChangeSchema = z.object({
  /** the catalog version after this change */
  version: int,
  products: z.array(productSchema),
  deactivate: z.array(z.string()),
  promotions: z.array(promotionSchema),
  removePromotions: z.array(z.string()),
  members: z.array(memberSchema),
  users: z.array(catalogUserSchema),
  settings: storeSettingsSchema.nullable(),
  /** each store's payment codes from the hub (entries from before them have none) */
  payments: z.array(storePaymentsSchema).optional(),
});
export type CatalogChange = z.infer<typeof catalogChangeSchema>;

/** a payment-code order journaled before the provider hears of it (its number derives from this entry's seq) */
export const paymentStartedSchema = z.object({ orderNo: z.string(), provider: paymentProviderNameSchema, amount: int, cartId: z.string(), cashier: z.string() });
export type PaymentStartedPayload = z.infer<typeof paymentStartedSchema>;

export const paymentSettlementSchema = z.enum(['approved', 'declined', 'revoked']);
export type PaymentSettlement = z.infer<typeof paymentSettlementSchema>;

/** what became of an order: approved (a tender), declined, or revoked (cancelled or reversed: nothing charged) */
export const paymentSettledSchema = z.object({
  orderNo: z.string(),
  provider: paymentProviderNameSchema,
  amount: int,
  outcome: paymentSettlementSchema,
  /** the provider's transaction number, when it charged */
  reference: z.string().nullable(),
  paidAt: z.string().nullable(),
  reason: z.enum(PAYMENT_REASONS).nullable(),
  /** 'sale': while the cashier waited; 'recovery': on open or before a later payment */
  by: z.enum(['sale', 'recovery']),
});
export type PaymentSettledPayload = z.infer<typeof paymentSettledSchema>;

export const providerRefundSchema = z.object({ refundNo: z.string(), orderNo: z.string(), provider: paymentProviderNameSchema, amount: int, total: int });
export type ProviderRefund = z.infer<typeof providerRefundSchema>;

/** a refund to payment-code tenders, journaled (with the RefundCompleted it becomes) before anything is sent */
export const paymentRefundStartedSchema = z.object({ refundId: z.string(), saleSeq: int.nullable(), refunds: z.array(providerRefundSchema), record: refundRecordSchema });
export type PaymentRefundStartedPayload = z.infer<typeof paymentRefundStartedSchema>;

export const paymentRefundSettledSchema = z.object({
  refundId: z.string(),
  outcome: z.enum(['refunded', 'declined']),
  refunds: z.array(z.object({ refundNo: z.string(), outcome: z.enum(['refunded', 'declined']), reference: z.string().nullable(), reason: z.enum(PAYMENT_REASONS).nullable() })),
  by: z.enum(['sale', 'recovery']),
});
export type PaymentRefundSettledPayload = z.infer<typeof paymentRefundSettledSchema>;

export const drawerCauseSchema = z.enum(['refund', 'paid-in', 'paid-out', 'no-sale', 'shift-open', 'shift-close']);
export type DrawerCause = z.infer<typeof drawerCauseSchema>;

/** a member's opening balances from the old system (till import-members), taken once */
export const memberOpeningSchema = z.object({
  code: z.string(),
  /** the old system's level as it named it (金卡, VIP2, ...) */
  level: z.string().nullable(),
  points: int.min(0),
  /** stored value (储值) in fen */
  balance: fen,
  phone: z.string().nullable(),
});
export type MemberOpening = z.infer<typeof memberOpeningSchema>;

/** entry type -> the schema of its payload */
export const journalEvents = {
  // selling
  SaleCompleted: saleRecordSchema,
  SaleVoided: z.object({ sale: saleRecordSchema, reason: z.string(), cashier: z.string(), approvedBy: z.string().nullable() }),
  CartHeld: z.object({ heldId: z.string(), note: z.string(), cashier: z.string(), items: int, total: int, state: cartStateSchema }),
  CartRecalled: z.object({ heldId: z.string(), cashier: z.string() }),
  OverrideGranted: overrideRecordSchema.extend({ cartId: z.string() }),
  // catalog and users
  CatalogImported: catalogChangeSchema,
  CatalogApplied: catalogChangeSchema,
  UserSaved: catalogUserSchema,
  UserUnlocked: z.object({ code: z.string(), by: z.string() }),
  /** migration day: members' opening balances, from the export named in source */
  MemberOpeningBalances: z.object({ source: z.string(), members: z.array(memberOpeningSchema) }),
  // store operations
  OperationsSettingsSaved: operationsSettingsSchema,
  ShiftOpened: z.object({ shiftId: z.string(), cashier: person, count: countSchema, float: int }),
  ShiftClosed: z.object({ shiftId: z.string(), cashier: person, count: countSchema, counted: int, expected: int, variance: int, approvedBy: z.string().nullable() }),
  /** a blind count off by more than the threshold, submitted without a supervisor: kept on record, the shift stays open */
  ShiftCountRejected: z.object({ shiftId: z.string(), cashier: person, count: countSchema, counted: int }),
  CashMoved: z.object({ shiftId: z.string(), kind: z.enum(['paid-in', 'paid-out']), amount: fen, reason: z.string(), cashier: z.string(), approvedBy: z.string().nullable() }),
  DrawerOpened: z.object({
    cause: drawerCauseSchema,
    /** what caused it: shift id, refund id, ... (null for a no-sale) */
    ref: z.string().nullable(),
    shiftId: z.string().nullable(),
    cashier: z.string(),
    approvedBy: z.string().nullable(),
    reason: z.string().nullable(),
  }),
  RefundCompleted: refundRecordSchema,
  DayClosed: z.object({ businessDay: z.string(), closedBy: z.string(), approvedBy: z.string().nullable(), report: reportSchema }),
  CashierSwitched: z.object({ from: person, to: person, shiftId: z.string().nullable() }),
  // payment codes (src/terminal/projections/payments.ts)
  PaymentStarted: paymentStartedSchema,
  PaymentSettled: paymentSettledSchema,
  PaymentRefundStarted: paymentRefundStartedSchema,
  PaymentRefundSettled: paymentRefundSettledSchema,
} as const satisfies Record<string, z.ZodType>;

export type JournalEvents = typeof journalEvents;
export type JournalEventType = keyof JournalEvents;
export type JournalPayload<T extends JournalEventType> = z.output<JournalEvents[T]>;
/** the payload of an entry type: typed for the map's types, any JSON for the rest */
export type PayloadOf<T extends string> = T extends JournalEventType ? JournalPayload<T> : unknown;

export const isJournalEventType = (type: string): type is JournalEventType => Object.hasOwn(journalEvents, type);

function issueText(e: z.ZodError): string {
  const i = e.issues[0];
  if (!i) return 'malformed';
  return `${i.path.length ? i.path.join('.') + ': ' : ''}${i.message}`;
}

/**
 * A parsed JSON payload checked against its type's schema: the typed value,
 * or the first problem. Types outside the map pass as they are.
 */
export function checkJournalPayload<T extends string>(type: T, value: unknown): { ok: true; value: PayloadOf<T> } | { ok: false; issue: string } {
  if (!isJournalEventType(type)) return { ok: true, value: value as PayloadOf<T> };
  const r = (journalEvents[type] as z.ZodType).safeParse(value);
  return r.success ? { ok: true, value: r.data as PayloadOf<T> } : { ok: false, issue: issueText(r.error) };
}

/**
 * Reads a stored entry's payload text as its type's payload; an entry that is
 * not JSON, or does not match its type, is 'ledger-corrupt' (entries are
 * checked when appended, so this means the file was changed).
 */
export function readJournalPayload<T extends string>(type: T, text: string): PayloadOf<T> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new TillError('ledger-corrupt', `a ${type} entry of the journal is not valid JSON`);
  }
  const r = checkJournalPayload(type, value);
  if (!r.ok) throw new TillError('ledger-corrupt', `a ${type} entry of the journal does not have the shape of its type (${r.issue})`);
  return r.value;
}
