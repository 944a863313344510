/**
 * till simulate --data DIR --sales N [--seed S]
 * A scripted cashier that drives a whole terminal through dispatch, as the
 * cashier screen would: random baskets from the catalog (scans, PLUs with a
 * weight, scale labels, name searches, quantity changes, voided lines),
 * members, small discounts, hold and recall, mixed and split tenders (cash,
 * card, payment codes through the sandbox provider, including a declined one).
 * Prints `committed <receipt-no>` on its own line as each sale's commit
 * returns: the burn-in tool for a new terminal and the load for benchmarks.
 * A cart left open by a crash is finished first. The terminal is composed by
 * startTerminalRuntime without devices: an enrolled terminal replicates to
 * its hub while it sells, and with --until-synced the command waits until the
 * hub has acknowledged the last entry (non-zero with the reason otherwise).
 */
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import { withCheckDigit } from '../../core/barcode';
import { createRng, type Rng } from '../../core/random';
import type { CallContext, MethodName } from '../../shared/contract/index';
import type { CartView } from '../../shared/contract/cart';
import type { TenderResult } from '../../shared/contract/tender';
import { TillError } from '../../shared/errors';
import { SyncError } from '../../sync/sync-error';
import { lineLogger } from '../../shared/logger';
import { saveUser, SandboxPaymentProvider, startTerminalRuntime, type Terminal } from '../../terminal/index';
import { EXIT, UsageError, type Command, type CliIO } from '../io';

export const SIMULATOR_USER = '990001';

interface Stock {
  barcodes: string[];
  weighed: Array<{ plu: string; price: number }>;
  plus: string[];
  initials: Array<{ sku: string; initials: string }>;
}

function stock(t: Terminal): Stock {
  const db = t.ledger.db;
  const barcodes = db.prepare('SELECT b.barcode FROM barcodes b JOIN products p ON p.sku = b.sku WHERE p.active = 1 ORDER BY b.barcode').pluck().all() as string[];
  const weighed = db.prepare('SELECT plu, price FROM products WHERE active = 1 AND weighed = 1 AND plu IS NOT NULL ORDER BY sku').all() as Array<{ plu: string; price: number }>;
  const plus = db.prepare('SELECT plu FROM products WHERE active = 1 AND weighed = 0 AND plu IS NOT NULL ORDER BY sku').pluck().all() as string[];
  const initials = db.prepare('SELECT sku, initials FROM products WHERE active = 1 AND length(initials) >= 3 ORDER BY sku LIMIT 5000').all() as Array<{ sku: string; initials: string }>;
  return { barcodes, weighed, plus, initials };
}

class Cashier {
  constructor(
    private readonly t: Terminal,
    private readonly ctx: CallContext,
    private readonly rng: Rng,
    private readonly s: Stock,
  ) {}

  async call<T>(method: MethodName, input: unknown): Promise<T> {
    const r = await this.t.dispatch(method, input, this.ctx);
    if (!r.ok) throw new TillError(r.error.code, `${method}: ${r.error.message}`);
    return r.value as T;
  }

