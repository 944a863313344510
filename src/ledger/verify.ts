/**
 * `till verify`: recomputes the whole chain and runs SQLite's integrity_check,
 * on read-only handles (no writer lock, so it runs beside a live terminal).
 *
 * The chain rules are in walk.ts. A page SQLite cannot read, or an
 * integrity_check failure, is 'integrity'; when it cannot be tied to an
 * entry, firstBad.seq is 0. The report names the first bad entry; entries and
 * lastHash then describe the intact prefix before it.
 *
 * Every entry links to the stored hash of the one before, so the seq range
 * can be cut into parts walked independently: a large journal is walked by
 * worker threads (one part each, own read-only connection) while this thread
 * runs integrity_check, and the parts are joined in order. Rows are never
 * changed, so parts read at slightly different moments still agree.
 */
import { availableParallelism } from 'node:os';
import { TillError } from '../shared/errors';
import { GENESIS_PREV_HASH } from '../shared/journal';
import { locateLedger, openSqlite } from './files';
import { toLedgerError } from './io-errors';
import type { SqliteDb } from './types';
import { walkInWorker } from './verify-threads';
import { isCorruption, walkRange, type RangeResult, type VerifyReason } from './walk';

export type { VerifyReason } from './walk';

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

export interface VerifyOptions {
  nativeBinding?: string;
  /** walk in this many worker threads (default: the CPU count, at most 4; 1 walks in this thread) */
  threads?: number;
  /** journals shorter than this are walked in this thread (default 200,000) */
  parallelFrom?: number;
}

const damaged = (detail: string): VerifyResult => ({ ok: false, entries: 0, lastHash: GENESIS_PREV_HASH, firstBad: { seq: 0, reason: 'integrity' }, detail });

function integrityProblems(db: SqliteDb, what: string): string | null {
  let problems: string[];
  try {
    problems = db.prepare('PRAGMA integrity_check(5)').pluck().all() as string[];
  } catch (e) {
    const mapped = toLedgerError(e, what, 'integrity_check stopped');
    if (!isCorruption(mapped)) throw mapped;
    problems = [mapped.message];
  }
  return problems.length === 1 && problems[0] === 'ok' ? null : `integrity_check: ${problems.join('; ')}`;
}

/** Joins the walks of consecutive ranges (1..a, a+1..b, ...) and the integrity check into one report. */
function join(parts: RangeResult[], integrity: string | null): VerifyResult {
  let entries = 0;
  let lastHash = GENESIS_PREV_HASH;
  for (const p of parts) {
    if (p.entries > 0) lastHash = p.lastHash;
    entries += p.entries;
    if (p.bad) return { ok: false, entries, lastHash, firstBad: { seq: p.bad.seq, reason: p.bad.reason }, detail: `entry ${p.bad.seq}: ${p.bad.detail}` };
  }
  if (entries === 0) return { ok: false, entries, lastHash, firstBad: { seq: 1, reason: 'genesis' }, detail: 'the journal is empty (no Genesis entry)' };
  if (integrity) return { ok: false, entries, lastHash, firstBad: { seq: 0, reason: 'integrity' }, detail: integrity };
  return { ok: true, entries, lastHash, firstBad: null, detail: null };
}

interface Bounds {
  min: number | null;
  max: number | null;
}

function bounds(db: SqliteDb, what: string): Bounds {
  const hasJournal = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'journal'").get();
  if (!hasJournal) throw new TillError('ledger-corrupt', `${what} is not a Till ledger (no journal table); check the path`);
  // two queries: each is a single step to one end of the rowid tree, where min and max together would scan an index
  const min = db.prepare('SELECT min(seq) FROM journal').pluck().get() as number | null;
  const max = db.prepare('SELECT max(seq) FROM journal').pluck().get() as number | null;
  return { min, max };
}

function strayBelowOne(b: Bounds): RangeResult | null {
  return b.min !== null && b.min < 1 ? { entries: 0, lastHash: GENESIS_PREV_HASH, bad: { seq: b.min, reason: 'gap', detail: `an entry has seq ${b.min}` } } : null;
}

/** Verifies an open handle in this thread (read-only is enough), in one read transaction. */
export function verifyDb(db: SqliteDb, what = 'the ledger'): VerifyResult {
  try {
    db.exec('BEGIN');
    try {
      const b = bounds(db, what);
      const parts = [strayBelowOne(b) ?? walkRange(db, 1, b.max ?? 0, what)];
      return join(parts, parts[0]?.bad ? null : integrityProblems(db, what));
    } finally {
      // a read transaction: ending it with ROLLBACK cannot fail on a damaged file the way COMMIT can
      if (db.inTransaction) db.exec('ROLLBACK');
    }
  } catch (e) {
    const mapped = toLedgerError(e, what, 'it cannot be read');
    if (!isCorruption(mapped) || e instanceof TillError) throw mapped;
    return damaged(mapped.message);
  }
}

