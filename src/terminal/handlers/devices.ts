/**
 * The devices of one terminal wired to its ledger and events (issue 5).
 *
 * - A committed sale ('sale.completed') prints its receipt through the print
 *   queue after the commit; the queue never throws because of the printer, so
 *   a printer fault can never fail or roll back the sale.
 * - Drawer openings are read from the journal after each call: every
 *   DrawerOpened entry (no-sale, paid-in/out, shift open/close, cash refund)
 *   kicks the drawer once, and every RefundCompleted prints its refund slip.
 *   A receipt that asks for the drawer (cash) kicks it itself when the drawer
 *   hangs off the printer (the queue kicks at once if printing fails), so the
 *   matching DrawerOpened of a cash refund is then not kicked twice.
 * - The customer display follows the cart: the item and its price on each
 *   scan, the amount paid after a partial tender, the total when only totals
 *   change, and the change (or the total) when the sale completes.
 * - Device scans become 'scan' events for the UI, which feeds them into the
 *   same path as its scan field (it knows the session and the screen: a sale,
 *   a payment code, a refund lookup).
 * - Status changes become 'device.status' events, one per device and change.
 * - Report slips print on request (report.print): a fresh X report, or a
 *   copy of the Z report a closed day ended with.
 * - With the "wait for the drawer" rule on, a call that would start a new sale
 *   is refused with 'drawer-open' while the drawer reads open.
 */
import type { DeviceManager, DeviceStatus, PrintJob } from '../../../drivers/index';
import type { CartView } from '../../shared/contract/cart';
import type { DevicesStatusView, PrintJobView } from '../../shared/contract/devices';
import type { EventPayload, TillEvents } from '../../shared/contract/events';
import { TillError } from '../../shared/errors';
import type { ReceiptDocument } from '../../shared/receipt';
import { readJournalPayload } from '../../shared/journal-events';
import { isEmpty, type CartState } from '../../core/cart';
import { buildRefundReceipt, type RefundRecord } from '../../core/refund';
import type { Ledger } from '../../ledger/index';
import type { CatalogReader } from '../projections/catalog';
import { DRAWER_OPENED, REFUND_COMPLETED, type DrawerOpenedPayload } from '../projections/operations';
import type { Selling } from './selling';
import { closedDayReport, xReport } from './reports';
import { currentShift } from './shifts';
import type { Handlers } from './handler-types';

export type DeviceMethods = 'devices.status' | 'devices.test' | 'receipt.reprint' | 'receipt.jobs' | 'report.print';

export interface TerminalDevicesDeps {
  ledger: Ledger;
  catalog: CatalogReader;
  selling: Selling;
  events: TillEvents;
  clock: () => Date;
  log: (line: string) => void;
  /** null: a terminal without devices (the calls answer that nothing is configured) */
  manager: DeviceManager | null;
  /** how often an open drawer is read until it closes (default 500 ms) */
  drawerPollMs?: number;
}

export interface TerminalDevices {
  handlers: Pick<Handlers, DeviceMethods>;
  /** throws 'drawer-open' when the call would start a sale while the drawer must first close */
  beforeCall(method: string): Promise<void>;
  /** after every call: kicks the drawer and prints refund slips for what the call journaled */
  afterCall(): void;
  detach(): void;
}

/** calls that put the first item into an empty cart, i.e. start the next sale */
const SALE_STARTERS: ReadonlySet<string> = new Set(['cart.scan', 'cart.addPlu', 'cart.addProduct', 'cart.recall']);

type DeviceStatusEvent = EventPayload<'device.status'>;

function noDevice(what: string): TillError {
  return new TillError('device-error', `no ${what} is configured on this terminal`);
}

