/**
 * Tenders against a priced cart. Cash may exceed what is left (the rest is
 * change); a card or a payment code pays at most what is left. The sale is
 * complete when nothing is left, and then paid - change = total.
 */
import type { CartView, PaymentProviderName, Tender } from '../shared/contract/cart';
import { TillError } from '../shared/errors';
import { looksLikeCardNumber } from '../shared/card-number';
import { formatMinor } from '../shared/money';
import type { CartState } from './cart';

function nextTenderNo(c: CartState): number {
  return c.tenders.reduce((m, t) => Math.max(m, t.tenderNo), 0) + 1;
}

function leftToPay(view: CartView): number {
  if (view.totals.items === 0) throw new TillError('conflict', 'the cart is empty');
  const r = view.totals.remaining;
  if (r <= 0) throw new TillError('conflict', 'nothing is left to pay');
  return r;
}

export function addCash(c: CartState, view: CartView, tendered: number): Tender {
  const r = leftToPay(view);
  const amount = Math.min(tendered, r);
  const t: Tender = { tenderNo: nextTenderNo(c), kind: 'cash', amount, tendered, change: tendered - amount, reference: null, provider: null };
  c.tenders.push(t);
  return t;
}

export function checkNonCashAmount(view: CartView, amount: number | undefined): number {
  const r = leftToPay(view);
  const a = amount ?? r;
  if (a > r) throw new TillError('bad-input', `this payment can be at most the ${formatMinor(r)} left to pay`);
  return a;
}

/** refuses a card reference that carries a card number (separators stripped, Luhn): it must never reach a cart or the journal */
export function checkCardReference(reference: string): void {
  if (looksLikeCardNumber(reference)) {
    throw new TillError('card-number', 'that is a card number: enter the reference printed by the card terminal, never the card number');
  }
}

export function addCard(c: CartState, view: CartView, amount: number, reference: string): Tender {
  checkCardReference(reference);
  const a = checkNonCashAmount(view, amount);
  const t: Tender = { tenderNo: nextTenderNo(c), kind: 'card', amount: a, tendered: a, change: 0, reference, provider: null };
  c.tenders.push(t);
  return t;
}

export function addPaymentCode(c: CartState, amount: number, provider: PaymentProviderName, orderId: string): Tender {
  const t: Tender = { tenderNo: nextTenderNo(c), kind: 'payment-code', amount, tendered: amount, change: 0, reference: orderId, provider };
  c.tenders.push(t);
  return t;
}

export function removeTender(c: CartState, tenderNo: number): void {
  const t = c.tenders.find((x) => x.tenderNo === tenderNo);
  if (!t) throw new TillError('not-found', `there is no payment ${tenderNo}`);
  if (t.kind === 'payment-code') throw new TillError('conflict', 'a payment-code payment is refunded through the provider: void the sale instead');
  c.tenders = c.tenders.filter((x) => x !== t);
}
