/**
 * Selling on one terminal: the open cart, held carts, tenders and the sale
 * commit, over the pure core. Every change works on a copy of the cart that
 * replaces the current one only after it is persisted (open-cart store) or
 * journaled, so a failed call leaves the cart as it was. Overrides granted
 * for a change are journaled (OverrideGranted) in the same transaction.
 */
import type { CartView, PaymentProviderName } from '../../shared/contract/cart';
import type { CompletedSale, TenderResult } from '../../shared/contract/tender';
import type { SaleSummary } from '../../shared/contract/sale';
import type { UserView } from '../../shared/contract/auth';
import type { ProductView } from '../../shared/contract/catalog';
import type { ReceiptDocument } from '../../shared/receipt';
import type { TillEvents } from '../../shared/contract/events';
import { TillError } from '../../shared/errors';
import { cartStateSchema, readJournalPayload } from '../../shared/journal-events';
import { formatMinor } from '../../shared/money';
import { classifyCode, classifyPaymentCode } from '../../core/barcode';
import { addItem, cloneCart, isEmpty, newCart, activeLines, type CartState, type AddItem } from '../../core/cart';
import { priceCart, type Priced, type PricingContext } from '../../core/pricing';
import { buildReceipt, saleRecord, type SaleRecord } from '../../core/sale';
import { addCard, addCash, addPaymentCode, checkNonCashAmount, removeTender } from '../../core/tender';
import { collectPayment, type PaymentProvider } from '../../core/payment';
import type { Ledger } from '../../ledger/index';
import type { CatalogReader } from '../projections/catalog';
import type { Call } from './call';
import { CART_HELD, CART_RECALLED, OVERRIDE_GRANTED, SALE_COMPLETED, SALE_VOIDED, receiptSeq, type CartHeldPayload, type SaleVoidedPayload } from '../projections/selling';
import { openOrders, orderNumber, PAYMENT_SETTLED, PAYMENT_STARTED, type PaymentSettledPayload, type PaymentSettlement, type PaymentStartedPayload } from '../projections/payments';

export interface SellingDeps {
  ledger: Ledger;
  catalog: CatalogReader;
  events: TillEvents;
  clock: () => Date;
  newId: () => string;
  payments: PaymentProvider;
  sleep: (ms: number) => Promise<void>;
  isOnline: () => boolean;
}

export class Selling {
  private current: CartState | null;

  constructor(private readonly d: SellingDeps) {
    if (!d.ledger.isReadonly) dropFinishedCarts(d.ledger);
    const open = d.ledger.carts.list();
    const last = open[open.length - 1];
    this.current = last ? (last.state as CartState) : null;
  }

  private cart(user: UserView): CartState {
    if (!this.current) this.current = newCart(this.d.newId(), this.d.clock().toISOString(), { code: user.code, name: user.name });
    return this.current;
  }

  /** the promotions, settings and time to price with; a call that prices more than once (a tender that commits) reads them once */
  private pricing(): PricingContext {
    return { promotions: this.d.catalog.promotions(), settings: this.d.catalog.settings(), now: this.d.clock() };
  }

  price(c: CartState, ctx: PricingContext = this.pricing()): Priced {
    return priceCart(c, ctx);
  }

  view(user: UserView): CartView {
    return this.price(this.cart(user)).view;
  }

  /** persists the changed copy (and the overrides granted for it, and what `also` journals) and makes it current */
  private keep(next: CartState, call: Call, priced?: Priced, also?: () => void): CartView {
    const { ledger } = this.d;
    ledger.transaction(() => {
      also?.();
      for (const o of call.granted) {
        ledger.append(OVERRIDE_GRANTED, { ...o, cartId: next.cartId });
        next.overrides.push(o);
      }
      ledger.carts.save(next.cartId, next);
    });
    this.current = next;
    const view = (priced ?? this.price(next)).view;
    this.d.events.emit('cart.changed', { cart: view });
    return view;
  }

  /** runs a change on a copy of the open cart */
  async change(call: Call, fn: (c: CartState) => void | Promise<void>, check?: (p: Priced, c: CartState) => Promise<void>): Promise<CartView> {
    const next = cloneCart(this.cart(call.user));
    await fn(next);
    const priced = this.price(next);
    if (check) await check(priced, next);
    return this.keep(next, call, priced);
  }

