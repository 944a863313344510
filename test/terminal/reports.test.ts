/** X and Z reports through dispatch: the Z closes a day once, needs every shift closed, and the closed day takes no more sales. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Report } from '../../src/shared/contract/report';
import type { ReceiptDocument } from '../../src/shared/receipt';
import { encodeReceipt } from '../../drivers/escpos/encoder';
import { decodeEscPos } from '../../drivers/escpos/decoder';
import { openFixture, P, USERS, type Fixture } from './fixture';

type Clocked = Fixture & { setNow(d: Date): void };
let f: Clocked;
beforeEach(async () => {
  f = (await openFixture({ now: new Date('2026-06-01T04:00:00.000Z') })) as Clocked;
});
afterEach(() => f.close());

describe('X report', () => {
  it('shows the day so far with the open shift expected cash, and changes nothing', async () => {
    await f.ok('cart.scan', { code: P.water.barcodes[0] });
    await f.ok('tender.cash', { tendered: 500 });
    await f.ok('cart.scan', { code: P.riceball.barcodes[0] });
    await f.ok('tender.card', { amount: 650, reference: 'POS777777' });
    await f.ok('cart.scan', { code: P.cola.barcodes[0] });
    await f.ok('sale.void', { reason: '不要了' });
    const head = f.t.ledger.head();
    const x = await f.ok<Report>('report.x', {}, 'supervisor');
    expect(f.t.ledger.head()).toEqual(head);
    expect(x).toMatchObject({
      kind: 'x',
      businessDay: '2026-06-01',
      counts: { sales: 2, voids: 1, refunds: 0, noSales: 0, drawerOpenings: 2 },
      sales: { total: 850 },
      voidedTotal: 350,
      net: 850,
      closedBy: null,
    });
    expect(x.byTender).toEqual([
      { kind: 'card', provider: null, sales: 650, refunds: 0, net: 650 },
      { kind: 'cash', provider: null, sales: 200, refunds: 0, net: 200 },
    ]);
    expect(x.byTaxRate).toEqual([
      { vatRate: 1300, salesNet: 200, salesTax: 23, refundsNet: 0, refundsTax: 0 },
      { vatRate: 900, salesNet: 650, salesTax: 54, refundsNet: 0, refundsTax: 0 },
    ]);
    expect(x.shifts).toMatchObject([{ openedBy: '1001', closedAt: null, expected: 200, counted: null, variance: null }]);
    expect(await f.ok<Report>('report.x', { date: '2026-05-31' }, 'supervisor')).toMatchObject({ counts: { sales: 0 }, shifts: [] });
  });
});

describe('Z report', () => {
  it('needs every shift closed, runs once per day, and the closed day takes no more sales or shifts', async () => {
    await f.ok('cart.scan', { code: P.water.barcodes[0] });
    await f.ok('tender.cash', { tendered: 200 });
    expect(await f.call('report.z', {}, 'manager')).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/still open/) } });
    await f.ok('shift.close', { counted: [{ value: 100, count: 1 }] });
    const head = f.t.ledger.head();
    expect(await f.call('report.z', {}, 'supervisor')).toMatchObject({ ok: false, error: { code: 'override-required' } });
    expect(f.t.ledger.head()).toEqual(head);
    const z = await f.ok<Report>('report.z', {}, { sessionToken: f.tokens.supervisor, override: { userCode: USERS.manager.code, pin: USERS.manager.pin } });
    expect(z).toMatchObject({ kind: 'z', businessDay: '2026-06-01', closedBy: '2001', counts: { sales: 1 }, sales: { total: 200 } });
    expect(z.shifts).toMatchObject([{ openedBy: '1001', closedBy: '1001', float: 0, expected: 200, counted: 100, variance: -100 }]);
    // the Z slip prints on a 58 mm printer with the shift's shortage and never kicks the drawer
    const slip = (z as Report & { receipt: ReceiptDocument }).receipt;
    expect(slip).toMatchObject({ kind: 'report', openDrawer: false });
    const printed = decodeEscPos(encodeReceipt(slip, { width: 58 }))
      .flatMap((i) => (i.kind === 'line' ? [i.spans.map((x) => x.text).join('')] : i.kind === 'drawer' ? ['<drawer>'] : []))
      .join('\n');
    expect(printed).toMatch(/Z 日结报表/);
    expect(printed).toMatch(/短款\s+-1\.00/);
    expect(printed).toMatch(/净额\s+2\.00/);
    expect(printed).not.toMatch(/<drawer>/);
    const row = f.t.ledger.db.prepare('SELECT business_day AS day, closed_by AS closedBy, approved_by AS approvedBy FROM day_closes').all();
    expect(row).toEqual([{ day: '2026-06-01', closedBy: '2001', approvedBy: '3001' }]);

    const after = f.t.ledger.head();
    expect(await f.call('report.z', {}, 'manager')).toMatchObject({ ok: false, error: { code: 'day-closed', message: expect.stringMatching(/already run/) } });
    expect(await f.call('shift.open', { float: [] })).toMatchObject({ ok: false, error: { code: 'day-closed' } });
    await f.ok('settings.setOperations', { ...(await f.ok<object>('settings.operations', {})), shiftRequired: false }, 'admin');
    expect(await f.call('cart.scan', { code: P.water.barcodes[0] })).toMatchObject({ ok: false, error: { code: 'day-closed' } });
    expect(f.t.ledger.head().seq).toBe(after.seq + 1);
    // the X report of a closed day still reads it
    expect(await f.ok<Report>('report.x', { date: '2026-06-01' }, 'manager')).toMatchObject({ kind: 'x', sales: { total: 200 } });

    f.setNow(new Date('2026-06-01T16:30:00.000Z'));
    expect(await f.call('shift.open', { float: [] })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    const again = await f.ok<{ sessionToken: string }>('auth.login', { userCode: USERS.cashier.code, pin: USERS.cashier.pin }, {});
    expect(await f.ok('shift.open', { float: [] }, { sessionToken: again.sessionToken })).toMatchObject({ openedBy: '1001' });
    const boss = await f.ok<{ sessionToken: string }>('auth.login', { userCode: USERS.manager.code, pin: USERS.manager.pin }, {});
    expect(await f.call('report.z', { date: '2026-06-03' }, { sessionToken: boss.sessionToken })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
  });
});
