/**
 * Journal entry types of payment codes and their projections
 * (payment_orders, payment_refunds; migrations/terminal/0060_payments.sql).
 *
 * Crash safety rests on one order: PaymentStarted is committed (WAL,
 * synchronous=FULL) before the provider hears of the order, and the merchant
 * order number is derived from that entry's seq (store, terminal, seq), so
 * after a kill -9 at any later step the till knows which order to ask about,
 * and a restart can never send a second order for the same payment. The
 * outcome is journaled as PaymentSettled: approved (a tender of the sale, in
 * the same transaction as the cart or the sale), declined, or revoked
 * (cancelled or reversed: nothing charged). Refunds do the same with
 * PaymentRefundStarted (the whole planned refund, its overrides journaled with
 * it) and PaymentRefundSettled, whose 'refunded' outcome is committed together
 * with the RefundCompleted it finishes. Secrets never appear here: no payment
 * code, no key; only order numbers, amounts and the provider's references.
 */
import type { PaymentProviderName } from '../../shared/contract/cart';
import {
  readJournalPayload,
  type JournalEventType,
  type PaymentRefundSettledPayload,
  type PaymentRefundStartedPayload,
  type PaymentSettledPayload,
  type PaymentSettlement,
  type PaymentStartedPayload,
  type ProviderRefund,
} from '../../shared/journal-events';
import type { Ledger, LedgerIdentity, ReadableDb } from '../../ledger/index';

export const PAYMENT_STARTED = 'PaymentStarted' satisfies JournalEventType;
export const PAYMENT_SETTLED = 'PaymentSettled' satisfies JournalEventType;
export const PAYMENT_REFUND_STARTED = 'PaymentRefundStarted' satisfies JournalEventType;
export const PAYMENT_REFUND_SETTLED = 'PaymentRefundSettled' satisfies JournalEventType;

export type { PaymentStartedPayload, PaymentSettledPayload, PaymentSettlement, ProviderRefund, PaymentRefundStartedPayload, PaymentRefundSettledPayload };

/** the merchant order number of the payment journaled at `seq`: at most 32 characters ([A-Za-z0-9-]), as WeChat Pay allows */
export function orderNumber(id: LedgerIdentity, seq: number): string {
  const no = `${id.store}-${id.terminal}-${seq.toString(36).toUpperCase()}`;
  if (no.length > 32) throw new Error(`order number ${no} is longer than 32 characters`);
  return no;
}

/** the provider refund number of the i-th payment-code tender of the refund journaled at `seq` (out_refund_no, out_request_no: up to 64) */
export function refundNumber(id: LedgerIdentity, seq: number, i: number): string {
  return `${id.store}-${id.terminal}-R${seq.toString(36).toUpperCase()}-${i + 1}`;
}

export interface OpenOrder {
  orderNo: string;
  provider: PaymentProviderName;
  amount: number;
  cartId: string;
}

export function openOrders(db: ReadableDb): OpenOrder[] {
  return db.prepare("SELECT order_no AS orderNo, provider, amount, cart_id AS cartId FROM payment_orders WHERE state = 'open' ORDER BY seq").all() as OpenOrder[];
}

/** the open provider refunds, one per refund of the till, each with what was journaled when it started */
export function openRefunds(db: ReadableDb, saleSeq?: number): PaymentRefundStartedPayload[] {
  const rows = db
    .prepare(
      `SELECT DISTINCT j.payload FROM payment_refunds r JOIN journal j ON j.seq = r.seq
       WHERE r.state = 'open' ${saleSeq === undefined ? '' : 'AND r.sale_seq = ?'} ORDER BY r.seq`,
    )
    .pluck()
    .all(...(saleSeq === undefined ? [] : [saleSeq])) as string[];
  return rows.map((p) => readJournalPayload(PAYMENT_REFUND_STARTED, p));
}

export function registerPaymentProjectors(ledger: Ledger): void {
  ledger.declareProjectionTables('payment_orders', 'payment_refunds');
  ledger.registerProjector(PAYMENT_STARTED, (db, e, p) => {
    db.prepare("INSERT INTO payment_orders (order_no, seq, provider, amount, cart_id, started_at, state) VALUES (?, ?, ?, ?, ?, ?, 'open')").run(p.orderNo, e.seq, p.provider, p.amount, p.cartId, e.at);
  });
  ledger.registerProjector(PAYMENT_SETTLED, (db, e, p) => {
    // an order of a cart from before PaymentStarted existed has no row yet: it gets one here
    db.prepare(
      `INSERT INTO payment_orders (order_no, seq, provider, amount, cart_id, started_at, state, reference, paid_at, reason, settled_seq, settled_at)
       VALUES (@orderNo, @seq, @provider, @amount, '', @at, @outcome, @reference, @paidAt, @reason, @seq, @at)
       ON CONFLICT (order_no) DO UPDATE SET state = excluded.state, reference = excluded.reference, paid_at = excluded.paid_at,
         reason = excluded.reason, settled_seq = excluded.settled_seq, settled_at = excluded.settled_at`,
    ).run({ orderNo: p.orderNo, seq: e.seq, provider: p.provider, amount: p.amount, at: e.at, outcome: p.outcome, reference: p.reference, paidAt: p.paidAt, reason: p.reason });
  });
  ledger.registerProjector(PAYMENT_REFUND_STARTED, (db, e, p) => {
    const ins = db.prepare(
      "INSERT INTO payment_refunds (refund_no, refund_id, order_no, provider, amount, total, sale_seq, seq, started_at, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')",
    );
    for (const r of p.refunds) ins.run(r.refundNo, p.refundId, r.orderNo, r.provider, r.amount, r.total, p.saleSeq, e.seq, e.at);
  });
  ledger.registerProjector(PAYMENT_REFUND_SETTLED, (db, e, p) => {
    const upd = db.prepare('UPDATE payment_refunds SET state = ?, reference = ?, reason = ?, settled_seq = ?, settled_at = ? WHERE refund_no = ?');
    for (const r of p.refunds) upd.run(r.outcome, r.reference, r.reason, e.seq, e.at, r.refundNo);
  });
}