  private resolveProduct(p: ProductView | null, what: string): ProductView {
    if (!p) throw new TillError('unknown-barcode', `${what} is not in the catalog: key the PLU or search by name`);
    if (!p.active) throw new TillError('not-found', `${p.name} is no longer sold`);
    return p;
  }

  private async addAndView(call: Call, item: AddItem): Promise<{ lineNo: number; cart: CartView }> {
    let lineNo = 0;
    const cart = await this.change(call, (c) => {
      lineNo = addItem(c, item);
    });
    return { lineNo, cart };
  }

  async scan(call: Call, code: string) {
    const settings = this.d.catalog.settings();
    const k = classifyCode(code, settings);
    switch (k.kind) {
      case 'invalid':
        throw new TillError('bad-barcode', k.reason);
      case 'payment':
        return { kind: 'payment-code' as const, provider: k.provider, code: code.trim() };
      case 'gtin': {
        let found: ProductView | null = null;
        let barcode = k.candidates[0] as string;
        for (const c of k.candidates) {
          found = this.d.catalog.byBarcode(c);
          if (found) {
            barcode = c;
            break;
          }
        }
        const product = this.resolveProduct(found, `barcode ${code.trim()}`);
        return { kind: 'item' as const, ...(await this.addAndView(call, { product, barcode })) };
      }
      case 'embedded': {
        const product = this.resolveProduct(this.d.catalog.byPlu(k.plu), `label PLU ${k.plu}`);
        if (k.value === 'weight') {
          if (!product.weighed) throw new TillError('bad-barcode', `${product.name} is not sold by weight: this label does not fit it`);
          return { kind: 'item' as const, ...(await this.addAndView(call, { product, barcode: code.trim(), qty: k.amount })) };
        }
        const grams = product.weighed && product.price > 0 ? Math.max(1, Math.round((k.amount * 1000) / product.price)) : 1;
        return { kind: 'item' as const, ...(await this.addAndView(call, { product, barcode: code.trim(), qty: grams, labelAmount: k.amount })) };
      }
      case 'scale': {
        const product = this.resolveProduct(this.d.catalog.byPlu(k.plu), `scale PLU ${k.plu}`);
        return { kind: 'item' as const, ...(await this.addAndView(call, { product, barcode: code.trim(), qty: product.weighed ? k.grams : 1, labelAmount: k.amount })) };
      }
    }
  }

  addPlu(call: Call, plu: string, qty: number | undefined) {
    const product = this.resolveProduct(this.d.catalog.byPlu(plu), `PLU ${plu}`);
    return this.addAndView(call, { product, barcode: null, ...(qty !== undefined ? { qty } : {}) });
  }

  addProduct(call: Call, sku: string, qty: number | undefined) {
    const p = this.d.catalog.bySku(sku);
    if (!p) throw new TillError('not-found', `there is no product ${sku}`);
    return this.addAndView(call, { product: this.resolveProduct(p, sku), barcode: null, ...(qty !== undefined ? { qty } : {}) });
  }

  // ---- hold and recall

  async hold(call: Call, note: string): Promise<{ heldId: string; cart: CartView }> {
    const c = this.cart(call.user);
    if (!activeLines(c).length) throw new TillError('conflict', 'the cart is empty: nothing to hold');
    if (c.tenders.length || c.pendingPayment) throw new TillError('conflict', 'a payment is already taken: finish or void the sale');
    const view = this.price(c).view;
    const payload: CartHeldPayload = { heldId: c.cartId, note, cashier: call.user.code, items: view.totals.items, total: view.totals.total, state: c };
    this.d.ledger.append(CART_HELD, payload, () => this.d.ledger.carts.clear(c.cartId));
    this.current = null;
    const fresh = this.view(call.user);
    this.d.events.emit('cart.changed', { cart: fresh });
    return { heldId: c.cartId, cart: fresh };
  }

  listHeld() {
    const rows = this.d.ledger.db.prepare('SELECT held_id AS heldId, at, note, items, total, cashier FROM held_carts ORDER BY at, held_id').all() as Array<{
      heldId: string;
      at: string;
      note: string;
      items: number;
      total: number;
      cashier: string;
    }>;
    return { held: rows };
  }

