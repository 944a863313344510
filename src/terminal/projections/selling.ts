/**
 * Journal entry types of selling and the projectors that turn them into the
 * sales, sale_lines, sale_tenders, voided_sales, held_carts and overrides
 * tables. A projector reads only its entry (and the receipt number that the
 * entry's seq gives), so rebuildProjections() reproduces every table.
 */
import type { Statement } from 'better-sqlite3';
import type { Ledger, WritableDb } from '../../ledger/index';
import type { JournalEventType, JournalPayload } from '../../shared/journal-events';
import { registerCatalogProjectors } from './catalog';
import { registerPaymentProjectors } from './payments';

export const SALE_COMPLETED = 'SaleCompleted' satisfies JournalEventType;
export const SALE_VOIDED = 'SaleVoided' satisfies JournalEventType;
export const CART_HELD = 'CartHeld' satisfies JournalEventType;
export const CART_RECALLED = 'CartRecalled' satisfies JournalEventType;
export const OVERRIDE_GRANTED = 'OverrideGranted' satisfies JournalEventType;

export type SaleVoidedPayload = JournalPayload<typeof SALE_VOIDED>;
export type CartHeldPayload = JournalPayload<typeof CART_HELD>;
export type OverrideGrantedPayload = JournalPayload<typeof OVERRIDE_GRANTED>;

/**
 * The seq that a receipt number of this terminal names, or null when it is
 * not one: receipt numbers derive from (store, terminal, seq), so receipt
 * lookups read sales by seq and receipt_no needs no index.
 */
export function receiptSeq(ledger: Ledger, receiptNo: string): number | null {
  const seq = Number(receiptNo.slice(receiptNo.lastIndexOf('-') + 1));
  return Number.isSafeInteger(seq) && seq >= 1 && ledger.receiptNumber(seq) === receiptNo ? seq : null;
}

/** one prepared statement per SQL text and database, so a projector does not compile SQL on every sale */
function statements(): (db: WritableDb, sql: string) => Statement {
  const cache = new WeakMap<WritableDb, Map<string, Statement>>();
  return (db, text) => {
    let m = cache.get(db);
    if (!m) cache.set(db, (m = new Map()));
    let st = m.get(text);
    if (!st) m.set(text, (st = db.prepare(text)));
    return st;
  };
}

export function registerSellingProjectors(ledger: Ledger): void {
  registerCatalogProjectors(ledger);
  registerPaymentProjectors(ledger);
  const sql = statements();
  ledger.declareProjectionTables('sale_tenders', 'sale_lines', 'sales', 'voided_sales', 'held_carts', 'overrides');
  ledger.registerProjector(SALE_COMPLETED, (db, entry, s) => {
    const t = s.totals;
    sql(
      db,
      `INSERT INTO sales (seq, sale_id, receipt_no, at, cashier, member, items, gross, savings, rounding, total, paid, change)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(entry.seq, s.saleId, ledger.receiptNumber(entry.seq), entry.at, s.cashier.code, s.member?.code ?? null, t.items, t.gross, t.savings, t.rounding, t.total, t.paid, t.change);
    const line = sql(
      db,
      `INSERT INTO sale_lines (seq, line_no, sku, name, category, qty, unit_price, gross, savings, net, vat_rate, tax, voided)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const l of s.lines) line.run(entry.seq, l.lineNo, l.sku, l.name, l.category, l.qty, l.unitPrice, l.gross, l.savings, l.net, l.vatRate, l.tax, l.voided ? 1 : 0);
    const tender = sql(db, 'INSERT INTO sale_tenders (seq, tender_no, kind, amount, tendered, change, reference, provider) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (const x of s.tenders) tender.run(entry.seq, x.tenderNo, x.kind, x.amount, x.tendered, x.change, x.reference, x.provider);
  });
  ledger.registerProjector(SALE_VOIDED, (db, entry, v) => {
    sql(db, 'INSERT INTO voided_sales (seq, sale_id, at, cashier, approved_by, reason, total, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
      entry.seq,
      v.sale.saleId,
      entry.at,
      v.cashier,
      v.approvedBy,
      v.reason,
      v.sale.totals.total,
      entry.payload,
    );
  });
  ledger.registerProjector(CART_HELD, (db, entry, h) => {
    sql(db, 'INSERT INTO held_carts (held_id, at, cashier, note, items, total, state) VALUES (?, ?, ?, ?, ?, ?, ?)').run(h.heldId, entry.at, h.cashier, h.note, h.items, h.total, JSON.stringify(h.state));
  });
  ledger.registerProjector(CART_RECALLED, (db, _entry, payload) => {
    sql(db, 'DELETE FROM held_carts WHERE held_id = ?').run(payload.heldId);
  });
  ledger.registerProjector(OVERRIDE_GRANTED, (db, entry, o) => {
    sql(db, 'INSERT INTO overrides (seq, at, action, cashier, approved_by, detail) VALUES (?, ?, ?, ?, ?, ?)').run(entry.seq, entry.at, o.action, o.cashier, o.approvedBy, o.detail);
  });
}
