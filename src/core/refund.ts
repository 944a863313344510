/**
 * Returns and refunds, pure.
 *
 * What a line was paid: its net (after promotions, member price and
 * discounts, as the sale journaled it) plus its share of the sale's cash
 * rounding (抹零), spread over the lines by net with allocate(), so the lines
 * add up exactly to the total the customer paid.
 *
 * Returning q units of a line of Q units, r of them returned before, pays back
 * floor(paid * (r + q) / Q) - floor(paid * r / Q) (the same for its VAT), so
 * a line returned in several goes pays back exactly `paid` in total, never
 * more, and a unit can never be returned twice. The refund goes back to the
 * tenders that paid (non-cash first, then cash), each at most what it paid
 * less what earlier refunds already gave back (anything left over in cash);
 * or all in cash, by policy.
 */
import type { CartLine, Tender } from '../shared/contract/cart';
import type { StoreSettings } from '../shared/contract/catalog';
import type { RefundTender } from '../shared/contract/refund';
import type { RefundLine, RefundRecord } from '../shared/journal-events';
import { TillError } from '../shared/errors';
import { formatMinor } from '../shared/money';
import type { ReceiptBlock, ReceiptDocument } from '../shared/receipt';
import { allocate } from './allocate';
import { vatOf } from './pricing';
import { localTime, tenderLabel } from './sale';

export interface ReturnableLine {
  lineNo: number;
  sku: string;
  name: string;
  category: string;
  weighed: boolean;
  vatRate: CartLine['vatRate'];
  qty: number;
  returnedQty: number;
  paid: number;
  tax: number;
  /** already paid back for this line */
  refunded: number;
  refundable: number;
}

export type { RefundLine, RefundRecord };


const portion = (total: number, qty: number, r: number) => Math.floor((total * r) / qty);

/** the sale's active lines with what each was paid and what is still returnable */
export function returnableLines(lines: readonly CartLine[], rounding: number, returned: ReadonlyMap<number, number>): ReturnableLine[] {
  const active = lines.filter((l) => !l.voided);
  const nets = active.map((l) => l.net);
  const shares = rounding >= 0 ? allocate(rounding, nets) : allocate(-rounding, nets).map((x) => -x);
  return active.map((l, i) => {
    const paid = Math.max(0, l.net + (shares[i] as number));
    const returnedQty = returned.get(l.lineNo) ?? 0;
    const refunded = portion(paid, l.qty, returnedQty);
    return {
      lineNo: l.lineNo,
      sku: l.sku,
      name: l.name,
      category: l.category,
      weighed: l.weighed,
      vatRate: l.vatRate,
      qty: l.qty,
      returnedQty,
      paid,
      tax: l.tax,
      refunded,
      refundable: paid - refunded,
    };
  });
}

/** the lines of a return; qty omitted = the rest of the line */
export function planReturn(lines: readonly ReturnableLine[], wanted: ReadonlyArray<{ lineNo: number; qty?: number | undefined }>): RefundLine[] {
  return wanted.map((w) => {
    const l = lines.find((x) => x.lineNo === w.lineNo);
    if (!l) throw new TillError('not-found', `the receipt has no line ${w.lineNo} (voided lines cannot be returned)`);
    const left = l.qty - l.returnedQty;
    if (left <= 0) throw new TillError('conflict', `line ${w.lineNo} (${l.name}) was already returned`);
    const q = w.qty ?? left;
    if (l.weighed && q !== left) throw new TillError('bad-input', `line ${w.lineNo} (${l.name}) is sold by weight: it is returned whole`);
    if (q > left) throw new TillError('conflict', `only ${left} of line ${w.lineNo} (${l.name}) can still be returned`);
    const r = l.returnedQty;
    return {
      lineNo: l.lineNo,
      sku: l.sku,
      name: l.name,
      category: l.category,
      qty: q,
      amount: portion(l.paid, l.qty, r + q) - portion(l.paid, l.qty, r),
      vatRate: l.vatRate,
      tax: portion(l.tax, l.qty, r + q) - portion(l.tax, l.qty, r),
    };
  });
}