  recall(call: Call, heldId: string): CartView {
    const c = this.cart(call.user);
    if (!isEmpty(c)) throw new TillError('conflict', 'the open cart is not empty: hold or finish it first');
    const row = this.d.ledger.db.prepare('SELECT state FROM held_carts WHERE held_id = ?').get(heldId) as { state: string } | undefined;
    if (!row) throw new TillError('not-found', `there is no held cart ${heldId}`);
    const state = cartStateSchema.parse(JSON.parse(row.state));
    this.d.ledger.append(CART_RECALLED, { heldId, cashier: call.user.code }, () => {
      this.d.ledger.carts.clear(c.cartId);
      this.d.ledger.carts.save(state.cartId, state);
    });
    this.current = state;
    const view = this.price(state).view;
    this.d.events.emit('cart.changed', { cart: view });
    return view;
  }

  // ---- tenders

  async cash(call: Call, tendered: number): Promise<TenderResult> {
    const settled = await this.settlePending(call);
    if (settled) return settled;
    const next = cloneCart(this.cart(call.user));
    const ctx = this.pricing();
    addCash(next, this.price(next, ctx).view, tendered);
    return this.afterTender(call, next, ctx);
  }

  async card(call: Call, amount: number, reference: string): Promise<TenderResult> {
    const settled = await this.settlePending(call);
    if (settled) return settled;
    const next = cloneCart(this.cart(call.user));
    const ctx = this.pricing();
    addCard(next, this.price(next, ctx).view, amount, reference);
    return this.afterTender(call, next, ctx);
  }

  async paymentCode(call: Call, code: string, amount: number | undefined): Promise<TenderResult> {
    const provider = classifyPaymentCode(code);
    if (!provider) throw new TillError('bad-barcode', 'this is not a WeChat, Alipay or UnionPay payment code');
    if (!this.d.payments.accepts(provider)) {
      throw new TillError('payment-declined', `${providerName(provider)} is not set up on this till (DATA/payments.json): take another payment`, { reason: 'provider-not-configured' });
    }
    if (!this.d.isOnline()) throw new TillError('offline', 'the till is offline, so payment codes cannot be charged: take cash or card');
    const settled = await this.settlePending(call);
    if (settled) return settled;
    // orders an earlier crash left open elsewhere are settled before a new one is sent
    await this.recoverPayments();
    const next = cloneCart(this.cart(call.user));
    const a = checkNonCashAmount(this.price(next).view, amount);
    const orderId = this.startOrder(next, call, provider, a);
    const outcome = await collectPayment(
      this.d.payments,
      { orderId, provider, code, amount: a, description: `${this.d.ledger.identity.store}-${this.d.ledger.identity.terminal} sale` },
      { now: () => performance.now(), sleep: this.d.sleep },
    );
    const after = cloneCart(next);
    after.pendingPayment = null;
    const order = { orderNo: orderId, provider, amount: a, by: 'sale' as const };
    switch (outcome.kind) {
      case 'approved':
        addPaymentCode(after, a, provider, orderId);
        return this.afterTender(call, after, undefined, this.settled({ ...order, outcome: 'approved', reference: outcome.reference, paidAt: outcome.paidAt, reason: null }));
      case 'declined':
        this.keep(after, call, undefined, this.settled({ ...order, outcome: 'declined', reference: null, paidAt: null, reason: outcome.reason }));
        throw new TillError('payment-declined', `${providerName(provider)} declined: ${outcome.message}`, { reason: outcome.reason });
      case 'timeout':
        this.keep(after, call, undefined, this.settled({ ...order, outcome: 'revoked', reference: null, paidAt: null, reason: null }));
        throw new TillError('payment-timeout', `${providerName(provider)} did not confirm in ${Math.round(this.d.payments.timeoutMs / 1000)} s; the payment was cancelled: ask the customer to pay again`);
      case 'revoke-failed':
        throw new TillError('payment-timeout', `${providerName(provider)} did not confirm and could not be cancelled yet (${outcome.message}); the till will check again before the next payment`);
    }
  }

