/**
 * refund.quote against refund.receipt: for partial returns after promotions
 * (and 抹零 spread over the lines), the quote's per-line amounts, total and
 * tenders are exactly what the refund then journals and pays, step by step
 * as the lines are returned in several goes; a quote writes nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_OPERATIONS } from '../../src/core/operations';
import type { RefundRecord } from '../../src/core/refund';
import type { RefundQuote, RefundResult } from '../../src/shared/contract/refund';
import { openFixture, P, SETTINGS, USERS, type Fixture } from './fixture';

let f: Fixture;
afterEach(() => f.close());

const sup = () => ({ sessionToken: f.tokens.cashier, override: { userCode: USERS.supervisor.code, pin: USERS.supervisor.pin } });
const scan = (p: { barcodes: string[] }) => f.ok('cart.scan', { code: p.barcodes[0] });
type Wanted = Array<{ lineNo: number; qty?: number }>;

/** cola x3 (2 for 6.00 + 3.50), noodle x3 (2nd half price), water: card 5.00, the rest cash */
async function promotedSale(): Promise<{ total: number; receiptNo: string }> {
  for (const p of [P.cola, P.cola, P.cola, P.noodle, P.noodle, P.noodle, P.water]) await scan(p);
  await f.ok('tender.card', { amount: 500, reference: 'POS000222' });
  const r = await f.ok<{ completed: { receiptNo: string; total: number } }>('tender.cash', { tendered: 5000 });
  return { total: r.completed.total, receiptNo: r.completed.receiptNo };
}

/** quotes (as a cashier, writing nothing), refunds, and checks the refund paid exactly the quote */
async function quoteThenRefund(receiptNo: string, lines: Wanted): Promise<RefundQuote> {
  const head = f.t.ledger.head();
  const quote = await f.ok<RefundQuote>('refund.quote', { code: receiptNo, lines }, 'cashier');
  expect(f.t.ledger.head()).toEqual(head);
  const paid = await f.ok<RefundResult>('refund.receipt', { code: receiptNo, lines, reason: '退货', cardReference: 'RF123456' }, sup());
  const record = JSON.parse(f.t.ledger.entries(paid.seq, 1)[0]?.payload ?? 'null') as RefundRecord;
  expect(record.lines.map((l) => ({ lineNo: l.lineNo, qty: l.qty, amount: l.amount }))).toEqual(quote.lines);
  expect(paid.amount).toBe(quote.amount);
  expect(quote.lines.reduce((s, l) => s + l.amount, 0)).toBe(quote.amount);
  expect(paid.tenders.map((t) => ({ ...t, reference: t.kind === 'card' ? null : t.reference }))).toEqual(quote.tenders);
  return quote;
}

describe('refund.quote', () => {
  it('quotes what refund.receipt then pays, unit by unit after promotions, to the original tenders', async () => {
    f = await openFixture();
    const sale = await promotedSale();
    const [cola, noodle, water] = [1, 2, 3];
    const lookup = await f.ok<{ lines: Array<{ lineNo: number; paid: number }> }>('refund.lookup', { code: sale.receiptNo });
    expect(lookup.lines.map((l) => l.lineNo)).toEqual([cola, noodle, water]);

    const quotes = [
      await quoteThenRefund(sale.receiptNo, [{ lineNo: noodle, qty: 1 }]),
      await quoteThenRefund(sale.receiptNo, [{ lineNo: cola, qty: 2 }, { lineNo: noodle, qty: 1 }]),
      await quoteThenRefund(sale.receiptNo, [{ lineNo: cola }, { lineNo: noodle }, { lineNo: water }]),
    ];
    expect(quotes[0]?.tenders.map((t) => t.kind)).toEqual(['card']);
    expect(quotes.reduce((s, q) => s + q.amount, 0)).toBe(sale.total);
    const all = (ln: number) => quotes.flatMap((q) => q.lines).filter((l) => l.lineNo === ln).reduce((s, l) => s + l.amount, 0);
    for (const l of lookup.lines) expect(all(l.lineNo), `line ${l.lineNo}`).toBe(l.paid);
    expect(await f.call('refund.quote', { code: sale.receiptNo, lines: [{ lineNo: water }] })).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('spreads the cash rounding as the refund does, and follows the cash policy', async () => {
    f = await openFixture({ settings: { ...SETTINGS, rounding: { unit: 'jiao', method: 'down' } } });
    const sale = await promotedSale();
    await f.ok('settings.setOperations', { ...DEFAULT_OPERATIONS, refundTo: 'cash' }, 'admin');
    const q1 = await quoteThenRefund(sale.receiptNo, [{ lineNo: 2, qty: 2 }]);
    expect(q1.tenders.map((t) => t.kind)).toEqual(['cash']);
    await quoteThenRefund(sale.receiptNo, [{ lineNo: 1, qty: 1 }, { lineNo: 2, qty: 1 }]);
    await quoteThenRefund(sale.receiptNo, [{ lineNo: 1 }, { lineNo: 3 }]);
    const refunded = await f.ok<{ total: number; refunded: number }>('refund.lookup', { code: sale.receiptNo });
    expect(refunded.refunded).toBe(refunded.total);
  });
});
