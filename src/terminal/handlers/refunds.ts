/**
 * Returns and refunds on one terminal: finds the original sale by its
 * receipt barcode, QR content or number, plans the return with the pure core
 * (src/core/refund.ts), pays back through the original tenders or in cash by
 * policy, and journals RefundCompleted (with the override and the drawer
 * opening) in one transaction. A payment-code tender, whole or in part, is
 * refunded through its provider (./payment-refunds.ts): journaled before it is
 * sent, idempotent by its refund number, and a retry of the same return after
 * an unknown answer finishes the earlier refund instead of paying twice.
 */
import type { Tender } from '../../shared/contract/cart';
import type { RefundResult, RefundTender } from '../../shared/contract/refund';
import { TillError } from '../../shared/errors';
import { formatMinor } from '../../shared/money';
import { readJournalPayload } from '../../shared/journal-events';
import type { PaymentProvider } from '../../core/payment';
import { checkCardReference } from '../../core/tender';
import { appendRefundCompleted, finishProviderRefund, startProviderRefund, type ProviderRefundOutcome } from './payment-refunds';
import { openRefunds } from '../projections/payments';
import { buildRefundReceipt, noReceiptLine, planReturn, returnableLines, splitRefund, type PaidTender, type RefundLine, type RefundRecord } from '../../core/refund';
import type { SaleRecord } from '../../core/sale';
import type { Ledger } from '../../ledger/index';
import type { CatalogReader } from '../projections/catalog';
import type { Call } from './call';
import { providerName } from './selling';
import { appendOverrides } from '../projections/operations';
import { SALE_COMPLETED, receiptSeq } from '../projections/selling';
import { currentShift } from './shifts';
import { readOperations } from './users';
import type { Handlers } from './handler-types';

export interface RefundDeps {
  ledger: Ledger;
  catalog: CatalogReader;
  clock: () => Date;
  newId: () => string;
  payments: PaymentProvider;
  isOnline: () => boolean;
  sleep: (ms: number) => Promise<void>;
}

/** the receipt number in a scanned barcode (the number itself), a QR (till:receipt:<number>) or typed */
export function receiptNoOf(code: string): string {
  const c = code.trim();
  return c.startsWith('till:receipt:') ? c.slice('till:receipt:'.length) : c;
}

interface SaleRow {
  seq: number;
  receiptNo: string;
  at: string;
  cashier: string;
  record: string;
}

function findSale(ledger: Ledger, code: string): { row: SaleRow; sale: SaleRecord } {
  const no = receiptNoOf(code);
  const row = ledger.db.prepare('SELECT s.seq, s.receipt_no AS receiptNo, s.at, s.cashier, j.payload AS record FROM sales s JOIN journal j ON j.seq = s.seq WHERE s.seq = ?').get(receiptSeq(ledger, no) ?? 0) as SaleRow | undefined;
  if (!row) throw new TillError('not-found', `there is no sale ${no} on this terminal: check the receipt (returns are taken at the till that sold)`);
  return { row, sale: readJournalPayload(SALE_COMPLETED, row.record) };
}

function returnedQty(ledger: Ledger, saleSeq: number): Map<number, number> {
  const rows = ledger.db
    .prepare('SELECT l.line_no AS lineNo, sum(l.qty) AS qty FROM refund_lines l JOIN refunds r ON r.seq = l.seq WHERE r.sale_seq = ? GROUP BY l.line_no')
    .all(saleSeq) as Array<{ lineNo: number; qty: number }>;
  return new Map(rows.map((r) => [r.lineNo, r.qty]));
}

/** what earlier refunds gave back through each tender: by kind, filled in tender order (as splitRefund fills them) */
function paidTenders(ledger: Ledger, saleSeq: number, tenders: readonly Tender[]): PaidTender[] {
  const rows = ledger.db
    .prepare('SELECT t.kind, sum(t.amount) AS amount FROM refund_tenders t JOIN refunds r ON r.seq = t.seq WHERE r.sale_seq = ? GROUP BY t.kind')
    .all(saleSeq) as Array<{ kind: string; amount: number }>;
  const left = new Map(rows.map((r) => [r.kind, r.amount]));
  return [...tenders]
    .sort((a, b) => a.tenderNo - b.tenderNo)
    .map((t) => {
      const l = left.get(t.kind) ?? 0;
      const refunded = Math.min(l, t.amount);
      left.set(t.kind, l - refunded);
      return { tender: t, refunded };
    });
}

