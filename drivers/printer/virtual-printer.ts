/**
 * The virtual printer: a TCP server that behaves like a network receipt
 * printer on port 9100. Each connection's bytes go through the ESC/POS
 * decoder; a job ends at a cut, when the connection closes, or after
 * `idleMs` without data, and is written as DIR/<n>.txt and DIR/<n>.png. DLE
 * EOT and GS r are answered at once from the current condition, which tests
 * and IT staff change (paper out, near end, cover open, offline, error,
 * drawer). While the paper is out, the cover open or the printer offline,
 * printing stops: what arrives is decoded (so status queries are answered)
 * but not put on paper, and the job says so.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { EscPosDecoder, type DecodedItem } from '../escpos/decoder';
import { PAPER, type PaperWidth } from '../escpos/encoder';
import { jobLines, jobToPng, jobToText } from '../escpos/render';
import { TrueTypeFont } from '../escpos/truetype';
import { Emitter } from '../transport/emitter';
import { statusBytes } from './status';

export interface PrinterCondition {
  paperOut: boolean;
  paperNearEnd: boolean;
  coverOpen: boolean;
  offline: boolean;
  error: boolean;
  drawerOpen: boolean;
}

export interface VirtualJob {
  n: number;
  items: DecodedItem[];
  /** the job as text, as written to <n>.txt */
  text: string;
  /** the printed text lines only */
  lines: string[];
  bytes: number;
  endedBy: 'cut' | 'close' | 'idle' | 'stop';
  /** set when printing stopped in the middle (paper out, cover open, offline) */
  halted?: string;
  files?: { txt: string; png: string };
}

export interface VirtualPrinterEvents {
  job: VirtualJob;
  condition: PrinterCondition;
  /** a real-time status query answered (DLE EOT n or GS r n), with the condition it reported */
  status: { query: 'dle-eot' | 'gs-r'; n: number; condition: PrinterCondition };
}

export interface VirtualPrinterOptions {
  port?: number;
  host?: string;
  /** where <n>.txt and <n>.png go; nothing is written without it */
  outDir?: string;
  width?: PaperWidth;
  idleMs?: number;
  /** Chinese mode at power-up (default true, as printers sold in China) */
  chineseDefault?: boolean;
  /** the drawer closes by itself this long after a kick (default: stays open until told) */
  drawerCloseAfterMs?: number;
  /** jobs kept in memory (default 100) */
  keepJobs?: number;
  /** the font for Chinese in the PNGs; default: the first installed CJK TrueType font (none: boxes) */
  font?: TrueTypeFont | null;
}

interface Session {
  socket: net.Socket;
  decoder: EscPosDecoder;
  items: DecodedItem[];
  bytes: number;
  halted?: string;
  idle: NodeJS.Timeout | null;
}

export class VirtualPrinter extends Emitter<VirtualPrinterEvents> {
  private server: net.Server | null = null;
  private readonly sessions = new Set<Session>();
  private cond: PrinterCondition = { paperOut: false, paperNearEnd: false, coverOpen: false, offline: false, error: false, drawerOpen: false };
  private counter = 0;
  private paperLeft: number | null = null;
  private drawerTimer: NodeJS.Timeout | null = null;
  readonly jobs: VirtualJob[] = [];
  private readonly cols: number;
  private readonly font: TrueTypeFont | null;

  constructor(private readonly opts: VirtualPrinterOptions = {}) {
    super();
    this.cols = PAPER[opts.width ?? 80].cols;
    this.font = opts.font === undefined ? (opts.outDir ? TrueTypeFont.findCjk() : null) : opts.font;
    if (opts.outDir) {
      fs.mkdirSync(opts.outDir, { recursive: true, mode: 0o700 });
      const existing = fs.readdirSync(opts.outDir).map((f) => /^(\d+)\.txt$/.exec(f)?.[1]).filter((x): x is string => !!x).map(Number);
      this.counter = existing.length ? Math.max(...existing) : 0;
    }
  }

  get condition(): PrinterCondition {
    return { ...this.cond };
  }

  get port(): number {
    const a = this.server?.address();
    return a && typeof a === 'object' ? a.port : 0;
  }

