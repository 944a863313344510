/**
 * The composition root of one terminal: opens the ledger, registers the
 * projectors, and serves every contract call through dispatch:
 * validate the input (zod) -> resolve the session -> check the permission
 * (src/core/permissions; an overridable one may be granted by a second
 * credential on the call) -> run the handler -> {ok, value} | {ok:false, error}.
 * Calls run one at a time (a queue), so a scan never interleaves with a
 * payment in progress. An unexpected exception is logged and answered with
 * code 'internal' and a message without internals.
 */
import { ulid } from 'ulid';
import type { z } from 'zod';
import { contract, type CallContext, type Contract, type MethodName, type MethodOutput } from '../shared/contract/index';
import type { Role } from '../shared/contract/define';
import { createEvents, type TillEvents } from '../shared/contract/events';
import type { CatalogDeltaInput } from '../shared/contract/catalog';
import { TillError, isTillError } from '../shared/errors';
import type { Result } from '../shared/result';
import { APP_VERSION } from '../shared/version';
import { isOverridable, isPermission, roleHas } from '../core/permissions';
import { lineOf, overridePrice, setCartDiscount, setLineDiscount, setMember, setQty, voidLine, type OverrideRecord } from '../core/cart';
import { classifyCode } from '../core/barcode';
import type { PaymentProvider } from '../core/payment';
import { openLedger, type Ledger, type LedgerIdentity } from '../ledger/index';
import { CatalogReader, applyCatalogDelta, type CatalogApplyResult } from './catalog';
import { Sessions, type Session } from './auth';
import { registerSellingProjectors } from './projections';
import { Selling, type Call } from './selling';
import { SandboxPaymentProvider } from './payment-sandbox';

export interface TerminalOptions {
  dataDir: string;
  clock?: () => Date;
  newId?: () => string;
  /** defaults to the sandbox provider */
  paymentProvider?: PaymentProvider;
  nativeBinding?: string;
  /** create the ledger with this identity when the directory has none */
  create?: LedgerIdentity;
  /** check every answer against the contract's output schema (tests) */
  checkOutputs?: boolean;
  sleep?: (ms: number) => Promise<void>;
  /** where unexpected errors are logged (default: stderr) */
  log?: (line: string) => void;
}

export interface Terminal {
  readonly ledger: Ledger;
  readonly events: TillEvents;
  readonly catalog: CatalogReader;
  dispatch(method: MethodName, input: unknown, ctx: CallContext): Promise<Result<unknown>>;
  /** set by the sync part; payment codes are refused while offline */
  setOnline(online: boolean): void;
  isOnline(): boolean;
  /** a catalog delta from the hub (see applyCatalogDelta in ./catalog) */
  applyCatalogDelta(delta: CatalogDeltaInput): CatalogApplyResult;
  close(): void;
}

type Parsed<N extends MethodName> = z.output<Contract[N]['input']>;
type Handler<N extends MethodName> = (input: Parsed<N>, call: Call, session: Session | null) => Promise<MethodOutput<N>> | MethodOutput<N>;
export type Handlers = { [N in MethodName]: Handler<N> };

function firstIssue(e: z.ZodError): string {
  const i = e.issues[0];
  if (!i) return 'malformed input';
  return `${i.path.length ? i.path.join('.') + ': ' : ''}${i.message}`;
}