/** a return without a receipt: today's price, tax-inclusive VAT */
export function noReceiptLine(p: { sku: string; name: string; category: string; price: number; vatRate: CartLine['vatRate']; weighed: boolean }, qty: number): RefundLine {
  if (p.weighed) throw new TillError('bad-input', `${p.name} is sold by weight: it can be returned only with its receipt`);
  const amount = p.price * qty;
  return { lineNo: null, sku: p.sku, name: p.name, category: p.category, qty, amount, vatRate: p.vatRate, tax: vatOf(amount, p.vatRate) };
}

export interface PaidTender {
  tender: Tender;
  /** what earlier refunds of this sale gave back through this tender */
  refunded: number;
}

/** splits a refund over the tenders that paid (non-cash first), or all cash by policy */
export function splitRefund(amount: number, paid: readonly PaidTender[], policy: 'original' | 'cash'): RefundTender[] {
  if (amount === 0) return [];
  if (policy === 'cash') return [{ kind: 'cash', provider: null, amount, reference: null }];
  const order = [...paid].sort((a, b) => Number(a.tender.kind === 'cash') - Number(b.tender.kind === 'cash') || a.tender.tenderNo - b.tender.tenderNo);
  const out: RefundTender[] = [];
  let left = amount;
  for (const p of order) {
    if (left === 0) break;
    const take = Math.min(left, p.tender.amount - p.refunded);
    if (take <= 0) continue;
    out.push({ kind: p.tender.kind, provider: p.tender.provider, amount: take, reference: p.tender.kind === 'payment-code' ? p.tender.reference : null });
    left -= take;
  }
  if (left > 0) {
    // earlier refunds paid in cash by policy may have used up the tenders: the rest goes back in cash
    const cash = out.find((t) => t.kind === 'cash');
    if (cash) cash.amount += left;
    else out.push({ kind: 'cash', provider: null, amount: left, reference: null });
  }
  return out;
}

export interface RefundReceiptContext {
  refundNo: string;
  at: string;
  terminal: string;
  settings: Pick<StoreSettings, 'storeName' | 'utcOffsetMinutes'>;
}

export function buildRefundReceipt(r: RefundRecord, ctx: RefundReceiptContext): ReceiptDocument {
  const b: ReceiptBlock[] = [
    { kind: 'text', text: ctx.settings.storeName, align: 'center', bold: true, size: 'double' },
    { kind: 'text', text: '退货单 REFUND', align: 'center', bold: true },
    { kind: 'pair', left: `单号 ${ctx.refundNo}`, right: '' },
    { kind: 'pair', left: `原单 ${r.sale ? r.sale.receiptNo : '无小票'}`, right: '' },
    { kind: 'pair', left: `时间 ${localTime(ctx.at, ctx.settings.utcOffsetMinutes)}`, right: `机号 ${ctx.terminal}` },
    { kind: 'pair', left: `收银员 ${r.cashier.code} ${r.cashier.name}`, right: r.approvedBy ? `授权 ${r.approvedBy}` : '' },
    { kind: 'rule' },
  ];
  for (const l of r.lines) b.push({ kind: 'pair', left: `${l.name} x${l.qty}`, right: `-${formatMinor(l.amount)}` });
  b.push({ kind: 'rule' }, { kind: 'pair', left: '退款合计', right: `-${formatMinor(r.amount)}`, bold: true, size: 'double' });
  for (const t of r.tenders) {
    const label = tenderLabel({ tenderNo: 1, kind: t.kind, amount: t.amount, tendered: t.amount, change: 0, reference: t.reference, provider: t.provider });
    b.push({ kind: 'pair', left: `退 ${label}${t.kind === 'card' && t.reference ? ` ${t.reference}` : ''}`, right: formatMinor(t.amount) });
  }
  b.push({ kind: 'text', text: `原因 ${r.reason}` }, { kind: 'barcode', data: ctx.refundNo, symbology: 'CODE128' }, { kind: 'feed', lines: 3 });
  return { receiptNo: ctx.refundNo, kind: 'refund', blocks: b, openDrawer: r.tenders.some((t) => t.kind === 'cash') };
}
