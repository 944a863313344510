/**
 * Where a terminal's ledger lives and how a SQLite handle on it is opened.
 * A data directory holds ledger.db (+ -wal, -shm) and ledger.lock. Every
 * open sets its pragmas explicitly: better-sqlite3 reopens a WAL database at
 * synchronous=NORMAL, which can lose the last commits on power loss.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { TillError } from '../shared/errors';
import { toLedgerError } from './io-errors';
import type { SqliteDb } from './types';

export const LEDGER_FILE = 'ledger.db';

/**
 * A terminal's files hold sales, members' data and credentials: data
 * directories are 0700 and files 0600 (on Windows the profile folder's ACL
 * does this job and chmod only touches the read-only bit).
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** makes `dir` (and missing parents) and sets it to 0700 */
export function makePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  fs.chmodSync(dir, PRIVATE_DIR_MODE);
}

/**
 * Creates `file` empty with mode 0600 when it is missing (SQLite gives a
 * database's -wal and -shm the database file's mode, so they follow), and
 * sets an existing one to 0600.
 */
export function makePrivateFile(file: string): void {
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
  fs.chmodSync(file, PRIVATE_FILE_MODE);
}

/** writes `file` whole with mode 0600 through a temporary file and a rename, so a reader sees the old or the new text */
export function writePrivateFile(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode: PRIVATE_FILE_MODE });
  fs.chmodSync(tmp, PRIVATE_FILE_MODE);
  fs.renameSync(tmp, file);
}

/**
 * Takes every group and other permission off a data directory and what lies
 * directly in it (links are left alone), so a directory made by an older
 * version ends up 0700 with 0600 files, and one made read-only stays so.
 */
export function tightenDataDir(dir: string): void {
  const private_ = (p: string, st: fs.Stats) => {
    if ((st.mode & 0o077) !== 0) fs.chmodSync(p, st.mode & 0o700);
  };
  private_(dir, fs.statSync(dir));
  for (const name of fs.readdirSync(dir)) {
    const p = path.join(dir, name);
    const st = fs.lstatSync(p, { throwIfNoEntry: false });
    if (st && (st.isFile() || st.isDirectory())) private_(p, st);
  }
}

export function ledgerFile(dir: string): string {
  return path.join(path.resolve(dir), LEDGER_FILE);
}

function statOrNull(p: string): fs.Stats | null {
  try {
    return fs.statSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw toLedgerError(e, p, 'it could not be read');
  }
}

/** Does `dir` hold a ledger file? (says nothing about its health) */
export function ledgerExists(dir: string): boolean {
  const st = statOrNull(ledgerFile(dir));
  return st !== null && st.isFile();
}

/**
 * Checks that `dir` is a data directory holding a ledger and returns the
 * ledger file. With `create`, a missing directory is made and a missing
 * ledger file is allowed.
 */
export function locateLedger(dir: string, create: boolean): { dir: string; file: string; exists: boolean } {
  const abs = path.resolve(dir);
  const st = statOrNull(abs);
  if (st === null) {
    if (!create) {
      throw new TillError('ledger-not-found', `there is no data directory at ${abs}; check the path, or create a ledger with: till init --data ${dir} --store CODE --terminal CODE`);
    }
    try {
      makePrivateDir(abs);
    } catch (e) {
      throw toLedgerError(e, abs, 'the data directory could not be created');
    }
  } else if (!st.isDirectory()) {
    throw new TillError('ledger-not-found', `${abs} is a file, not a data directory; pass the folder that holds ${LEDGER_FILE}`);
  }
  const file = path.join(abs, LEDGER_FILE);
  const fst = statOrNull(file);
  if (fst !== null && !fst.isFile()) throw new TillError('ledger-corrupt', `${file} is not a file; this is not a Till data directory`);
  if (fst === null && !create) {
    throw new TillError('ledger-not-found', `there is no ledger in ${abs} (no ${LEDGER_FILE}); check the path, or create one with: till init --data ${dir} --store CODE --terminal CODE`);
  }
  if (fst !== null && fst.size === 0 && !create) {
    throw new TillError('ledger-corrupt', `${file} is empty (truncated); restore the newest good backup with 'till restore'`);
  }
  return { dir: abs, file, exists: fst !== null };
}

export interface SqliteOpenOptions {
  readonly: boolean;
  nativeBinding?: string;
}

/** Opens `file` with the ledger's pragmas; SQLite failures become TillErrors naming the file. */
export function openSqlite(file: string, opts: SqliteOpenOptions): SqliteDb {
  let db: SqliteDb | null = null;
  try {
    db = new Database(file, {
      readonly: opts.readonly,
      fileMustExist: opts.readonly,
      ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
    });
    db.pragma('busy_timeout = 5000');
    if (opts.readonly) {
      // Reads the header: a file that is not a database fails here, not later.
      db.pragma('schema_version', { simple: true });
    } else {
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal') throw new TillError('ledger-io', `${file} cannot use write-ahead logging (journal_mode stays '${String(mode)}'); put the data directory on a local disk`);
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
    }
    return db;
  } catch (e) {
    db?.close();
    throw toLedgerError(e, file, 'the ledger could not be opened');
  }
}
