/**
 * The device manager: createDevices(config) validates the terminal's devices
 * config, builds one driver per configured device on its transport, keeps
 * every link up (reconnect with backoff), and gives the terminal one object
 * to print receipts (through the print queue: a job id at once, never an
 * exception because of the printer), kick and watch the drawer, drive the
 * customer display, receive scans, read status for the UI and run the test
 * actions IT staff use.
 */
import { TillError } from '../src/shared/errors';
import type { ReceiptDocument } from '../src/shared/receipt';
import { parseDevicesConfig, type DevicesConfig } from './config';
import { PrinterDrawer, SerialDrawer, untilDrawerClosed, type CashDrawer, type DrawerState } from './drawer/drawer';
import { VfdDisplay, type CustomerDisplay } from './display/vfd-display';
import { loadLogo, wordmarkLogo } from './escpos/raster';
import { PAPER } from './escpos/encoder';
import { EscPosPrinter } from './printer/escpos-printer';
import { PrintQueue, type PrintJob } from './printer/print-queue';
import { statusOf, type PrinterStatus } from './printer/status';
import { testReceipt } from './printer/test-receipt';
import { SerialScanner, type Scan } from './scanner/serial-scanner';
import { Emitter } from './transport/emitter';
import { ManagedTransport } from './transport/managed';
import { SerialConnector } from './transport/serial';
import { connectorFromUri } from './transport';
import type { LinkStatus, Transport } from './transport/types';

export { devicesConfigSchema, parseDevicesConfig, type DevicesConfig, type DevicesConfigInput } from './config';
export { startSimulatedDevices, startSimulatedControl, type SimulatedDevices, type SimulatedDevicesOptions } from './simulated';
export type { Scan } from './scanner/serial-scanner';
export type { PrintJob, JobState } from './printer/print-queue';
export type { PrinterStatus, PrinterState } from './printer/status';
export type { DrawerState } from './drawer/drawer';
export type { CustomerDisplay } from './display/vfd-display';
export type { LinkStatus } from './transport/types';

export interface DeviceStatus {
  scanner: { kind: 'serial'; link: LinkStatus } | { kind: 'wedge' } | null;
  printer: { link: LinkStatus; status: PrinterStatus; waitingJobs: number } | null;
  drawer: { kind: 'printer' | 'serial'; state: DrawerState; waitForClose: boolean } | null;
  display: { link: LinkStatus } | null;
}

export interface DeviceManagerEvents {
  /** any change the UI shows (links, printer state, queue length, drawer) */
  status: DeviceStatus;
  scan: Scan;
  /** a print job changed state (queued, printing, waiting + reason, done) */
  job: PrintJob;
}

export type TestAction = 'print' | 'drawer' | 'display';

export class DeviceManager extends Emitter<DeviceManagerEvents> {
  private readonly transports: Transport[] = [];
  private readonly scanner: SerialScanner | null = null;
  private readonly printer: EscPosPrinter | null = null;
  private readonly queue: PrintQueue | null = null;
  private readonly drawer: CashDrawer | null = null;
  private readonly vfd: VfdDisplay | null = null;
  private drawerLast: DrawerState = 'unknown';
  private started = false;

  constructor(readonly config: DevicesConfig) {
    super();
    const backoff = config.reconnect ?? {};
    const managed = (t: Transport) => {
      this.transports.push(t);
      t.on('status', () => this.changed());
      return t;
    };
    const c = config;
    if (c.scanner?.kind === 'serial') {
      const t = managed(new ManagedTransport(new SerialConnector({ path: c.scanner.path, baudRate: c.scanner.baudRate }), { backoff }));
      this.scanner = new SerialScanner(t, {
        suffix: c.scanner.suffix,
        interByteTimeoutMs: c.scanner.interByteTimeoutMs,
        minLength: c.scanner.minLength,
        maxLength: c.scanner.maxLength,
        allowGs1: c.scanner.allowGs1,
      });
      this.scanner.on('scan', (s) => this.emit('scan', s));
    }
    if (c.printer) {
      const t = managed(new ManagedTransport(connectorFromUri(c.printer.address), { backoff }));
      let logo = wordmarkLogo();
      if (c.printer.logo) {
        try {
          logo = loadLogo(c.printer.logo, PAPER[c.printer.width].dots);
        } catch (e) {
          throw new TillError('config-invalid', `devices config: printer.logo: ${e instanceof Error ? e.message : String(e)}`, { field: 'printer.logo' });
        }
      }
      this.printer = new EscPosPrinter(t, { width: c.printer.width, logo, statusTimeoutMs: c.printer.statusTimeoutMs });
      this.printer.on('status', () => this.changed());
      this.queue = new PrintQueue(this.printer, { retryMs: c.printer.retryMs, ...(c.printer.spoolDir ? { spoolDir: c.printer.spoolDir } : {}) });
      this.queue.on('job', (j) => {
        this.emit('job', j);
        this.changed();
      });
    }
    if (c.drawer?.kind === 'printer' && this.printer) {
      this.drawer = new PrinterDrawer(this.printer, c.drawer.openLevel, c.drawer.reportsState);
    } else if (c.drawer?.kind === 'serial' && c.drawer.path) {
      const t = managed(new ManagedTransport(new SerialConnector({ path: c.drawer.path, baudRate: c.drawer.baudRate }), { backoff }));
      this.drawer = new SerialDrawer(t, { openLevel: c.drawer.openLevel, reportsState: c.drawer.reportsState });
    }
    this.drawer?.on('state', (s) => {
      this.drawerLast = s;
      this.changed();
    });
    if (c.display) {
      const t = managed(new ManagedTransport(new SerialConnector({ path: c.display.path, baudRate: c.display.baudRate }), { backoff }));
      this.vfd = new VfdDisplay(t, { dialect: c.display.dialect, charset: c.display.charset, cols: c.display.cols });
    }
  }