export function jobView(j: PrintJob): PrintJobView {
  return {
    id: j.id,
    receiptNo: j.receiptNo,
    kind: j.doc.kind,
    state: j.state,
    reason: j.reason ?? null,
    attempts: j.attempts,
    copy: j.doc.copy === true,
    reprintOf: j.reprintOf ?? null,
    createdAt: new Date(j.createdAt).toISOString(),
    printedAt: j.printedAt === undefined ? null : new Date(j.printedAt).toISOString(),
  };
}

export function statusView(s: DeviceStatus, jobs: readonly PrintJob[]): DevicesStatusView {
  return {
    scanner: s.scanner
      ? s.scanner.kind === 'wedge'
        ? { kind: 'wedge', target: null, link: null, message: null }
        : { kind: 'serial', target: s.scanner.link.target, link: s.scanner.link.state, message: s.scanner.link.error ?? null }
      : null,
    printer: s.printer
      ? {
          target: s.printer.link.target,
          link: s.printer.link.state,
          state: s.printer.link.state === 'open' ? s.printer.status.state : 'disconnected',
          message: s.printer.link.state === 'open' ? s.printer.status.message : `printer is not connected${s.printer.link.error ? `: ${s.printer.link.error}` : ''}`,
          waitingJobs: s.printer.waitingJobs,
        }
      : null,
    drawer: s.drawer ? { kind: s.drawer.kind, state: s.drawer.state, waitForClose: s.drawer.waitForClose } : null,
    display: s.display ? { target: s.display.link.target, link: s.display.link.state } : null,
    waiting: jobs.filter((j) => j.state !== 'done' && j.state !== 'failed').map(jobView),
  };
}

/** one 'device.status' event per configured device, in the event's terms */
export function statusEvents(v: DevicesStatusView): DeviceStatusEvent[] {
  const out: DeviceStatusEvent[] = [];
  if (v.scanner?.kind === 'serial') {
    const ok = v.scanner.link === 'open';
    out.push({ device: v.scanner.target ?? 'scanner', kind: 'scanner', status: ok ? 'ok' : 'offline', message: ok ? 'scanner connected' : `scanner not connected${v.scanner.message ? `: ${v.scanner.message}` : ''}` });
  }
  if (v.printer) {
    const p = v.printer;
    const status: DeviceStatusEvent['status'] =
      p.state === 'paper-out' ? 'paper-out' : p.state === 'disconnected' || p.state === 'offline' ? 'offline' : p.state === 'cover-open' || p.state === 'error' ? 'error' : 'ok';
    const waiting = v.waiting.filter((j) => j.state === 'waiting');
    const reason = waiting[0]?.reason;
    const message = waiting.length ? `${reason ?? p.message}: ${waiting.length} receipt(s) waiting to print` : p.message;
    out.push({ device: p.target, kind: 'printer', status: waiting.length && status === 'ok' ? 'error' : status, message });
  }
  if (v.drawer) out.push({ device: `${v.drawer.kind} drawer`, kind: 'drawer', status: 'ok', message: `drawer ${v.drawer.state}` });
  if (v.display) {
    const ok = v.display.link === 'open';
    out.push({ device: v.display.target, kind: 'display', status: ok ? 'ok' : 'offline', message: ok ? 'customer display connected' : 'customer display not connected' });
  }
  return out;
}