  /** one basket; returns the cart */
  async basket(): Promise<CartView> {
    const { rng, s } = this;
    const items = rng.int(1, 8);
    let cart = await this.call<CartView>('cart.get', {});
    for (let i = 0; i < items; i++) {
      const roll = rng.next();
      if (roll < 0.7 && s.barcodes.length) cart = (await this.call<{ cart: CartView }>('cart.scan', { code: rng.pick(s.barcodes) })).cart;
      else if (roll < 0.8 && s.weighed.length) {
        const w = rng.pick(s.weighed);
        const grams = rng.int(150, 1500);
        if (rng.chance(0.5)) {
          const amount = Math.round((w.price * grams) / 1000);
          const label = withCheckDigit(`20${w.plu.padStart(5, '0')}${String(amount).padStart(5, '0')}${String(grams).padStart(5, '0')}`);
          if (amount < 100000) cart = (await this.call<{ cart: CartView }>('cart.scan', { code: label })).cart;
        } else cart = (await this.call<{ cart: CartView }>('cart.addPlu', { plu: w.plu, qty: grams })).cart;
      } else if (roll < 0.87 && s.plus.length) cart = (await this.call<{ cart: CartView }>('cart.addPlu', { plu: rng.pick(s.plus) })).cart;
      else if (s.initials.length) {
        const p = rng.pick(s.initials);
        const found = await this.call<{ products: Array<{ sku: string; weighed: boolean }> }>('catalog.search', { query: p.initials.slice(0, 4), limit: 10 });
        const hit = found.products.find((x) => !x.weighed);
        if (hit) cart = (await this.call<{ cart: CartView }>('cart.addProduct', { sku: hit.sku, qty: rng.int(1, 3) })).cart;
      }
    }
    const live = cart.lines.filter((l) => !l.voided);
    if (live.length > 1 && rng.chance(0.1)) cart = await this.call<CartView>('cart.voidLine', { lineNo: rng.pick(live).lineNo });
    const counted = cart.lines.filter((l) => !l.voided && !l.weighed && l.labelAmount === null);
    if (counted.length && rng.chance(0.15)) cart = await this.call<CartView>('cart.setQty', { lineNo: rng.pick(counted).lineNo, qty: rng.int(2, 6) });
    if (rng.chance(0.1)) cart = await this.call<CartView>('cart.setMember', { memberCode: `8888${String(rng.int(1, 200)).padStart(6, '0')}` }).catch(() => cart);
    if (counted.length && rng.chance(0.05)) cart = await this.call<CartView>('cart.discountLine', { lineNo: rng.pick(counted).lineNo, discount: { kind: 'percent', basisPoints: 500 } });
    return cart;
  }

  private paymentCode(approve: boolean): string {
    const { rng } = this;
    const last = approve ? rng.int(0, 6) : 8;
    if (rng.chance(0.5)) return `1${rng.int(0, 5)}${String(rng.int(0, 999999999)).padStart(9, '0')}${String(rng.int(0, 999999)).padStart(6, '0')}${last}`;
    return `28${String(rng.int(0, 999999999)).padStart(9, '0')}${String(rng.int(0, 999999)).padStart(6, '0')}${last}`;
  }

  /** pays what is left; returns the receipt number once the sale is committed */
  async pay(cart: CartView): Promise<string> {
    const { rng } = this;
    let remaining = cart.totals.remaining;
    for (let guard = 0; guard < 10; guard++) {
      const roll = rng.next();
      let r: TenderResult;
      if (roll < 0.5) r = await this.call<TenderResult>('tender.cash', { tendered: rng.pick(cart.quickCash.length ? cart.quickCash : [remaining]) });
      else if (roll < 0.7) r = await this.call<TenderResult>('tender.card', { amount: remaining, reference: `POS${rng.int(100000, 999999)}` });
      else if (roll < 0.9) {
        if (rng.chance(0.05)) {
          const declined = await this.t.dispatch('tender.paymentCode', { code: this.paymentCode(false) }, this.ctx);
          if (declined.ok || declined.error.code !== 'payment-declined') throw new TillError('internal', 'the sandbox should have declined that code');
        }
        r = await this.call<TenderResult>('tender.paymentCode', { code: this.paymentCode(true) });
      } else {
        const part = Math.max(1, Math.floor(remaining / 2));
        r = await this.call<TenderResult>('tender.cash', { tendered: part });
        if (!r.completed) r = await this.call<TenderResult>('tender.paymentCode', { code: this.paymentCode(true) });
      }
      if (r.completed) return r.completed.receiptNo;
      cart = r.cart;
      remaining = cart.totals.remaining;
    }
    throw new TillError('internal', 'the sale did not complete after 10 tenders');
  }
}

