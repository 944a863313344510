/**
 * till report after a `till simulate` run with refunds, paid-in/out and a
 * no-sale done through dispatch: every total of the report equals an
 * independent recomputation from the raw journal rows of the day; the Z
 * report needs the shift closed and refuses a second run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/shared/contract/report';
import type { RefundResult } from '../../src/shared/contract/refund';
import type { CallContext, MethodName } from '../../src/shared/contract';
import type { SaleRecord } from '../../src/core/sale';
import type { RefundRecord } from '../../src/core/refund';
import { dayRange } from '../../src/core/shift';
import { createTerminal, SandboxPaymentProvider, saveUser, type Terminal } from '../../src/terminal/index';
import { DEFAULT_MIGRATIONS_DIR, openLedger } from '../../src/ledger/index';
import { reportToday } from '../../src/terminal/index';
import { till } from '../support/till';

let dir: string;
let t: Terminal;
let day: string;
const SUP = { code: '2001', name: '李四', role: 'supervisor' as const, pin: '2345' };

async function ok<T>(method: MethodName, input: unknown, ctx: CallContext): Promise<T> {
  const r = await t.dispatch(method, input, ctx);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-report-'));
  expect((await till('init', '--data', dir, '--store', 'S9', '--terminal', 'T9')).code).toBe(0);
  const sim = await till('simulate', '--data', dir, '--sales', '40', '--seed', '11');
  expect(sim.code, sim.err).toBe(0);
  // a sandbox of its own: it never saw the simulated payment-code orders, so it declines their refunds (order-not-found)
  t = createTerminal({ dataDir: dir, log: () => undefined, paymentProvider: new SandboxPaymentProvider() });
  saveUser(t.ledger, SUP);
  const login = await ok<{ sessionToken: string }>('auth.login', { userCode: SUP.code, pin: SUP.pin }, {});
  const ctx = { sessionToken: login.sessionToken };
  const receipts = t.ledger.db.prepare('SELECT receipt_no FROM sales ORDER BY seq LIMIT 14').pluck().all() as string[];
  let refunds = 0;
  for (const [i, no] of receipts.entries()) {
    const sale = await ok<{ lines: Array<{ lineNo: number; qty: number; weighed: boolean }> }>('refund.lookup', { code: `till:receipt:${no}` }, ctx);
    const line = sale.lines[0];
    if (!line) continue;
    const lines = i % 3 === 0 ? sale.lines.map((l) => ({ lineNo: l.lineNo })) : [{ lineNo: line.lineNo, ...(line.qty > 1 && !line.weighed ? { qty: 1 } : {}) }];
    const r = await t.dispatch('refund.receipt', { code: no, lines, reason: '退货', cardReference: `RF${String(i).padStart(6, '0')}` }, ctx);
    if (r.ok) refunds++;
    else expect(r.error, r.error.message).toMatchObject({ code: 'payment-declined', details: { reason: 'order-not-found' } });
  }
  expect(refunds).toBeGreaterThanOrEqual(6);
  const nr = await ok<RefundResult>('refund.noReceipt', { items: [{ sku: (t.ledger.db.prepare('SELECT sku FROM products WHERE weighed = 0 AND price BETWEEN 100 AND 2000 ORDER BY sku LIMIT 1').pluck().get() as string), qty: 1 }], reason: '无小票' }, ctx);
  expect(nr.amount).toBeGreaterThan(0);
  await ok('shift.paidIn', { amount: 5000, reason: '换零钱' }, ctx);
  await ok('shift.paidOut', { amount: 1200, reason: '付送货费' }, ctx);
  await ok('drawer.open', { reason: '核对' }, ctx);
  day = reportToday(t.catalog, new Date(t.ledger.entries(2, 1)[0]?.at ?? Date.now()));
}, 60_000);

afterAll(() => {
  t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** the report's figures, recomputed from the journal rows alone */
