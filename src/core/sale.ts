/**
 * The completed sale as it is journaled (SaleCompleted payload), and the
 * receipt document built from it. The receipt is a pure function of the
 * journaled sale, its seq and time, so a reprint is identical to the first
 * print (except that it says COPY).
 */
import { maskNumber } from '../shared/mask';
import type { CartLine, CartView, Tender } from '../shared/contract/cart';
import type { StoreSettings } from '../shared/contract/catalog';
import { formatMinor } from '../shared/money';
import type { ReceiptBlock, ReceiptDocument } from '../shared/receipt';
import type { SaleRecord } from '../shared/journal-events';
import type { CartState } from './cart';

export type { SaleRecord };

export function saleRecord(c: CartState, view: CartView): SaleRecord {
  return {
    saleId: c.cartId,
    openedAt: c.openedAt,
    cashier: c.cashier,
    member: c.member,
    lines: view.lines,
    savings: view.savings,
    taxes: view.taxes,
    tenders: view.tenders,
    totals: view.totals,
    overrides: c.overrides,
  };
}

const PROVIDER_LABEL = { wechat: '微信支付', alipay: '支付宝', unionpay: '云闪付' } as const;

export function tenderLabel(t: Tender): string {
  if (t.kind === 'cash') return '现金';
  if (t.kind === 'card') return '银行卡';
  return t.provider ? PROVIDER_LABEL[t.provider] : '付款码';
}

/** "2026-11-25 23:59:01" in the store's local time */
export function localTime(iso: string, utcOffsetMinutes: number): string {
  const d = new Date(Date.parse(iso) + utcOffsetMinutes * 60000);
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

function qtyText(l: CartLine): string {
  if (!l.weighed) return String(l.qty);
  return `${(l.qty / 1000).toFixed(3)}kg`;
}

export interface ReceiptContext {
  receiptNo: string;
  at: string;
  terminal: string;
  settings: Pick<StoreSettings, 'storeName' | 'utcOffsetMinutes'>;
  copy?: boolean;
}

export function buildReceipt(sale: SaleRecord, ctx: ReceiptContext): ReceiptDocument {
  const b: ReceiptBlock[] = [
    { kind: 'logo' },
    { kind: 'text', text: ctx.settings.storeName, align: 'center', bold: true, size: 'double' },
  ];
  if (ctx.copy) b.push({ kind: 'text', text: '** 重印 COPY **', align: 'center', bold: true });
  b.push(
    { kind: 'pair', left: `单号 ${ctx.receiptNo}`, right: '' },
    { kind: 'pair', left: `时间 ${localTime(ctx.at, ctx.settings.utcOffsetMinutes)}`, right: `机号 ${ctx.terminal}` },
    { kind: 'pair', left: `收银员 ${sale.cashier.code} ${sale.cashier.name}`, right: sale.member ? `会员 ${maskNumber(sale.member.code)}` : '' },
    { kind: 'rule' },
    {
      kind: 'row',
      bold: true,
      cells: [
        { text: '品名', width: 5 },
        { text: '数量', width: 3, align: 'right' },
        { text: '单价', width: 3, align: 'right' },
        { text: '金额', width: 3, align: 'right' },
      ],
    },
  );
  for (const l of sale.lines) {
    if (l.voided) continue;
    b.push({ kind: 'text', text: l.name });
    b.push({
      kind: 'row',
      cells: [
        { text: l.barcode ?? l.sku, width: 5 },
        { text: qtyText(l), width: 3, align: 'right' },
        { text: l.labelAmount !== null ? '' : formatMinor(l.unitPrice) + (l.weighed ? '/kg' : ''), width: 3, align: 'right' },
        { text: formatMinor(l.gross), width: 3, align: 'right' },
      ],
    });
  }
  b.push({ kind: 'rule' });
  b.push({ kind: 'pair', left: `合计 (${sale.totals.items} 件)`, right: formatMinor(sale.totals.gross) });
  for (const s of sale.savings) b.push({ kind: 'pair', left: `  ${s.name}`, right: `-${formatMinor(s.amount)}` });
  if (sale.totals.rounding !== 0) b.push({ kind: 'pair', left: '  抹零', right: formatMinor(sale.totals.rounding) });
  b.push({ kind: 'pair', left: '应收', right: formatMinor(sale.totals.total), bold: true, size: 'double' });
  for (const t of sale.tenders) {
    b.push({ kind: 'pair', left: tenderLabel(t) + (t.kind === 'card' && t.reference ? ` ${t.reference}` : ''), right: formatMinor(t.tendered) });
  }
  if (sale.totals.change > 0) b.push({ kind: 'pair', left: '找零', right: formatMinor(sale.totals.change), bold: true });
  if (sale.totals.savings > 0) b.push({ kind: 'pair', left: '本单共节省', right: formatMinor(sale.totals.savings) });
  b.push({ kind: 'rule', char: '-' });
  b.push({
    kind: 'row',
    cells: [
      { text: '税率', width: 2 },
      { text: '金额', width: 3, align: 'right' },
      { text: '税额', width: 3, align: 'right' },
    ],
  });
  for (const t of sale.taxes) {
    b.push({
      kind: 'row',
      cells: [
        { text: `${t.vatRate / 100}%`, width: 2 },
        { text: formatMinor(t.net), width: 3, align: 'right' },
        { text: formatMinor(t.tax), width: 3, align: 'right' },
      ],
    });
  }
  b.push(
    { kind: 'rule' },
    { kind: 'barcode', data: ctx.receiptNo, symbology: 'CODE128' },
    { kind: 'qr', data: `till:receipt:${ctx.receiptNo}`, size: 5 },
    { kind: 'text', text: '谢谢惠顾 欢迎再次光临', align: 'center' },
    { kind: 'feed', lines: 3 },
  );
  return { receiptNo: ctx.receiptNo, kind: 'sale', blocks: b, openDrawer: !ctx.copy && sale.tenders.some((t) => t.kind === 'cash'), ...(ctx.copy ? { copy: true } : {}) };
}
