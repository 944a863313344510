/**
 * X and Z reports from the projection tables. Every figure is a sum over the
 * entries whose time falls in the business day [from, to) (src/core/shift.ts
 * dayRange); shifts are those the day saw. The Z report journals itself
 * (DayClosed, with the report) and the day_closes primary key makes a second
 * Z for the same day impossible even if two calls raced.
 */
import { reportSchema, type PrintedReport, type Report, type ShiftReport } from '../../shared/contract/report';
import type { VatRate } from '../../shared/contract/catalog';
import type { PaymentProviderName } from '../../shared/contract/cart';
import { TillError } from '../../shared/errors';
import type { OverrideRecord } from '../../core/cart';
import { businessDay, dayRange, expectedCash } from '../../core/shift';
import { reportReceipt } from '../../core/report';
import type { Ledger, ReadableDb } from '../../ledger/index';
import type { CatalogReader } from '../projections/catalog';
import { DAY_CLOSED, appendOverrides, type DayClosedPayload } from '../projections/operations';
import { drawerFlows, shiftsBetween } from './shifts';
import type { Handlers } from './handler-types';

type TenderKind = 'cash' | 'card' | 'payment-code';

export interface ReportContext {
  kind: 'x' | 'z';
  day: string;
  utcOffsetMinutes: number;
  now: Date;
  closedBy: string | null;
}

function shiftReport(db: ReadableDb, s: ReturnType<typeof shiftsBetween>[number]): ShiftReport {
  return {
    shiftId: s.shiftId,
    openedAt: s.openedAt,
    openedBy: s.openedBy,
    closedAt: s.closedAt,
    closedBy: s.closedBy,
    float: s.float,
    expected: s.expected ?? expectedCash(drawerFlows(db, s)),
    counted: s.counted,
    variance: s.variance,
  };
}

