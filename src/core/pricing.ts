/**
 * Prices a cart state: what each line costs, every saving as its own line,
 * VAT per line and per rate, cash rounding (抹零) and what is left to pay.
 *
 * Order: line gross (unit price x count, price per kg x grams / 1000 half-up,
 * or the label amount) -> line prices (member, special price) -> basket
 * promotions -> line discount (on what is left of the line) -> cart discount
 * (on what is left of the cart, spread over lines by their amount) -> VAT
 * per line on its net, tax-inclusive: net x rate / (10000 + rate), half-up ->
 * rounding of the total to the store's unit (down, or half-up), its own line,
 * not taxed.
 * So: gross - savings + rounding = total, and every figure is an integer.
 */
import type { CartLine, CartView, Saving, TaxRow } from '../shared/contract/cart';
import type { Promotion, StoreSettings, VatRate } from '../shared/contract/catalog';
import { mulDivHalfUp } from '../shared/money';
import { allocate } from './allocate';
import type { CartState, LineState } from './cart';
import { applyBasketPromotions, inSet, promotionRunning, type Unit } from './promotions';

export interface PricingContext {
  promotions: readonly Promotion[];
  settings: StoreSettings;
  now: Date;
}

export interface DiscountDetail {
  /** the discount amount and what it applied to (for the role limit check) */
  amount: number;
  base: number;
}

export interface Priced {
  view: CartView;
  lineDiscounts: Map<number, DiscountDetail>;
  cartDiscount: DiscountDetail | null;
}

export function lineGross(l: Pick<LineState, 'weighed' | 'qty' | 'labelAmount' | 'priceOverride' | 'price'>, unitPrice = l.priceOverride ?? l.price): number {
  if (l.labelAmount !== null) return l.labelAmount;
  return l.weighed ? mulDivHalfUp(unitPrice, l.qty, 1000) : unitPrice * l.qty;
}

export function discountAmount(d: { kind: 'amount'; amount: number } | { kind: 'percent'; basisPoints: number }, base: number): number {
  return d.kind === 'amount' ? Math.min(d.amount, base) : mulDivHalfUp(base, d.basisPoints, 10000);
}

export function vatOf(net: number, rate: VatRate): number {
  return rate === 0 ? 0 : mulDivHalfUp(net, rate, 10000 + rate);
}

export function roundingOf(total: number, r: StoreSettings['rounding']): number {
  if (r.unit === 'none' || total <= 0) return 0;
  const unit = r.unit === 'jiao' ? 10 : 100;
  const rest = total % unit;
  if (rest === 0) return 0;
  if (r.method === 'half-up' && rest * 2 >= unit) return unit - rest;
  return -rest;
}

/** suggested cash: the exact amount, then the next 10, 20, 50 and 100 yuan notes above it */
export function quickCash(remaining: number): number[] {
  if (remaining <= 0) return [];
  const out = [remaining];
  for (const step of [1000, 2000, 5000, 10000]) {
    const v = Math.ceil(remaining / step) * step;
    if (!out.includes(v)) out.push(v);
  }
  return out.slice(0, 4);
}

