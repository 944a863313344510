import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CartLine, Tender } from '../../src/shared/contract/cart';
import { planReturn, returnableLines, splitRefund, noReceiptLine } from '../../src/core/refund';
import { vatOf } from '../../src/core/pricing';

function line(lineNo: number, qty: number, net: number, extra: Partial<CartLine> = {}): CartLine {
  return {
    lineNo,
    sku: `S${lineNo}`,
    name: `item ${lineNo}`,
    unit: '个',
    category: 'c',
    barcode: null,
    weighed: false,
    qty,
    unitPrice: net,
    labelAmount: null,
    priceOverride: null,
    discount: null,
    gross: net,
    savings: 0,
    net,
    vatRate: 1300,
    tax: vatOf(net, 1300),
    voided: false,
    ...extra,
  };
}

const tender = (tenderNo: number, kind: Tender['kind'], amount: number): Tender => ({ tenderNo, kind, amount, tendered: amount, change: 0, reference: kind === 'payment-code' ? `O${tenderNo}` : null, provider: kind === 'payment-code' ? 'alipay' : null });

describe('returnable lines', () => {
  it('spreads the cash rounding over the lines so they add up to what was paid; voided lines are not returnable', () => {
    const lines = [line(1, 2, 333), line(2, 1, 500), line(3, 1, 100, { voided: true }), line(4, 3, 170)];
    const r = returnableLines(lines, -3, new Map());
    expect(r.map((l) => l.lineNo)).toEqual([1, 2, 4]);
    expect(r.reduce((s, l) => s + l.paid, 0)).toBe(333 + 500 + 170 - 3);
  });

  it('pays a line back in any number of partial returns exactly once, never more (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 50 }), fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 10 }), (net, qty, steps) => {
        const returned = new Map<number, number>();
        let paidBack = 0;
        let taxBack = 0;
        for (const step of steps) {
          const [l] = returnableLines([line(1, qty, net)], 0, returned);
          if (!l || l.returnedQty >= qty) break;
          const q = Math.min(step, qty - l.returnedQty);
          const [r] = planReturn([l], [{ lineNo: 1, qty: q }]);
          expect(r?.amount).toBeGreaterThanOrEqual(0);
          paidBack += r?.amount ?? 0;
          taxBack += r?.tax ?? 0;
          returned.set(1, l.returnedQty + q);
          expect(paidBack).toBeLessThanOrEqual(net);
        }
        const [rest] = returnableLines([line(1, qty, net)], 0, returned);
        if (rest && rest.returnedQty < qty) {
          const [r] = planReturn([rest], [{ lineNo: 1 }]);
          paidBack += r?.amount ?? 0;
          taxBack += r?.tax ?? 0;
        }
        expect(paidBack).toBe(net);
        expect(taxBack).toBe(line(1, qty, net).tax);
      }),
    );
  });

  it('refuses a line returned already, too many units, and a part of a weighed line', () => {
    const lines = returnableLines([line(1, 2, 400), line(2, 350, 448, { weighed: true })], 0, new Map([[1, 2]]));
    expect(() => planReturn(lines, [{ lineNo: 1 }])).toThrow(/already returned/);
    expect(() => planReturn(returnableLines([line(1, 2, 400)], 0, new Map([[1, 1]])), [{ lineNo: 1, qty: 2 }])).toThrow(/only 1/);
    expect(() => planReturn(lines, [{ lineNo: 2, qty: 100 }])).toThrow(/returned whole/);
    expect(planReturn(lines, [{ lineNo: 2 }])[0]).toMatchObject({ qty: 350, amount: 448 });
  });
});

describe('splitting a refund over tenders', () => {
  it('non-cash first in tender order, each at most what it paid less earlier refunds; the rest in cash', () => {
    const paid = [
      { tender: tender(1, 'cash', 500), refunded: 0 },
      { tender: tender(2, 'card', 300), refunded: 100 },
      { tender: tender(3, 'payment-code', 200), refunded: 0 },
    ];
    expect(splitRefund(600, paid, 'original')).toEqual([
      { kind: 'card', provider: null, amount: 200, reference: null },
      { kind: 'payment-code', provider: 'alipay', amount: 200, reference: 'O3' },
      { kind: 'cash', provider: null, amount: 200, reference: null },
    ]);
    expect(splitRefund(600, paid, 'cash')).toEqual([{ kind: 'cash', provider: null, amount: 600, reference: null }]);
    expect(splitRefund(0, paid, 'original')).toEqual([]);
  });

  it('a return without a receipt is priced from the catalog, never by weight', () => {
    expect(noReceiptLine({ sku: 'W', name: '水', category: '饮料', price: 200, vatRate: 1300, weighed: false }, 3)).toMatchObject({ lineNo: null, amount: 600, tax: 69 });
    expect(() => noReceiptLine({ sku: 'A', name: '苹果', category: '水果', price: 1280, vatRate: 900, weighed: true }, 1)).toThrow(/by weight/);
  });
});
