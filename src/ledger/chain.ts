/**
 * The hash chain of the journal.
 *
 * hash = SHA-256 hex of hashPreimage(prevHash, seq, type, at, payload) (the
 * shared kernel's definition, which the hub recomputes too). The preimage does
 * not cover the entry's id, so the ledger also stores a seal per entry:
 * seal = SHA-256 hex of JSON [hash, id]. Changing any byte of any stored field
 * (seq, id, type, at, payload, prev_hash, hash, seal) therefore breaks either
 * the seq order, the link, the hash or the seal of that very entry.
 */
import { createHash } from 'node:crypto';
import { hashPreimage } from '../shared/journal';

export function entryHash(prevHash: string, seq: number, type: string, at: string, payload: string): string {
  return createHash('sha256').update(hashPreimage(prevHash, seq, type, at, payload), 'utf8').digest('hex');
}

export function entrySeal(hash: string, id: string): string {
  return createHash('sha256').update(JSON.stringify([hash, id]), 'utf8').digest('hex');
}