function splitRange(max: number, parts: number): Array<[number, number]> {
  const size = Math.ceil(max / parts);
  const out: Array<[number, number]> = [];
  for (let from = 1; from <= max; from += size) out.push([from, Math.min(max, from + size - 1)]);
  return out;
}

/**
 * Verifies one ledger file (a data directory's ledger.db or a backup). A file
 * SQLite cannot read at all is reported as damaged ('integrity', seq 0).
 */
export async function verifyLedgerFile(file: string, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const sqliteOpts = { readonly: true, ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}) };
  let db: SqliteDb;
  try {
    db = openSqlite(file, sqliteOpts);
  } catch (e) {
    if (!isCorruption(e)) throw e;
    return damaged(e.message);
  }
  try {
    const threads = opts.threads ?? Math.min(4, availableParallelism());
    let b: Bounds;
    try {
      b = bounds(db, file);
    } catch (e) {
      const mapped = toLedgerError(e, file, 'it cannot be read');
      if (!isCorruption(mapped) || e instanceof TillError) throw mapped;
      return damaged(mapped.message);
    }
    const max = b.max ?? 0;
    if (threads < 2 || max < (opts.parallelFrom ?? 200_000) || strayBelowOne(b)) return verifyDb(db, file);
    const walks = splitRange(max, threads).map(([from, to]) => walkInWorker(file, from, to, opts.nativeBinding));
    // integrity_check runs here while the workers walk the chain
    db.exec('BEGIN');
    let integrity: string | null;
    try {
      integrity = integrityProblems(db, file);
    } finally {
      db.exec('ROLLBACK');
    }
    return join(await Promise.all(walks), integrity);
  } finally {
    db.close();
  }
}

/** Verifies the ledger of a data directory ('ledger-not-found' when there is none). */
export async function verifyLedger(dir: string, opts: VerifyOptions = {}): Promise<VerifyResult> {
  let file: string;
  try {
    file = locateLedger(dir, false).file;
  } catch (e) {
    if (!isCorruption(e)) throw e;
    return damaged(e.message);
  }
  return verifyLedgerFile(file, opts);
}

export interface TailResult extends VerifyResult {
  /** the first seq walked (1 when the journal is shorter than the tail) */
  from: number;
  /** the last seq (the chain head) */
  head: number;
}

/**
 * The fast check of `till doctor`: the Genesis entry, the last `tail`
 * entries walked against the stored hash before them (each hash recomputed,
 * each link followed up to the chain head), and the count of entries equal
 * to the head seq (no gap anywhere). It does not recompute the middle of the
 * chain or run integrity_check: verifyLedger() does.
 */
export async function verifyLedgerTail(dir: string, tail = 1000, opts: Pick<VerifyOptions, 'nativeBinding'> = {}): Promise<TailResult> {
  const file = locateLedger(dir, false).file;
  let db: SqliteDb;
  try {
    db = openSqlite(file, { readonly: true, ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}) });
  } catch (e) {
    if (!isCorruption(e)) throw e;
    return { ...damaged(e.message), from: 0, head: 0 };
  }
  try {
    db.exec('BEGIN');
    try {
      const b = bounds(db, file);
      const head = b.max ?? 0;
      const from = Math.max(1, head - tail + 1);
      const stray = strayBelowOne(b);
      if (stray) return { ...join([stray], null), from, head };
      const genesis = from > 1 ? walkRange(db, 1, 1, file) : null;
      if (genesis?.bad) return { ...join([genesis], null), from, head };
      const walked = walkRange(db, from, head, file);
      const result = join([walked], null);
      if (!result.ok) return { ...result, entries: walked.entries, from, head };
      const count = db.prepare('SELECT count(*) FROM journal').pluck().get() as number;
      if (count !== head) return { ok: false, entries: walked.entries, lastHash: walked.lastHash, firstBad: { seq: 0, reason: 'gap' }, detail: `${head - count} entries are missing before entry ${from}`, from, head };
      return { ...result, entries: walked.entries, from, head };
    } finally {
      if (db.inTransaction) db.exec('ROLLBACK');
    }
  } catch (e) {
    const mapped = toLedgerError(e, file, 'it cannot be read');
    if (!isCorruption(mapped) || e instanceof TillError) throw mapped;
    return { ...damaged(mapped.message), from: 0, head: 0 };
  } finally {
    db.close();
  }
}