export function createTerminal(opts: TerminalOptions): Terminal {
  const clock = opts.clock ?? (() => new Date());
  const newId = opts.newId ?? (() => ulid());
  const log = opts.log ?? ((line: string) => void process.stderr.write(line + '\n'));
  const ledger = openLedger(opts.dataDir, {
    clock,
    newId,
    ...(opts.create ? { create: opts.create } : {}),
    ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
  });
  try {
    registerSellingProjectors(ledger);
  } catch (e) {
    ledger.close();
    throw e;
  }
  const events = createEvents((event, e) => log(`till: a listener of ${event} failed: ${e instanceof Error ? e.message : String(e)}`));
  const catalog = new CatalogReader(ledger.db);
  const sessions = new Sessions(ledger, () => clock().getTime());
  const payments = opts.paymentProvider ?? new SandboxPaymentProvider();
  let online = true;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const selling = new Selling({ ledger, catalog, events, clock, newId, payments, sleep, isOnline: () => online });

  const limitAllows = (amount: number, base: number) => (role: Role) => {
    const l = catalog.settings().discountLimits[role];
    return amount <= l.amount && amount * 10000 <= l.percent * base;
  };

  const handlers: Handlers = {
    'system.status': () => {
      const h = ledger.head();
      return { store: ledger.identity.store, terminal: ledger.identity.terminal, version: APP_VERSION, lastSeq: h.seq, lastHash: h.hash };
    },
    'auth.login': async (i) => {
      const s = await sessions.login(i.userCode, i.pin);
      return { sessionToken: s.token, user: s.user };
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

  function makeCall(session: Session | null, ctx: CallContext): Call {
    const granted: OverrideRecord[] = [];
    const user = session?.user ?? { code: '', name: '', role: 'cashier' as const };
    return {
      user,
      granted,
      async authorize(action, detail, allows) {
        if (session && allows(session.user.role)) return;
        if (!ctx.override) throw new TillError('override-required', `${action} needs a supervisor: ask one to enter their code and PIN`);
        const by = await sessions.check(ctx.override.userCode, ctx.override.pin);
        if (!allows(by.role)) throw new TillError('forbidden', `${by.name} (${by.role}) may not approve ${action} either`);
        granted.push({ action, cashier: user.code, approvedBy: by.code, at: clock().toISOString(), detail });
      },
    };
  }

  async function run(method: MethodName, input: unknown, ctx: CallContext): Promise<Result<unknown>> {
    const def = Object.hasOwn(contract, method) ? contract[method] : undefined;
    if (!def) return { ok: false, error: { code: 'unknown-method', message: `there is no call '${String(method)}'` } };
    const parsed = (def.input as z.ZodType).safeParse(input);
    if (!parsed.success) return { ok: false, error: { code: 'bad-input', message: `${method}: ${firstIssue(parsed.error)}` } };
    try {
      const access = def.access;
      const session = access === 'public' ? null : sessions.resolve(typeof ctx?.sessionToken === 'string' ? ctx.sessionToken : undefined);
      const call = makeCall(session, ctx ?? {});
      if (session && access !== 'public' && access !== 'session') {
        if (!isPermission(access)) throw new TillError('internal', `the call ${method} names an unknown permission`);
        if (!roleHas(session.user.role, access)) {
          if (!isOverridable(access)) throw new TillError('forbidden', `${session.user.name} (${session.user.role}) may not do ${method}`);
          await call.authorize(access, method, (r) => roleHas(r, access));
        }
      }
      const handler = handlers[method] as (input: unknown, call: Call, session: Session | null) => unknown;
      const value = await handler(parsed.data, call, session);
      if (opts.checkOutputs) {
        const out = (def.output as z.ZodType).safeParse(value);
        if (!out.success) throw new Error(`${method} answered outside its contract: ${firstIssue(out.error)}`);
      }
      return { ok: true, value };
    } catch (e) {
      if (isTillError(e)) return { ok: false, error: { code: e.code, message: e.message } };
      log(`till: ${method} failed unexpectedly: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return { ok: false, error: { code: 'internal', message: `${method} failed unexpectedly (logged); nothing was committed by the failed step` } };
    }
  }

  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  return {
    ledger,
    events,
    catalog,
    dispatch(method, input, ctx) {
      if (closed) return Promise.resolve({ ok: false, error: { code: 'internal', message: 'the terminal is closed' } });
      const next = queue.then(() => run(method, input, ctx));
      queue = next.catch(() => undefined);
      return next;
    },
    setOnline(v) {
      online = v;
    },
    isOnline: () => online,
    applyCatalogDelta: (delta) => applyCatalogDelta(ledger, delta),
    close() {
      if (closed) return;
      closed = true;
      ledger.close();
    },
  };
}

function describe(d: { kind: 'amount'; amount: number } | { kind: 'percent'; basisPoints: number }): string {
  return d.kind === 'amount' ? `${d.amount} off` : `${d.basisPoints / 100}% off`;
}

