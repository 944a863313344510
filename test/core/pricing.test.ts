import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addItem, newCart, setCartDiscount, setLineDiscount, setMember, overridePrice, type CartState } from '../../src/core/cart';
import { priceCart, quickCash, roundingOf, vatOf } from '../../src/core/pricing';
import { addCash, addCard } from '../../src/core/tender';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { allocate } from '../../src/core/allocate';
import type { Product, Promotion, StoreSettings } from '../../src/shared/contract/catalog';

const NOW = new Date('2026-06-01T04:00:00.000Z');
const always = { from: null, to: null, dailyFromMinute: null, dailyToMinute: null };
const cashier = { code: '1001', name: 'c' };

function product(i: number, o: Partial<Product> = {}): Product {
  return { sku: `K${i}`, name: `商品${i}`, barcodes: [], plu: String(i), category: `cat${i % 3}`, unit: '个', price: 100 * i, memberPrice: null, vatRate: 1300, weighed: false, active: true, ...o };
}

const settings = (rounding: StoreSettings['rounding'] = { unit: 'none', method: 'down' }): StoreSettings => ({ ...DEFAULT_SETTINGS, rounding });

describe('tax and rounding', () => {
  it('takes VAT out of a tax-inclusive amount, half-up', () => {
    expect(vatOf(1000, 1300)).toBe(115); // 1000 * 13 / 113 = 115.04
    expect(vatOf(113, 1300)).toBe(13);
    expect(vatOf(109, 900)).toBe(9);
    expect(vatOf(1000, 0)).toBe(0);
    expect(vatOf(53, 600)).toBe(3); // 2.99 -> 3
  });
  it('rounds the total to the jiao or yuan, down or half-up', () => {
    expect(roundingOf(1234, { unit: 'jiao', method: 'down' })).toBe(-4);
    expect(roundingOf(1235, { unit: 'jiao', method: 'half-up' })).toBe(5);
    expect(roundingOf(1234, { unit: 'jiao', method: 'half-up' })).toBe(-4);
    expect(roundingOf(1299, { unit: 'yuan', method: 'down' })).toBe(-99);
    expect(roundingOf(1250, { unit: 'yuan', method: 'half-up' })).toBe(50);
    expect(roundingOf(1299, { unit: 'none', method: 'down' })).toBe(0);
  });
  it('suggests the exact amount and the next notes', () => {
    expect(quickCash(1234)).toEqual([1234, 2000, 5000, 10000]);
    expect(quickCash(2000)).toEqual([2000, 5000, 10000]);
    expect(quickCash(0)).toEqual([]);
  });
  it('allocates exactly, deterministically', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.array(fc.integer({ min: 0, max: 1e5 }), { minLength: 1, maxLength: 20 }), (a, w) => {
        const parts = allocate(a, w);
        return parts.reduce((x, y) => x + y, 0) === a && parts.every((p) => Number.isInteger(p) && p >= 0);
      }),
    );
  });
});

