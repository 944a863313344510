import { describe, expect, it } from 'vitest';
import { addItem, newCart, setMember } from '../../src/core/cart';
import { priceCart } from '../../src/core/pricing';
import { buildReceipt, saleRecord } from '../../src/core/sale';
import { addCash } from '../../src/core/tender';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import type { Product } from '../../src/shared/contract/catalog';

const apple: Product = { sku: 'A', name: '红富士苹果', barcodes: [], plu: '201', category: '水果', unit: 'kg', price: 1280, memberPrice: 1180, vatRate: 900, weighed: true, active: true };
const cola: Product = { sku: 'C', name: '可口可乐330ml', barcodes: ['6900000000014'], plu: null, category: '饮料', unit: '罐', price: 350, memberPrice: null, vatRate: 1300, weighed: false, active: true };

describe('the receipt document', () => {
  it('has columns, savings, rounding, tenders, change, a tax summary, and the receipt number as Code128 and QR', () => {
    const c = newCart('S1', '2026-06-01T04:00:00.000Z', { code: '1001', name: '张三' });
    addItem(c, { product: apple, barcode: null, qty: 456 });
    addItem(c, { product: cola, barcode: '6900000000014', qty: 2 });
    setMember(c, { code: '88880001', name: '甲' });
    const ctx = { promotions: [], settings: DEFAULT_SETTINGS, now: new Date('2026-06-01T04:00:00Z') };
    const v0 = priceCart(c, ctx).view;
    // 456 g at 11.80 member price = 5.38 (gross 5.84), cola 7.00: 12.38 -> 12.30 (抹零 down to the jiao)
    expect(v0.totals).toMatchObject({ gross: 1284, savings: 46, rounding: -8, total: 1230 });
    addCash(c, v0, 2000);
    const v = priceCart(c, ctx).view;
    const doc = buildReceipt(saleRecord(c, v), { receiptNo: 'S01-T1-00000042', at: '2026-06-01T04:00:00.000Z', terminal: 'T1', settings: DEFAULT_SETTINGS });
    const text = JSON.stringify(doc.blocks);
    expect(doc.receiptNo).toBe('S01-T1-00000042');
    expect(doc.openDrawer).toBe(true);
    expect(doc.blocks).toContainEqual({ kind: 'barcode', data: 'S01-T1-00000042', symbology: 'CODE128' });
    expect(doc.blocks).toContainEqual({ kind: 'qr', data: 'till:receipt:S01-T1-00000042', size: 5 });
    expect(doc.blocks).toContainEqual({ kind: 'pair', left: '时间 2026-06-01 12:00:00', right: '机号 T1' });
    expect(text).toContain('0.456kg');
    expect(text).toContain('12.80/kg');
    expect(doc.blocks).toContainEqual({ kind: 'pair', left: '  会员价', right: '-0.46' });
    expect(doc.blocks).toContainEqual({ kind: 'pair', left: '  抹零', right: '-0.08' });
    expect(doc.blocks).toContainEqual({ kind: 'pair', left: '应收', right: '12.30', bold: true, size: 'double' });
    expect(doc.blocks).toContainEqual({ kind: 'pair', left: '找零', right: '7.70', bold: true });
    const taxRows = doc.blocks.filter((b) => b.kind === 'row' && b.cells[0]?.text.endsWith('%'));
    expect(taxRows.map((b) => (b.kind === 'row' ? b.cells.map((x) => x.text) : []))).toEqual([
      ['13%', '7.00', '0.81'],
      ['9%', '5.38', '0.44'],
    ]);
  });
});
