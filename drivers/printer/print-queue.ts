/**
 * The print queue: the sale hands over a receipt and gets a job id at once;
 * printing happens behind it. Jobs print one at a time in order. A job that
 * fails (paper out, cover open, offline, link dropped) stays at the head of
 * the queue in state 'waiting' with the reason; the queue polls the printer
 * and prints it again when the printer is back (or at once on retry()).
 * A receipt that should open the drawer opens it at once when its printing
 * fails (the cash is in the cashier's hand), with the printer's real-time
 * pulse; the retry then prints without the kick.
 * Nothing is removed before it has printed. With a spool directory every job
 * not yet printed is also a file, so a restart does not lose it. Finished jobs
 * are kept (the last `keep`) for reprint(), which prints a marked copy.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ulid } from 'ulid';
import { TillError } from '../../src/shared/errors';
import { receiptDocumentSchema, type ReceiptDocument } from '../../src/shared/receipt';
import { Emitter } from '../transport/emitter';
import { canPrint } from './status';
import type { ReceiptPrinter } from './escpos-printer';

/** failed: the document itself cannot be printed (e.g. a logo block with no logo configured) */
export type JobState = 'queued' | 'printing' | 'waiting' | 'done' | 'failed';

export interface PrintJob {
  id: string;
  receiptNo: string;
  doc: ReceiptDocument;
  state: JobState;
  attempts: number;
  /** why the job is waiting, one line for the cashier */
  reason?: string;
  createdAt: number;
  printedAt?: number;
  /** the job this one reprints */
  reprintOf?: string;
  /**
   * the receipt asked for the drawer, printing failed, and the drawer was
   * opened at once with a separate (real-time) pulse; the retry prints without the kick
   */
  drawerOpenedEarly?: boolean;
}

export interface PrintQueueEvents {
  job: PrintJob;
}

export interface PrintQueueOptions {
  /** ms between printer checks while a job waits (default 2000) */
  retryMs?: number;
  /** print a waiting job again by itself once the printer is ready (default true) */
  autoRetry?: boolean;
  /** finished jobs kept for reprint (default 50) */
  keep?: number;
  /** directory where unprinted jobs are kept as files */
  spoolDir?: string;
  now?: () => number;
}

export class PrintQueue extends Emitter<PrintQueueEvents> {
  private readonly pending: PrintJob[] = [];
  private readonly finished: PrintJob[] = [];
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private idleWaiters: Array<() => void> = [];
  private readonly retryMs: number;
  private readonly autoRetry: boolean;
  private readonly keep: number;
  private readonly now: () => number;

  constructor(private readonly printer: ReceiptPrinter, private readonly opts: PrintQueueOptions = {}) {
    super();
    this.retryMs = opts.retryMs ?? 2000;
    this.autoRetry = opts.autoRetry ?? true;
    this.keep = opts.keep ?? 50;
    this.now = opts.now ?? Date.now;
    if (opts.spoolDir) {
      // receipts name members and amounts: the spool is private to the terminal's user
      fs.mkdirSync(opts.spoolDir, { recursive: true, mode: 0o700 });
      for (const f of fs.readdirSync(opts.spoolDir).filter((n) => n.endsWith('.json')).sort()) {
        try {
          const job = JSON.parse(fs.readFileSync(path.join(opts.spoolDir, f), 'utf8')) as PrintJob;
          const doc = receiptDocumentSchema.parse(job.doc);
          this.pending.push({ ...job, doc, state: 'queued' });
        } catch {
          fs.renameSync(path.join(opts.spoolDir, f), path.join(opts.spoolDir, `${f}.unreadable`));
        }
      }
    }
    printer.on('status', (s) => {
      if (canPrint(s) && this.autoRetry && this.pending[0]?.state === 'waiting') this.kick();
    });
    if (this.pending.length) this.kick();
  }

