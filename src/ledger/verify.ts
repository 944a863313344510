/**
 * `till verify`: recomputes the whole chain and runs SQLite's integrity_check,
 * on a read-only handle (no writer lock, so it runs beside a live terminal).
 *
 * Rows are streamed in seq order inside one read transaction (one snapshot
 * for the walk and the integrity check). For each row, in this order:
 *   seq must be the previous seq + 1 .................. 'gap'
 *   prev_hash must be the previous entry's hash ........ 'broken-link'
 *   hash must be SHA-256 of the preimage ............... 'hash-mismatch'
 *   seal must be SHA-256 of [hash, id] ................. 'hash-mismatch'
 *   seq 1 and only seq 1 is a Genesis entry naming
 *   valid store and terminal codes ..................... 'genesis'
 * A page SQLite cannot read during the walk, or an integrity_check failure,
 * is 'integrity'; when it cannot be tied to an entry, firstBad.seq is 0.
 * The walk stops at the first bad entry: entries and lastHash then describe
 * the intact prefix.
 */
import { TillError } from '../shared/errors';
import { GENESIS_PREV_HASH } from '../shared/journal';
import { entryHash, entrySeal } from './chain';
import { locateLedger, openSqlite } from './files';
import { isValidCode } from './identity';
import { toLedgerError } from './io-errors';
import { GENESIS_TYPE } from './ledger';
import type { SqliteDb } from './types';

export type VerifyReason = 'hash-mismatch' | 'broken-link' | 'gap' | 'integrity' | 'genesis';

export interface VerifyResult {
  ok: boolean;
  /** entries checked and intact (all of them when ok) */
  entries: number;
  /** hash of the last intact entry */
  lastHash: string;
  firstBad: { seq: number; reason: VerifyReason } | null;
  /** one line for a person about the first problem, null when ok */
  detail: string | null;
}

type Row = [seq: unknown, id: unknown, type: unknown, at: unknown, payload: unknown, prevHash: unknown, hash: unknown, seal: unknown];

function validGenesis(payload: string): boolean {
  try {
    const p = JSON.parse(payload) as { store?: unknown; terminal?: unknown };
    return typeof p.store === 'string' && typeof p.terminal === 'string' && isValidCode(p.store) && isValidCode(p.terminal);
  } catch {
    return false;
  }
}

/** Checks one entry against the running chain state; returns the reason it is bad, or null. */
function checkRow(row: Row, expected: number, prevHash: string): { reason: VerifyReason; seq: number; detail: string } | null {
  const [seq, id, type, at, payload, prev, hash, seal] = row;
  if (seq !== expected) {
    const where = typeof seq === 'number' && seq < expected ? seq : expected;
    return { reason: 'gap', seq: where, detail: `expected seq ${expected}, found ${String(seq)}` };
  }
  if (prev !== prevHash) return { reason: 'broken-link', seq: expected, detail: `prev_hash does not match the hash of entry ${expected - 1}` };
  if (typeof type !== 'string' || typeof at !== 'string' || typeof payload !== 'string' || typeof id !== 'string') {
    return { reason: 'hash-mismatch', seq: expected, detail: 'a field does not hold text' };
  }
  if (hash !== entryHash(prevHash, expected, type, at, payload)) return { reason: 'hash-mismatch', seq: expected, detail: 'the stored hash is not the hash of the entry' };
  if (seal !== entrySeal(hash, id)) return { reason: 'hash-mismatch', seq: expected, detail: 'the id or seal of the entry was changed' };
  if ((expected === 1) !== (type === GENESIS_TYPE) || (expected === 1 && !validGenesis(payload))) {
    return { reason: 'genesis', seq: expected, detail: expected === 1 ? 'entry 1 is not a valid Genesis entry' : `entry ${expected} claims to be a Genesis entry` };
  }
  return null;
}

function isCorruption(e: unknown): boolean {
  return e instanceof TillError && e.code === 'ledger-corrupt';
}

const damaged = (detail: string): VerifyResult => ({ ok: false, entries: 0, lastHash: GENESIS_PREV_HASH, firstBad: { seq: 0, reason: 'integrity' }, detail });

/** Verifies an open handle (read-only is enough). */
export function verifyDb(db: SqliteDb, what = 'the ledger'): VerifyResult {
  try {
    return walk(db, what);
  } catch (e) {
    const mapped = toLedgerError(e, what, 'it cannot be read');
    if (!isCorruption(mapped) || (e instanceof TillError)) throw mapped;
    return damaged((mapped as TillError).message);
  }
}

function walk(db: SqliteDb, what: string): VerifyResult {
  const hasJournal = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'journal'").get();
  if (!hasJournal) throw new TillError('ledger-corrupt', `${what} is not a Till ledger (no journal table); check the path`);
  let entries = 0;
  let lastHash = GENESIS_PREV_HASH;
  const result = (firstBad: VerifyResult['firstBad'], detail: string | null): VerifyResult => ({ ok: firstBad === null, entries, lastHash, firstBad, detail });
  db.exec('BEGIN');
  try {
    const rows = db.prepare('SELECT seq, id, type, at, payload, prev_hash, hash, seal FROM journal ORDER BY seq').raw().iterate() as IterableIterator<Row>;
    try {
      for (const row of rows) {
        const bad = checkRow(row, entries + 1, lastHash);
        if (bad) {
          rows.return?.();
          return result({ seq: bad.seq, reason: bad.reason }, `entry ${bad.seq}: ${bad.detail}`);
        }
        entries += 1;
        lastHash = row[6] as string;
      }
    } catch (e) {
      const mapped = toLedgerError(e, what, 'the walk stopped');
      if (!isCorruption(mapped)) throw mapped;
      return result({ seq: entries + 1, reason: 'integrity' }, `entry ${entries + 1} cannot be read: ${(mapped as TillError).message}`);
    }
    if (entries === 0) return result({ seq: 1, reason: 'genesis' }, 'the journal is empty (no Genesis entry)');
    let problems: string[];
    try {
      problems = db.prepare('PRAGMA integrity_check(5)').pluck().all() as string[];
    } catch (e) {
      const mapped = toLedgerError(e, what, 'integrity_check stopped');
      if (!isCorruption(mapped)) throw mapped;
      problems = [(mapped as TillError).message];
    }
    if (problems.length !== 1 || problems[0] !== 'ok') return result({ seq: 0, reason: 'integrity' }, `integrity_check: ${problems.join('; ')}`);
    return result(null, null);
  } finally {
    // a read transaction: ending it with ROLLBACK cannot fail on a damaged file the way COMMIT can
    if (db.inTransaction) db.exec('ROLLBACK');
  }
}

/**
 * Verifies one ledger file (a data directory's ledger.db or a backup). A file
 * SQLite cannot read at all is reported as damaged ('integrity', seq 0).
 */
export function verifyLedgerFile(file: string, opts: { nativeBinding?: string } = {}): VerifyResult {
  let db: SqliteDb;
  try {
    db = openSqlite(file, { readonly: true, ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}) });
  } catch (e) {
    if (!isCorruption(e)) throw e;
    return damaged((e as TillError).message);
  }
  try {
    return verifyDb(db, file);
  } finally {
    db.close();
  }
}

/** Verifies the ledger of a data directory ('ledger-not-found' when there is none). */
export function verifyLedger(dir: string, opts: { nativeBinding?: string } = {}): VerifyResult {
  let file: string;
  try {
    file = locateLedger(dir, false).file;
  } catch (e) {
    if (!isCorruption(e)) throw e;
    return damaged((e as TillError).message);
  }
  return verifyLedgerFile(file, opts);
}