  /**
   * Journals the order before the provider hears of it (its number derives
   * from this entry's seq) and keeps the cart with the payment pending, in one
   * transaction: after a crash at any later step the till knows what to ask.
   */
  private startOrder(next: CartState, call: Call, provider: PaymentProviderName, amount: number): string {
    const { ledger } = this.d;
    let orderNo = '';
    this.keep(next, call, undefined, () => {
      orderNo = orderNumber(ledger.identity, ledger.head().seq + 1);
      next.pendingPayment = { orderId: orderNo, provider, amount };
      const payload: PaymentStartedPayload = { orderNo, provider, amount, cartId: next.cartId, cashier: call.user.code };
      ledger.append(PAYMENT_STARTED, payload);
    });
    return orderNo;
  }

  /** resolves a payment left open; when it turns out to have paid the whole sale, the sale is committed and that is the answer */
  private async settlePending(call: Call): Promise<TenderResult | null> {
    const c = this.cart(call.user);
    if (!c.pendingPayment) return null;
    return (await this.settleCartOrder(call, c, c.pendingPayment, 'sale')).done;
  }

  /** asks the provider about the open order of cart `c`: keeps it as a tender if it was paid, revokes it otherwise; journaled either way */
  private async settleCartOrder(call: Call, c: CartState, p: NonNullable<CartState['pendingPayment']>, by: 'sale' | 'recovery'): Promise<{ s: PaymentSettledPayload; done: TenderResult | null }> {
    const s = await this.settleOrder({ orderNo: p.orderId, provider: p.provider, amount: p.amount }, by);
    const next = cloneCart(c);
    next.pendingPayment = null;
    if (s.outcome === 'approved') addPaymentCode(next, p.amount, p.provider, p.orderId);
    const ctx = this.pricing();
    const view = this.price(next, ctx).view;
    if (s.outcome === 'approved' && view.totals.items > 0 && view.totals.remaining === 0) return { s, done: this.afterTender(call, next, ctx, this.settled(s)) };
    this.keep(next, call, undefined, this.settled(s));
    return { s, done: null };
  }

  /** journals an order's settlement inside the transaction that acts on it */
  private settled(s: PaymentSettledPayload): () => void {
    return () => void this.d.ledger.append(PAYMENT_SETTLED, s);
  }

  /** what the provider says about an order left open; throws 'payment-timeout' when it can neither be confirmed nor cancelled now */
  private async settleOrder(o: { orderNo: string; provider: PaymentProviderName; amount: number }, by: 'sale' | 'recovery'): Promise<PaymentSettledPayload> {
    const ref = { orderId: o.orderNo, provider: o.provider, amount: o.amount };
    const base = { orderNo: o.orderNo, provider: o.provider, amount: o.amount, by };
    const answer = await this.d.payments.query(ref).catch(() => ({ status: 'pending' as const }));
    if (answer.status === 'approved') return { ...base, outcome: 'approved', reference: answer.reference, paidAt: answer.paidAt, reason: null };
    if (answer.status === 'declined') return { ...base, outcome: 'declined', reference: null, paidAt: null, reason: answer.reason };
    try {
      await this.d.payments.revoke(ref);
    } catch (e) {
      throw new TillError('payment-timeout', `an earlier ${providerName(o.provider)} payment is still open and could not be cancelled (${e instanceof Error ? e.message : String(e)}): try again`);
    }
    return { ...base, outcome: 'revoked', reference: null, paidAt: null, reason: null };
  }