  start(): Promise<number> {
    const server = net.createServer((socket) => this.accept(socket));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port ?? 9100, this.opts.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve(this.port);
      });
    });
  }

  async stop(): Promise<void> {
    for (const s of [...this.sessions]) {
      this.endJob(s, 'stop');
      s.socket.destroy();
    }
    if (this.drawerTimer) clearTimeout(this.drawerTimer);
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** changes the condition; clearing paper-out also cancels a pending paperOutAfter */
  set(change: Partial<PrinterCondition>): void {
    if (change.paperOut === false) this.paperLeft = null;
    if (change.drawerOpen === false && this.drawerTimer) {
      clearTimeout(this.drawerTimer);
      this.drawerTimer = null;
    }
    this.cond = { ...this.cond, ...change };
    this.emit('condition', this.condition);
  }

  /** the paper runs out after `bytes` more bytes have arrived (mid-receipt paper end) */
  paperOutAfter(bytes: number): void {
    this.paperLeft = bytes;
  }

  /** drops every open connection, as a printer that is switched off or unplugged from the network */
  dropConnections(): void {
    for (const s of [...this.sessions]) s.socket.destroy();
  }

  get connections(): number {
    return this.sessions.size;
  }

  private get halt(): string | null {
    if (this.cond.paperOut) return 'paper out';
    if (this.cond.coverOpen) return 'cover open';
    if (this.cond.offline) return 'offline';
    if (this.cond.error) return 'error';
    return null;
  }

  private accept(socket: net.Socket): void {
    const s: Session = {
      socket,
      items: [],
      bytes: 0,
      idle: null,
      decoder: new EscPosDecoder({
        chineseDefault: this.opts.chineseDefault ?? true,
        onItem: (it) => this.onItem(s, it),
        onRealtime: (r) => {
          const [s1, s2, s3, s4] = statusBytes({ ...this.cond, drawerPinHigh: !this.cond.drawerOpen });
          if (r.kind === 'dle-eot') {
            const answer = r.n === 1 ? s1 : r.n === 2 ? s2 : r.n === 3 ? s3 : r.n === 4 ? s4 : null;
            if (answer !== null && !socket.destroyed) {
              socket.write(Buffer.from([answer]));
              this.emit('status', { query: 'dle-eot', n: r.n, condition: this.condition });
            }
          } else if (r.kind === 'gs-r') {
            const paper = (this.cond.paperNearEnd ? 0x03 : 0) | (this.cond.paperOut ? 0x0c : 0);
            const answer = r.n === 1 || r.n === 49 ? paper : r.n === 2 || r.n === 50 ? (this.cond.drawerOpen ? 0 : 1) : null;
            if (answer !== null && !socket.destroyed) {
              socket.write(Buffer.from([answer]));
              this.emit('status', { query: 'gs-r', n: r.n, condition: this.condition });
            }
          }
        },
      }),
    };
    this.sessions.add(s);
    socket.on('data', (d: Buffer) => this.onData(s, d));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      s.decoder.finish();
      this.endJob(s, 'close');
      if (s.idle) clearTimeout(s.idle);
      this.sessions.delete(s);
    });
  }

  private onData(s: Session, d: Buffer): void {
    if (this.paperLeft !== null && d.length >= this.paperLeft) {
      const first = d.subarray(0, this.paperLeft);
      const rest = d.subarray(this.paperLeft);
      this.paperLeft = null;
      s.bytes += first.length;
      s.decoder.push(first);
      this.set({ paperOut: true });
      s.bytes += rest.length;
      s.decoder.push(rest);
    } else {
      if (this.paperLeft !== null) this.paperLeft -= d.length;
      s.bytes += d.length;
      s.decoder.push(d);
    }
  }

  /** a job ends after idleMs without anything printed (status queries alone do not keep it open) */
  private touch(s: Session): void {
    if (s.idle) clearTimeout(s.idle);
    s.idle = setTimeout(() => this.endJob(s, 'idle'), this.opts.idleMs ?? 1500);
    s.idle.unref();
  }

  private onItem(s: Session, it: DecodedItem): void {
    const halt = this.halt;
    this.touch(s);
    if (halt && !(it.kind === 'drawer' && it.realtime)) {
      if (!s.halted && s.items.length) {
        s.halted = halt;
        s.items.push({ kind: 'note', text: `printing stopped: ${halt}` });
      }
      return;
    }
    s.items.push(it);
    if (it.kind === 'drawer') {
      this.set({ drawerOpen: true });
      if (this.opts.drawerCloseAfterMs !== undefined) {
        if (this.drawerTimer) clearTimeout(this.drawerTimer);
        this.drawerTimer = setTimeout(() => {
          this.drawerTimer = null;
          this.set({ drawerOpen: false });
        }, this.opts.drawerCloseAfterMs);
        this.drawerTimer.unref();
      }
    }
    if (it.kind === 'cut') this.endJob(s, 'cut');
  }

  private endJob(s: Session, endedBy: VirtualJob['endedBy']): void {
    const items = s.items;
    const bytes = s.bytes;
    const halted = s.halted;
    s.items = [];
    s.bytes = 0;
    delete s.halted;
    if (!items.some((it) => it.kind !== 'note')) return;
    const job: VirtualJob = { n: ++this.counter, items, text: jobToText(items, this.cols), lines: jobLines(items), bytes, endedBy, ...(halted ? { halted } : {}) };
    if (this.opts.outDir) {
      const txt = path.join(this.opts.outDir, `${job.n}.txt`);
      const png = path.join(this.opts.outDir, `${job.n}.png`);
      fs.writeFileSync(txt, job.text, { mode: 0o600 });
      fs.writeFileSync(png, jobToPng(items, this.cols, this.font), { mode: 0o600 });
      job.files = { txt, png };
    }
    this.jobs.push(job);
    if (this.jobs.length > (this.opts.keepJobs ?? 100)) this.jobs.shift();
    this.emit('job', job);
  }
}