function recompute(): Omit<Report, 'kind' | 'store' | 'terminal' | 'generatedAt' | 'throughSeq' | 'shifts' | 'closedBy' | 'businessDay'> {
  const { from, to } = dayRange(day, t.catalog.settings().utcOffsetMinutes);
  const r = {
    counts: { sales: 0, voids: 0, refunds: 0, noSales: 0, overrides: 0, drawerOpenings: 0 },
    sales: { gross: 0, savings: 0, rounding: 0, total: 0 },
    refunds: 0,
    voidedTotal: 0,
    paidIn: 0,
    paidOut: 0,
    net: 0,
    byTender: [] as Report['byTender'],
    byTaxRate: [] as Report['byTaxRate'],
    byCategory: [] as Report['byCategory'],
  };
  const tender = (kind: Report['byTender'][number]['kind'], provider: Report['byTender'][number]['provider']) => {
    let x = r.byTender.find((y) => y.kind === kind && y.provider === provider);
    if (!x) r.byTender.push((x = { kind, provider, sales: 0, refunds: 0, net: 0 }));
    return x;
  };
  const tax = (vatRate: Report['byTaxRate'][number]['vatRate']) => {
    let x = r.byTaxRate.find((y) => y.vatRate === vatRate);
    if (!x) r.byTaxRate.push((x = { vatRate, salesNet: 0, salesTax: 0, refundsNet: 0, refundsTax: 0 }));
    return x;
  };
  const cat = (category: string) => {
    let x = r.byCategory.find((y) => y.category === category);
    if (!x) r.byCategory.push((x = { category, sales: 0, refunds: 0, net: 0 }));
    return x;
  };
  for (const e of t.ledger.entries(1, 1_000_000)) {
    if (e.at < from || e.at >= to) continue;
    const p = JSON.parse(e.payload) as Record<string, unknown>;
    if (e.type === 'SaleCompleted') {
      const s = p as unknown as SaleRecord;
      r.counts.sales++;
      r.sales.gross += s.totals.gross;
      r.sales.savings += s.totals.savings;
      r.sales.rounding += s.totals.rounding;
      r.sales.total += s.totals.total;
      if (s.tenders.some((x) => x.kind === 'cash')) r.counts.drawerOpenings++;
      for (const x of s.tenders) tender(x.kind, x.provider).sales += x.amount;
      for (const l of s.lines.filter((y) => !y.voided)) {
        tax(l.vatRate).salesNet += l.net;
        tax(l.vatRate).salesTax += l.tax;
        cat(l.category).sales += l.net;
      }
    } else if (e.type === 'RefundCompleted') {
      const f = p as unknown as RefundRecord;
      r.counts.refunds++;
      r.refunds += f.amount;
      for (const x of f.tenders) tender(x.kind, x.provider).refunds += x.amount;
      for (const l of f.lines) {
        tax(l.vatRate).refundsNet += l.amount;
        tax(l.vatRate).refundsTax += l.tax;
        cat(l.category).refunds += l.amount;
      }
    } else if (e.type === 'SaleVoided') {
      r.counts.voids++;
      r.voidedTotal += (p.sale as SaleRecord).totals.total;
    } else if (e.type === 'CashMoved') {
      if (p.kind === 'paid-in') r.paidIn += p.amount as number;
      else r.paidOut += p.amount as number;
    } else if (e.type === 'DrawerOpened') {
      r.counts.drawerOpenings++;
      if (p.cause === 'no-sale') r.counts.noSales++;
    } else if (e.type === 'OverrideGranted') r.counts.overrides++;
  }
  r.net = r.sales.total - r.refunds;
  for (const x of [...r.byTender, ...r.byCategory]) x.net = x.sales - x.refunds;
  r.byTender.sort((a, b) => a.kind.localeCompare(b.kind) || (a.provider ?? '').localeCompare(b.provider ?? ''));
  r.byTaxRate.sort((a, b) => b.vatRate - a.vatRate);
  r.byCategory.sort((a, b) => a.category.localeCompare(b.category));
  return r;
}

