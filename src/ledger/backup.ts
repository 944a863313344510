/**
 * Backup and restore of a terminal's ledger.
 *
 * Backup: SQLite's online backup API from a read-only handle (no writer lock,
 * so it runs beside a live terminal and copies one consistent snapshot; a
 * step that sees the source change restarts, so steps copy every page at
 * once). The copy is written beside its final name, switched to a single
 * self-contained file (journal_mode=DELETE), verified, fsynced and renamed
 * to till-STORE-TERMINAL-YYYYMMDDTHHMMSSmmmZ.db; then only the newest N
 * backups of that terminal are kept.
 *
 * Restore: the backup is verified first; a live terminal is never
 * overwritten; a ledger with more entries than the backup, one of another
 * terminal, or one that cannot be read is replaced only with force. The
 * backup is copied beside the ledger (backup API again, so a source with a
 * -wal is copied whole), verified, fsynced and renamed over ledger.db in one
 * atomic step; the replaced file stays beside it as ledger.db.replaced-TIME.
 *
 * Restore drill (`till restore --check`): the same restore into a fresh
 * temporary folder, then the copy opened as a terminal opens it (migrations
 * applied to the copy, identity read) and verified again; the folder is
 * removed. The live ledger is only read (its head, to say how far behind the
 * backup is), never written.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TillError } from '../shared/errors';
import { fsyncDir, fsyncFile } from './fsync';
import { LEDGER_FILE, locateLedger, makePrivateDir, makePrivateFile, openSqlite } from './files';
import { toLedgerError } from './io-errors';
import { openLedger, readIdentity } from './ledger';
import type { LedgerIdentity, SqliteDb } from './types';
import { verifyLedgerFile, type VerifyResult } from './verify';
import { acquireWriterLock } from './writer-lock';

export interface BackupResult {
  file: string;
  identity: LedgerIdentity;
  entries: number;
  lastHash: string;
  /** older backups of this terminal removed to keep the newest N */
  removed: string[];
}

export interface RestoreResult {
  entries: number;
  lastHash: string;
  identity: LedgerIdentity;
  /** where the ledger that was replaced now lies, or null when there was none */
  replaced: string | null;
}

const stamp = (d: Date) => d.toISOString().replace(/[-:.]/g, '');

/** Copies `src` (an open handle) into `dest` with the online backup API, every page per step. */
async function copyDb(src: SqliteDb, dest: string, nativeBinding?: string): Promise<void> {
  makePrivateFile(dest);
  await src.backup(dest, { progress: ({ totalPages }) => Math.max(totalPages, 100) });
  const db = openSqlite(dest, { readonly: false, ...(nativeBinding ? { nativeBinding } : {}) });
  try {
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}

function describeBad(r: VerifyResult): string {
  return r.firstBad ? `entry ${r.firstBad.seq}, ${r.firstBad.reason}${r.detail ? `: ${r.detail}` : ''}` : 'intact';
}

/** the identity and last seq of a ledger file (a backup, or a data directory's ledger.db) */
export function snapshot(file: string, nativeBinding?: string): { identity: LedgerIdentity; seq: number } {
  const db = openSqlite(file, { readonly: true, ...(nativeBinding ? { nativeBinding } : {}) });
  try {
    const identity = readIdentity(db, file);
    if (!identity) throw new TillError('ledger-corrupt', `${file} has no genesis entry`);
    const row = db.prepare('SELECT max(seq) FROM journal').pluck().get() as number | null;
    return { identity, seq: row ?? 0 };
  } catch (e) {
    throw toLedgerError(e, file, 'it could not be read');
  } finally {
    db.close();
  }
}

function backupName(identity: LedgerIdentity, at: Date): string {
  return `till-${identity.store}-${identity.terminal}-${stamp(at)}.db`;
}

/** till-STORE-TERMINAL-YYYYMMDDTHHMMSSmmmZ.db (codes may hold '-', so only the stamp is read from the end) */
const BACKUP_NAME = /^till-.+-(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)(\d{3})Z\.db$/;

export interface BackupFile {
  file: string;
  /** when it was taken (from its name) */
  at: Date;
  name: string;
}

/**
 * The finished backups in `folder` (partial copies left out), newest first;
 * only this terminal's when `identity` is given. A missing folder has none.
 */
export function listBackups(folder: string, identity?: LedgerIdentity): BackupFile[] {
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw toLedgerError(e, folder, 'the backup folder could not be read');
  }
  const prefix = identity ? `till-${identity.store}-${identity.terminal}-` : 'till-';
  const out: BackupFile[] = [];
  for (const name of names) {
    const m = BACKUP_NAME.exec(name);
    if (!m || !name.startsWith(prefix) || (identity && !/^\d{8}T\d{9}Z\.db$/.test(name.slice(prefix.length)))) continue;
    const [y, mo, d, h, mi, se, ms] = m.slice(1).map(Number) as [number, number, number, number, number, number, number];
    out.push({ file: path.join(folder, name), name, at: new Date(Date.UTC(y, mo - 1, d, h, mi, se, ms)) });
  }
  return out.sort((a, b) => b.at.getTime() - a.at.getTime());
}

