/**
 * The handlers of the selling calls (system, auth, catalog, cart, tender,
 * sale): thin translations from a parsed contract input to the catalog, the
 * sessions and Selling.
 */
import type { authMethods } from '../../shared/contract/auth';
import type { cartMethods } from '../../shared/contract/cart';
import type { catalogMethods } from '../../shared/contract/catalog';
import type { saleMethods } from '../../shared/contract/sale';
import type { systemMethods } from '../../shared/contract/system';
import type { tenderMethods } from '../../shared/contract/tender';
import type { Role } from '../../shared/contract/define';
import type { Discount } from '../../shared/contract/cart';
import { TillError } from '../../shared/errors';
import { APP_VERSION } from '../../shared/version';
import { lineOf, overridePrice, setCartDiscount, setLineDiscount, setMember, setQty, voidLine, type OverrideRecord } from '../../core/cart';
import { classifyCode } from '../../core/barcode';
import { paymentsSummary } from '../payments/summary';
import type { HandlerMap, TerminalCore } from './handler-types';

export type SellingMethod = keyof (typeof systemMethods & typeof authMethods & typeof catalogMethods & typeof cartMethods & typeof tenderMethods & typeof saleMethods);

function describe(d: Discount): string {
  return d.kind === 'amount' ? `${d.amount} off` : `${d.basisPoints / 100}% off`;
}

export function sellingHandlers(core: TerminalCore): HandlerMap<SellingMethod> {
  const { ledger, catalog, sessions, selling } = core;
  const limitAllows = (amount: number, base: number) => (role: Role) => {
    const l = catalog.settings().discountLimits[role];
    return amount <= l.amount && amount * 10000 <= l.percent * base;
  };

  return {
    'system.status': () => {
      const h = ledger.head();
      return { store: ledger.identity.store, terminal: ledger.identity.terminal, version: APP_VERSION, lastSeq: h.seq, lastHash: h.hash, payments: paymentsSummary(core.payments) };
    },
    'auth.login': async (i, c) => {
      const s = await sessions.login(i.userCode, i.pin, c.source);
      return { sessionToken: s.token, user: s.user, mustChangePin: s.mustChangePin };
    },
    'auth.changePin': async (i, c, s) => {
      if (!s) throw new TillError('unauthenticated', 'not signed in: sign in with your user code and PIN');
      await sessions.changePin(s, i.currentPin, i.newPin, c.source);
      return {};
    },
    'auth.logout': (_i, _c, s) => {
      if (s) sessions.logout(s.token);
      return {};
    },
    'auth.whoami': (_i, c) => c.user,
    'catalog.lookup': (i) => {
      const code = i.code.trim();
      const k = classifyCode(code, catalog.settings());
      const p =
        k.kind === 'gtin'
          ? k.candidates.map((c) => catalog.byBarcode(c)).find((x) => x !== null) ?? null
          : /^\d{1,6}$/.test(code)
            ? catalog.byPlu(code)
            : catalog.bySku(code);
      if (!p) throw new TillError('not-found', `nothing in the catalog has the code ${code}`);
      return p;
    },
    'catalog.search': (i) => ({ products: catalog.search(i.query, i.limit) }),
    'catalog.info': () => ({ version: catalog.version(), ...catalog.counts() }),
    'cart.get': (_i, c) => selling.view(c.user),
    'cart.scan': (i, c) => selling.scan(c, i.code),
    'cart.addPlu': (i, c) => selling.addPlu(c, i.plu, i.qty),
    'cart.addProduct': (i, c) => selling.addProduct(c, i.sku, i.qty),
    'cart.setQty': (i, c) => selling.change(c, (cart) => setQty(cart, i.lineNo, i.qty)),
    'cart.voidLine': (i, c) => selling.change(c, (cart) => voidLine(cart, i.lineNo)),
    'cart.discountLine': (i, c) =>
      selling.change(
        c,
        (cart) => setLineDiscount(cart, i.lineNo, i.discount),
        async (p) => {
          const d = p.lineDiscounts.get(i.lineNo);
          if (!d || !i.discount) return;
          await c.authorize('discount.over-limit', `line ${i.lineNo}: ${describe(i.discount)} = ${d.amount} of ${d.base}`, limitAllows(d.amount, d.base));
        },
      ),
    'cart.discountCart': (i, c) =>
      selling.change(
        c,
        (cart) => setCartDiscount(cart, i.discount),
        async (p) => {
          const d = p.cartDiscount;
          if (!d || !i.discount) return;
          await c.authorize('discount.over-limit', `cart: ${describe(i.discount)} = ${d.amount} of ${d.base}`, limitAllows(d.amount, d.base));
        },
      ),
    'cart.overridePrice': (i, c) =>
      selling.change(c, (cart) => {
        const l = lineOf(cart, i.lineNo);
        if (c.granted.length) {
          const g = c.granted[c.granted.length - 1] as OverrideRecord;
          g.detail = `line ${i.lineNo} ${l.sku}: ${l.priceOverride ?? l.price} -> ${i.unitPrice ?? l.price}`;
        }
        overridePrice(cart, i.lineNo, i.unitPrice);
      }),
    'cart.setMember': (i, c) =>
      selling.change(c, (cart) => {
        if (i.memberCode === null) return setMember(cart, null);
        const m = catalog.member(i.memberCode);
        if (!m || !m.active) throw new TillError('not-found', `member ${i.memberCode} is not known here`);
        setMember(cart, { code: m.code, name: m.name });
      }),
    'cart.hold': (i, c) => selling.hold(c, i.note),
    'cart.listHeld': () => selling.listHeld(),
    'cart.recall': (i, c) => selling.recall(c, i.heldId),
    'tender.cash': (i, c) => selling.cash(c, i.tendered),
    'tender.card': (i, c) => selling.card(c, i.amount, i.reference),
    'tender.paymentCode': (i, c) => selling.paymentCode(c, i.code, i.amount),
    'tender.remove': (i, c) => selling.removeTender(c, i.tenderNo),
    'sale.void': (i, c) => selling.voidSale(c, i.reason),
    'sale.recent': (i) => selling.recent(i.limit),
    'sale.receipt': (i) => selling.reprint(i.receiptNo),
  };
}
