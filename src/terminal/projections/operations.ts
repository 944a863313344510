/**
 * Journal entry types of store operations and their projectors (tables from
 * migrations/terminal/0020_store_operations.sql and 0021). Like selling's, a projector
 * reads only its entry, so rebuildProjections() reproduces every table.
 * CashierSwitched has no table: the journal is its record.
 */
import type { DrawerCause, JournalEventType, JournalPayload, OverrideRecord, Person } from '../../shared/journal-events';
import type { Ledger } from '../../ledger/index';
import { OVERRIDE_GRANTED, type OverrideGrantedPayload } from './selling';

export const OPERATIONS_SETTINGS_SAVED = 'OperationsSettingsSaved' satisfies JournalEventType;
export const SHIFT_OPENED = 'ShiftOpened' satisfies JournalEventType;
export const SHIFT_CLOSED = 'ShiftClosed' satisfies JournalEventType;
export const SHIFT_COUNT_REJECTED = 'ShiftCountRejected' satisfies JournalEventType;
export const CASH_MOVED = 'CashMoved' satisfies JournalEventType;
export const DRAWER_OPENED = 'DrawerOpened' satisfies JournalEventType;
export const REFUND_COMPLETED = 'RefundCompleted' satisfies JournalEventType;
export const DAY_CLOSED = 'DayClosed' satisfies JournalEventType;
export const CASHIER_SWITCHED = 'CashierSwitched' satisfies JournalEventType;

export type { Person, DrawerCause };
export type ShiftOpenedPayload = JournalPayload<typeof SHIFT_OPENED>;
export type ShiftClosedPayload = JournalPayload<typeof SHIFT_CLOSED>;
export type ShiftCountRejectedPayload = JournalPayload<typeof SHIFT_COUNT_REJECTED>;
export type CashMovedPayload = JournalPayload<typeof CASH_MOVED>;
export type DrawerOpenedPayload = JournalPayload<typeof DRAWER_OPENED>;
export type DayClosedPayload = JournalPayload<typeof DAY_CLOSED>;
export type CashierSwitchedPayload = JournalPayload<typeof CASHIER_SWITCHED>;

const registered = new WeakSet<Ledger>();

/** idempotent per ledger */
export function registerOperationsProjectors(ledger: Ledger): void {
  if (registered.has(ledger)) return;
  registered.add(ledger);
  ledger.declareProjectionTables('operations_settings', 'refund_tenders', 'refund_lines', 'refunds', 'cash_movements', 'drawer_openings', 'shifts', 'day_closes');
  ledger.registerProjector(OPERATIONS_SETTINGS_SAVED, (db, _e, settings) => {
    db.prepare('INSERT INTO operations_settings (id, settings) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET settings = excluded.settings').run(
      JSON.stringify(settings),
    );
  });
  ledger.registerProjector(SHIFT_OPENED, (db, e, p) => {
    db.prepare('INSERT INTO shifts (shift_id, open_seq, opened_at, opened_by, float) VALUES (?, ?, ?, ?, ?)').run(p.shiftId, e.seq, e.at, p.cashier.code, p.float);
  });
  ledger.registerProjector(SHIFT_CLOSED, (db, e, p) => {
    db.prepare(
      'UPDATE shifts SET close_seq = ?, closed_at = ?, closed_by = ?, approved_by = ?, counted = ?, expected = ?, variance = ?, count = ? WHERE shift_id = ?',
    ).run(e.seq, e.at, p.cashier.code, p.approvedBy, p.counted, p.expected, p.variance, JSON.stringify(p.count), p.shiftId);
  });
  ledger.registerProjector(SHIFT_COUNT_REJECTED, (db, _e, payload) => {
    db.prepare('UPDATE shifts SET rejected_counts = rejected_counts + 1 WHERE shift_id = ?').run(payload.shiftId);
  });
  ledger.registerProjector(CASH_MOVED, (db, e, p) => {
    db.prepare('INSERT INTO cash_movements (seq, shift_id, at, kind, amount, reason, cashier, approved_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
      e.seq,
      p.shiftId,
      e.at,
      p.kind,
      p.amount,
      p.reason,
      p.cashier,
      p.approvedBy,
    );
  });
  ledger.registerProjector(DRAWER_OPENED, (db, e, p) => {
    db.prepare('INSERT INTO drawer_openings (seq, at, cause, ref, shift_id, cashier, approved_by, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
      e.seq,
      e.at,
      p.cause,
      p.ref,
      p.shiftId,
      p.cashier,
      p.approvedBy,
      p.reason,
    );
  });
  ledger.registerProjector(REFUND_COMPLETED, (db, e, r) => {
    db.prepare(
      'INSERT INTO refunds (seq, refund_id, refund_no, at, sale_seq, receipt_no, shift_id, cashier, approved_by, reason, amount, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(e.seq, r.refundId, ledger.receiptNumber(e.seq), e.at, r.sale?.seq ?? null, r.sale?.receiptNo ?? null, r.shiftId, r.cashier.code, r.approvedBy, r.reason, r.amount, e.payload);
    const line = db.prepare('INSERT INTO refund_lines (seq, idx, line_no, sku, name, category, qty, amount, vat_rate, tax) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    r.lines.forEach((l, i) => line.run(e.seq, i + 1, l.lineNo, l.sku, l.name, l.category, l.qty, l.amount, l.vatRate, l.tax));
    const tender = db.prepare('INSERT INTO refund_tenders (seq, idx, kind, provider, amount, reference) VALUES (?, ?, ?, ?, ?, ?)');
    r.tenders.forEach((t, i) => tender.run(e.seq, i + 1, t.kind, t.provider, t.amount, t.reference));
  });
  ledger.registerProjector(DAY_CLOSED, (db, e, p) => {
    db.prepare('INSERT INTO day_closes (business_day, seq, at, closed_by, approved_by, report) VALUES (?, ?, ?, ?, ?, ?)').run(
      p.businessDay,
      e.seq,
      e.at,
      p.closedBy,
      p.approvedBy,
      JSON.stringify(p.report),
    );
  });
}

export const USER_UNLOCKED = 'UserUnlocked' satisfies JournalEventType;

/**
 * Journals the overrides granted for one call (OverrideGranted, selling's
 * entry type and table, so every override of the store is in one place),
 * inside the caller's transaction. `ref` names what was approved (shift,
 * refund, day). Returns who approved, or null.
 */
export function appendOverrides(ledger: Ledger, granted: readonly OverrideRecord[], ref: string, detail: string): string | null {
  let by: string | null = null;
  for (const o of granted) {
    const payload: OverrideGrantedPayload = { ...o, detail: `${o.detail}: ${detail}`, cartId: ref };
    ledger.append(OVERRIDE_GRANTED, payload);
    by = o.approvedBy;
  }
  return by;
}
