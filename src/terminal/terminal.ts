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
import type { z } from 'zod';
import { contract, type CallContext, type MethodName } from '../shared/contract/index';
import { createEvents, type TillEvents } from '../shared/contract/events';
import { hasControlCharacter } from '../shared/contract/text';
import type { CatalogDeltaInput, StorePayments } from '../shared/contract/catalog';
import { TillError, isTillError } from '../shared/errors';
import type { Result } from '../shared/result';
import { isOverridable, roleHas } from '../core/permissions';
import type { OverrideRecord } from '../core/cart';
import type { PaymentProvider } from '../core/payment';
import { newUlid, openLedger, type Ledger, type LedgerIdentity } from '../ledger/index';
import { CatalogReader, applyCatalogDelta, storePaymentsFor, type CatalogApplyResult } from './projections/catalog';
import { Sessions, type Session } from './handlers/auth';
import { dataDirKeyring, useKeyring } from './handlers/pin-hash';
import { registerSellingProjectors } from './projections/selling';
import { registerMemberProjectors } from './projections/members';
import { Selling } from './handlers/selling';
import type { Call } from './handlers/call';
import type { Handlers, TerminalCore } from './handlers/handler-types';
import { sellingHandlers } from './handlers/selling-handlers';
import { LoginGuard } from './handlers/users';
import { createOperations } from './handlers/operations';
import { NoPayments } from './payments/none';
import { SwitchablePayments } from './payments/switchable';
import type { PaymentRecovery } from './handlers/selling';
import { recoverRefunds, type RefundRecovery } from './handlers/payment-refunds';
import { createDevices, DeviceManager, type DevicesConfigInput } from '../../drivers/index';
import { attachDevices } from './handlers/devices';
import { syncStatusView } from './handlers/sync-status';
import { setupHandlers, type SetupService } from './handlers/setup';
import type { SyncStatusView } from '../shared/contract/sync';
import type { UserView } from '../shared/contract/auth';
import type { TokenVault } from '../sync/types';

export interface TerminalOptions {
  dataDir: string;
  clock?: () => Date;
  newId?: () => string;
  /** the payment-code provider, or a maker given the ledger's identity (runtime/payments-file.ts reads DATA/payments.json); none by default: codes are refused */
  paymentProvider?: PaymentProvider | PaymentsFactory;
  nativeBinding?: string;
  /** create the ledger with this identity when the directory has none */
  create?: LedgerIdentity;
  /** check every answer against the contract's output schema (tests) */
  checkOutputs?: boolean;
  sleep?: (ms: number) => Promise<void>;
  /** where unexpected errors are logged (default: stderr) */
  log?: (line: string) => void;
  /**
   * the devices: a started DeviceManager (the caller stops it), or a devices
   * config from which the terminal creates, starts and (on close) stops one
   */
  devices?: DeviceManager | DevicesConfigInput;
  /** where PIN keys come from: the hub credentials of this vault (the app's sealed one) and DATA/pin-key; default: the data directory's files */
  vault?: TokenVault;
  /** the first-run set-up's work, given by the runtime (read at each call; none: the set-up calls are refused) */
  setup?: () => SetupService | null;
}

/**
 * makes the payment provider from the till's identity and the hub's set-up of
 * its store (null without one); called again, between calls, whenever the hub
 * sends a new set-up
 */
export type PaymentsFactory = (ctx: { identity: LedgerIdentity; hub: StorePayments | null }) => PaymentProvider;

export interface Terminal {
  readonly ledger: Ledger;
  readonly events: TillEvents;
  readonly catalog: CatalogReader;
  /** the device manager, or null for a terminal without devices */
  readonly devices: DeviceManager | null;
  /**
   * drives other devices from now on (the first-run set-up saved a new
   * devices.json): the calls, receipts, drawer and display follow `next`; a
   * manager the terminal made itself is stopped, one given by the caller is
   * the caller's to stop
   */
  replaceDevices(next: DeviceManager | null): void;
  /** source: 'local' (default: the cashier window, the CLI) or one lane device, for per-source sign-in lockouts */
  dispatch(method: MethodName, input: unknown, ctx: CallContext, source?: string): Promise<Result<unknown>>;
  /** the user of a live session token, without touching the session (the lane server binds sockets with it) */
  sessionUser(token: string | undefined): UserView | null;
  /** set by the sync part; payment codes are refused while offline */
  setOnline(online: boolean): void;
  isOnline(): boolean;
  /** set by the sync part: what the 'sync.status' call answers (default: not replicating) */
  setSyncStatus(source: () => SyncStatusView): void;
  /** a catalog delta from the hub (see applyCatalogDelta in ./projections/catalog) */
  applyCatalogDelta(delta: CatalogDeltaInput): CatalogApplyResult;
  /** settles the payment-code orders and refunds a crash (or a failed revoke) left open, in the call queue */
  recoverPayments(): Promise<{ payments: PaymentRecovery; refunds: RefundRecovery }>;
  close(): void;
}

