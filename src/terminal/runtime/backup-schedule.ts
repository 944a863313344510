/**
 * The running terminal backs itself up (DATA/terminal.json "backup", see
 * terminal-config.ts): every `everyMinutes` during business hours (the
 * store's time, from the store settings' UTC offset), and right after every
 * Z report (a DayClosed newer than the last backup). Each backup is the
 * ledger's online backup (src/ledger/backup.ts: a read-only snapshot beside
 * the live writer, verified before it is kept, the newest N kept) into
 * DATA/backups, then a second one into `secondPath` when that folder is there.
 * The second path is a USB stick or a network share: when it is not mounted
 * the till goes on, the health says 'absent' and the log says so once.
 *
 * One backup runs at a time; a check every `checkEveryMs` decides whether one
 * is due, so nothing here runs inside a sale. The last backup is found from
 * the files themselves (their names carry the time), so a restart neither
 * repeats nor forgets one.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../shared/logger';
import type { BackupHealth } from '../../shared/replication';
import { backupLedger, ledgerSnapshot, listBackups, type BackupResult, type LedgerIdentity } from '../../ledger/index';
import type { BackupPolicy } from './terminal-config';

export const BACKUP_DIR = 'backups';

export interface BackupScheduleOptions {
  dataDir: string;
  identity: LedgerIdentity;
  policy: BackupPolicy;
  logger: Logger;
  /** the store's offset from UTC (store settings), read at every check */
  utcOffsetMinutes: () => number;
  /** the seq of the newest Z report (DayClosed), 0 when there is none */
  lastZSeq: () => number;
  clock?: () => Date;
  /** how often the schedule is looked at (default 30 s) */
  checkEveryMs?: number;
  nativeBinding?: string;
}

export type BackupReason = 'schedule' | 'z-report' | 'request';

export interface BackupRun {
  reason: BackupReason;
  primary: BackupResult;
  secondary: BackupHealth['secondary'];
}

/** is `at` inside the business hours [from, to) of a store `offsetMinutes` from UTC? */
export function inBusinessHours(at: Date, hours: { from: number; to: number }, offsetMinutes: number): boolean {
  const local = new Date(at.getTime() + offsetMinutes * 60_000);
  const h = local.getUTCHours() + local.getUTCMinutes() / 60;
  return h >= hours.from && h < hours.to;
}

/** 'backup' after each backup taken (and verified) */
export class BackupScheduler extends EventEmitter<{ backup: [BackupRun] }> {
  private readonly clock: () => Date;
  private readonly folder: string;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<BackupRun | null> | null = null;
  private lastAt: Date | null;
  /** the journal seq the newest backup holds (entries are numbered from 1, so its entry count) */
  private coveredSeq = 0;
  private ok = true;
  private secondary: BackupHealth['secondary'];
  private message: string | null = null;
  private stopped = false;

  constructor(private readonly o: BackupScheduleOptions) {
    super();
    this.clock = o.clock ?? (() => new Date());
    this.folder = path.join(o.dataDir, BACKUP_DIR);
    const newest = listBackups(this.folder, o.identity)[0] ?? null;
    this.lastAt = newest?.at ?? null;
    this.secondary = o.policy.secondPath ? 'ok' : 'off';
    // a Z the newest backup already holds does not ask for another after a restart
    if (newest) {
      try {
        this.coveredSeq = ledgerSnapshot(newest.file, o.nativeBinding).seq;
      } catch {
        this.coveredSeq = 0;
      }
    }
  }

  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => void this.tick(), this.o.checkEveryMs ?? 30_000);
    this.timer.unref();
  }

  /** why a backup is due now, or null */
  due(): BackupReason | null {
    const p = this.o.policy;
    if (p.afterZ && this.o.lastZSeq() > this.coveredSeq) return 'z-report';
    const now = this.clock();
    if (!inBusinessHours(now, p.hours, this.o.utcOffsetMinutes())) return null;
    if (this.lastAt && now.getTime() - this.lastAt.getTime() < p.everyMinutes * 60_000) return null;
    return 'schedule';
  }

  /** one look at the schedule: takes a backup when one is due (never two at once) */
  async tick(): Promise<BackupRun | null> {
    if (this.running || this.stopped) return null;
    const reason = this.due();
    return reason ? this.run(reason) : null;
  }

  /** takes a backup now (waits for one already running, then takes its own) */
  async run(reason: BackupReason): Promise<BackupRun | null> {
    while (this.running) await this.running;
    if (this.stopped) return null;
    const p = this.takeBackup(reason);
    this.running = p;
    try {
      return await p;
    } finally {
      this.running = null;
    }
  }

  health(): BackupHealth {
    return { at: this.lastAt ? this.lastAt.toISOString() : null, ok: this.ok, secondary: this.secondary, message: this.message };
  }

  /** stops the schedule; a backup in progress finishes first */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private async takeBackup(reason: BackupReason): Promise<BackupRun | null> {
    const p = this.o.policy;
    const common = { keep: p.keep, clock: this.clock, ...(this.o.nativeBinding ? { nativeBinding: this.o.nativeBinding } : {}) };
    let primary: BackupResult;
    try {
      primary = await backupLedger(this.o.dataDir, this.folder, common);
    } catch (e) {
      this.ok = false;
      this.message = `the backup failed: ${e instanceof Error ? e.message : String(e)}`;
      this.o.logger.error(this.message, { reason });
      return null;
    }
    this.ok = true;
    this.message = null;
    this.lastAt = this.clock();
    this.coveredSeq = primary.entries;
    this.o.logger.info(`backup taken (${reason}): ${primary.entries} entries, verified`, { file: primary.file, removed: primary.removed.length });
    const secondary = await this.copySecondary(p.secondPath, common);
    const run: BackupRun = { reason, primary, secondary };
    this.emit('backup', run);
    return run;
  }

  private async copySecondary(to: string | null, common: { keep: number; clock: () => Date; nativeBinding?: string }): Promise<BackupHealth['secondary']> {
    if (!to) return (this.secondary = 'off');
    let present = false;
    try {
      present = fs.statSync(to).isDirectory();
    } catch {
      present = false;
    }
    if (!present) {
      if (this.secondary !== 'absent') this.o.logger.warn(`the second backup folder ${to} is not there (not mounted?); backups go on in ${this.folder}`);
      this.message = `second backup folder ${to} is not there`;
      return (this.secondary = 'absent');
    }
    try {
      await backupLedger(this.o.dataDir, to, common);
      if (this.secondary !== 'ok') this.o.logger.info(`the second backup folder ${to} is back`);
      return (this.secondary = 'ok');
    } catch (e) {
      this.message = `the copy to ${to} failed: ${e instanceof Error ? e.message : String(e)}`;
      this.o.logger.warn(this.message);
      return (this.secondary = 'failed');
    }
  }
}