describe('promotions', () => {
  const cola = product(1, { sku: 'COLA', price: 350, category: '饮料' });
  const water = product(2, { sku: 'WATER', price: 200, category: '饮料', memberPrice: 180 });
  const noodle = product(3, { sku: 'NOODLE', price: 450, category: '方便食品' });
  const rice = product(4, { sku: 'RICE', price: 650, category: '鲜食' });
  const base = { active: true, membersOnly: false, window: always };
  const multi: Promotion = { ...base, id: 'A-MULTI', name: '2罐6元', kind: 'multi-buy', items: { skus: ['COLA'], categories: [] }, qty: 2, price: 600 };
  const half: Promotion = { ...base, id: 'B-HALF', name: '第二件半价', kind: 'nth-off', items: { skus: ['NOODLE'], categories: [] }, n: 2, percentOff: 5000 };
  const b2g1: Promotion = { ...base, id: 'C-B2G1', name: '饮料买二送一', kind: 'buy-get', buy: { skus: [], categories: ['饮料'] }, buyQty: 2, get: { skus: [], categories: ['饮料'] }, getQty: 1 };
  const combo: Promotion = { ...base, id: 'D-COMBO', name: '饭团+饮料9.90', kind: 'combo', components: [{ skus: [], categories: ['鲜食'] }, { skus: [], categories: ['饮料'] }], price: 990 };

  function cart(items: Array<[Product, number]>, member = false): CartState {
    const c = newCart('c1', NOW.toISOString(), cashier);
    for (const [p, q] of items) for (let k = 0; k < q; k++) addItem(c, { product: p, barcode: null });
    if (member) setMember(c, { code: '8888', name: 'm' });
    return c;
  }
  const price = (c: CartState, promotions: Promotion[]) => priceCart(c, { promotions, settings: settings(), now: NOW }).view;

  it('multi-buy: 3 colas at 2 for 6.00 save 1.00, shown as its own line', () => {
    const v = price(cart([[cola, 3]]), [multi]);
    expect(v.savings).toEqual([{ kind: 'promotion', ref: 'A-MULTI', name: '2罐6元', amount: 100, lineNos: [1] }]);
    expect(v.totals.total).toBe(950);
  });
  it('second item at half price', () => {
    const v = price(cart([[noodle, 3]]), [half]);
    expect(v.totals.savings).toBe(225);
  });
  it('buy two get one: the third drink is free', () => {
    const v = price(cart([[cola, 2], [water, 1]]), [b2g1]);
    expect(v.savings[0]).toMatchObject({ ref: 'C-B2G1', amount: 200 });
  });
  it('combo across categories', () => {
    const v = price(cart([[rice, 1], [cola, 1]]), [combo]);
    expect(v.savings[0]).toMatchObject({ ref: 'D-COMBO', amount: 650 + 350 - 990 });
  });
  it('chooses the best promotion for the customer when two want the same items', () => {
    // 2 colas + 1 water: multi-buy saves 100 on the colas, buy-2-get-1 frees the water (200): the latter wins
    const v = price(cart([[cola, 2], [water, 1]]), [multi, b2g1]);
    expect(v.savings.map((s) => s.ref)).toEqual(['C-B2G1']);
    // the order of the promotion list does not matter
    expect(price(cart([[cola, 2], [water, 1]]), [b2g1, multi])).toEqual(v);
  });
  it('member price only for members, as a saving line', () => {
    expect(price(cart([[water, 2]]), []).totals.total).toBe(400);
    const m = price(cart([[water, 2]], true), []);
    expect(m.savings).toEqual([{ kind: 'member-price', ref: 'member', name: '会员价', amount: 40, lineNos: [1] }]);
  });
  it('time-limited promotions run only inside their window (store local time)', () => {
    const happy: Promotion = { ...multi, id: 'E-HAPPY', window: { from: '2026-06-01T00:00:00Z', to: '2026-06-02T00:00:00Z', dailyFromMinute: 14 * 60, dailyToMinute: 16 * 60 } };
    const at = (iso: string) => priceCart(cart([[cola, 2]]), { promotions: [happy], settings: settings(), now: new Date(iso) }).view.totals.savings;
    expect(at('2026-06-01T06:30:00Z')).toBe(100); // 14:30 in China
    expect(at('2026-06-01T05:59:00Z')).toBe(0); // 13:59
    expect(at('2026-06-02T06:30:00Z')).toBe(0); // next day, after the end
  });
  it('members-only promotions need a member', () => {
    const mo: Promotion = { ...multi, membersOnly: true };
    expect(price(cart([[cola, 2]]), [mo]).totals.savings).toBe(0);
    expect(price(cart([[cola, 2]], true), [mo]).totals.savings).toBe(100);
  });
  it('special price beats a worse member price', () => {
    const sp: Promotion = { ...base, id: 'F-SP', name: '限时特价', kind: 'special-price', items: { skus: ['WATER'], categories: [] }, price: 150 };
    const v = price(cart([[water, 1]], true), [sp]);
    expect(v.savings).toEqual([{ kind: 'promotion', ref: 'F-SP', name: '限时特价', amount: 50, lineNos: [1] }]);
  });
});