export function priceCart(c: CartState, ctx: PricingContext): Priced {
  const lines = c.lines.filter((l) => !l.voided);
  const member = c.member !== null;
  const running = ctx.promotions.filter((p) => promotionRunning(p, ctx.now, ctx.settings.utcOffsetMinutes, member));
  const specials = running.filter((p): p is Extract<Promotion, { kind: 'special-price' }> => p.kind === 'special-price');

  const savingsByLine = new Map<number, number>();
  const addSaving = (ln: number, s: number) => savingsByLine.set(ln, (savingsByLine.get(ln) ?? 0) + s);
  const savings: Saving[] = [];
  const gross = new Map<number, number>();
  const unitPrice = new Map<number, number>();

  const memberSaving: Saving = { kind: 'member-price', ref: 'member', name: '会员价', amount: 0, lineNos: [] };
  const specialSavings = new Map<string, Saving>();
  for (const l of lines) {
    const g = lineGross(l);
    gross.set(l.lineNo, g);
    let eff = l.priceOverride ?? l.price;
    let by: { kind: 'member' } | { kind: 'special'; p: Promotion } | null = null;
    if (l.priceOverride === null && l.labelAmount === null) {
      if (member && l.memberPrice !== null && l.memberPrice < eff) {
        eff = l.memberPrice;
        by = { kind: 'member' };
      }
      for (const p of specials) {
        if (p.price < eff && inSet(p.items, l.sku, l.category)) {
          eff = p.price;
          by = { kind: 'special', p };
        }
      }
    }
    unitPrice.set(l.lineNo, eff);
    if (by) {
      const s = g - lineGross(l, eff);
      if (s > 0) {
        addSaving(l.lineNo, s);
        let target = memberSaving;
        if (by.kind === 'special') {
          const id = by.p.id;
          target = specialSavings.get(id) ?? { kind: 'promotion', ref: id, name: by.p.name, amount: 0, lineNos: [] };
          specialSavings.set(id, target);
        }
        target.amount += s;
        target.lineNos.push(l.lineNo);
      }
    }
  }
  if (memberSaving.amount > 0) savings.push(memberSaving);
  savings.push(...[...specialSavings.values()].sort((a, b) => (a.ref < b.ref ? -1 : 1)));

  const units: Unit[] = [];
  for (const l of lines) {
    if (l.weighed || l.priceOverride !== null || l.labelAmount !== null) continue;
    const price = unitPrice.get(l.lineNo) as number;
    for (let k = 0; k < l.qty; k++) units.push({ lineNo: l.lineNo, sku: l.sku, category: l.category, price });
  }
  for (const a of applyBasketPromotions(units, running)) {
    for (const [ln, s] of a.perLine) addSaving(ln, s);
    savings.push({ kind: 'promotion', ref: a.promotion.id, name: a.promotion.name, amount: a.saving, lineNos: [...a.perLine.keys()].sort((x, y) => x - y) });
  }

  const lineDiscounts = new Map<number, DiscountDetail>();
  for (const l of lines) {
    if (!l.discount) continue;
    const base = (gross.get(l.lineNo) as number) - (savingsByLine.get(l.lineNo) ?? 0);
    const amount = discountAmount(l.discount, base);
    lineDiscounts.set(l.lineNo, { amount, base });
    if (amount > 0) {
      addSaving(l.lineNo, amount);
      savings.push({ kind: 'line-discount', ref: `line-${l.lineNo}`, name: '单品折扣', amount, lineNos: [l.lineNo] });
    }
  }

  let cartDiscount: DiscountDetail | null = null;
  if (c.cartDiscount && lines.length) {
    const nets = lines.map((l) => (gross.get(l.lineNo) as number) - (savingsByLine.get(l.lineNo) ?? 0));
    const base = nets.reduce((a, b) => a + b, 0);
    const amount = discountAmount(c.cartDiscount, base);
    cartDiscount = { amount, base };
    if (amount > 0) {
      const parts = allocate(amount, nets);
      lines.forEach((l, i) => addSaving(l.lineNo, parts[i] as number));
      savings.push({ kind: 'cart-discount', ref: 'cart', name: '整单折扣', amount, lineNos: lines.filter((_, i) => (parts[i] as number) > 0).map((l) => l.lineNo) });
    }
  }

  const taxByRate = new Map<VatRate, TaxRow>();
  const outLines: CartLine[] = c.lines.map((l) => {
    const g = l.voided ? lineGross(l) : (gross.get(l.lineNo) as number);
    const s = l.voided ? 0 : (savingsByLine.get(l.lineNo) ?? 0);
    const net = l.voided ? 0 : g - s;
    const tax = l.voided ? 0 : vatOf(net, l.vatRate);
    if (!l.voided) {
      const row = taxByRate.get(l.vatRate) ?? { vatRate: l.vatRate, net: 0, tax: 0 };
      row.net += net;
      row.tax += tax;
      taxByRate.set(l.vatRate, row);
    }
    return {
      lineNo: l.lineNo,
      sku: l.sku,
      name: l.name,
      unit: l.unit,
      category: l.category,
      barcode: l.barcode,
      weighed: l.weighed,
      qty: l.qty,
      unitPrice: l.priceOverride ?? l.price,
      labelAmount: l.labelAmount,
      priceOverride: l.priceOverride,
      discount: l.discount,
      gross: g,
      savings: s,
      net,
      vatRate: l.vatRate,
      tax,
      voided: l.voided,
    };
  });

  const grossTotal = lines.reduce((a, l) => a + (gross.get(l.lineNo) as number), 0);
  const savingTotal = savings.reduce((a, s) => a + s.amount, 0);
  const beforeRounding = grossTotal - savingTotal;
  const rounding = roundingOf(beforeRounding, ctx.settings.rounding);
  const total = beforeRounding + rounding;
  const paid = c.tenders.reduce((a, t) => a + t.amount, 0);
  const change = c.tenders.reduce((a, t) => a + t.change, 0);
  const remaining = Math.max(0, total - paid);
  const items = lines.reduce((a, l) => a + (l.weighed ? 1 : l.qty), 0);

  return {
    view: {
      cartId: c.cartId,
      member: c.member,
      lines: outLines,
      cartDiscount: c.cartDiscount,
      savings,
      taxes: [...taxByRate.values()].sort((a, b) => b.vatRate - a.vatRate),
      tenders: c.tenders,
      totals: { gross: grossTotal, savings: savingTotal, rounding, total, paid, remaining, change, items },
      quickCash: quickCash(remaining),
    },
    lineDiscounts,
    cartDiscount,
  };
}
