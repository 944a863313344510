/**
 * The open cart as it is persisted (after every change) and the operations
 * on it. The state holds what the cashier did (lines with the prices captured
 * when they were scanned, discounts, overrides, tenders); what it costs is
 * always recomputed from it by priceCart, never stored separately.
 * Operations mutate the state they are given: the terminal works on a copy
 * and keeps it only after it is persisted.
 */
import type { Discount } from '../shared/contract/cart';
import type { Product } from '../shared/contract/catalog';
import type { CartState, LineState, OverrideRecord } from '../shared/journal-events';
import { TillError } from '../shared/errors';

export type { CartState, LineState, OverrideRecord };

export const MAX_COUNT = 9999;
export const MAX_GRAMS = 99_999;
export const MAX_LINES = 500;

export function newCart(cartId: string, openedAt: string, cashier: { code: string; name: string }): CartState {
  return { cartId, openedAt, cashier, member: null, lines: [], cartDiscount: null, tenders: [], nextLineNo: 1, overrides: [], pendingPayment: null };
}

export function cloneCart(c: CartState): CartState {
  return structuredClone(c);
}

/** nothing to sell or to pay back: no line that is not voided, no tender, no payment under way */
export function isEmpty(c: CartState): boolean {
  return activeLines(c).length === 0 && c.tenders.length === 0 && c.pendingPayment === null;
}

export function activeLines(c: CartState): LineState[] {
  return c.lines.filter((l) => !l.voided);
}

/** the cart's items cannot change once a tender is taken (take the tender back first) */
export function assertNoTenders(c: CartState): void {
  if (c.tenders.length) throw new TillError('conflict', 'a payment is already taken: remove it before changing the items');
}

export function checkQty(weighed: boolean, qty: number): void {
  if (weighed ? qty > MAX_GRAMS : qty > MAX_COUNT)
    throw new TillError('bad-input', weighed ? `at most ${MAX_GRAMS} g on one line` : `at most ${MAX_COUNT} items on one line`);
}

export interface AddItem {
  product: Product;
  barcode: string | null;
  /** count (default 1) or grams (required when weighed and no label amount) */
  qty?: number;
  labelAmount?: number | null;
}

/** adds an item; a repeat scan of the same counted product adds to the last line; returns the line number */
export function addItem(c: CartState, item: AddItem): number {
  assertNoTenders(c);
  const p = item.product;
  if (!p.active) throw new TillError('not-found', `${p.name} is no longer sold`);
  const labelAmount = item.labelAmount ?? null;
  if (p.weighed && item.qty === undefined) throw new TillError('bad-input', `${p.name} is sold by weight: enter the grams or scan the scale label`);
  const qty = item.qty ?? 1;
  if (!Number.isSafeInteger(qty) || qty <= 0) throw new TillError('bad-input', 'quantity must be a positive whole number');
  checkQty(p.weighed, qty);
  const last = c.lines[c.lines.length - 1];
  if (
    last &&
    !p.weighed &&
    labelAmount === null &&
    !last.voided &&
    last.sku === p.sku &&
    last.barcode === item.barcode &&
    last.labelAmount === null &&
    last.priceOverride === null &&
    last.discount === null
  ) {
    checkQty(false, last.qty + qty);
    last.qty += qty;
    return last.lineNo;
  }
  if (activeLines(c).length >= MAX_LINES) throw new TillError('conflict', `a sale holds at most ${MAX_LINES} lines: complete this one first`);
  const lineNo = c.nextLineNo++;
  c.lines.push({
    lineNo,
    sku: p.sku,
    name: p.name,
    unit: p.unit,
    category: p.category,
    barcode: item.barcode,
    weighed: p.weighed,
    qty,
    price: p.price,
    memberPrice: p.memberPrice,
    vatRate: p.vatRate,
    labelAmount,
    priceOverride: null,
    discount: null,
    voided: false,
  });
  return lineNo;
}

export function lineOf(c: CartState, lineNo: number): LineState {
  const l = c.lines.find((x) => x.lineNo === lineNo);
  if (!l) throw new TillError('not-found', `there is no line ${lineNo}`);
  if (l.voided) throw new TillError('conflict', `line ${lineNo} is voided`);
  return l;
}

export function setQty(c: CartState, lineNo: number, qty: number): void {
  assertNoTenders(c);
  const l = lineOf(c, lineNo);
  if (l.labelAmount !== null) throw new TillError('conflict', 'a labelled item is sold as labelled: void the line and scan again');
  checkQty(l.weighed, qty);
  l.qty = qty;
}

export function voidLine(c: CartState, lineNo: number): void {
  assertNoTenders(c);
  lineOf(c, lineNo).voided = true;
}

export function setLineDiscount(c: CartState, lineNo: number, d: Discount | null): void {
  assertNoTenders(c);
  lineOf(c, lineNo).discount = d;
}

export function setCartDiscount(c: CartState, d: Discount | null): void {
  assertNoTenders(c);
  if (d && !activeLines(c).length) throw new TillError('conflict', 'the cart is empty');
  c.cartDiscount = d;
}

export function overridePrice(c: CartState, lineNo: number, unitPrice: number | null): void {
  assertNoTenders(c);
  const l = lineOf(c, lineNo);
  if (l.labelAmount !== null) throw new TillError('conflict', 'a labelled item is sold as labelled: its price cannot be overridden');
  l.priceOverride = unitPrice;
}

export function setMember(c: CartState, member: { code: string; name: string } | null): void {
  assertNoTenders(c);
  c.member = member;
}
