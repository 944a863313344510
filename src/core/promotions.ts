/**
 * Promotions over a basket.
 *
 * Line prices first: each line not overridden and not sold by label takes the
 * lowest of its catalog price, the member price (members only) and any
 * running special-price promotion; the difference is a saving.
 *
 * Basket promotions (multi-buy, nth-off, buy-get, combo) then work on units
 * (one per counted item, at the line price; weighed, overridden and label
 * lines take no part). They are applied greedily for the customer: every
 * round evaluates each remaining promotion over the units still free, applies
 * the one that saves most (ties: the lower promotion id), and takes its units
 * out of play, until none saves anything. Each promotion applies at most once
 * (covering as many groups as the units allow). Inside a promotion:
 *  - multi-buy: groups of `qty` from the most expensive units down, each group
 *    costs `price` while that is a saving;
 *  - nth-off: units from the most expensive down in runs of `n`, the last
 *    (cheapest) of each run at percentOff;
 *  - buy-get: the `buyQty` dearest free units of `buy`, then the `getQty`
 *    dearest free units of `get` are free; repeated while both are there;
 *  - combo: the dearest free unit of each component, for `price`.
 * A group's saving is spread over its units by price (allocate), so each line
 * knows its share for VAT. Unit order is fixed (price desc, line, position),
 * so the same basket always prices the same.
 */
import type { ItemSet, Promotion } from '../shared/contract/catalog';
import { mulDivHalfUp } from '../shared/money';
import { allocate } from './allocate';

export interface Unit {
  lineNo: number;
  sku: string;
  category: string;
  price: number;
}

export interface AppliedPromotion {
  promotion: Promotion;
  saving: number;
  /** lineNo -> saving on that line */
  perLine: Map<number, number>;
}

export function inSet(set: ItemSet, sku: string, category: string): boolean {
  return set.skus.includes(sku) || set.categories.includes(category);
}

/** is the promotion running at `now` (store local time = UTC + offset) for this customer */
export function promotionRunning(p: Promotion, now: Date, utcOffsetMinutes: number, member: boolean): boolean {
  if (!p.active || (p.membersOnly && !member)) return false;
  const t = now.getTime();
  if (p.window.from !== null && t < Date.parse(p.window.from)) return false;
  if (p.window.to !== null && t >= Date.parse(p.window.to)) return false;
  const { dailyFromMinute: a, dailyToMinute: b } = p.window;
  if (a !== null && b !== null) {
    const local = (((Math.floor(t / 60000) + utcOffsetMinutes) % 1440) + 1440) % 1440;
    const inside = a <= b ? local >= a && local < b : local >= a || local < b;
    if (!inside) return false;
  }
  return true;
}

interface Evaluation {
  saving: number;
  consumed: number[];
  /** unit index -> saving */
  unitSavings: Map<number, number>;
}

type Basket = Exclude<Promotion, { kind: 'special-price' }>;

export function applyBasketPromotions(units: readonly Unit[], promotions: readonly Promotion[]): AppliedPromotion[] {
  const order = units
    .map((_, i) => i)
    .sort((a, b) => {
      const ua = units[a] as Unit;
      const ub = units[b] as Unit;
      return ub.price - ua.price || ua.lineNo - ub.lineNo || a - b;
    });
  const free = new Array<boolean>(units.length).fill(true);
  let pool = promotions.filter((p): p is Basket => p.kind !== 'special-price').sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const applied: AppliedPromotion[] = [];
  while (pool.length) {
    let best: { p: Basket; e: Evaluation } | null = null;
    for (const p of pool) {
      const e = evaluate(p, units, order, free);
      if (e.saving > 0 && (best === null || e.saving > best.e.saving)) best = { p, e };
    }
    if (best === null) break;
    for (const i of best.e.consumed) free[i] = false;
    const perLine = new Map<number, number>();
    for (const [i, s] of best.e.unitSavings) {
      const ln = (units[i] as Unit).lineNo;
      perLine.set(ln, (perLine.get(ln) ?? 0) + s);
    }
    applied.push({ promotion: best.p, saving: best.e.saving, perLine });
    const chosen = best.p;
    pool = pool.filter((p) => p !== chosen);
  }
  return applied;
}

function evaluate(p: Basket, units: readonly Unit[], order: readonly number[], free: readonly boolean[]): Evaluation {
  const e: Evaluation = { saving: 0, consumed: [], unitSavings: new Map() };
  const eligible = (set: ItemSet) => order.filter((i) => free[i] && inSet(set, (units[i] as Unit).sku, (units[i] as Unit).category));
  const priceOf = (i: number) => (units[i] as Unit).price;
  const spread = (group: number[], saving: number) => {
    const parts = allocate(saving, group.map(priceOf));
    group.forEach((i, k) => e.unitSavings.set(i, (e.unitSavings.get(i) ?? 0) + (parts[k] as number)));
    e.saving += saving;
    e.consumed.push(...group);
  };
  switch (p.kind) {
    case 'multi-buy': {
      const el = eligible(p.items);
      for (let g = 0; (g + 1) * p.qty <= el.length; g++) {
        const group = el.slice(g * p.qty, (g + 1) * p.qty);
        const sum = group.reduce((a, i) => a + priceOf(i), 0);
        if (sum <= p.price) break;
        spread(group, sum - p.price);
      }
      break;
    }
    case 'nth-off': {
      const el = eligible(p.items);
      for (let g = 0; (g + 1) * p.n <= el.length; g++) {
        const group = el.slice(g * p.n, (g + 1) * p.n);
        const cheapest = group[group.length - 1] as number;
        const s = mulDivHalfUp(priceOf(cheapest), p.percentOff, 10000);
        if (s <= 0) break;
        e.unitSavings.set(cheapest, s);
        e.saving += s;
        e.consumed.push(...group);
      }
      break;
    }
    case 'buy-get': {
      const taken = new Set<number>();
      const pick = (set: ItemSet, n: number): number[] | null => {
        const got: number[] = [];
        for (const i of order) {
          if (got.length === n) break;
          if (free[i] && !taken.has(i) && inSet(set, (units[i] as Unit).sku, (units[i] as Unit).category)) got.push(i);
        }
        if (got.length < n) return null;
        for (const i of got) taken.add(i);
        return got;
      };
      for (;;) {
        const buy = pick(p.buy, p.buyQty);
        if (!buy) break;
        const get = pick(p.get, p.getQty);
        if (!get) break;
        for (const i of get) {
          e.unitSavings.set(i, priceOf(i));
          e.saving += priceOf(i);
        }
        e.consumed.push(...buy, ...get);
      }
      break;
    }
    case 'combo': {
      const taken = new Set<number>();
      for (;;) {
        const group: number[] = [];
        for (const c of p.components) {
          const i = order.find((k) => free[k] && !taken.has(k) && !group.includes(k) && inSet(c, (units[k] as Unit).sku, (units[k] as Unit).category));
          if (i === undefined) break;
          group.push(i);
        }
        if (group.length < p.components.length) break;
        const sum = group.reduce((a, i) => a + priceOf(i), 0);
        if (sum <= p.price) break;
        for (const i of group) taken.add(i);
        spread(group, sum - p.price);
      }
      break;
    }
  }
  return e;
}