  /**
   * Settles every payment-code order the journal still has open (a crash, or a
   * revoke that failed): the open cart's own order is kept as its tender when
   * it was paid (and the sale committed when that pays it all); an order whose
   * cart is gone is reversed, since no sale can take it. Runs on open and
   * before each new payment; an order that cannot be settled now stays open.
   */
  async recoverPayments(): Promise<PaymentRecovery> {
    const report: PaymentRecovery = { settled: [], open: [] };
    const orders = openOrders(this.d.ledger.db);
    const own = this.current?.pendingPayment;
    if (own && !orders.some((o) => o.orderNo === own.orderId)) orders.push({ orderNo: own.orderId, provider: own.provider, amount: own.amount, cartId: this.current?.cartId ?? '' });
    for (const o of orders) {
      const cart = this.current && this.current.pendingPayment?.orderId === o.orderNo ? this.current : null;
      try {
        const pending = cart?.pendingPayment;
        if (cart && pending) {
          const { s, done } = await this.settleCartOrder(cartCall(cart), cart, pending, 'recovery');
          report.settled.push({ orderNo: o.orderNo, outcome: s.outcome, sale: done?.completed?.receiptNo ?? null });
          continue;
        }
        let s = await this.settleOrder(o, 'recovery');
        if (s.outcome === 'approved') {
          // paid, but the sale it belonged to is gone: the money goes back
          try {
            await this.d.payments.revoke({ orderId: o.orderNo, provider: o.provider, amount: o.amount });
          } catch (e) {
            throw new TillError('payment-timeout', `${o.orderNo} was paid but its sale is gone, and the reverse failed (${e instanceof Error ? e.message : String(e)})`);
          }
          s = { ...s, outcome: 'revoked' };
        }
        this.d.ledger.append(PAYMENT_SETTLED, s);
        report.settled.push({ orderNo: o.orderNo, outcome: s.outcome, sale: null });
      } catch (e) {
        report.open.push({ orderNo: o.orderNo, problem: e instanceof Error ? e.message : String(e) });
      }
    }
    return report;
  }

  async removeTender(call: Call, tenderNo: number): Promise<{ cart: CartView }> {
    return { cart: await this.change(call, (c) => removeTender(c, tenderNo)) };
  }

  private afterTender(call: Call, next: CartState, ctx: PricingContext = this.pricing(), also?: () => void): TenderResult {
    const priced = this.price(next, ctx);
    if (priced.view.totals.remaining > 0) return { cart: this.keep(next, call, priced, also), completed: null };
    return this.commit(call, next, priced, ctx, also);
  }

  /** the sale commit: one journal entry (and its projections), the open cart cleared in the same transaction; `also` journals what settled its payment */
  private commit(call: Call, c: CartState, priced: Priced, ctx: PricingContext, also?: () => void): { cart: CartView; completed: CompletedSale } {
    const { ledger } = this.d;
    const record: SaleRecord = { ...saleRecord(c, priced.view), cashier: { code: call.user.code, name: call.user.name } };
    const sale = () => ledger.append(SALE_COMPLETED, record, () => ledger.carts.clear(c.cartId));
    // without overrides the sale entry is the whole transaction: no savepoint nested in an outer one
    const entry =
      !call.granted.length && !also
        ? sale()
        : ledger.transaction(() => {
            also?.();
            for (const o of call.granted) {
              ledger.append(OVERRIDE_GRANTED, { ...o, cartId: c.cartId });
              record.overrides.push(o);
            }
            return sale();
          });
    this.current = null;
    const receiptNo = ledger.receiptNumber(entry.seq);
    const receipt = this.receipt(record, receiptNo, entry.at, false, ctx.settings);
    const done: CompletedSale = { saleId: record.saleId, receiptNo, seq: entry.seq, total: record.totals.total, change: record.totals.change, receipt };
    this.d.events.emit('sale.completed', { receiptNo, total: done.total, change: done.change, receipt });
    const cart = this.price(this.cart(call.user), ctx).view;
    this.d.events.emit('cart.changed', { cart });
    return { cart, completed: done };
  }

  private receipt(record: SaleRecord, receiptNo: string, at: string, copy: boolean, settings = this.d.catalog.settings()): ReceiptDocument {
    return buildReceipt(record, { receiptNo, at, terminal: this.d.ledger.identity.terminal, settings, copy });
  }

  // ---- void the open sale

