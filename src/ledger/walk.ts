/**
 * The chain walk of `till verify` over one seq range, streaming rows with
 * .iterate(). For each row, in this order:
 *   seq must be the previous seq + 1 .................. 'gap'
 *   prev_hash must be the previous entry's stored hash . 'broken-link'
 *   hash must be SHA-256 of the preimage (every other
 *   field, id included) ................................ 'hash-mismatch'
 *   seq 1 and only seq 1 is a Genesis entry naming
 *   valid store and terminal codes ..................... 'genesis'
 * A row SQLite cannot read is 'integrity'. Because each entry is checked
 * against the stored hash of the one before, ranges can be walked
 * independently (and in parallel) and joined in order.
 */
import { TillError } from '../shared/errors';
import { GENESIS_PREV_HASH, genesisPayloadSchema } from '../shared/journal';
import { entryHash } from './chain';
import { isValidCode } from './identity';
import { toLedgerError } from './io-errors';
import type { SqliteDb } from './types';

export const GENESIS_TYPE = 'Genesis';

export type VerifyReason = 'hash-mismatch' | 'broken-link' | 'gap' | 'integrity' | 'genesis';

/** The walk of seqs from..to: how many were intact, the last intact hash, and the first problem. */
export interface RangeResult {
  entries: number;
  lastHash: string;
  bad: { seq: number; reason: VerifyReason; detail: string } | null;
}

type Row = [seq: unknown, id: unknown, type: unknown, at: unknown, payload: unknown, prevHash: unknown, hash: unknown];

function validGenesis(payload: string): boolean {
  try {
    const p = genesisPayloadSchema.safeParse(JSON.parse(payload));
    return p.success && isValidCode(p.data.store) && isValidCode(p.data.terminal);
  } catch {
    return false;
  }
}

/** Checks one entry against the running chain state; returns the reason it is bad, or null. */
function checkRow(row: Row, expected: number, prevHash: string | null): RangeResult['bad'] {
  const [seq, id, type, at, payload, prev, hash] = row;
  if (seq !== expected) {
    if (typeof seq === 'number' && seq < expected) return { reason: 'gap', seq, detail: `an entry has seq ${seq}, out of order` };
    return { reason: 'gap', seq: expected, detail: 'it is missing' };
  }
  if (prev !== prevHash) return { reason: 'broken-link', seq: expected, detail: `prev_hash does not match the hash of entry ${expected - 1}` };
  if (typeof prev !== 'string' || typeof type !== 'string' || typeof at !== 'string' || typeof payload !== 'string' || typeof id !== 'string') {
    return { reason: 'hash-mismatch', seq: expected, detail: 'a field does not hold text' };
  }
  if (hash !== entryHash(prev, expected, id, type, at, payload)) return { reason: 'hash-mismatch', seq: expected, detail: 'the stored hash is not the hash of the entry' };
  if ((expected === 1) !== (type === GENESIS_TYPE) || (expected === 1 && !validGenesis(payload))) {
    return { reason: 'genesis', seq: expected, detail: expected === 1 ? 'it is not a valid Genesis entry' : 'it claims to be a Genesis entry' };
  }
  return null;
}

export function isCorruption(e: unknown): e is TillError {
  return e instanceof TillError && e.code === 'ledger-corrupt';
}

/** Walks seqs from..to (inclusive) on `db`. */
export function walkRange(db: SqliteDb, from: number, to: number, what = 'the ledger'): RangeResult {
  let entries = 0;
  let lastHash: string | null = from === 1 ? GENESIS_PREV_HASH : ((db.prepare('SELECT hash FROM journal WHERE seq = ?').pluck().get(from - 1) as string | undefined) ?? null);
  const done = (bad: RangeResult['bad']): RangeResult => ({ entries, lastHash: lastHash ?? GENESIS_PREV_HASH, bad });
  const rows = db.prepare('SELECT seq, id, type, at, payload, prev_hash, hash FROM journal WHERE seq BETWEEN ? AND ? ORDER BY seq').raw().iterate(from, to) as IterableIterator<Row>;
  try {
    for (const row of rows) {
      const bad = checkRow(row, from + entries, lastHash);
      if (bad) {
        rows.return?.();
        return done(bad);
      }
      entries += 1;
      lastHash = row[6] as string;
    }
  } catch (e) {
    const mapped = toLedgerError(e, what, 'the walk stopped');
    if (!isCorruption(mapped)) throw mapped;
    return done({ seq: from + entries, reason: 'integrity', detail: `it cannot be read: ${mapped.message}` });
  }
  if (from + entries <= to) return done({ seq: from + entries, reason: 'gap', detail: 'it is missing' });
  return done(null);
}