/** Backs up the ledger of `dir` into `toFolder` and keeps the newest `keep` backups of this terminal. */
export async function backupLedger(dir: string, toFolder: string, opts: { keep?: number; clock?: () => Date; nativeBinding?: string } = {}): Promise<BackupResult> {
  const keep = opts.keep ?? 10;
  if (!Number.isSafeInteger(keep) || keep < 1) throw new TillError('bad-input', `--keep must be a whole number of at least 1 (got ${keep})`);
  const where = locateLedger(dir, false);
  const folder = path.resolve(toFolder);
  const sqliteOpts = { readonly: true, ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}) };
  const src = openSqlite(where.file, sqliteOpts);
  let identity: LedgerIdentity;
  let final: string;
  let partial: string;
  try {
    const found = readIdentity(src, where.file);
    if (!found) throw new TillError('ledger-corrupt', `${where.file} has no genesis entry; there is nothing to back up`);
    identity = found;
    try {
      makePrivateDir(folder);
    } catch (e) {
      throw toLedgerError(e, folder, 'the backup folder could not be created');
    }
    final = path.join(folder, backupName(identity, (opts.clock ?? (() => new Date()))()));
    if (fs.existsSync(final)) throw new TillError('conflict', `${final} already exists; try again`);
    partial = `${final}.partial`;
    await copyDb(src, partial, opts.nativeBinding);
  } catch (e) {
    throw toLedgerError(e, folder, 'the backup was not written');
  } finally {
    src.close();
  }
  try {
    const check = await verifyLedgerFile(partial, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
    if (!check.ok) {
      throw new TillError('ledger-corrupt', `the backup copy did not verify (${describeBad(check)}); the ledger itself may be damaged: run 'till verify --data ${dir}'`);
    }
    fsyncFile(partial);
    fs.renameSync(partial, final);
    fsyncDir(folder);
    const removed = prune(folder, identity, keep);
    return { file: final, identity, entries: check.entries, lastHash: check.lastHash, removed };
  } catch (e) {
    fs.rmSync(partial, { force: true });
    throw toLedgerError(e, folder, 'the backup was not written');
  }
}

function prune(folder: string, identity: LedgerIdentity, keep: number): string[] {
  const mine = new RegExp(`^till-${identity.store}-${identity.terminal}-\\d{8}T\\d{9}Z\\.db$`);
  const all = fs.readdirSync(folder).filter((n) => mine.test(n)).sort();
  const old = all.slice(0, Math.max(0, all.length - keep)).map((n) => path.join(folder, n));
  for (const f of old) fs.rmSync(f, { force: true });
  return old;
}

/** Replaces the ledger of `dir` with the backup `fromFile` (see the header for the refusals). */
export async function restoreLedger(fromFile: string, dir: string, opts: { force?: boolean; clock?: () => Date } = {}): Promise<RestoreResult> {
  const from = path.resolve(fromFile);
  const st = fs.statSync(from, { throwIfNoEntry: false });
  if (!st || !st.isFile()) throw new TillError('ledger-not-found', `there is no backup file at ${from}`);
  const check = await verifyLedgerFile(from);
  if (!check.ok) throw new TillError('ledger-corrupt', `the backup ${from} is damaged (${describeBad(check)}); choose another backup`);
  const backup = snapshot(from);
  const where = locateLedger(dir, true);
  const lock = acquireWriterLock(where.dir);
  const tmp = path.join(where.dir, `${LEDGER_FILE}.restoring`);
  try {
    if (where.exists) refuseUnlessForced(where.file, backup, opts.force === true);
    fs.rmSync(tmp, { force: true });
    const src = openSqlite(from, { readonly: true });
    try {
      await copyDb(src, tmp);
    } finally {
      src.close();
    }
    const copy = await verifyLedgerFile(tmp);
    if (!copy.ok || copy.entries !== check.entries || copy.lastHash !== check.lastHash) {
      throw new TillError('ledger-io', `the copy of the backup in ${where.dir} did not verify (${describeBad(copy)}); the disk may be failing; nothing was replaced`);
    }
    fsyncFile(tmp);
    const replaced = where.exists ? setAside(where.file, (opts.clock ?? (() => new Date()))()) : null;
    fs.renameSync(tmp, where.file);
    fsyncDir(where.dir);
    return { entries: copy.entries, lastHash: copy.lastHash, identity: backup.identity, replaced };
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw toLedgerError(e, where.dir, 'nothing was restored');
  } finally {
    lock.release();
  }
}

