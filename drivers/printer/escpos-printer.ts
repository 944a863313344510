/**
 * An ESC/POS receipt printer over any transport. print() checks the status
 * before sending (a printer that is out of paper is not sent a job it would
 * half print) and again after (paper running out in the middle of a receipt
 * shows up there), and fails with a device-error naming the state; the print
 * queue decides what happens next. Status answers are read from the link one
 * query at a time.
 */
import { TillError } from '../../src/shared/errors';
import type { ReceiptDocument } from '../../src/shared/receipt';
import { cmd } from '../escpos/commands';
import { encodeReceipt, type EncodeOptions, type PaperWidth } from '../escpos/encoder';
import { Emitter } from '../transport/emitter';
import type { LinkStatus, Transport } from '../transport/types';
import { canPrint, isStatusByte, parseStatus, statusOf, type PrinterStatus } from './status';

export interface ReceiptPrinterEvents {
  status: PrinterStatus;
  link: LinkStatus;
}

/** What the print queue and the device manager need from a receipt printer. */
export interface ReceiptPrinter {
  readonly width: PaperWidth;
  readonly target: string;
  readonly lastStatus: PrinterStatus;
  render(doc: ReceiptDocument): Buffer;
  /** prints the bytes of one whole job; rejects with a device-error when it was not (fully) printed */
  printBytes(bytes: Buffer): Promise<void>;
  queryStatus(): Promise<PrinterStatus>;
  /** sends the drawer pulse (ESC p, or the real-time DLE DC4 pulse when the printer is offline) */
  kickDrawer(): Promise<void>;
  on<K extends keyof ReceiptPrinterEvents>(event: K, fn: (v: ReceiptPrinterEvents[K]) => void): () => void;
}

export interface EscPosPrinterOptions extends Omit<EncodeOptions, 'width'> {
  width?: PaperWidth;
  /** ms to wait for each status byte (default 600) */
  statusTimeoutMs?: number;
}

export class EscPosPrinter extends Emitter<ReceiptPrinterEvents> implements ReceiptPrinter {
  readonly width: PaperWidth;
  private last: PrinterStatus;
  private inbox: number[] = [];
  private waiter: (() => void) | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly statusTimeoutMs: number;

  constructor(readonly transport: Transport, private readonly opts: EscPosPrinterOptions = {}) {
    super();
    this.width = opts.width ?? 80;
    this.statusTimeoutMs = opts.statusTimeoutMs ?? 600;
    this.last = statusOf('disconnected');
    transport.on('data', (d) => {
      for (const b of d) this.inbox.push(b);
      if (this.inbox.length > 256) this.inbox.splice(0, this.inbox.length - 256);
      this.waiter?.();
    });
    transport.on('status', (s) => {
      this.emit('link', s);
      if (s.state !== 'open') this.setStatus(statusOf('disconnected', s.error));
      else void this.queryStatus().catch(() => undefined);
    });
  }

  get target(): string {
    return this.transport.target;
  }

  get lastStatus(): PrinterStatus {
    return this.last;
  }

  render(doc: ReceiptDocument): Buffer {
    return encodeReceipt(doc, { ...this.opts, width: this.width });
  }

  /** one operation on the link at a time (a status query must not interleave with a job) */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private setStatus(s: PrinterStatus): void {
    const changed = s.state !== this.last.state || s.drawerPinHigh !== this.last.drawerPinHigh;
    this.last = s;
    if (changed) this.emit('status', s);
  }

  private async readStatusByte(): Promise<number | null> {
    const deadline = Date.now() + this.statusTimeoutMs;
    for (;;) {
      while (this.inbox.length) {
        const b = this.inbox.shift() as number;
        if (isStatusByte(b)) return b;
      }
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.waiter = null;
          resolve();
        }, left);
        this.waiter = () => {
          clearTimeout(t);
          this.waiter = null;
          resolve();
        };
      });
    }
  }

  private async queryNow(): Promise<PrinterStatus> {
    if (this.transport.status.state !== 'open') {
      const s = statusOf('disconnected', this.transport.status.error);
      this.setStatus(s);
      return s;
    }
    if (!this.transport.duplex) {
      const s = statusOf('unknown', 'write-only link');
      this.setStatus(s);
      return s;
    }
    this.inbox = [];
    const answers: number[] = [];
    for (const n of [1, 2, 3, 4] as const) {
      await this.transport.write(cmd.status(n).bytes);
      const b = await this.readStatusByte();
      if (b === null) {
        const s = statusOf('unknown', `no answer to DLE EOT ${n}`);
        this.setStatus(s);
        return s;
      }
      answers.push(b);
    }
    const s = parseStatus(answers as [number, number, number, number]);
    this.setStatus(s);
    return s;
  }

  queryStatus(): Promise<PrinterStatus> {
    return this.serial(() => this.queryNow().catch((e) => {
      const s = statusOf('disconnected', e instanceof Error ? e.message : String(e));
      this.setStatus(s);
      return s;
    }));
  }

  printBytes(bytes: Buffer): Promise<void> {
    return this.serial(async () => {
      const before = await this.queryNow().catch((e) => statusOf('disconnected', e instanceof Error ? e.message : String(e)));
      if (!canPrint(before)) throw new TillError('device-error', before.message, { printer: before.state });
      await this.transport.write(bytes);
      const after = await this.queryNow().catch((e) => statusOf('disconnected', e instanceof Error ? e.message : String(e)));
      if (!canPrint(after)) throw new TillError('device-error', `${after.message}; the receipt may be incomplete`, { printer: after.state });
    });
  }

  kickDrawer(): Promise<void> {
    return this.serial(async () => {
      const s = this.transport.duplex ? await this.queryNow() : this.last;
      await this.transport.write(canPrint(s) ? cmd.drawerKick(2, 25, 250).bytes : cmd.drawerKickRealtime(2, 1).bytes);
    });
  }
}