export function attachDevices(d: TerminalDevicesDeps): TerminalDevices {
  const { ledger, events, manager, log } = d;
  const offs: Array<() => void> = [];
  /** journal entries up to here have been looked at */
  let seen = ledger.head().seq;
  /** DrawerOpened entries whose drawer was already opened by the call itself */
  const kicked = new Set<number>();
  const lastEvent = new Map<string, string>();
  let displayChain: Promise<void> = Promise.resolve();
  let lastItemKey = '';
  let drawerPoll: NodeJS.Timeout | null = null;
  let detached = false;

  const fail = (what: string) => (e: unknown) => log(`till: ${what}: ${e instanceof Error ? e.message : String(e)}`);

  /** the drawer opens with a sale's receipt when it hangs off the printer and a printer is there to print it */
  const receiptKicks = (): boolean => manager !== null && manager.hasPrinter && manager.config.drawer?.kind === 'printer';

  function view(): DevicesStatusView {
    if (!manager) return { scanner: null, printer: null, drawer: null, display: null, waiting: [] };
    return statusView(manager.status(), manager.jobs());
  }

  function publishStatus(): void {
    for (const e of statusEvents(view())) {
      const key = `${e.status}|${e.message ?? ''}`;
      if (lastEvent.get(e.kind) === key) continue;
      lastEvent.set(e.kind, key);
      events.emit('device.status', e);
    }
  }

  /**
   * reads the drawer after a kick until it reads closed (at least a few reads,
   * since a receipt kicks only after it printed), so the UI sees it open and close
   */
  function watchDrawer(): void {
    if (!manager || detached) return;
    let reads = 0;
    if (drawerPoll) clearTimeout(drawerPoll);
    const tick = () => {
      drawerPoll = null;
      if (detached) return;
      reads++;
      manager.drawerState().then((s) => {
        publishStatus();
        if ((s === 'open' || reads < 6) && !detached && !drawerPoll) drawerPoll = setTimeout(tick, d.drawerPollMs ?? 500);
      }, fail('the drawer state could not be read'));
    };
    drawerPoll = setTimeout(tick, d.drawerPollMs ?? 500);
  }

  function openDrawer(why: string): void {
    if (!manager?.config.drawer) return;
    manager.openDrawer().then(watchDrawer, (e: unknown) => {
      fail(`the drawer did not open (${why})`)(e);
      events.emit('device.status', { device: 'drawer', kind: 'drawer', status: 'error', message: `the drawer did not open: ${e instanceof Error ? e.message : String(e)}` });
    });
  }

  function print(doc: ReceiptDocument): string | null {
    if (!manager?.hasPrinter) {
      if (doc.openDrawer) openDrawer(`${doc.kind} ${doc.receiptNo}`);
      return null;
    }
    try {
      const id = manager.printReceipt(doc);
      if (doc.openDrawer) {
        if (receiptKicks()) watchDrawer();
        else openDrawer(`${doc.kind} ${doc.receiptNo}`);
      }
      return id;
    } catch (e) {
      fail(`the receipt ${doc.receiptNo} could not be queued`)(e);
      return null;
    }
  }

  function display(step: (c: NonNullable<DeviceManager['display']>) => Promise<void>): void {
    const c = manager?.display;
    if (!c) return;
    displayChain = displayChain.then(() => step(c)).catch(fail('the customer display'));
  }

  function onCart(cart: CartView): void {
    const lines = cart.lines.filter((l) => !l.voided);
    const last = lines[lines.length - 1];
    if (!last) {
      if (lastItemKey !== 'done') display((c) => c.clear());
      lastItemKey = lastItemKey === 'done' ? 'done' : '';
      return;
    }
    const key = `${lines.length}|${last.lineNo}|${last.qty}|${last.net}`;
    const itemChanged = key !== lastItemKey;
    lastItemKey = key;
    if (cart.tenders.length && cart.totals.remaining > 0) display((c) => c.showPaid(cart.totals.paid));
    else if (itemChanged) display((c) => c.showItem(last.name, last.unitPrice));
    else display((c) => c.showTotal(cart.totals.total));
  }

  function onSale(p: EventPayload<'sale.completed'>): void {
    print(p.receipt);
    lastItemKey = 'done';
    display((c) => (p.change > 0 ? c.showChange(p.change) : c.showTotal(p.total)));
  }

  if (manager) {
    offs.push(events.on('sale.completed', onSale));
    offs.push(events.on('cart.changed', (p) => onCart(p.cart)));
    offs.push(manager.on('scan', (s) => events.emit('scan', { code: s.code, source: s.source, at: new Date(s.at).toISOString() })));
    offs.push(manager.on('status', publishStatus));
  }

  function refundDoc(seq: number, at: string, record: RefundRecord): ReceiptDocument {
    return buildRefundReceipt(record, { refundNo: ledger.receiptNumber(seq), at, terminal: ledger.identity.terminal, settings: d.catalog.settings() });
  }

  function afterCall(): void {
    const head = ledger.head().seq;
    if (head <= seen) return;
    const from = seen + 1;
    seen = head;
    if (!manager) return;
    for (const e of ledger.entries(from, head - from + 1)) {
      try {
        if (e.type === REFUND_COMPLETED) {
          print(refundDoc(e.seq, e.at, readJournalPayload(REFUND_COMPLETED, e.payload)));
        } else if (e.type === DRAWER_OPENED && !kicked.delete(e.seq)) {
          const p = readJournalPayload(DRAWER_OPENED, e.payload);
          // a cash refund's slip opens the drawer (see print()), printer or not
          if (p.cause === 'refund') continue;
          openDrawer(p.cause);
        }
      } catch (err) {
        fail(`the devices could not follow journal entry ${e.seq}`)(err);
      }
    }
  }

  async function beforeCall(method: string): Promise<void> {
    if (!manager || !SALE_STARTERS.has(method) || !manager.config.drawer?.waitForClose) return;
    if (ledger.carts.list().some((c) => !isEmpty(c.state as CartState))) return;
    if ((await manager.drawerState()) === 'open') {
      publishStatus();
      watchDrawer();
      throw new TillError('drawer-open', 'the cash drawer is open: close it before the next sale (store rule)');
    }
  }

  function reprintDoc(receiptNo: string): ReceiptDocument {
    const refund = ledger.db.prepare('SELECT seq, at, record FROM refunds WHERE refund_no = ?').get(receiptNo) as { seq: number; at: string; record: string } | undefined;
    if (refund) return { ...refundDoc(refund.seq, refund.at, readJournalPayload(REFUND_COMPLETED, refund.record)), openDrawer: false, copy: true };
    return d.selling.reprint(receiptNo);
  }

  const handlers: Pick<Handlers, DeviceMethods> = {
    'devices.status': () => view(),
    'devices.test': async (i, c) => {
      if (!manager) throw noDevice('device');
      if (i.action === 'drawer') {
        if (!manager.config.drawer) throw noDevice('cash drawer');
        const shift = currentShift(ledger.db);
        const p: DrawerOpenedPayload = { cause: 'no-sale', ref: null, shiftId: shift?.shiftId ?? null, cashier: c.user.code, approvedBy: c.granted[0]?.approvedBy ?? null, reason: 'drawer test (devices.test)' };
        kicked.add(ledger.append(DRAWER_OPENED, p).seq);
      }
      const message = await manager.test(i.action);
      if (i.action === 'drawer') watchDrawer();
      return { action: i.action, message };
    },
    'receipt.reprint': (i) => {
      if (!manager?.hasPrinter) throw noDevice('receipt printer');
      if ('jobId' in i) {
        const jobId = manager.reprint(i.jobId);
        const job = manager.jobs().find((j) => j.id === jobId);
        return { jobId, receiptNo: job?.receiptNo ?? '' };
      }
      const doc = reprintDoc(i.receiptNo);
      return { jobId: manager.printReceipt(doc), receiptNo: doc.receiptNo };
    },
    'receipt.jobs': () => ({ jobs: (manager?.jobs() ?? []).map(jobView).reverse() }),
    'report.print': (i) => {
      if (!manager?.hasPrinter) throw noDevice('receipt printer');
      const report = i.kind === 'x' ? xReport(d, i.date) : closedDayReport(d, i.date);
      return { ...report, jobId: manager.printReceipt(report.receipt) };
    },
  };

  return {
    handlers,
    beforeCall,
    afterCall,
    detach() {
      detached = true;
      if (drawerPoll) clearTimeout(drawerPoll);
      drawerPoll = null;
      for (const off of offs.splice(0)) off();
    },
  };
}