/** what a session that must choose a new PIN may still call */
const PIN_CHANGE_CALLS: ReadonlySet<string> = new Set(['auth.changePin', 'auth.whoami', 'auth.logout', 'system.status', 'sync.status']);

function firstIssue(e: z.ZodError): string {
  const i = e.issues[0];
  if (!i) return 'malformed input';
  return `${i.path.length ? i.path.join('.') + ': ' : ''}${i.message}`;
}

export function createTerminal(opts: TerminalOptions): Terminal {
  const clock = opts.clock ?? (() => new Date());
  const newId = opts.newId ?? newUlid;
  const log = opts.log ?? ((line: string) => void process.stderr.write(line + '\n'));
  const ledger = openLedger(opts.dataDir, {
    clock,
    newId,
    ...(opts.create ? { create: opts.create } : {}),
    ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
  });
  if (opts.vault) useKeyring(ledger, dataDirKeyring(ledger.dir, opts.vault));
  try {
    registerSellingProjectors(ledger);
    registerMemberProjectors(ledger);
  } catch (e) {
    ledger.close();
    throw e;
  }
  const events = createEvents((event, e) => log(`till: a listener of ${event} failed: ${e instanceof Error ? e.message : String(e)}`));
  const catalog = new CatalogReader(ledger.db);
  const loginGuard = new LoginGuard(ledger, clock);
  const sessions = new Sessions(ledger, () => clock().getTime(), loginGuard);
  let payments: PaymentProvider;
  let remakePayments: (() => void) | null = null;
  try {
    const given = opts.paymentProvider;
    if (typeof given === 'function') {
      const make = () => given({ identity: ledger.identity, hub: storePaymentsFor(ledger.db, ledger.identity.store) });
      const switchable = new SwitchablePayments(make());
      remakePayments = () => switchable.replace(make());
      payments = switchable;
    } else payments = given ?? new NoPayments();
  } catch (e) {
    ledger.close();
    throw e;
  }
  let online = true;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const selling = new Selling({ ledger, catalog, events, clock, newId, payments, sleep, isOnline: () => online });

  const core: TerminalCore = { ledger, catalog, sessions, selling, events, clock, newId, payments };
  const operations = createOperations({ ...core, guard: loginGuard, isOnline: () => online, sleep });
  let ownsDevices = opts.devices !== undefined && !(opts.devices instanceof DeviceManager);
  let manager: DeviceManager | null = null;
  try {
    manager = opts.devices === undefined ? null : opts.devices instanceof DeviceManager ? opts.devices : createDevices(opts.devices);
  } catch (e) {
    ledger.close();
    throw e;
  }
  if (ownsDevices) manager?.start();
  let devices = attachDevices({ ledger, catalog, selling, events, clock, log, manager });
  /** the device calls go to whichever devices are attached at the time of the call */
  const deviceHandlers = Object.fromEntries(
    (Object.keys(devices.handlers) as Array<keyof typeof devices.handlers>).map((k) => [k, (...args: unknown[]) => (devices.handlers[k] as (...a: unknown[]) => unknown)(...args)]),
  ) as typeof devices.handlers;
  let syncStatus = (): SyncStatusView => syncStatusView(ledger, null);
  /** every contract method's handler: a method without one does not compile */
  const handlers: Handlers = {
    ...sellingHandlers(core),
    ...operations.handlers,
    ...deviceHandlers,
    ...setupHandlers(opts.setup ?? (() => null)),
    'sync.status': () => syncStatus(),
  };

  function makeCall(session: Session | null, ctx: CallContext, source: string): Call {
    const granted: OverrideRecord[] = [];
    const user = session?.user ?? { code: '', name: '', role: 'cashier' as const };
    return {
      user,
      source,
      granted,
      async authorize(action, detail, allows) {
        if (session && allows(session.user.role)) return;
        if (!ctx.override) throw new TillError('override-required', `${action} needs a supervisor: ask one to enter their code and PIN`);
        const by = await sessions.check(ctx.override.userCode, ctx.override.pin, source);
        if (!allows(by.role)) throw new TillError('forbidden', `${by.name} (${by.role}) may not approve ${action} either`);
        granted.push({ action, cashier: user.code, approvedBy: by.code, at: clock().toISOString(), detail });
      },
    };
  }

  async function run(method: MethodName, input: unknown, ctx: CallContext, source: string): Promise<Result<unknown>> {
    const def = Object.hasOwn(contract, method) ? contract[method] : undefined;
    if (!def) return { ok: false, error: { code: 'unknown-method', message: `there is no call '${String(method)}'` } };
    const parsed = (def.input as z.ZodType).safeParse(input);
    if (!parsed.success) return { ok: false, error: { code: hasControlCharacter(parsed.error.issues) ? 'control-character' : 'bad-input', message: `${method}: ${firstIssue(parsed.error)}` } };
    try {
      const access = def.access;
      const session = access === 'public' ? null : sessions.resolve(typeof ctx?.sessionToken === 'string' ? ctx.sessionToken : undefined);
      if (session?.mustChangePin && !PIN_CHANGE_CALLS.has(method)) throw new TillError('pin-change-required', 'choose a new PIN before anything else');
      const call = makeCall(session, ctx ?? {}, source);
      if (session && access !== 'public' && access !== 'session') {
        if (!roleHas(session.user.role, access)) {
          if (!isOverridable(access)) throw new TillError('forbidden', `${session.user.name} (${session.user.role}) may not do ${method}`);
          await call.authorize(access, method, (r) => roleHas(r, access));
        }
      }
      operations.beforeCall(method);
      await devices.beforeCall(method);
      // handlers[method] is Handler<typeof method>; the union of every handler cannot be called with one input, so it is widened here, after parsing
      const handler = handlers[method] as (input: unknown, call: Call, session: Session | null) => unknown;
      const value = await handler(parsed.data, call, session);
      if (opts.checkOutputs) {
        const out = (def.output as z.ZodType).safeParse(value);
        if (!out.success) throw new Error(`${method} answered outside its contract: ${firstIssue(out.error)}`);
      }
      return { ok: true, value };
    } catch (e) {
      if (isTillError(e)) return { ok: false, error: e.toBody() };
      log(`till: ${method} failed unexpectedly: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return { ok: false, error: { code: 'internal', message: `${method} failed unexpectedly (logged); nothing was committed by the failed step` } };
    } finally {
      // after the commit: drawer kicks and refund slips for what the call journaled
      devices.afterCall();
    }
  }

  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;
  // the terminal is ready to scan now; the search index (about a second for 100,000 products) is built
  // right after, so the first search does not wait for it
  const warm = setTimeout(() => {
    if (closed) return;
    try {
      catalog.searchIndex();
    } catch (e) {
      log(`till: the search index could not be built yet: ${e instanceof Error ? e.message : String(e)}`);
    }
  }, 0);
  warm.unref();

  return {
    ledger,
    events,
    catalog,
    get devices() {
      return manager;
    },
    replaceDevices(next) {
      devices.detach();
      const old = manager;
      if (ownsDevices && old && old !== next) old.stop().catch((e: unknown) => log(`till: the devices did not stop cleanly: ${e instanceof Error ? e.message : String(e)}`));
      ownsDevices = false;
      manager = next;
      devices = attachDevices({ ledger, catalog, selling, events, clock, log, manager });
    },
    dispatch(method, input, ctx, source = 'local') {
      if (closed) return Promise.resolve({ ok: false, error: { code: 'internal', message: 'the terminal is closed' } });
      const next = queue.then(() => run(method, input, ctx, source));
      queue = next.catch(() => undefined);
      return next;
    },
    sessionUser: (token) => sessions.peek(token)?.user ?? null,
    setOnline(v) {
      online = v;
    },
    isOnline: () => online,
    setSyncStatus(source) {
      syncStatus = source;
    },
    applyCatalogDelta(delta) {
      const applied = applyCatalogDelta(ledger, delta);
      // a new payment set-up from the hub takes effect between calls, never inside a payment
      if (remakePayments && delta.payments?.length) {
        const remake = remakePayments;
        queue = queue.then(() => {
          try {
            remake();
          } catch (e) {
            log(`till: the payment set-up from the hub could not be used: ${e instanceof Error ? e.message : String(e)}`);
          }
        });
      }
      return applied;
    },
    recoverPayments() {
      if (closed) return Promise.reject(new TillError('internal', 'the terminal is closed'));
      const next = queue.then(async () => ({ payments: await selling.recoverPayments(), refunds: await recoverRefunds({ ledger, payments, sleep }) }));
      queue = next.catch(() => undefined);
      return next;
    },
    close() {
      if (closed) return;
      closed = true;
      clearTimeout(warm);
      devices.detach();
      if (ownsDevices) manager?.stop().catch((e: unknown) => log(`till: the devices did not stop cleanly: ${e instanceof Error ? e.message : String(e)}`));
      ledger.close();
    },
  };
}


