/**
 * The six supervisor overrides of issue 4 in one place: void after tender,
 * refund, discount over the limit, price override, no-sale, shift close with a
 * variance. Each is refused without the second credential (nothing written)
 * and, with it, journaled as OverrideGranted with both people.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, P, USERS, type Fixture } from './fixture';

let f: Fixture;
beforeEach(async () => {
  f = await openFixture();
});
afterEach(() => f.close());

const sup = () => ({ sessionToken: f.tokens.cashier, override: { userCode: USERS.supervisor.code, pin: USERS.supervisor.pin } });

async function refusedThenApproved(method: Parameters<Fixture['call']>[0], input: unknown): Promise<void> {
  const head = f.t.ledger.head();
  const r = await f.call(method, input);
  expect(r, method).toMatchObject({ ok: false, error: { code: 'override-required' } });
  expect(f.t.ledger.head(), `${method} wrote while refused`).toEqual(head);
  expect(await f.call(method, input, sup()), method).toMatchObject({ ok: true });
}

describe('supervisor overrides', () => {
  it('are refused without a second credential and journaled with both people when given', async () => {
    await f.ok('cart.scan', { code: P.cola.barcodes[0] });
    await refusedThenApproved('cart.discountLine', { lineNo: 1, discount: { kind: 'percent', basisPoints: 2000 } });
    await refusedThenApproved('cart.overridePrice', { lineNo: 1, unitPrice: 300 });
    await f.ok('tender.cash', { tendered: 100 });
    await refusedThenApproved('sale.void', { reason: '顾客取消' });

    await f.ok('cart.scan', { code: P.water.barcodes[0] });
    const sale = await f.ok<{ completed: { receiptNo: string } }>('tender.cash', { tendered: 200 });
    await refusedThenApproved('refund.receipt', { code: sale.completed.receiptNo, lines: [{ lineNo: 1 }], reason: '退货' });
    await refusedThenApproved('drawer.open', { reason: '换零钱' });
    // a refused blind count is kept on record (ShiftCountRejected), the rest of the call writes nothing
    const head = f.t.ledger.head();
    expect(await f.call('shift.close', { counted: [{ value: 10000, count: 1 }] })).toMatchObject({ ok: false, error: { code: 'override-required' } });
    expect(f.t.ledger.entries(head.seq + 1, 10).map((e) => e.type)).toEqual(['ShiftCountRejected']);
    expect(await f.call('shift.close', { counted: [{ value: 10000, count: 1 }] }, sup())).toMatchObject({ ok: true });

    const rows = f.t.ledger.db.prepare('SELECT action, cashier, approved_by AS approvedBy FROM overrides ORDER BY seq').all();
    expect(rows).toEqual(
      ['discount.over-limit', 'cart.price-override', 'sale.void-after-tender', 'refund.receipt', 'drawer.no-sale', 'shift.close-variance'].map((action) => ({
        action,
        cashier: USERS.cashier.code,
        approvedBy: USERS.supervisor.code,
      })),
    );
    const journaled = f.t.ledger
      .entries(1, 10_000)
      .filter((e) => e.type === 'OverrideGranted')
      .map((e) => JSON.parse(e.payload) as { cashier: string; approvedBy: string });
    expect(journaled).toHaveLength(6);
    expect(journaled.every((o) => o.cashier === '1001' && o.approvedBy === '2001')).toBe(true);
  });
});