/** the report of one business day, read from the projections */
export function buildReport(ledger: Ledger, ctx: ReportContext): Report {
  const db = ledger.db;
  const { from, to } = dayRange(ctx.day, ctx.utcOffsetMinutes);
  const one = <T>(sql: string) => db.prepare(sql).get(from, to) as T;
  const all = <T>(sql: string) => db.prepare(sql).all(from, to) as T[];
  const sales = one<{ n: number; gross: number | null; savings: number | null; rounding: number | null; total: number | null }>(
    'SELECT count(*) AS n, sum(gross) AS gross, sum(savings) AS savings, sum(rounding) AS rounding, sum(total) AS total FROM sales WHERE at >= ? AND at < ?',
  );
  const refunds = one<{ n: number; amount: number | null }>('SELECT count(*) AS n, sum(amount) AS amount FROM refunds WHERE at >= ? AND at < ?');
  const voids = one<{ n: number; total: number | null }>('SELECT count(*) AS n, sum(total) AS total FROM voided_sales WHERE at >= ? AND at < ?');
  const count = (sql: string) => (db.prepare(sql).pluck().get(from, to) as number | null) ?? 0;

  const tenders = new Map<string, Report['byTender'][number]>();
  const tenderRow = (kind: TenderKind, provider: PaymentProviderName | null) => {
    const key = `${kind}/${provider ?? ''}`;
    let r = tenders.get(key);
    if (!r) tenders.set(key, (r = { kind, provider, sales: 0, refunds: 0, net: 0 }));
    return r;
  };
  type TenderSum = { kind: TenderKind; provider: PaymentProviderName | null; amount: number };
  for (const t of all<TenderSum>('SELECT t.kind, t.provider, sum(t.amount) AS amount FROM sale_tenders t JOIN sales s ON s.seq = t.seq WHERE s.at >= ? AND s.at < ? GROUP BY t.kind, t.provider')) {
    tenderRow(t.kind, t.provider).sales += t.amount;
  }
  for (const t of all<TenderSum>('SELECT t.kind, t.provider, sum(t.amount) AS amount FROM refund_tenders t JOIN refunds r ON r.seq = t.seq WHERE r.at >= ? AND r.at < ? GROUP BY t.kind, t.provider')) {
    tenderRow(t.kind, t.provider).refunds += t.amount;
  }

  const taxes = new Map<VatRate, Report['byTaxRate'][number]>();
  const taxRow = (vatRate: VatRate) => {
    let r = taxes.get(vatRate);
    if (!r) taxes.set(vatRate, (r = { vatRate, salesNet: 0, salesTax: 0, refundsNet: 0, refundsTax: 0 }));
    return r;
  };
  type TaxSum = { vatRate: VatRate; net: number; tax: number };

  const cats = new Map<string, Report['byCategory'][number]>();
  const catRow = (category: string) => {
    let r = cats.get(category);
    if (!r) cats.set(category, (r = { category, sales: 0, refunds: 0, net: 0 }));
    return r;
  };
  // one pass over the lines for both the VAT and the category totals
  type LineSum = TaxSum & { category: string };
  for (const l of all<LineSum>(
    'SELECT l.vat_rate AS vatRate, l.category, sum(l.net) AS net, sum(l.tax) AS tax FROM sale_lines l JOIN sales s ON s.seq = l.seq WHERE s.at >= ? AND s.at < ? AND l.voided = 0 GROUP BY l.vat_rate, l.category',
  )) {
    const t = taxRow(l.vatRate);
    t.salesNet += l.net;
    t.salesTax += l.tax;
    catRow(l.category).sales += l.net;
  }
  for (const l of all<LineSum>(
    'SELECT l.vat_rate AS vatRate, l.category, sum(l.amount) AS net, sum(l.tax) AS tax FROM refund_lines l JOIN refunds r ON r.seq = l.seq WHERE r.at >= ? AND r.at < ? GROUP BY l.vat_rate, l.category',
  )) {
    const t = taxRow(l.vatRate);
    t.refundsNet += l.net;
    t.refundsTax += l.tax;
    catRow(l.category).refunds += l.net;
  }
  for (const r of [...tenders.values(), ...cats.values()]) r.net = r.sales - r.refunds;

  const cashSales = count("SELECT count(*) FROM sales s WHERE s.at >= ? AND s.at < ? AND EXISTS (SELECT 1 FROM sale_tenders t WHERE t.seq = s.seq AND t.kind = 'cash')");
  const openings = count('SELECT count(*) FROM drawer_openings WHERE at >= ? AND at < ?');
  const refundTotal = refunds.amount ?? 0;
  return {
    kind: ctx.kind,
    businessDay: ctx.day,
    store: ledger.identity.store,
    terminal: ledger.identity.terminal,
    generatedAt: ctx.now.toISOString(),
    throughSeq: ledger.head().seq,
    counts: {
      sales: sales.n,
      voids: voids.n,
      refunds: refunds.n,
      noSales: count("SELECT count(*) FROM drawer_openings WHERE cause = 'no-sale' AND at >= ? AND at < ?"),
      overrides: count('SELECT count(*) FROM overrides WHERE at >= ? AND at < ?'),
      drawerOpenings: openings + cashSales,
    },
    sales: { gross: sales.gross ?? 0, savings: sales.savings ?? 0, rounding: sales.rounding ?? 0, total: sales.total ?? 0 },
    refunds: refundTotal,
    voidedTotal: voids.total ?? 0,
    paidIn: count("SELECT sum(amount) FROM cash_movements WHERE kind = 'paid-in' AND at >= ? AND at < ?"),
    paidOut: count("SELECT sum(amount) FROM cash_movements WHERE kind = 'paid-out' AND at >= ? AND at < ?"),
    net: (sales.total ?? 0) - refundTotal,
    byTender: [...tenders.values()].sort((a, b) => a.kind.localeCompare(b.kind) || (a.provider ?? '').localeCompare(b.provider ?? '')),
    byTaxRate: [...taxes.values()].sort((a, b) => b.vatRate - a.vatRate),
    byCategory: [...cats.values()].sort((a, b) => a.category.localeCompare(b.category)),
    shifts: shiftsBetween(db, from, to).map((s) => shiftReport(db, s)),
    closedBy: ctx.closedBy,
  };
}