function refuseUnlessForced(file: string, backup: { identity: LedgerIdentity; seq: number }, force: boolean): void {
  let current: { identity: LedgerIdentity; seq: number };
  try {
    current = snapshot(file);
  } catch (e) {
    if (force) return;
    const why = e instanceof TillError ? e.message : String(e);
    throw new TillError('conflict', `the ledger in ${path.dirname(file)} cannot be read (${why}), so it cannot be compared with the backup; pass --force to replace it`);
  }
  if (force) return;
  const a = current.identity;
  const b = backup.identity;
  if (a.store !== b.store || a.terminal !== b.terminal) {
    throw new TillError('conflict', `the ledger in ${path.dirname(file)} belongs to store ${a.store} terminal ${a.terminal}, the backup to store ${b.store} terminal ${b.terminal}; pass --force to replace it anyway`);
  }
  if (current.seq > backup.seq) {
    throw new TillError(
      'conflict',
      `the ledger in ${path.dirname(file)} is newer than the backup (seq ${current.seq} > ${backup.seq}); restoring would lose ${current.seq - backup.seq} ${current.seq - backup.seq === 1 ? 'entry' : 'entries'}; pass --force to replace it anyway`,
    );
  }
}

/**
 * Keeps the current ledger as ledger.db.replaced-TIME (a hard link) before
 * the swap. Its write-ahead log is checkpointed into it first; when that is
 * impossible (a damaged ledger, forced) the -wal goes with the kept copy
 * under SQLite's naming. The stale -shm is removed, so the restored file
 * never meets the old write-ahead log.
 */
function setAside(file: string, at: Date): string {
  const kept = `${file}.replaced-${stamp(at)}`;
  try {
    const db = openSqlite(file, { readonly: false });
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
  } catch {
    // unreadable: its -wal is kept beside the copy below
  }
  fs.linkSync(file, kept);
  if (fs.existsSync(`${file}-wal`)) fs.renameSync(`${file}-wal`, `${kept}-wal`);
  fs.rmSync(`${file}-shm`, { force: true });
  return kept;
}

export interface DrillResult {
  file: string;
  entries: number;
  lastHash: string;
  identity: LedgerIdentity;
  /** when the backup was taken (from its name), null for a file named otherwise */
  takenAt: string | null;
  /** the live ledger compared, when a data directory was given */
  live: { seq: number; sameTerminal: boolean; behind: number } | null;
}

/** restores `fromFile` into a temporary folder, opens and verifies it there, and removes it (see the header) */
export async function drillRestore(fromFile: string, opts: { liveDir?: string; migrationsDir?: string } = {}): Promise<DrillResult> {
  const from = path.resolve(fromFile);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'till-restore-drill-'));
  try {
    const restored = await restoreLedger(from, tmp);
    const ledger = openLedger(tmp, opts.migrationsDir ? { migrationsDir: opts.migrationsDir } : {});
    ledger.close();
    const again = await verifyLedgerFile(path.join(tmp, LEDGER_FILE));
    if (!again.ok || again.entries !== restored.entries) {
      throw new TillError('ledger-corrupt', `the restored copy of ${from} did not verify after opening (${describeBad(again)}); choose another backup`);
    }
    let live: DrillResult['live'] = null;
    if (opts.liveDir) {
      const cur = snapshot(locateLedger(opts.liveDir, false).file);
      const same = cur.identity.store === restored.identity.store && cur.identity.terminal === restored.identity.terminal;
      live = { seq: cur.seq, sameTerminal: same, behind: Math.max(0, cur.seq - restored.entries) };
    }
    const stamp = listBackups(path.dirname(from)).find((b) => b.file === from);
    return { file: from, entries: restored.entries, lastHash: restored.lastHash, identity: restored.identity, takenAt: stamp ? stamp.at.toISOString() : null, live };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
