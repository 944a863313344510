/**
 * Cash drawers. A drawer is kicked through the receipt printer (ESC p on the
 * printer's drawer port) or through a serial kick box that speaks the same
 * two commands (ESC p to open, DLE EOT 1 to read the switch). Where the
 * drawer's switch is wired, DLE EOT 1 bit 2 tells open from closed; which
 * level means "open" depends on the drawer, so it is configurable (default:
 * pin 3 low = open, which is also what an unwired port reads as closed).
 *
 * The "wait for the drawer to close before the next sale" rule is
 * untilReadyForSale(): it resolves at once when the rule is off or the state
 * cannot be read, and otherwise when the drawer reads closed.
 */
import { TillError } from '../../src/shared/errors';
import { cmd } from '../escpos/commands';
import type { ReceiptPrinter } from '../printer/escpos-printer';
import { isStatusByte } from '../printer/status';
import { Emitter } from '../transport/emitter';
import type { Transport } from '../transport/types';

export type DrawerState = 'open' | 'closed' | 'unknown';

export interface DrawerEvents {
  state: DrawerState;
}

export interface CashDrawer {
  open(): Promise<void>;
  state(): Promise<DrawerState>;
  on<K extends keyof DrawerEvents>(event: K, fn: (v: DrawerEvents[K]) => void): () => void;
}

/** which DLE EOT 1 bit 2 level means open */
export type OpenLevel = 'low' | 'high';

export const drawerStateFromPin = (pinHigh: boolean | null, openLevel: OpenLevel): DrawerState =>
  pinHigh === null ? 'unknown' : (pinHigh ? 'high' : 'low') === openLevel ? 'open' : 'closed';

abstract class BaseDrawer extends Emitter<DrawerEvents> implements CashDrawer {
  private lastState: DrawerState = 'unknown';
  abstract open(): Promise<void>;
  protected abstract read(): Promise<DrawerState>;

  async state(): Promise<DrawerState> {
    const s = await this.read();
    if (s !== this.lastState) {
      this.lastState = s;
      this.emit('state', s);
    }
    return s;
  }
}

export class PrinterDrawer extends BaseDrawer {
  constructor(private readonly printer: ReceiptPrinter, private readonly openLevel: OpenLevel = 'low', private readonly reportsState = true) {
    super();
  }

  open(): Promise<void> {
    return this.printer.kickDrawer();
  }

  protected async read(): Promise<DrawerState> {
    if (!this.reportsState) return 'unknown';
    const s = await this.printer.queryStatus();
    return drawerStateFromPin(s.drawerPinHigh, this.openLevel);
  }
}

export class SerialDrawer extends BaseDrawer {
  private inbox: number[] = [];

  constructor(private readonly transport: Transport, private readonly opts: { openLevel?: OpenLevel; statusTimeoutMs?: number; reportsState?: boolean } = {}) {
    super();
    transport.on('data', (d) => {
      for (const b of d) this.inbox.push(b);
      if (this.inbox.length > 64) this.inbox.splice(0, this.inbox.length - 64);
    });
  }

  async open(): Promise<void> {
    await this.transport.write(cmd.drawerKick(2, 25, 250).bytes);
  }

  protected async read(): Promise<DrawerState> {
    if (this.opts.reportsState === false || this.transport.status.state !== 'open') return 'unknown';
    this.inbox = [];
    await this.transport.write(cmd.status(1).bytes);
    const deadline = Date.now() + (this.opts.statusTimeoutMs ?? 500);
    while (Date.now() < deadline) {
      const b = this.inbox.find(isStatusByte);
      if (b !== undefined) return drawerStateFromPin((b & 0x04) !== 0, this.opts.openLevel ?? 'low');
      await new Promise((r) => setTimeout(r, 10));
    }
    return 'unknown';
  }
}

/** resolves when the drawer reads closed (or its state cannot be read); rejects when `signal` aborts */
export async function untilDrawerClosed(drawer: CashDrawer, opts: { pollMs?: number; signal?: AbortSignal } = {}): Promise<DrawerState> {
  for (;;) {
    if (opts.signal?.aborted) throw new TillError('device-error', 'stopped waiting for the cash drawer to close');
    const s = await drawer.state();
    if (s !== 'open') return s;
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 250));
  }
}
