/** Returns and refunds through dispatch: lookup by barcode/QR/number, partial returns pro rata after promotions, never twice, tenders by policy, no-receipt limits. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_OPERATIONS } from '../../src/core/operations';
import type { RefundResult } from '../../src/shared/contract/refund';
import { openFixture, P, USERS, type Fixture } from './fixture';

let f: Fixture;
beforeEach(async () => {
  f = await openFixture();
});
afterEach(() => f.close());

const sup = () => ({ sessionToken: f.tokens.cashier, override: { userCode: USERS.supervisor.code, pin: USERS.supervisor.pin } });
const scan = (p: { barcodes: string[] }) => f.ok('cart.scan', { code: p.barcodes[0] });
type Lookup = { receiptNo: string; total: number; refunded: number; lines: Array<{ lineNo: number; sku: string; qty: number; returnedQty: number; paid: number; refundable: number }> };

/** cola x2 (2 for 6.00), water, noodle x2 (2nd half price): 6.00 + 2.00 + 6.75 = 14.75; card 5.00 + cash 10.00 (change 0.25) */
async function mixedSale(): Promise<string> {
  await scan(P.cola);
  await scan(P.cola);
  await scan(P.water);
  await scan(P.noodle);
  await scan(P.noodle);
  await f.ok('tender.card', { amount: 500, reference: 'POS000111' });
  const r = await f.ok<{ completed: { receiptNo: string; total: number } }>('tender.cash', { tendered: 1000 });
  expect(r.completed.total).toBe(1475);
  return r.completed.receiptNo;
}

describe('finding the sale', () => {
  it('by receipt number, barcode and QR content, with what each line paid after promotions', async () => {
    const no = await mixedSale();
    const byNo = await f.ok<Lookup>('refund.lookup', { code: no });
    expect(await f.ok('refund.lookup', { code: `till:receipt:${no}` })).toEqual(byNo);
    expect(await f.ok('refund.lookup', { code: ` ${no}\n` })).toEqual(byNo);
    expect(byNo.lines.map((l) => [l.sku, l.qty, l.paid, l.refundable])).toEqual([
      ['C001', 2, 600, 600],
      ['W001', 1, 200, 200],
      ['N001', 2, 675, 675],
    ]);
    expect(byNo.lines.reduce((s, l) => s + l.paid, 0)).toBe(byNo.total);
    expect(await f.call('refund.lookup', { code: 'S01-T1-99999999' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});

describe('returns with a receipt', () => {
  it('needs a supervisor; pays back pro rata, never more than paid, never a line twice; card first, then cash', async () => {
    const no = await mixedSale();
    const noodle = 3;
    let head = f.t.ledger.head();
    expect(await f.call('refund.receipt', { code: no, lines: [{ lineNo: noodle, qty: 1 }], reason: '破损' })).toMatchObject({ ok: false, error: { code: 'override-required' } });
    expect(await f.call('refund.receipt', { code: no, lines: [{ lineNo: noodle, qty: 1 }], reason: '破损' }, sup())).toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringMatching(/card terminal/) } });
    expect(f.t.ledger.head()).toEqual(head);

    const r1 = await f.ok<RefundResult>('refund.receipt', { code: no, lines: [{ lineNo: noodle, qty: 1 }], reason: '破损', cardReference: 'RF000001' }, sup());
    expect(r1).toMatchObject({ amount: 337, tenders: [{ kind: 'card', amount: 337, reference: 'RF000001' }], receipt: { kind: 'refund', openDrawer: false } });
    const r2 = await f.ok<RefundResult>('refund.receipt', { code: `till:receipt:${no}`, lines: [{ lineNo: noodle }], reason: '破损', cardReference: 'RF000002' }, 'supervisor');
    expect(r2.amount).toBe(338);
    expect(r2.tenders).toEqual([
      { kind: 'card', provider: null, amount: 163, reference: 'RF000002' },
      { kind: 'cash', provider: null, amount: 175, reference: null },
    ]);
    expect(r2.receipt.openDrawer).toBe(true);

    head = f.t.ledger.head();
    expect(await f.call('refund.receipt', { code: no, lines: [{ lineNo: noodle }], reason: 'again' }, 'supervisor')).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/already returned/) } });
    expect(await f.call('refund.receipt', { code: no, lines: [{ lineNo: 1, qty: 3 }], reason: 'too many' }, 'supervisor')).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await f.call('refund.receipt', { code: no, lines: [{ lineNo: 9 }], reason: 'no such line' }, 'supervisor')).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await f.call('refund.receipt', { code: no, lines: [{ lineNo: 1 }, { lineNo: 1 }], reason: 'dup' }, 'supervisor')).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(f.t.ledger.head()).toEqual(head);

    const r3 = await f.ok<RefundResult>('refund.receipt', { code: no, lines: [{ lineNo: 1 }, { lineNo: 2 }], reason: '不要了' }, 'supervisor');
    expect(r3).toMatchObject({ amount: 800, tenders: [{ kind: 'cash', amount: 800 }] });
    const after = await f.ok<Lookup>('refund.lookup', { code: no });
    expect(after.refunded).toBe(after.total);
    expect(after.lines.every((l) => l.refundable === 0 && l.returnedQty === l.qty)).toBe(true);
    const sums = f.t.ledger.db.prepare('SELECT kind, sum(amount) AS amount FROM refund_tenders GROUP BY kind ORDER BY kind').all();
    expect(sums).toEqual([
      { kind: 'card', amount: 500 },
      { kind: 'cash', amount: 975 },
    ]);
    expect(f.t.ledger.db.prepare("SELECT action, cashier, approved_by AS approvedBy FROM overrides").all()).toEqual([{ action: 'refund.receipt', cashier: '1001', approvedBy: '2001' }]);
    expect(f.t.ledger.db.prepare("SELECT count(*) FROM drawer_openings WHERE cause = 'refund'").pluck().get()).toBe(2);
  });

  it('pays back in cash when the store policy says so', async () => {
    const no = await mixedSale();
    await f.ok('settings.setOperations', { ...DEFAULT_OPERATIONS, refundTo: 'cash' }, 'admin');
    const r = await f.ok<RefundResult>('refund.receipt', { code: no, lines: [{ lineNo: 2 }], reason: '不要了' }, 'supervisor');
    expect(r.tenders).toEqual([{ kind: 'cash', provider: null, amount: 200, reference: null }]);
  });

  it('refunds a payment-code payment in parts through the provider, each part once, never while offline', async () => {
    await scan(P.water);
    await scan(P.cola);
    const paid = await f.ok<{ completed: { receiptNo: string } }>('tender.paymentCode', { code: '134567890123456780' });
    const no = paid.completed.receiptNo;
    const [orderNo] = [...f.payments.orders.keys()];
    const head = f.t.ledger.head();
    f.t.setOnline(false);
    expect(await f.call('refund.receipt', { code: no, lines: [{ lineNo: 1 }], reason: '部分' }, 'supervisor')).toMatchObject({ ok: false, error: { code: 'offline' } });
    expect(f.t.ledger.head()).toEqual(head);
    f.t.setOnline(true);
    const part = await f.ok<RefundResult>('refund.receipt', { code: no, lines: [{ lineNo: 1 }], reason: '部分' }, 'supervisor');
    expect(part.tenders).toMatchObject([{ kind: 'payment-code', provider: 'wechat', amount: 200, reference: orderNo }]);
    const rest = await f.ok<RefundResult>('refund.receipt', { code: no, lines: [{ lineNo: 2 }], reason: '其余' }, 'supervisor');
    expect(rest.tenders).toMatchObject([{ kind: 'payment-code', amount: 350 }]);
    expect([...f.payments.refunds.values()]).toEqual([
      { orderId: orderNo, amount: 200 },
      { orderId: orderNo, amount: 350 },
    ]);
    expect(f.payments.refundable(orderNo as string)).toBe(0);
    const journal = f.t.ledger.db.prepare("SELECT type FROM journal WHERE type LIKE 'PaymentRefund%' OR type = 'RefundCompleted' ORDER BY seq").pluck().all();
    expect(journal).toEqual(['PaymentRefundStarted', 'PaymentRefundSettled', 'RefundCompleted', 'PaymentRefundStarted', 'PaymentRefundSettled', 'RefundCompleted']);
  });

  it('needs an open shift', async () => {
    const no = await mixedSale();
    await f.ok('shift.close', { counted: [] }, sup());
    expect(await f.call('refund.receipt', { code: no, lines: [{ lineNo: 2 }], reason: 'x' }, 'supervisor')).toMatchObject({ ok: false, error: { code: 'shift-required' } });
  });
});