export function today(catalog: CatalogReader, now: Date): string {
  return businessDay(now, catalog.settings().utcOffsetMinutes);
}

/**
 * The Z report: refuses a day already closed, a day not yet begun, and a day
 * with a shift still open; otherwise journals DayClosed with the report.
 * The ledger must carry the selling and operations projectors (createTerminal).
 */
export function closeDay(ledger: Ledger, catalog: CatalogReader, opts: { day: string; now: Date; closedBy: string; granted?: readonly OverrideRecord[] }): Report {
  const offset = catalog.settings().utcOffsetMinutes;
  const { to } = dayRange(opts.day, offset);
  if (opts.day > businessDay(opts.now, offset)) throw new TillError('bad-input', `the business day ${opts.day} has not begun yet`);
  const done = ledger.db.prepare('SELECT at, seq FROM day_closes WHERE business_day = ?').get(opts.day) as { at: string; seq: number } | undefined;
  if (done) throw new TillError('day-closed', `the Z report of ${opts.day} was already run (journal entry ${done.seq}); it runs once per day: use an X report to look again`);
  const open = ledger.db.prepare('SELECT shift_id AS shiftId, opened_by AS openedBy FROM shifts WHERE close_seq IS NULL AND opened_at < ?').get(to) as
    | { shiftId: string; openedBy: string }
    | undefined;
  if (open) throw new TillError('conflict', `the shift opened by ${open.openedBy} is still open: close it (blind count) before the Z report`);
  const report = buildReport(ledger, { kind: 'z', day: opts.day, utcOffsetMinutes: offset, now: opts.now, closedBy: opts.closedBy });
  ledger.transaction(() => {
    const approvedBy = appendOverrides(ledger, opts.granted ?? [], `day-${opts.day}`, `Z report of ${opts.day}`);
    const p: DayClosedPayload = { businessDay: opts.day, closedBy: opts.closedBy, approvedBy, report };
    ledger.append(DAY_CLOSED, p);
  });
  return report;
}

export interface ReportDeps {
  ledger: Ledger;
  catalog: CatalogReader;
  clock: () => Date;
}

const printed = (report: Report, catalog: CatalogReader): PrintedReport => ({ ...report, receipt: reportReceipt(report, catalog.settings()) });

/** the X report of a day (default today) as of now, with its slip; changes nothing */
export function xReport(d: ReportDeps, date: string | undefined): PrintedReport {
  const now = d.clock();
  const day = date ?? today(d.catalog, now);
  return printed(buildReport(d.ledger, { kind: 'x', day, utcOffsetMinutes: d.catalog.settings().utcOffsetMinutes, now, closedBy: null }), d.catalog);
}

/** the Z report a day (default today) was closed with, its slip marked as a copy */
export function closedDayReport(d: ReportDeps, date: string | undefined): PrintedReport {
  const day = date ?? today(d.catalog, d.clock());
  const row = d.ledger.db.prepare('SELECT report FROM day_closes WHERE business_day = ?').get(day) as { report: string } | undefined;
  if (!row) throw new TillError('not-found', `the business day ${day} has no Z report yet: run the Z report first (or print an X report)`);
  const report = printed(reportSchema.parse(JSON.parse(row.report)), d.catalog);
  return { ...report, receipt: { ...report.receipt, copy: true } };
}

export function reportHandlers(d: ReportDeps): Pick<Handlers, 'report.x' | 'report.z'> {
  return {
    'report.x': (i) => xReport(d, i.date),
    'report.z': (i, c) => {
      const now = d.clock();
      return printed(closeDay(d.ledger, d.catalog, { day: i.date ?? today(d.catalog, now), now, closedBy: c.user.code, granted: c.granted }), d.catalog);
    },
  };
}
