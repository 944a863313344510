/**
 * Shifts (交接班) and the drawer on one terminal. A shift owns the journal
 * window between its ShiftOpened and ShiftClosed entries: the cash sales and
 * cash refunds inside that window (one open shift per terminal, so windows
 * never overlap) plus its paid-in and paid-out give the expected cash, which
 * is computed only after the blind count is submitted. A count off by more
 * than the threshold without a supervisor is journaled (ShiftCountRejected)
 * and from then on the close needs one, so trying counts reveals nothing.
 * Every drawer opening outside a sale is a DrawerOpened entry in the same
 * transaction as its cause.
 */
import type { Role } from '../../shared/contract/define';
import { TillError } from '../../shared/errors';
import { formatMinor } from '../../shared/money';
import { activeLines, type CartState } from '../../core/cart';
import { roleHas } from '../../core/permissions';
import { businessDay, countTotal, expectedCash, needsApproval, type DrawerFlows } from '../../core/shift';
import { cachedStatement, type Ledger, type ReadableDb } from '../../ledger/index';
import type { CatalogReader } from '../projections/catalog';
import {
  CASH_MOVED,
  DRAWER_OPENED,
  SHIFT_CLOSED,
  SHIFT_COUNT_REJECTED,
  SHIFT_OPENED,
  appendOverrides,
  type CashMovedPayload,
  type DrawerOpenedPayload,
  type ShiftClosedPayload,
  type ShiftCountRejectedPayload,
  type ShiftOpenedPayload,
} from '../projections/operations';
import { readOperations } from './users';
import type { Handlers } from './handler-types';
import type { Call } from './call';

export interface ShiftRow {
  shiftId: string;
  openSeq: number;
  openedAt: string;
  openedBy: string;
  float: number;
  closeSeq: number | null;
  closedAt: string | null;
  closedBy: string | null;
  counted: number | null;
  expected: number | null;
  variance: number | null;
}

const SHIFT_COLUMNS =
  'shift_id AS shiftId, open_seq AS openSeq, opened_at AS openedAt, opened_by AS openedBy, float, close_seq AS closeSeq, closed_at AS closedAt, closed_by AS closedBy, counted, expected, variance';

export function currentShift(db: ReadableDb): ShiftRow | null {
  return (cachedStatement(db, `SELECT ${SHIFT_COLUMNS} FROM shifts WHERE close_seq IS NULL`).get() as ShiftRow | undefined) ?? null;
}

/** shifts opened before `to` and closed at or after `from` (or still open): the shifts a business day saw */
export function shiftsBetween(db: ReadableDb, from: string, to: string): ShiftRow[] {
  return db.prepare(`SELECT ${SHIFT_COLUMNS} FROM shifts WHERE opened_at < ? AND (closed_at IS NULL OR closed_at >= ?) ORDER BY open_seq`).all(to, from) as ShiftRow[];
}

export function drawerFlows(db: ReadableDb, s: Pick<ShiftRow, 'shiftId' | 'openSeq' | 'closeSeq' | 'float'>): DrawerFlows {
  const end = s.closeSeq ?? Number.MAX_SAFE_INTEGER;
  const sum = (sql: string, ...args: unknown[]) => (db.prepare(sql).pluck().get(...args) as number | null) ?? 0;
  return {
    float: s.float,
    cashSales: sum("SELECT sum(amount) FROM sale_tenders WHERE kind = 'cash' AND seq > ? AND seq < ?", s.openSeq, end),
    cashRefunds: sum("SELECT sum(amount) FROM refund_tenders WHERE kind = 'cash' AND seq > ? AND seq < ?", s.openSeq, end),
    paidIn: sum("SELECT sum(amount) FROM cash_movements WHERE kind = 'paid-in' AND shift_id = ?", s.shiftId),
    paidOut: sum("SELECT sum(amount) FROM cash_movements WHERE kind = 'paid-out' AND shift_id = ?", s.shiftId),
  };
}

export function isDayClosed(db: ReadableDb, day: string): boolean {
  return cachedStatement(db, 'SELECT 1 FROM day_closes WHERE business_day = ?').get(day) !== undefined;
}

/** calls that take money or goods across the counter: they need an open shift (by setting) and a day not yet closed */
const COUNTER_CALLS: ReadonlySet<string> = new Set([
  'cart.scan',
  'cart.addPlu',
  'cart.addProduct',
  'cart.recall',
  'tender.cash',
  'tender.card',
  'tender.paymentCode',
  'refund.receipt',
  'refund.noReceipt',
]);

export interface ShiftDeps {
  ledger: Ledger;
  catalog: CatalogReader;
  clock: () => Date;
  newId: () => string;
}

export function counterGuard(d: ShiftDeps): (method: string) => void {
  return (method) => {
    if (!COUNTER_CALLS.has(method)) return;
    const day = businessDay(d.clock(), d.catalog.settings().utcOffsetMinutes);
    if (isDayClosed(d.ledger.db, day)) throw new TillError('day-closed', `the business day ${day} is closed (Z report done): nothing more can be sold or refunded on it`);
    if (readOperations(d.ledger.db).shiftRequired && !currentShift(d.ledger.db)) {
      throw new TillError('shift-required', 'no shift is open on this till: open one with the float counted into the drawer first');
    }
  };
}

function requireShift(db: ReadableDb): ShiftRow {
  const s = currentShift(db);
  if (!s) throw new TillError('shift-required', 'no shift is open on this till: open one with the float counted into the drawer first');
  return s;
}