describe('returns without a receipt', () => {
  it("need a supervisor, pay today's price in cash, and are limited by the store setting", async () => {
    const head = f.t.ledger.head();
    expect(await f.call('refund.noReceipt', { items: [{ sku: 'W001', qty: 2 }], reason: '无小票' })).toMatchObject({ ok: false, error: { code: 'override-required' } });
    expect(await f.call('refund.noReceipt', { items: [{ sku: 'R001', qty: 8 }], reason: '无小票' }, sup())).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/at most 50\.00/) } });
    expect(await f.call('refund.noReceipt', { items: [{ sku: 'A001', qty: 1 }], reason: '无小票' }, sup())).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(f.t.ledger.head()).toEqual(head);
    const r = await f.ok<RefundResult>('refund.noReceipt', { items: [{ sku: 'W001', qty: 2 }], reason: '无小票' }, sup());
    expect(r).toMatchObject({ amount: 400, tenders: [{ kind: 'cash', amount: 400 }], receipt: { openDrawer: true } });
    expect(f.t.ledger.db.prepare('SELECT sale_seq AS saleSeq, approved_by AS approvedBy, amount FROM refunds').all()).toEqual([{ saleSeq: null, approvedBy: '2001', amount: 400 }]);
    expect(f.t.ledger.db.prepare('SELECT vat_rate AS vatRate, tax FROM refund_lines').all()).toEqual([{ vatRate: 1300, tax: 46 }]);
    await f.ok('settings.setOperations', { ...DEFAULT_OPERATIONS, noReceiptLimit: 0 }, 'admin');
    expect(await f.call('refund.noReceipt', { items: [{ sku: 'W001', qty: 1 }], reason: '无小票' }, 'manager')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('rebuilds the refund tables from the journal alone', async () => {
    const no = await mixedSale();
    await f.ok('refund.receipt', { code: no, lines: [{ lineNo: 3, qty: 1 }], reason: 'x', cardReference: 'RF000009' }, 'supervisor');
    await f.ok('refund.noReceipt', { items: [{ sku: 'W001', qty: 1 }], reason: 'y' }, 'supervisor');
    const dump = () => ['refunds', 'refund_lines', 'refund_tenders', 'drawer_openings'].map((t) => f.t.ledger.db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all());
    const before = dump();
    f.t.ledger.rebuildProjections();
    expect(dump()).toEqual(before);
  });
});