describe('money invariants (property)', () => {
  const productArb = fc.record({
    price: fc.integer({ min: 1, max: 50_000 }),
    memberPrice: fc.option(fc.integer({ min: 1, max: 50_000 }), { nil: null }),
    vatRate: fc.constantFrom(0, 600, 900, 1300) as fc.Arbitrary<0 | 600 | 900 | 1300>,
    weighed: fc.boolean(),
    category: fc.constantFrom('a', 'b', 'c'),
  });
  const lineArb = fc.record({
    p: fc.integer({ min: 0, max: 5 }),
    qty: fc.integer({ min: 1, max: 30 }),
    grams: fc.integer({ min: 1, max: 5000 }),
    label: fc.option(fc.integer({ min: 1, max: 20_000 }), { nil: null }),
    discount: fc.option(fc.oneof(fc.record({ kind: fc.constant('amount' as const), amount: fc.integer({ min: 1, max: 5000 }) }), fc.record({ kind: fc.constant('percent' as const), basisPoints: fc.integer({ min: 1, max: 10000 }) })), { nil: null }),
    override: fc.option(fc.integer({ min: 0, max: 30_000 }), { nil: null }),
  });
  const promoArb: fc.Arbitrary<Promotion> = fc.oneof(
    fc.record({ qty: fc.integer({ min: 2, max: 4 }), price: fc.integer({ min: 0, max: 20_000 }), cat: fc.constantFrom('a', 'b', 'c') }).map(
      (x): Promotion => ({ id: `m${x.qty}${x.cat}`, name: 'm', kind: 'multi-buy', active: true, membersOnly: false, window: always, items: { skus: [], categories: [x.cat] }, qty: x.qty, price: x.price }),
    ),
    fc.record({ n: fc.integer({ min: 2, max: 3 }), pct: fc.integer({ min: 1, max: 10000 }), cat: fc.constantFrom('a', 'b', 'c') }).map(
      (x): Promotion => ({ id: `n${x.n}${x.cat}`, name: 'n', kind: 'nth-off', active: true, membersOnly: false, window: always, items: { skus: [], categories: [x.cat] }, n: x.n, percentOff: x.pct }),
    ),
    fc.record({ cat: fc.constantFrom('a', 'b', 'c'), cat2: fc.constantFrom('a', 'b', 'c') }).map(
      (x): Promotion => ({ id: `g${x.cat}${x.cat2}`, name: 'g', kind: 'buy-get', active: true, membersOnly: false, window: always, buy: { skus: [], categories: [x.cat] }, buyQty: 2, get: { skus: [], categories: [x.cat2] }, getQty: 1 }),
    ),
    fc.record({ price: fc.integer({ min: 0, max: 20_000 }) }).map(
      (x): Promotion => ({ id: 'combo', name: 'c', kind: 'combo', active: true, membersOnly: false, window: always, components: [{ skus: [], categories: ['a'] }, { skus: [], categories: ['b'] }], price: x.price }),
    ),
  );
  const scenario = fc.record({
    products: fc.array(productArb, { minLength: 6, maxLength: 6 }),
    lines: fc.array(lineArb, { minLength: 1, maxLength: 12 }),
    promos: fc.uniqueArray(promoArb, { maxLength: 4, selector: (p) => p.id }),
    member: fc.boolean(),
    cartDiscount: fc.option(fc.oneof(fc.record({ kind: fc.constant('amount' as const), amount: fc.integer({ min: 1, max: 50_000 }) }), fc.record({ kind: fc.constant('percent' as const), basisPoints: fc.integer({ min: 1, max: 10000 }) })), { nil: null }),
    rounding: fc.record({ unit: fc.constantFrom('none', 'jiao', 'yuan') as fc.Arbitrary<'none' | 'jiao' | 'yuan'>, method: fc.constantFrom('down', 'half-up') as fc.Arbitrary<'down' | 'half-up'> }),
    cash: fc.array(fc.integer({ min: 1, max: 100_000 }), { minLength: 1, maxLength: 3 }),
  });

  it('gross - savings + rounding = total; tax adds up per rate; tenders - change = total; all integers', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const c = newCart('c', NOW.toISOString(), cashier);
        for (const l of s.lines) {
          const p = product(l.p + 1, { ...s.products[l.p], sku: `K${l.p}` });
          const ln = addItem(c, { product: p, barcode: null, qty: p.weighed ? l.grams : l.qty, labelAmount: l.label });
          if (l.discount) setLineDiscount(c, ln, l.discount);
          if (l.override !== null && l.label === null) overridePrice(c, ln, l.override);
        }
        if (s.member) setMember(c, { code: '8', name: 'm' });
        if (s.cartDiscount) setCartDiscount(c, s.cartDiscount);
        const ctx = { promotions: s.promos, settings: settings(s.rounding), now: NOW };
        const v = priceCart(c, ctx).view;
        const t = v.totals;
        const ints = [t.gross, t.savings, t.rounding, t.total, ...v.lines.flatMap((l) => [l.gross, l.net, l.tax, l.savings]), ...v.taxes.flatMap((x) => [x.net, x.tax])];
        expect(ints.every(Number.isSafeInteger)).toBe(true);
        expect(t.gross - t.savings + t.rounding).toBe(t.total);
        expect(v.savings.reduce((a, x) => a + x.amount, 0)).toBe(t.savings);
        expect(v.lines.every((l) => l.net >= 0 && l.net === l.gross - l.savings || l.voided)).toBe(true);
        expect(v.taxes.reduce((a, x) => a + x.net, 0)).toBe(t.gross - t.savings);
        for (const row of v.taxes) {
          const lines = v.lines.filter((l) => !l.voided && l.vatRate === row.vatRate);
          expect(row.tax).toBe(lines.reduce((a, l) => a + l.tax, 0));
          expect(row.net).toBe(lines.reduce((a, l) => a + l.net, 0));
        }
        expect(t.total).toBeGreaterThanOrEqual(0);
        // pay: some cash, then the rest by card, unless the cash covered it
        let view = v;
        for (const amount of s.cash) {
          if (view.totals.remaining === 0) break;
          addCash(c, view, amount);
          view = priceCart(c, ctx).view;
        }
        if (view.totals.remaining > 0) {
          addCard(c, view, view.totals.remaining, 'REF-1');
          view = priceCart(c, ctx).view;
        }
        if (view.totals.total > 0) {
          expect(view.totals.remaining).toBe(0);
          expect(view.tenders.reduce((a, x) => a + x.tendered, 0) - view.totals.change).toBe(view.totals.total);
          expect(view.totals.paid).toBe(view.totals.total);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('prices the same cart the same way every time', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const c = newCart('c', NOW.toISOString(), cashier);
        for (const l of s.lines) addItem(c, { product: product(l.p + 1, { ...s.products[l.p], sku: `K${l.p}` }), barcode: null, qty: s.products[l.p]?.weighed ? l.grams : l.qty });
        const ctx = { promotions: s.promos, settings: settings(s.rounding), now: NOW };
        expect(priceCart(c, ctx).view).toEqual(priceCart(structuredClone(c), { ...ctx, promotions: [...s.promos].reverse() }).view);
      }),
      { numRuns: 100 },
    );
  });
});