function drawerEntry(cause: DrawerOpenedPayload['cause'], ref: string | null, shiftId: string | null, cashier: string, approvedBy: string | null, reason: string | null): DrawerOpenedPayload {
  return { cause, ref, shiftId, cashier, approvedBy, reason };
}

type ShiftMethods = 'shift.current' | 'shift.open' | 'shift.paidIn' | 'shift.paidOut' | 'shift.close' | 'drawer.open';

export function shiftHandlers(d: ShiftDeps): Pick<Handlers, ShiftMethods> {
  const { ledger } = d;
  const view = (s: ShiftRow) => ({ shiftId: s.shiftId, openedAt: s.openedAt, openedBy: s.openedBy, float: s.float });

  const move = (kind: CashMovedPayload['kind']) => (i: { amount: number; reason: string }, c: Call) => {
    const s = requireShift(ledger.db);
    const entry = ledger.transaction(() => {
      const approvedBy = appendOverrides(ledger, c.granted, s.shiftId, `${kind} ${formatMinor(i.amount)} (${i.reason})`);
      const p: CashMovedPayload = { shiftId: s.shiftId, kind, amount: i.amount, reason: i.reason, cashier: c.user.code, approvedBy };
      const e = ledger.append(CASH_MOVED, p);
      ledger.append(DRAWER_OPENED, drawerEntry(kind, String(e.seq), s.shiftId, c.user.code, approvedBy, i.reason));
      return e;
    });
    return { seq: entry.seq, shiftId: s.shiftId };
  };

  return {
    'shift.current': () => {
      const s = currentShift(ledger.db);
      return { shift: s ? view(s) : null };
    },
    'shift.open': (i, c) => {
      const open = currentShift(ledger.db);
      if (open) throw new TillError('conflict', `a shift is already open on this till (opened by ${open.openedBy} at ${open.openedAt}): close it first`);
      const day = businessDay(d.clock(), d.catalog.settings().utcOffsetMinutes);
      if (isDayClosed(ledger.db, day)) throw new TillError('day-closed', `the business day ${day} is closed (Z report done): no shift can open on it`);
      const p: ShiftOpenedPayload = { shiftId: d.newId(), cashier: { code: c.user.code, name: c.user.name }, count: i.float, float: countTotal(i.float) };
      ledger.transaction(() => {
        ledger.append(SHIFT_OPENED, p);
        ledger.append(DRAWER_OPENED, drawerEntry('shift-open', p.shiftId, p.shiftId, c.user.code, null, null));
      });
      return view(requireShift(ledger.db));
    },
    'shift.paidIn': move('paid-in'),
    'shift.paidOut': move('paid-out'),
    'shift.close': async (i, c) => {
      const s = requireShift(ledger.db);
      if (ledger.carts.list().some((x) => activeLines(x.state as CartState).length > 0 || (x.state as CartState).tenders.length > 0)) {
        throw new TillError('conflict', 'a sale is open: finish or void it before closing the shift');
      }
      const counted = countTotal(i.counted);
      const expected = expectedCash(drawerFlows(ledger.db, s));
      const variance = counted - expected;
      const threshold = readOperations(ledger.db).varianceThreshold;
      const recounted = (ledger.db.prepare('SELECT rejected_counts FROM shifts WHERE shift_id = ?').pluck().get(s.shiftId) as number) > 0;
      if (recounted || needsApproval(variance, threshold)) {
        await c.authorize('shift.close-variance', `shift ${s.shiftId} over/short ${formatMinor(variance)}`, (r: Role) => roleHas(r, 'shift.close-variance')).catch((e: unknown) => {
          if (!(e instanceof TillError && e.code === 'override-required')) throw e;
          if (recounted) throw new TillError('override-required', 'an earlier count of this shift was off: a supervisor must approve the close');
          const rejected: ShiftCountRejectedPayload = { shiftId: s.shiftId, cashier: { code: c.user.code, name: c.user.name }, count: i.counted, counted };
          ledger.append(SHIFT_COUNT_REJECTED, rejected);
          throw new TillError('override-required', `the count is off by more than the store allows (${formatMinor(threshold)}); it is on record: recount with a supervisor, who approves the close`);
        });
      }
      const p: ShiftClosedPayload = { shiftId: s.shiftId, cashier: { code: c.user.code, name: c.user.name }, count: i.counted, counted, expected, variance, approvedBy: null };
      const entry = ledger.transaction(() => {
        p.approvedBy = appendOverrides(ledger, c.granted, s.shiftId, `close, counted ${formatMinor(counted)}`);
        const e = ledger.append(SHIFT_CLOSED, p);
        ledger.append(DRAWER_OPENED, drawerEntry('shift-close', s.shiftId, s.shiftId, c.user.code, p.approvedBy, null));
        return e;
      });
      return { shiftId: s.shiftId, closedAt: entry.at, counted, expected, variance, approvedBy: p.approvedBy };
    },
    'drawer.open': (i, c) => {
      const s = currentShift(ledger.db);
      const entry = ledger.transaction(() => {
        const approvedBy = appendOverrides(ledger, c.granted, s?.shiftId ?? 'no-shift', `no sale (${i.reason})`);
        return ledger.append(DRAWER_OPENED, drawerEntry('no-sale', null, s?.shiftId ?? null, c.user.code, approvedBy, i.reason));
      });
      return { seq: entry.seq, cause: 'no-sale' as const, openDrawer: true as const };
    },
  };
}
