/**
 * A serial barcode scanner (RS-232, or USB in virtual COM / CDC mode) on any
 * transport: bytes go through ScanFramer, clean frames become scans.
 */
import { Emitter } from '../transport/emitter';
import type { LinkStatus, Transport } from '../transport/types';
import { ScanFramer, type FramerOptions } from './frame-parser';

export interface Scan {
  code: string;
  /** which scanner, e.g. 'serial:/dev/ttyACM0' or 'wedge' */
  source: string;
  /** epoch ms of the frame's last byte */
  at: number;
}

export interface BarcodeScannerEvents {
  scan: Scan;
  status: LinkStatus;
}

export interface BarcodeScanner {
  readonly source: string;
  start(): void;
  stop(): Promise<void>;
  on<K extends keyof BarcodeScannerEvents>(event: K, fn: (v: BarcodeScannerEvents[K]) => void): () => void;
}

export class SerialScanner extends Emitter<BarcodeScannerEvents> implements BarcodeScanner {
  private readonly framer: ScanFramer;
  private quiet: NodeJS.Timeout | null = null;

  constructor(private readonly transport: Transport, framing: FramerOptions) {
    super();
    this.framer = new ScanFramer(framing);
    transport.on('data', (d) => this.onData(d));
    transport.on('status', (s) => {
      if (s.state !== 'open') this.framer.flush(Number.POSITIVE_INFINITY);
      this.emit('status', s);
    });
  }

  get source(): string {
    return this.transport.target;
  }

  start(): void {
    this.transport.open();
  }

  async stop(): Promise<void> {
    if (this.quiet) clearTimeout(this.quiet);
    this.quiet = null;
    await this.transport.close();
  }

  private onData(d: Buffer): void {
    for (const f of this.framer.push(d, Date.now())) this.emit('scan', { code: f.code, source: this.source, at: f.at });
    if (this.quiet) clearTimeout(this.quiet);
    this.quiet = null;
    if (this.framer.pending) {
      this.quiet = setTimeout(() => {
        this.quiet = null;
        for (const f of this.framer.flush(Date.now())) this.emit('scan', { code: f.code, source: this.source, at: f.at });
      }, this.framer.timeoutMs + 1);
    }
  }
}