  async voidSale(call: Call, reason: string): Promise<{ cart: CartView }> {
    const c = this.cart(call.user);
    if (isEmpty(c)) throw new TillError('conflict', 'the cart is empty: nothing to void');
    if (c.tenders.length || c.pendingPayment) {
      await call.authorize('sale.void-after-tender', `void ${c.cartId} after payment: ${reason}`, (r) => r !== 'cashier');
    }
    if (c.pendingPayment) await this.settlePending(call);
    const now = this.cart(call.user);
    const reversed: PaymentSettledPayload[] = [];
    for (const t of now.tenders) {
      if (t.kind !== 'payment-code' || t.reference === null || t.provider === null) continue;
      try {
        await this.d.payments.revoke({ orderId: t.reference, provider: t.provider, amount: t.amount });
      } catch (e) {
        throw new TillError('payment-timeout', `the ${providerName(t.provider)} payment of ${formatMinor(t.amount)} could not be reversed (${e instanceof Error ? e.message : String(e)}): try again`);
      }
      const paid = this.d.ledger.db.prepare('SELECT reference, paid_at AS paidAt FROM payment_orders WHERE order_no = ?').get(t.reference) as { reference: string | null; paidAt: string | null } | undefined;
      reversed.push({ orderNo: t.reference, provider: t.provider, amount: t.amount, outcome: 'revoked', reference: paid?.reference ?? null, paidAt: paid?.paidAt ?? null, reason: null, by: 'sale' });
    }
    const priced = this.price(now);
    const record: SaleRecord = { ...saleRecord(now, priced.view), cashier: { code: call.user.code, name: call.user.name } };
    const payload: SaleVoidedPayload = { sale: record, reason, cashier: call.user.code, approvedBy: call.granted[0]?.approvedBy ?? null };
    const { ledger } = this.d;
    ledger.transaction(() => {
      for (const o of call.granted) ledger.append(OVERRIDE_GRANTED, { ...o, cartId: now.cartId });
      for (const r of reversed) ledger.append(PAYMENT_SETTLED, r);
      ledger.append(SALE_VOIDED, payload, () => ledger.carts.clear(now.cartId));
    });
    this.current = null;
    const fresh = this.view(call.user);
    this.d.events.emit('cart.changed', { cart: fresh });
    return { cart: fresh };
  }

  // ---- committed sales

  recent(limit: number): { sales: SaleSummary[] } {
    const rows = this.d.ledger.db
      .prepare('SELECT sale_id AS saleId, receipt_no AS receiptNo, seq, at, cashier, member, items, total FROM sales ORDER BY seq DESC LIMIT ?')
      .all(limit) as Array<Omit<SaleSummary, 'status'>>;
    return { sales: rows.map((r) => ({ ...r, status: 'completed' as const })) };
  }

  reprint(receiptNo: string): ReceiptDocument {
    const row = this.d.ledger.db.prepare('SELECT j.payload AS record, s.at FROM sales s JOIN journal j ON j.seq = s.seq WHERE s.seq = ?').get(receiptSeq(this.d.ledger, receiptNo) ?? 0) as
      | { record: string; at: string }
      | undefined;
    if (!row) throw new TillError('not-found', `there is no sale ${receiptNo} on this terminal`);
    return this.receipt(readJournalPayload(SALE_COMPLETED, row.record), receiptNo, row.at, true);
  }
}

/**
 * Clears open carts that the journal already finished (sold, voided or held
 * under the same id): the open-cart store commits after the ledger (see
 * src/ledger/cart-store.ts), so a power cut between the two can leave one.
 */
function dropFinishedCarts(ledger: Ledger): void {
  const finished = ledger.db.prepare(
    'SELECT 1 FROM sales WHERE sale_id = @id UNION ALL SELECT 1 FROM voided_sales WHERE sale_id = @id UNION ALL SELECT 1 FROM held_carts WHERE held_id = @id',
  );
  for (const c of ledger.carts.list()) if (finished.get({ id: c.cartId }) !== undefined) ledger.carts.clear(c.cartId);
}

export function providerName(p: PaymentProviderName | null): string {
  return p === 'wechat' ? 'WeChat Pay' : p === 'alipay' ? 'Alipay' : p === 'unionpay' ? 'UnionPay' : 'the provider';
}

/** what settling the orders left open did: each settled order's outcome (and the sale it completed), and those still open */
export interface PaymentRecovery {
  settled: Array<{ orderNo: string; outcome: PaymentSettlement; sale: string | null }>;
  open: Array<{ orderNo: string; problem: string }>;
}

/** the open cart's own cashier: who recovery acts for when nobody is signed in (it grants nothing) */
function cartCall(c: CartState): Call {
  return {
    user: { code: c.cashier.code, name: c.cashier.name, role: 'cashier' },
    source: 'local',
    granted: [],
    authorize: () => Promise.reject(new TillError('forbidden', 'settling an open payment grants nothing')),
  };
}