export async function simulate(io: CliIO, opts: { data: string; sales: number; seed: number; untilSynced?: number }): Promise<number> {
  const runtime = await startTerminalRuntime({ dataDir: opts.data, devices: null, logger: lineLogger((l) => io.err(`${l}\n`)), paymentProvider: new SandboxPaymentProvider({ pollMs: 20, timeoutMs: 2000 }) });
  const { terminal, sync } = runtime;
  try {
    if (opts.untilSynced !== undefined && !sync) throw new TillError('not-enrolled', `--until-synced: the terminal in ${opts.data} does not replicate to a hub (till enroll)`);
    const s = stock(terminal);
    if (!s.barcodes.length && !s.plus.length) throw new TillError('not-found', `the catalog in ${opts.data} is empty: run till init (it seeds the sample catalog) or till import-catalog first`);
    const pin = String(randomInt(100000, 1000000));
    saveUser(terminal.ledger, { code: SIMULATOR_USER, name: '模拟收银员', role: 'cashier', pin });
    const login = await terminal.dispatch('auth.login', { userCode: SIMULATOR_USER, pin }, {});
    if (!login.ok) throw new TillError(login.error.code, login.error.message);
    const cashier = new Cashier(terminal, { sessionToken: (login.value as { sessionToken: string }).sessionToken }, createRng(opts.seed), s);
    const current = await cashier.call<{ shift: unknown }>('shift.current', {});
    if (current.shift === null) {
      await cashier.call('shift.open', { float: [{ value: 10000, count: 2 }] });
      io.out('opened a shift with a float of 200.00\n');
    }
    const t0 = performance.now();
    let done = 0;
    const open = await cashier.call<CartView>('cart.get', {});
    if (open.totals.items > 0) {
      io.out(`finishing the cart left open (${open.totals.items} items)\n`);
      io.out(`committed ${await cashier.pay(open)}\n`);
      done++;
    }
    const rng = createRng(opts.seed ^ 0x5eed);
    while (done < opts.sales) {
      let cart = await cashier.basket();
      if (cart.totals.items === 0) continue;
      if (rng.chance(0.03)) {
        await cashier.call('sale.void', { reason: '顾客不要了' });
        continue;
      }
      if (rng.chance(0.05)) {
        const held = await cashier.call<{ heldId: string }>('cart.hold', { note: '模拟挂单' });
        cart = await cashier.call<CartView>('cart.recall', { heldId: held.heldId });
      }
      if (cart.totals.remaining === 0) {
        await cashier.call('sale.void', { reason: '零元单' });
        continue;
      }
      const receiptNo = await cashier.pay(cart);
      io.out(`committed ${receiptNo}\n`);
      done++;
    }
    const secs = (performance.now() - t0) / 1000;
    io.out(`simulated ${done} sales in ${secs.toFixed(1)} s (${(done / Math.max(secs, 0.001)).toFixed(1)} sales/s)\n`);
    if (sync && opts.untilSynced !== undefined) {
      try {
        const head = await sync.replicator.untilIdle(opts.untilSynced * 1000);
        io.out(`synced: the hub has every entry up to ${head.seq} (hash ${head.hash})\n`);
      } catch (e) {
        if (!(e instanceof SyncError)) throw e;
        io.err(`till simulate: ${e.reason}: ${e.message}\n`);
        return EXIT.failed;
      }
    }
    return EXIT.ok;
  } finally {
    await runtime.close();
  }
}

const command: Command = {
  summary: 'a scripted cashier: N random sales through dispatch (burn-in and load)',
  usage: 'till simulate --data DIR --sales N [--seed S] [--until-synced SECONDS]',
  async run(args, io) {
    const { values } = parseArgs({ args, options: { data: { type: 'string' }, sales: { type: 'string' }, seed: { type: 'string' }, 'until-synced': { type: 'string' } } });
    if (!values.data) throw new UsageError('--data is required');
    const sales = Number(values.sales);
    if (!values.sales || !Number.isSafeInteger(sales) || sales < 1) throw new UsageError(`--sales must be a positive whole number (got '${values.sales ?? ''}')`);
    const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
    if (!Number.isSafeInteger(seed)) throw new UsageError(`--seed must be a whole number (got '${values.seed}')`);
    const untilSynced = values['until-synced'] === undefined ? undefined : Number(values['until-synced']);
    if (untilSynced !== undefined && !(untilSynced > 0)) throw new UsageError(`--until-synced takes a timeout in seconds (got '${values['until-synced']}')`);
    return simulate(io, { data: values.data, sales, seed, ...(untilSynced !== undefined ? { untilSynced } : {}) });
  },
};
export default command;
