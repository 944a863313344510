/** Shifts through dispatch: one open per till, selling needs one, paid-in/out, blind close with over/short, no-sale drawer, drawer accountability. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_OPERATIONS } from '../../src/core/operations';
import { openFixture, P, USERS, type Fixture } from './fixture';

let f: Fixture;
beforeEach(async () => {
  f = await openFixture();
});
afterEach(() => f.close());

const sup = () => ({ sessionToken: f.tokens.cashier, override: { userCode: USERS.supervisor.code, pin: USERS.supervisor.pin } });
const drawer = () => f.t.ledger.db.prepare('SELECT cause, cashier, approved_by AS approvedBy FROM drawer_openings ORDER BY seq').all();

async function cashSale(code: string, tendered: number) {
  await f.ok('cart.scan', { code });
  return f.ok<{ completed: { total: number } }>('tender.cash', { tendered });
}

describe('shifts', () => {
  it('one open shift per till; the current shift never shows the expected cash', async () => {
    const cur = await f.ok<{ shift: Record<string, unknown> }>('shift.current', {});
    expect(Object.keys(cur.shift).sort()).toEqual(['float', 'openedAt', 'openedBy', 'shiftId']);
    expect(await f.call('shift.open', { float: [] }, 'supervisor')).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await f.call('shift.open', { float: [{ value: 300, count: 1 }] })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
  });

  it('blind close: expected = float + cash sales + paid-in - paid-out; exact count has no over/short; then selling needs a new shift', async () => {
    await f.ok('shift.close', { counted: [] });
    const opened = await f.ok<{ float: number }>('shift.open', { float: [{ value: 10000, count: 1 }, { value: 1000, count: 5 }, { value: 100, count: 10 }] });
    expect(opened.float).toBe(16000);
    await cashSale(P.water.barcodes[0] as string, 1000);
    await f.ok('cart.scan', { code: P.cola.barcodes[0] });
    await f.ok('tender.card', { amount: 350, reference: 'POS123456' });
    await f.ok('shift.paidIn', { amount: 5000, reason: '从保险柜换零钱' });
    expect(await f.call('shift.paidOut', { amount: 2000, reason: '付送水费' })).toMatchObject({ ok: false, error: { code: 'override-required' } });
    await f.ok('shift.paidOut', { amount: 2000, reason: '付送水费' }, sup());
    const mv = f.t.ledger.db.prepare('SELECT kind, amount, cashier, approved_by AS approvedBy FROM cash_movements ORDER BY seq').all();
    expect(mv).toEqual([
      { kind: 'paid-in', amount: 5000, cashier: '1001', approvedBy: null },
      { kind: 'paid-out', amount: 2000, cashier: '1001', approvedBy: '2001' },
    ]);
    // 160.00 float + 2.00 cash sale + 50.00 in - 20.00 out = 192.00
    const close = await f.ok<{ expected: number; counted: number; variance: number; approvedBy: string | null }>('shift.close', {
      counted: [{ value: 10000, count: 1 }, { value: 5000, count: 1 }, { value: 2000, count: 2 }, { value: 100, count: 2 }],
    });
    expect(close).toMatchObject({ expected: 19200, counted: 19200, variance: 0, approvedBy: null });
    expect(await f.call('cart.scan', { code: P.water.barcodes[0] })).toMatchObject({ ok: false, error: { code: 'shift-required' } });
    expect(await f.call('shift.paidIn', { amount: 100, reason: 'x' })).toMatchObject({ ok: false, error: { code: 'shift-required' } });
    expect(await f.call('shift.close', { counted: [] })).toMatchObject({ ok: false, error: { code: 'shift-required' } });
    expect(await f.ok('shift.current', {})).toEqual({ shift: null });
  });

  it('a count off by more than the threshold needs a supervisor, without revealing the expected amount; over/short is journaled', async () => {
    await cashSale(P.riceball.barcodes[0] as string, 1000);
    const head = f.t.ledger.head();
    const over = await f.call('shift.close', { counted: [{ value: 2000, count: 1 }] });
    expect(over).toMatchObject({ ok: false, error: { code: 'override-required', message: expect.stringMatching(/on record/) } });
    expect(over.error?.message).not.toMatch(/6\.50|650|13\.50|1350/);
    // the refused count stays on record, and no recount closes the shift without a supervisor now
    const rejected = f.t.ledger.entries(head.seq + 1, 10);
    expect(rejected.map((e) => [e.type, JSON.parse(e.payload).counted])).toEqual([['ShiftCountRejected', 2000]]);
    expect(await f.call('shift.close', { counted: [{ value: 500, count: 1 }, { value: 100, count: 1 }, { value: 50, count: 1 }] })).toMatchObject({
      ok: false,
      error: { code: 'override-required', message: expect.stringMatching(/earlier count/) },
    });
    expect(f.t.ledger.head().seq).toBe(head.seq + 1);
    const rebuiltBefore = f.t.ledger.db.prepare('SELECT rejected_counts FROM shifts').pluck().all();
    f.t.ledger.rebuildProjections();
    expect(f.t.ledger.db.prepare('SELECT rejected_counts FROM shifts').pluck().all()).toEqual(rebuiltBefore);
    expect(rebuiltBefore).toEqual([1]);
    const close = await f.ok<{ expected: number; variance: number; approvedBy: string | null }>('shift.close', { counted: [{ value: 2000, count: 1 }] }, sup());
    expect(close).toMatchObject({ expected: 650, variance: 1350, approvedBy: '2001' });
    const row = f.t.ledger.db.prepare('SELECT counted, expected, variance, approved_by AS approvedBy, closed_by AS closedBy FROM shifts').get();
    expect(row).toEqual({ counted: 2000, expected: 650, variance: 1350, approvedBy: '2001', closedBy: '1001' });
    const ov = f.t.ledger.db.prepare('SELECT action, cashier, approved_by AS approvedBy FROM overrides').all();
    expect(ov).toEqual([{ action: 'shift.close-variance', cashier: '1001', approvedBy: '2001' }]);
  });

  it('within the threshold the cashier closes alone; the threshold is a setting', async () => {
    await cashSale(P.water.barcodes[0] as string, 200);
    expect(await f.ok('shift.close', { counted: [{ value: 100, count: 1 }] })).toMatchObject({ variance: -100, approvedBy: null });
    await f.ok('settings.setOperations', { ...DEFAULT_OPERATIONS, varianceThreshold: 0 }, 'admin');
    await f.ok('shift.open', { float: [] });
    await cashSale(P.water.barcodes[0] as string, 200);
    expect(await f.call('shift.close', { counted: [{ value: 100, count: 3 }] })).toMatchObject({ ok: false, error: { code: 'override-required' } });
  });

  it('refuses to close with a sale open', async () => {
    await f.ok('cart.scan', { code: P.water.barcodes[0] });
    expect(await f.call('shift.close', { counted: [] })).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('sells without a shift when the store setting says so', async () => {
    await f.ok('shift.close', { counted: [] });
    expect(await f.call('cart.scan', { code: P.water.barcodes[0] })).toMatchObject({ ok: false, error: { code: 'shift-required' } });
    await f.ok('settings.setOperations', { ...DEFAULT_OPERATIONS, shiftRequired: false }, 'admin');
    await cashSale(P.water.barcodes[0] as string, 200);
  });
});

describe('drawer accountability', () => {
  it('a no-sale opening needs a supervisor and is journaled with both people; every opening has its cause', async () => {
    expect(await f.call('drawer.open', { reason: '换零钱' })).toMatchObject({ ok: false, error: { code: 'override-required' } });
    expect(await f.ok('drawer.open', { reason: '换零钱' }, sup())).toMatchObject({ cause: 'no-sale', openDrawer: true });
    await f.ok('drawer.open', { reason: '核对' }, 'supervisor');
    await f.ok('shift.paidIn', { amount: 1000, reason: '零钱' });
    await f.ok('shift.close', { counted: [{ value: 1000, count: 1 }] });
    expect(drawer()).toEqual([
      { cause: 'shift-open', cashier: '1001', approvedBy: null },
      { cause: 'no-sale', cashier: '1001', approvedBy: '2001' },
      { cause: 'no-sale', cashier: '2001', approvedBy: null },
      { cause: 'paid-in', cashier: '1001', approvedBy: null },
      { cause: 'shift-close', cashier: '1001', approvedBy: null },
    ]);
    expect(f.t.ledger.db.prepare("SELECT action, cashier, approved_by AS approvedBy FROM overrides").all()).toEqual([
      { action: 'drawer.no-sale', cashier: '1001', approvedBy: '2001' },
    ]);
  });

  it('rebuilds the shift, movement and drawer tables from the journal alone', async () => {
    await f.ok('shift.paidOut', { amount: 300, reason: '买胶带' }, sup());
    await f.ok('shift.close', { counted: [] }, sup());
    const dump = () => ['shifts', 'cash_movements', 'drawer_openings', 'operations_settings'].map((t) => f.t.ledger.db.prepare(`SELECT * FROM ${t} ORDER BY 1`).all());
    const before = dump();
    f.t.ledger.rebuildProjections();
    expect(dump()).toEqual(before);
  });
});
