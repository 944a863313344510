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
      fs.mkdirSync(abs, { recursive: true });
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