type RefundMethods = 'refund.lookup' | 'refund.quote' | 'refund.receipt' | 'refund.noReceipt';

interface ReturnPlan {
  row: SaleRow;
  sale: SaleRecord;
  lines: RefundLine[];
  amount: number;
  paid: PaidTender[];
  tenders: RefundTender[];
}

/** what returning these lines would pay back and to which tenders: refund.quote shows it, refund.receipt pays it */
function planReceiptReturn(ledger: Ledger, code: string, wanted: ReadonlyArray<{ lineNo: number; qty?: number | undefined }>): ReturnPlan {
  const { row, sale } = findSale(ledger, code);
  const lines = planReturn(returnableLines(sale.lines, sale.totals.rounding, returnedQty(ledger, row.seq)), wanted);
  const amount = lines.reduce((s, l) => s + l.amount, 0);
  const paid = paidTenders(ledger, row.seq, sale.tenders);
  return { row, sale, lines, amount, paid, tenders: splitRefund(amount, paid, readOperations(ledger.db).refundTo) };
}

export function refundHandlers(d: RefundDeps): Pick<Handlers, RefundMethods> {
  const { ledger } = d;

  /** card tenders get the card terminal's reference; payment-code tenders are checked to be refundable through their provider now */
  function checkPayBack(tenders: RefundTender[], cardReference: string | undefined): RefundTender[] {
    const out = tenders.map((t) => ({ ...t }));
    for (const t of out) {
      if (t.kind === 'card') {
        if (!cardReference) throw new TillError('bad-input', `pay ${formatMinor(t.amount)} back on the card terminal first, then enter its refund reference`);
        checkCardReference(cardReference);
        t.reference = cardReference;
      }
      if (t.kind === 'payment-code') {
        if (t.provider === null || t.reference === null || !d.payments.accepts(t.provider)) {
          throw new TillError('payment-declined', `${providerName(t.provider)} is not set up on this till, so it cannot pay back: pay it back in cash (store setting refundTo = cash)`, { reason: 'provider-not-configured' });
        }
        if (!d.isOnline()) throw new TillError('offline', `the till is offline, so ${providerName(t.provider)} cannot pay back now: try again when online`);
      }
    }
    return out;
  }

  function result(record: RefundRecord, entry: { seq: number; at: string }): RefundResult {
    const refundNo = ledger.receiptNumber(entry.seq);
    const receipt = buildRefundReceipt(record, { refundNo, at: entry.at, terminal: ledger.identity.terminal, settings: d.catalog.settings() });
    return { refundId: record.refundId, refundNo, seq: entry.seq, amount: record.amount, tenders: record.tenders, receipt };
  }

  function refused(r: Exclude<ProviderRefundOutcome, { kind: 'completed' }>, provider: string): never {
    if (r.kind === 'declined') throw new TillError('payment-declined', `${provider} refused the refund: ${r.message}`, { reason: r.reason });
    throw new TillError(
      'payment-timeout',
      `${provider} did not confirm the refund ${r.refundNo} yet; it stays open and is asked again with the same number (never paid twice): try the same return again`,
    );
  }

  function commit(c: Call, record: RefundRecord, what: string): RefundResult {
    const entry = ledger.transaction(() => {
      record.approvedBy = appendOverrides(ledger, c.granted, record.refundId, `${what}, ${formatMinor(record.amount)}`);
      return appendRefundCompleted(ledger, record);
    });
    return result(record, entry);
  }

  const newRecord = (c: Call, sale: RefundRecord['sale'], reason: string, lines: RefundLine[], tenders: RefundTender[]): RefundRecord => ({
    refundId: d.newId(),
    sale,
    shiftId: currentShift(ledger.db)?.shiftId ?? null,
    cashier: { code: c.user.code, name: c.user.name },
    approvedBy: null,
    reason,
    lines,
    tenders,
    amount: lines.reduce((s, l) => s + l.amount, 0),
  });

  return {
    'refund.lookup': (i) => {
      const { row, sale } = findSale(ledger, i.code);
      const lines = returnableLines(sale.lines, sale.totals.rounding, returnedQty(ledger, row.seq));
      return {
        receiptNo: row.receiptNo,
        saleId: sale.saleId,
        at: row.at,
        cashier: row.cashier,
        total: sale.totals.total,
        refunded: lines.reduce((s, l) => s + l.refunded, 0),
        lines: lines.map((l) => ({ lineNo: l.lineNo, sku: l.sku, name: l.name, weighed: l.weighed, qty: l.qty, returnedQty: l.returnedQty, paid: l.paid, refundable: l.refundable })),
      };
    },
    'refund.quote': (i) => {
      const plan = planReceiptReturn(ledger, i.code, i.lines);
      return { lines: plan.lines.map((l) => ({ lineNo: l.lineNo as number, qty: l.qty, amount: l.amount })), amount: plan.amount, tenders: plan.tenders };
    },
    'refund.receipt': async (i, c) => {
      // a refund of this receipt left open (unknown answer, crash) is finished first; when it was this very return, it is the answer
      const { row: sold } = findSale(ledger, i.code);
      for (const started of openRefunds(ledger.db, sold.seq)) {
        const r = await finishProviderRefund(d, started, 'sale');
        if (r.kind !== 'completed') refused(r, providerName(started.refunds[0]?.provider ?? null));
        if (sameReturn(started.record, i.lines)) return result(r.record, r.entry);
      }
      const { row, sale, lines, tenders: planned } = planReceiptReturn(ledger, i.code, i.lines);
      const tenders = checkPayBack(planned, i.cardReference);
      const record = newRecord(c, { seq: row.seq, receiptNo: row.receiptNo, saleId: sale.saleId }, i.reason, lines, tenders);
      const what = `return of ${row.receiptNo}`;
      if (!tenders.some((t) => t.kind === 'payment-code')) return commit(c, record, what);
      const totals = new Map(sale.tenders.filter((t) => t.kind === 'payment-code' && t.reference !== null).map((t) => [t.reference as string, t.amount]));
      const started = startProviderRefund(ledger, c, record, totals, `${what}, ${formatMinor(record.amount)}`);
      const r = await finishProviderRefund(d, started, 'sale');
      if (r.kind !== 'completed') refused(r, providerName(started.refunds[0]?.provider ?? null));
      return result(r.record, r.entry);
    },
    'refund.noReceipt': (i, c) => {
      const limit = readOperations(ledger.db).noReceiptLimit;
      if (limit === 0) throw new TillError('forbidden', 'this store takes no returns without a receipt');
      const lines = i.items.map((it) => {
        const p = d.catalog.bySku(it.sku);
        if (!p) throw new TillError('not-found', `there is no product ${it.sku}`);
        return noReceiptLine(p, it.qty);
      });
      const amount = lines.reduce((s, l) => s + l.amount, 0);
      if (amount > limit) throw new TillError('forbidden', `a return without a receipt may pay back at most ${formatMinor(limit)} (store setting); this one is ${formatMinor(amount)}`);
      const record = newRecord(c, null, i.reason, lines, amount > 0 ? [{ kind: 'cash', provider: null, amount, reference: null }] : []);
      return commit(c, record, 'return without a receipt');
    },
  };
}

/** whether a journaled refund returns exactly these lines (a retry of the same return) */
function sameReturn(record: RefundRecord, wanted: ReadonlyArray<{ lineNo: number; qty?: number | undefined }>): boolean {
  const key = (xs: ReadonlyArray<{ lineNo: number | null; qty?: number | undefined }>) =>
    xs
      .map((x) => `${x.lineNo}:${x.qty ?? '*'}`)
      .sort()
      .join(',');
  const asked = wanted.map((w) => ({ lineNo: w.lineNo, qty: w.qty ?? record.lines.find((l) => l.lineNo === w.lineNo)?.qty }));
  return key(record.lines) === key(asked);
}
