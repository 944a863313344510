import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withCheckDigit } from '../../src/core/barcode';
import type { CartView } from '../../src/shared/contract/cart';
import type { TenderResult } from '../../src/shared/contract/tender';
import { verifyDb } from '../../src/ledger';
import { openFixture, P, type Fixture } from './fixture';

let f: Fixture;
beforeEach(async () => {
  f = await openFixture();
});
afterEach(() => f.close());

const scan = (code: string | undefined) => f.ok<{ kind: 'item'; lineNo: number; cart: CartView }>('cart.scan', { code });

describe('dispatch basics', () => {
  it('refuses an unknown method and malformed input with codes', async () => {
    expect(await f.call('cart.nope' as 'cart.get', {})).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect(await f.call('cart.scan', { code: 5 })).toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringMatching(/code/) } });
    expect(await f.call('cart.scan', { code: '1', extra: true })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
  });
  it('needs a session except for public calls', async () => {
    expect(await f.call('cart.get', {}, {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await f.call('cart.get', {}, { sessionToken: 'forged' })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await f.call('system.status', {}, {})).toMatchObject({ ok: true, value: { store: 'S01', terminal: 'T1' } });
  });
  it('logs in by PIN, refuses a wrong PIN without saying which part was wrong, logs out', async () => {
    expect(await f.call('auth.login', { userCode: '1001', pin: '0000' }, {})).toMatchObject({ ok: false, error: { code: 'unauthenticated', message: 'wrong user code or PIN' } });
    expect(await f.call('auth.login', { userCode: '7777', pin: '1234' }, {})).toMatchObject({ ok: false, error: { code: 'unauthenticated', message: 'wrong user code or PIN' } });
    expect(await f.ok('auth.whoami', {})).toEqual({ code: '1001', name: '张三', role: 'cashier' });
    await f.ok('auth.logout', {});
    expect(await f.call('auth.whoami', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });
  it('turns an unexpected exception into internal with a safe message', async () => {
    f.t.ledger.db.exec('DROP TABLE held_carts');
    const r = await f.call('cart.listHeld', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(r.error?.message).not.toMatch(/held_carts|sqlite/i);
  });
});

describe('catalog calls', () => {
  it('looks up by barcode, UPC-A form and PLU; searches by pinyin initials', async () => {
    expect(await f.ok('catalog.lookup', { code: P.water.barcodes[0] })).toMatchObject({ sku: 'W001', initials: expect.stringMatching(/^nfsq/) });
    expect(await f.ok('catalog.lookup', { code: '201' })).toMatchObject({ sku: 'A001' });
    expect(await f.call('catalog.lookup', { code: '4006381333931' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const s = await f.ok<{ products: Array<{ sku: string }> }>('catalog.search', { query: 'nfsq' });
    expect(s.products.map((p) => p.sku)).toEqual(['W001']);
    expect((await f.ok<{ products: Array<{ sku: string }> }>('catalog.search', { query: '可乐' })).products.map((p) => p.sku)).toEqual(['C001']);
    expect(await f.ok('catalog.info', {})).toEqual({ version: 1, products: 6, promotions: 2 });
  });
});

describe('the cart', () => {
  it('adds by scan, PLU and search; a repeat scan adds to the line; bad codes are clear refusals', async () => {
    const a = await scan(P.cola.barcodes[0]);
    expect(a.lineNo).toBe(1);
    const b = await scan(P.cola.barcodes[0]);
    expect(b.cart.lines[0]?.qty).toBe(2);
    const c = await f.ok<{ lineNo: number; cart: CartView }>('cart.addPlu', { plu: '201', qty: 500 });
    expect(c.cart.lines[1]).toMatchObject({ sku: 'A001', qty: 500, gross: 640 });
    await f.ok('cart.addProduct', { sku: 'R001' });
    expect(await f.call('cart.addPlu', { plu: '201' })).toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringMatching(/weight/) } });
    expect(await f.call('cart.scan', { code: '4006381333932' })).toMatchObject({ ok: false, error: { code: 'bad-barcode' } });
    expect(await f.call('cart.scan', { code: '4006381333931' })).toMatchObject({ ok: false, error: { code: 'unknown-barcode' } });
    expect(await f.call('cart.scan', { code: P.gone.barcodes[0] })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect((await f.ok<CartView>('cart.get', {})).lines).toHaveLength(3);
  });
  it('reads price labels and 18-digit scale labels for weighed goods', async () => {
    const price = await scan(withCheckDigit('210020100599'));
    expect(price.cart.lines[0]).toMatchObject({ sku: 'A001', labelAmount: 599, gross: 599 });
    const weight = await scan(withCheckDigit('220020100500'));
    expect(weight.cart.lines[1]).toMatchObject({ qty: 500, gross: 640 });
    const scale = await scan(withCheckDigit('20002010058400456'));
    expect(scale.cart.lines[2]).toMatchObject({ qty: 456, gross: 584, labelAmount: 584 });
    expect(await f.call('cart.scan', { code: withCheckDigit('220010500500') })).toMatchObject({ ok: false, error: { code: 'bad-barcode' } });
  });
  it('recognises a payment code as a tender, not a product', async () => {
    expect(await f.ok('cart.scan', { code: '134567890123456780' })).toEqual({ kind: 'payment-code', provider: 'wechat', code: '134567890123456780' });
  });
  it('changes quantity, voids a line (kept, struck), applies promotions', async () => {
    await scan(P.noodle.barcodes[0]);
    const v = await f.ok<CartView>('cart.setQty', { lineNo: 1, qty: 2 });
    expect(v.savings).toEqual([{ kind: 'promotion', ref: 'P-NOODLE', name: '方便面第二件半价', amount: 225, lineNos: [1] }]);
    const voided = await f.ok<CartView>('cart.voidLine', { lineNo: 1 });
    expect(voided.lines[0]?.voided).toBe(true);
    expect(voided.totals.total).toBe(0);
    expect(await f.call('cart.setQty', { lineNo: 1, qty: 3 })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await f.call('cart.setQty', { lineNo: 9, qty: 3 })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
  it('limits discounts per role: over the limit needs an override, which is journaled with both people', async () => {
    await scan(P.riceball.barcodes[0]);
    expect(await f.ok<CartView>('cart.discountLine', { lineNo: 1, discount: { kind: 'percent', basisPoints: 1000 } })).toMatchObject({ totals: { total: 585 } });
    expect(await f.call('cart.discountLine', { lineNo: 1, discount: { kind: 'percent', basisPoints: 2000 } })).toMatchObject({ ok: false, error: { code: 'override-required' } });
    const head = f.t.ledger.head().seq;
    expect(await f.call('cart.discountLine', { lineNo: 1, discount: { kind: 'percent', basisPoints: 2000 } }, { sessionToken: f.tokens.cashier, override: { userCode: '2001', pin: '0000' } })).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
    expect(await f.call('cart.discountLine', { lineNo: 1, discount: { kind: 'percent', basisPoints: 5000 } }, { sessionToken: f.tokens.cashier, override: { userCode: '2001', pin: '2345' } })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(f.t.ledger.head().seq).toBe(head);
    const v = await f.ok<CartView>('cart.discountLine', { lineNo: 1, discount: { kind: 'percent', basisPoints: 2000 } }, { sessionToken: f.tokens.cashier, override: { userCode: '2001', pin: '2345' } });
    expect(v.totals.total).toBe(520);
    expect(f.t.ledger.db.prepare('SELECT action, cashier, approved_by AS approvedBy FROM overrides').all()).toEqual([{ action: 'discount.over-limit', cashier: '1001', approvedBy: '2001' }]);
    const cart = await f.ok<CartView>('cart.discountCart', { discount: { kind: 'amount', amount: 20 } });
    expect(cart.savings.map((s) => s.kind)).toEqual(['line-discount', 'cart-discount']);
    expect(cart.totals.total).toBe(500);
  });
  it('price override needs a supervisor (override on the call) and is journaled', async () => {
    await scan(P.cola.barcodes[0]);
    expect(await f.call('cart.overridePrice', { lineNo: 1, unitPrice: 300 })).toMatchObject({ ok: false, error: { code: 'override-required' } });
    const v = await f.ok<CartView>('cart.overridePrice', { lineNo: 1, unitPrice: 300 }, { sessionToken: f.tokens.cashier, override: { userCode: '2001', pin: '2345' } });
    expect(v.lines[0]).toMatchObject({ unitPrice: 300, priceOverride: 300, gross: 300 });
    expect(await f.ok<CartView>('cart.overridePrice', { lineNo: 1, unitPrice: null }, 'supervisor')).toMatchObject({ totals: { total: 350 } });
    const rows = f.t.ledger.db.prepare('SELECT action, approved_by AS approvedBy, detail FROM overrides').all();
    expect(rows).toEqual([{ action: 'cart.price-override', approvedBy: '2001', detail: 'line 1 C001: 350 -> 300' }]);
  });
  it('identifies a member for member prices', async () => {
    await scan(P.water.barcodes[0]);
    expect(await f.call('cart.setMember', { memberCode: '12345678' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const v = await f.ok<CartView>('cart.setMember', { memberCode: '88880001' });
    expect(v.member).toEqual({ code: '88880001', name: '会员甲' });
    expect(v.totals.total).toBe(180);
  });
  it('persists the open cart on every change: a restart restores it', async () => {
    await scan(P.water.barcodes[0]);
    await scan(P.cola.barcodes[0]);
    const before = await f.ok<CartView>('cart.get', {});
    await f.reopen();
    expect(await f.ok<CartView>('cart.get', {})).toEqual(before);
  });
  it('holds several carts and recalls them', async () => {
    await scan(P.water.barcodes[0]);
    const h1 = await f.ok<{ heldId: string; cart: CartView }>('cart.hold', { note: '顾客去取钱包' });
    expect(h1.cart.lines).toEqual([]);
    await scan(P.cola.barcodes[0]);
    await f.ok('cart.hold', {});
    const list = await f.ok<{ held: Array<{ heldId: string; total: number }> }>('cart.listHeld', {});
    expect(list.held.map((h) => h.total)).toEqual([200, 350]);
    await scan(P.noodle.barcodes[0]);
    expect(await f.call('cart.recall', { heldId: h1.heldId })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    await f.ok('cart.voidLine', { lineNo: 1 });
    const back = await f.ok<CartView>('cart.recall', { heldId: h1.heldId });
    expect(back.lines.map((l) => l.sku)).toEqual(['W001']);
    await f.reopen();
    expect((await f.ok<CartView>('cart.get', {})).lines.map((l) => l.sku)).toEqual(['W001']);
    expect((await f.ok<{ held: unknown[] }>('cart.listHeld', {})).held).toHaveLength(1);
  });
  it('drops an open cart whose sale is already committed when the terminal opens (power cut between ledger.db and carts.db)', async () => {
    await scan(P.water.barcodes[0]);
    const [open] = f.t.ledger.carts.list();
    const paid = await f.ok<{ completed: { saleId: string } | null }>('tender.cash', { tendered: 1000 });
    expect(paid.completed?.saleId).toBe(open?.cartId);
    // the carts file lost the clear that went with the sale
    f.t.ledger.carts.save(open?.cartId ?? '', open?.state);
    await f.reopen();
    expect((await f.ok<CartView>('cart.get', {})).lines).toEqual([]);
    expect(f.t.ledger.carts.list()).toEqual([]);
  });
});

describe('tenders and the sale commit', () => {
  it('cash with change completes the sale and returns the receipt after the commit', async () => {
    await scan(P.cola.barcodes[0]);
    await scan(P.cola.barcodes[0]);
    await scan(P.water.barcodes[0]);
    const r = await f.ok<TenderResult>('tender.cash', { tendered: 10000 });
    expect(r.completed).toMatchObject({ receiptNo: expect.stringMatching(/^S01-T1-\d{8}$/), total: 800, change: 9200 });
    const sale = f.t.ledger.db.prepare('SELECT total, paid, change FROM sales WHERE receipt_no = ?').get(r.completed?.receiptNo);
    expect(sale).toEqual({ total: 800, paid: 800, change: 9200 });
    const blocks = r.completed?.receipt.blocks ?? [];
    expect(blocks).toContainEqual({ kind: 'barcode', data: r.completed?.receiptNo, symbology: 'CODE128' });
    expect(blocks).toContainEqual(expect.objectContaining({ kind: 'qr' }));
    expect(blocks).toContainEqual({ kind: 'pair', left: '  可乐2罐6元', right: '-1.00' });
    expect(r.completed?.receipt.openDrawer).toBe(true);
    expect(r.cart.lines).toEqual([]);
    expect(f.t.ledger.carts.list()).toEqual([]);
    const copy = await f.ok<{ copy?: boolean; blocks: unknown[] }>('sale.receipt', { receiptNo: r.completed?.receiptNo });
    expect(copy.copy).toBe(true);
    // receipt lookups read by the seq the number names: the same seq under another store or terminal, or a reshaped number, is not this sale
    const no = r.completed?.receiptNo ?? '';
    for (const other of [no.replace('S01-T1-', 'S01-T2-'), no.replace('S01-', 'S02-'), no.replace(/-0+/, '-'), `${no}0`, 'S01-T1-', 'S01-T1-1e3']) {
      expect(await f.call('sale.receipt', { receiptNo: other })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    }
    expect((await f.ok<{ sales: Array<{ receiptNo: string }> }>('sale.recent', {})).sales[0]?.receiptNo).toBe(r.completed?.receiptNo);
    expect(verifyDb(f.t.ledger.db).ok).toBe(true);
  });
  it('splits tenders: card (reference only) then cash; a card cannot overpay', async () => {
    await scan(P.riceball.barcodes[0]);
    expect(await f.call('tender.card', { amount: 700, reference: 'POS-778' })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(await f.call('tender.card', { amount: 300, reference: '6222020200112233445' })).toMatchObject({ ok: false, error: { code: 'card-number' } });
    const part = await f.ok<TenderResult>('tender.card', { amount: 300, reference: 'POS-778' });
    expect(part.completed).toBeNull();
    expect(part.cart.totals.remaining).toBe(350);
    expect(await f.call('cart.scan', { code: P.water.barcodes[0] })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const done = await f.ok<TenderResult>('tender.cash', { tendered: 500 });
    expect(done.completed).toMatchObject({ total: 650, change: 150 });
    const tenders = f.t.ledger.db.prepare('SELECT kind, amount, reference FROM sale_tenders ORDER BY tender_no').all();
    expect(tenders).toEqual([{ kind: 'card', amount: 300, reference: 'POS-778' }, { kind: 'cash', amount: 350, reference: null }]);
  });
  it('removes a cash tender before completion', async () => {
    await scan(P.riceball.barcodes[0]);
    await f.ok('tender.cash', { tendered: 100 });
    const r = await f.ok<{ cart: CartView }>('tender.remove', { tenderNo: 1 });
    expect(r.cart.tenders).toEqual([]);
  });
  it('payment codes: approve, decline, timeout with revoke, and refused while offline', async () => {
    await scan(P.riceball.barcodes[0]);
    expect(await f.call('tender.paymentCode', { code: '134567890123456788' })).toMatchObject({ ok: false, error: { code: 'payment-declined' } });
    expect(await f.call('tender.paymentCode', { code: '134567890123456789' })).toMatchObject({ ok: false, error: { code: 'payment-timeout' } });
    const timedOut = [...f.payments.orders.values()].find((o) => o.outcome === 'timeout');
    expect(timedOut?.state).toBe('revoked');
    expect(timedOut?.queries).toBeGreaterThan(1);
    f.t.setOnline(false);
    const head = f.t.ledger.head().seq;
    expect(await f.call('tender.paymentCode', { code: '134567890123456780' })).toMatchObject({ ok: false, error: { code: 'offline', message: expect.stringMatching(/offline/) } });
    expect(f.t.ledger.head().seq).toBe(head);
    f.t.setOnline(true);
    const slow = await f.ok<TenderResult>('tender.paymentCode', { code: '281234567890123457', amount: 300 });
    expect(slow.cart.tenders[0]).toMatchObject({ kind: 'payment-code', provider: 'alipay', amount: 300 });
    const done = await f.ok<TenderResult>('tender.paymentCode', { code: '6212345678901234560' });
    expect(done.completed).toMatchObject({ total: 650, change: 0 });
    expect(done.completed?.receipt.openDrawer).toBe(false);
  });
  it('voids an open sale (journaled); after a tender it needs a supervisor and reverses payment codes', async () => {
    await scan(P.water.barcodes[0]);
    await f.ok('sale.void', { reason: '顾客不要了' });
    expect(f.t.ledger.db.prepare('SELECT cashier, approved_by AS approvedBy, reason, total FROM voided_sales').all()).toEqual([{ cashier: '1001', approvedBy: null, reason: '顾客不要了', total: 200 }]);
    await scan(P.riceball.barcodes[0]);
    await f.ok('tender.paymentCode', { code: '134567890123456780', amount: 100 });
    expect(await f.call('sale.void', { reason: 'x' })).toMatchObject({ ok: false, error: { code: 'override-required' } });
    await f.ok('sale.void', { reason: '顾客改主意' }, { sessionToken: f.tokens.cashier, override: { userCode: '2001', pin: '2345' } });
    expect([...f.payments.orders.values()].every((o) => o.state === 'revoked')).toBe(true);
    expect(f.t.ledger.db.prepare('SELECT approved_by AS approvedBy FROM voided_sales ORDER BY seq').all()).toEqual([{ approvedBy: null }, { approvedBy: '2001' }]);
    expect(await f.call('sale.void', { reason: 'x' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });
  it('rebuilds every projection from the journal alone', async () => {
    await scan(P.cola.barcodes[0]);
    await f.ok('tender.cash', { tendered: 500 });
    await scan(P.water.barcodes[0]);
    await f.ok('cart.hold', {});
    const dump = () => ['products', 'barcodes', 'promotions', 'users', 'sales', 'sale_lines', 'sale_tenders', 'held_carts', 'catalog_state'].map((t) => f.t.ledger.db.prepare(`SELECT * FROM ${t} ORDER BY 1`).all());
    const before = dump();
    f.t.ledger.rebuildProjections();
    expect(dump()).toEqual(before);
  });
  it('emits cart.changed and sale.completed', async () => {
    const seen: string[] = [];
    f.t.events.on('cart.changed', (e) => seen.push(`cart:${e.cart.lines.length}`));
    f.t.events.on('sale.completed', (e) => seen.push(`sale:${e.total}`));
    await scan(P.water.barcodes[0]);
    await f.ok('tender.cash', { tendered: 200 });
    expect(seen).toEqual(['cart:1', 'sale:200', 'cart:0']);
  });
});