  /** opens every link; devices that are absent keep being retried in the background */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const t of this.transports) t.open();
  }

  /** resolves when every configured link is open, or rejects naming the ones that are not */
  async whenReady(timeoutMs: number): Promise<void> {
    const results = await Promise.allSettled(this.transports.map((t) => t.whenOpen(timeoutMs)));
    const down = this.transports.filter((_, i) => results[i]?.status === 'rejected').map((t) => t.target);
    if (down.length) throw new TillError('device-error', `not connected: ${down.join(', ')}`, { down });
  }

  async stop(): Promise<void> {
    this.started = false;
    this.queue?.close();
    await Promise.all(this.transports.map((t) => t.close()));
  }

  status(): DeviceStatus {
    const c = this.config;
    return {
      scanner: c.scanner ? (c.scanner.kind === 'wedge' ? { kind: 'wedge' } : { kind: 'serial', link: (this.transports.find((t) => t.target === this.scanner?.source) as Transport).status }) : null,
      printer: this.printer && this.queue ? { link: this.printer.transport.status, status: this.printer.lastStatus, waitingJobs: this.queue.waiting } : null,
      drawer: c.drawer ? { kind: c.drawer.kind, state: this.drawerLast, waitForClose: c.drawer.waitForClose } : null,
      display: this.vfd ? { link: (this.transports.find((t) => t.target === this.vfd?.target) as Transport).status } : null,
    };
  }

  private changed(): void {
    this.emit('status', this.status());
  }

  get hasPrinter(): boolean {
    return this.queue !== null;
  }

  /** queues the receipt and returns its job id at once; printing problems arrive as 'job' events */
  printReceipt(doc: ReceiptDocument): string {
    if (!this.queue) throw new TillError('device-error', 'no receipt printer is configured');
    return this.queue.submit(doc);
  }

  /** reprints a finished job as a marked copy, or retries a waiting one now */
  reprint(jobId: string): string {
    if (!this.queue) throw new TillError('device-error', 'no receipt printer is configured');
    return this.queue.reprint(jobId);
  }

  jobs(): PrintJob[] {
    return this.queue?.jobs() ?? [];
  }

  whenPrinted(): Promise<void> {
    return this.queue?.whenIdle() ?? Promise.resolve();
  }

  async printerStatus(): Promise<PrinterStatus> {
    return this.printer ? this.printer.queryStatus() : statusOf('disconnected', 'no printer configured');
  }

  async openDrawer(): Promise<void> {
    if (!this.drawer) throw new TillError('device-error', 'no cash drawer is configured');
    await this.drawer.open();
    this.drawerLast = await this.drawer.state();
    this.changed();
  }

  async drawerState(): Promise<DrawerState> {
    if (!this.drawer) return 'unknown';
    return this.drawer.state();
  }

  /** the next sale may start: resolves at once unless the waitForClose rule is on and the drawer reads open */
  async untilReadyForSale(opts: { pollMs?: number; signal?: AbortSignal } = {}): Promise<void> {
    if (!this.drawer || !this.config.drawer?.waitForClose) return;
    await untilDrawerClosed(this.drawer, opts);
  }

  /** the customer display, or null when none is configured */
  get display(): CustomerDisplay | null {
    return this.vfd;
  }

  /** IT staff's test actions; returns one line describing what was done */
  async test(action: TestAction): Promise<string> {
    switch (action) {
      case 'print': {
        if (!this.queue || !this.printer) throw new TillError('device-error', 'no receipt printer is configured');
        const id = this.queue.submit(testReceipt({ width: this.printer.width, target: this.printer.target }));
        return `test receipt queued as job ${id} on ${this.printer.target}`;
      }
      case 'drawer':
        await this.openDrawer();
        return `drawer kicked; it reads ${this.drawerLast}`;
      case 'display':
        if (!this.vfd) throw new TillError('device-error', 'no customer display is configured');
        await this.vfd.test();
        return `display test sent to ${this.vfd.target}`;
    }
  }
}

/** validates the config (a bad one is refused naming the field) and builds the manager; call start() to connect */
export function createDevices(config: unknown): DeviceManager {
  return new DeviceManager(parseDevicesConfig(config));
}
