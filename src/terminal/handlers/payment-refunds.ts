/**
 * Refunds to payment-code tenders through their provider, idempotent across
 * retries and crashes. The planned refund (the whole RefundCompleted to be,
 * with its overrides) is journaled as PaymentRefundStarted before anything is
 * sent; each payment-code tender of it gets a provider refund number derived
 * from that entry's seq (WeChat out_refund_no, Alipay out_request_no). The
 * provider refund is then asked for with collectRefund (src/core/payment.ts):
 * asking again with the same number can never pay back twice. Only when every
 * provider refund went through is RefundCompleted journaled, together with
 * PaymentRefundSettled, in one transaction. A refund the provider declines
 * before any money moved is settled 'declined' and nothing else is written; if
 * a later one of several is declined after an earlier one paid back, the
 * declined part is paid in cash (the drawer opens) so the customer still gets
 * all of it. An unknown answer leaves the refund open: the next try of the same
 * return, the next open of the till, or `till payments` asks again with the
 * same numbers.
 */
import type { RefundTender } from '../../shared/contract/refund';
import type { PaymentReason } from '../../shared/payment-reasons';
import { collectRefund, type PaymentProvider } from '../../core/payment';
import type { RefundRecord } from '../../core/refund';
import type { JournalEntry } from '../../shared/journal';
import type { Ledger } from '../../ledger/index';
import { DRAWER_OPENED, REFUND_COMPLETED, appendOverrides, type DrawerOpenedPayload } from '../projections/operations';
import {
  openRefunds,
  PAYMENT_REFUND_SETTLED,
  PAYMENT_REFUND_STARTED,
  refundNumber,
  type PaymentRefundSettledPayload,
  type PaymentRefundStartedPayload,
  type ProviderRefund,
} from '../projections/payments';
import type { Call } from './call';

export interface ProviderRefundDeps {
  ledger: Ledger;
  payments: PaymentProvider;
  sleep: (ms: number) => Promise<void>;
}

export type ProviderRefundOutcome =
  | { kind: 'completed'; record: RefundRecord; entry: JournalEntry }
  | { kind: 'declined'; reason: PaymentReason; message: string }
  | { kind: 'unknown'; refundNo: string };

/** RefundCompleted and, when cash is paid back, the drawer opening: inside the caller's transaction */
export function appendRefundCompleted(ledger: Ledger, record: RefundRecord): JournalEntry {
  const e = ledger.append(REFUND_COMPLETED, record);
  if (record.tenders.some((t) => t.kind === 'cash')) {
    const drawer: DrawerOpenedPayload = { cause: 'refund', ref: record.refundId, shiftId: record.shiftId, cashier: record.cashier.code, approvedBy: record.approvedBy, reason: record.reason };
    ledger.append(DRAWER_OPENED, drawer);
  }
  return e;
}

/** journals the planned refund and its overrides; returns what was journaled, with each provider refund's number */
export function startProviderRefund(ledger: Ledger, call: Call, record: RefundRecord, totals: ReadonlyMap<string, number>, detail: string): PaymentRefundStartedPayload {
  return ledger.transaction(() => {
    record.approvedBy = appendOverrides(ledger, call.granted, record.refundId, detail);
    const seq = ledger.head().seq + 1;
    const refunds: ProviderRefund[] = record.tenders
      .filter((t): t is RefundTender & { reference: string; provider: NonNullable<RefundTender['provider']> } => t.kind === 'payment-code' && t.reference !== null && t.provider !== null)
      .map((t, i) => ({ refundNo: refundNumber(ledger.identity, seq, i), orderNo: t.reference, provider: t.provider, amount: t.amount, total: totals.get(t.reference) ?? t.amount }));
    const payload: PaymentRefundStartedPayload = { refundId: record.refundId, saleSeq: record.sale?.seq ?? null, refunds, record };
    ledger.append(PAYMENT_REFUND_STARTED, payload);
    return payload;
  });
}

/** asks the provider for every refund of `started` and settles the journal; see the header */
export async function finishProviderRefund(d: ProviderRefundDeps, started: PaymentRefundStartedPayload, by: 'sale' | 'recovery'): Promise<ProviderRefundOutcome> {
  const results: PaymentRefundSettledPayload['refunds'] = [];
  for (const r of started.refunds) {
    const outcome = await collectRefund(
      d.payments,
      { refundId: r.refundNo, orderId: r.orderNo, provider: r.provider, amount: r.amount, total: r.total, reason: started.record.reason },
      { now: () => performance.now(), sleep: d.sleep },
    );
    if (outcome.kind === 'unknown') return { kind: 'unknown', refundNo: r.refundNo };
    if (outcome.kind === 'declined' && !results.some((x) => x.outcome === 'refunded')) {
      const settled: PaymentRefundSettledPayload = {
        refundId: started.refundId,
        outcome: 'declined',
        refunds: [...results, { refundNo: r.refundNo, outcome: 'declined', reference: null, reason: outcome.reason }],
        by,
      };
      d.ledger.append(PAYMENT_REFUND_SETTLED, settled);
      return { kind: 'declined', reason: outcome.reason, message: outcome.message };
    }
    results.push(
      outcome.kind === 'refunded'
        ? { refundNo: r.refundNo, outcome: 'refunded', reference: outcome.reference, reason: null }
        : { refundNo: r.refundNo, outcome: 'declined', reference: null, reason: outcome.reason },
    );
  }
  const record = withCashForDeclined(started, results);
  const entry = d.ledger.transaction(() => {
    d.ledger.append(PAYMENT_REFUND_SETTLED, { refundId: started.refundId, outcome: 'refunded', refunds: results, by } satisfies PaymentRefundSettledPayload);
    return appendRefundCompleted(d.ledger, record);
  });
  return { kind: 'completed', record, entry };
}

/** the record to commit: a provider refund declined after another went through is paid in cash instead */
function withCashForDeclined(started: PaymentRefundStartedPayload, results: PaymentRefundSettledPayload['refunds']): RefundRecord {
  const declined = started.refunds.filter((r) => results.some((x) => x.refundNo === r.refundNo && x.outcome === 'declined'));
  if (!declined.length) return started.record;
  const tenders: RefundTender[] = [];
  let cash = 0;
  for (const t of started.record.tenders) {
    const d = declined.find((r) => t.kind === 'payment-code' && r.orderNo === t.reference);
    if (d) cash += t.amount;
    else if (t.kind === 'cash') cash += t.amount;
    else tenders.push(t);
  }
  tenders.push({ kind: 'cash', provider: null, amount: cash, reference: null });
  return { ...started.record, tenders };
}

export interface RefundRecovery {
  completed: Array<{ refundId: string; refundNo: string }>;
  declined: string[];
  open: string[];
}

/** settles every provider refund the journal still has open (on open, and from `till payments`) */
export async function recoverRefunds(d: ProviderRefundDeps): Promise<RefundRecovery> {
  const report: RefundRecovery = { completed: [], declined: [], open: [] };
  for (const started of openRefunds(d.ledger.db)) {
    let r: ProviderRefundOutcome;
    try {
      r = await finishProviderRefund(d, started, 'recovery');
    } catch {
      report.open.push(started.refundId);
      continue;
    }
    if (r.kind === 'completed') report.completed.push({ refundId: started.refundId, refundNo: d.ledger.receiptNumber(r.entry.seq) });
    else if (r.kind === 'declined') report.declined.push(started.refundId);
    else report.open.push(started.refundId);
  }
  return report;
}