describe('till report', () => {
  it('X: every total equals the recomputation from the raw journal (dispatch and CLI agree)', async () => {
    const login = await ok<{ sessionToken: string }>('auth.login', { userCode: SUP.code, pin: SUP.pin }, {});
    const x = await ok<Report>('report.x', { date: day }, { sessionToken: login.sessionToken });
    const expected = recompute();
    expect(expected.counts.sales).toBeGreaterThanOrEqual(40);
    expect(expected.counts.refunds).toBeGreaterThanOrEqual(7);
    expect(expected.refunds).toBeGreaterThan(0);
    expect(x).toMatchObject(expected);
    expect(x.byTender.length).toBeGreaterThanOrEqual(3);
    // what the drawer should hold: float + cash sales - cash refunds + paid-in - paid-out
    const cash = x.byTender.find((b) => b.kind === 'cash');
    expect(x.shifts).toHaveLength(1);
    expect(x.shifts[0]?.expected).toBe(20000 + (cash?.net ?? 0) + 5000 - 1200);

    t.close();
    const cli = await till('report', 'x', '--data', dir, '--date', day, '--json');
    expect(cli.code, cli.err).toBe(0);
    const fromCli = JSON.parse(cli.out) as Report;
    const { receipt, ...figures } = x as Report & { receipt: { kind: string } };
    expect(receipt.kind).toBe('report');
    expect({ ...fromCli, generatedAt: '' }).toEqual({ ...figures, generatedAt: '' });
    const text = await till('report', 'x', '--data', dir, '--date', day);
    expect(text.out).toMatch(/X report \(day so far\)/);
    expect(text.out).toMatch(new RegExp(`${expected.counts.sales} sales, ${expected.counts.voids} voids, ${expected.counts.refunds} refunds, 1 no-sales`));
    t = createTerminal({ dataDir: dir, log: () => undefined });
  });

  it('Z: refused while the shift is open, then closes the day with the over/short of each shift, once', async () => {
    t.close();
    const open = await till('report', 'z', '--data', dir, '--date', day);
    expect(open.code).toBe(3);
    expect(open.err).toMatch(/still open/);
    t = createTerminal({ dataDir: dir, log: () => undefined });
    const login = await ok<{ sessionToken: string }>('auth.login', { userCode: SUP.code, pin: SUP.pin }, {});
    const closed = await ok<{ variance: number; expected: number }>('shift.close', { counted: [{ value: 10000, count: 3 }] }, { sessionToken: login.sessionToken });
    t.close();
    const z = await till('report', 'z', '--data', dir, '--date', day, '--json');
    expect(z.code, z.err).toBe(0);
    const report = JSON.parse(z.out) as Report;
    expect(report).toMatchObject({ kind: 'z', businessDay: day, closedBy: 'till-cli' });
    expect(report.shifts).toMatchObject([{ counted: 30000, expected: closed.expected, variance: closed.variance }]);
    expect(closed.variance).toBe(30000 - closed.expected);
    const again = await till('report', 'z', '--data', dir, '--date', day);
    expect(again.code).toBe(3);
    expect(again.err).toMatch(/already run/);
    expect((await till('report', 'y', '--data', dir)).code).toBe(2);
    expect((await till('report', 'x', '--data', dir, '--date', '2026/01/01')).code).toBe(2);
    t = createTerminal({ dataDir: dir, log: () => undefined });
  });

  it('X on a ledger that predates the store-operations tables upgrades it first', async () => {
    const old = fs.mkdtempSync(path.join(os.tmpdir(), 'till-report-old-'));
    const sql = fs.mkdtempSync(path.join(os.tmpdir(), 'till-report-sql-'));
    try {
      for (const f of fs.readdirSync(DEFAULT_MIGRATIONS_DIR)) if (f < '0020') fs.copyFileSync(path.join(DEFAULT_MIGRATIONS_DIR, f), path.join(sql, f));
      openLedger(old, { create: { store: 'S2', terminal: 'T2' }, migrationsDir: sql }).close();
      const r = await till('report', 'x', '--data', old, '--json');
      expect(r.code, r.err).toBe(0);
      expect(JSON.parse(r.out)).toMatchObject({ kind: 'x', store: 'S2', counts: { sales: 0 } });
    } finally {
      fs.rmSync(old, { recursive: true, force: true });
      fs.rmSync(sql, { recursive: true, force: true });
    }
  });
});