  /** queues a receipt; never throws because of the printer (only for an invalid document) */
  submit(doc: ReceiptDocument, reprintOf?: string): string {
    if (this.closed) throw new TillError('device-error', 'the print queue is closed');
    const parsed = receiptDocumentSchema.safeParse(doc);
    if (!parsed.success) throw new TillError('bad-input', `receipt document: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const job: PrintJob = { id: ulid(), receiptNo: doc.receiptNo, doc: parsed.data, state: 'queued', attempts: 0, createdAt: this.now(), ...(reprintOf ? { reprintOf } : {}) };
    this.pending.push(job);
    this.spool(job);
    this.emit('job', { ...job });
    if (this.pending[0]?.state !== 'waiting') this.kick();
    return job.id;
  }

  /** prints a finished job again as a marked copy, or retries a waiting job now */
  reprint(jobId: string): string {
    const waiting = this.pending.find((j) => j.id === jobId);
    if (waiting) {
      this.retry();
      return waiting.id;
    }
    const done = this.finished.find((j) => j.id === jobId);
    if (!done) throw new TillError('not-found', `no print job ${jobId} (only the last ${this.keep} are kept)`);
    return this.submit({ ...done.doc, copy: true }, done.id);
  }

  /** tries the waiting job again now */
  retry(): void {
    this.kick();
  }

  jobs(): PrintJob[] {
    return [...this.finished, ...this.pending].map((j) => ({ ...j }));
  }

  get(jobId: string): PrintJob | undefined {
    const j = this.pending.find((x) => x.id === jobId) ?? this.finished.find((x) => x.id === jobId);
    return j && { ...j };
  }

  get waiting(): number {
    return this.pending.length;
  }

  /** resolves when nothing is left to print */
  whenIdle(): Promise<void> {
    if (!this.pending.length) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private kick(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.running && !this.closed) void this.drain();
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (!this.closed && this.pending.length) {
        const job = this.pending[0] as PrintJob;
        job.state = 'printing';
        job.attempts++;
        this.emit('job', { ...job });
        try {
          await this.printer.printBytes(this.printer.render(job.doc));
        } catch (e) {
          if (job.doc.openDrawer && e instanceof TillError && e.code === 'device-error') await this.openDrawerNow(job);
          job.state = 'waiting';
          job.reason = e instanceof Error ? e.message : String(e);
          this.spool(job);
          this.emit('job', { ...job });
          if (e instanceof TillError && e.code !== 'device-error') {
            this.pending.shift();
            this.finish(job, 'failed');
            continue;
          }
          this.timer = setTimeout(() => void this.poll(), this.retryMs);
          return;
        }
        this.pending.shift();
        this.finish(job, 'done');
      }
      for (const w of this.idleWaiters.splice(0)) w();
    } finally {
      this.running = false;
    }
  }

  /** cash was taken: the drawer must open even though the receipt did not print */
  private async openDrawerNow(job: PrintJob): Promise<void> {
    try {
      await this.printer.kickDrawer();
    } catch {
      return;
    }
    job.doc = { ...job.doc, openDrawer: false };
    job.drawerOpenedEarly = true;
  }

  private async poll(): Promise<void> {
    this.timer = null;
    if (this.closed || this.running) return;
    if (!this.autoRetry) return;
    const s = await this.printer.queryStatus();
    const head = this.pending[0];
    if (head?.state === 'waiting' && !canPrint(s) && head.reason !== s.message) {
      head.reason = s.message;
      this.emit('job', { ...head });
    }
    if (canPrint(s)) this.kick();
    else if (!this.closed && !this.timer) this.timer = setTimeout(() => void this.poll(), this.retryMs);
  }

  private finish(job: PrintJob, state: JobState): void {
    job.state = state;
    if (state === 'done') {
      job.printedAt = this.now();
      delete job.reason;
    }
    this.unspool(job);
    this.finished.push(job);
    if (this.finished.length > this.keep) this.finished.splice(0, this.finished.length - this.keep);
    this.emit('job', { ...job });
  }

  private spool(job: PrintJob): void {
    if (!this.opts.spoolDir) return;
    const file = path.join(this.opts.spoolDir, `${job.id}.json`);
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(job), { mode: 0o600 });
    fs.renameSync(`${file}.tmp`, file);
  }

  private unspool(job: PrintJob): void {
    if (this.opts.spoolDir) fs.rmSync(path.join(this.opts.spoolDir, `${job.id}.json`), { force: true });
  }
}
