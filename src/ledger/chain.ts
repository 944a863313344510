/**
 * The hash chain of the journal.
 *
 * hash = SHA-256 hex of hashPreimage(prevHash, seq, type, at, payload) (the
 * shared kernel's definition, which the hub recomputes too). The preimage does
 * not cover the entry's id, so the ledger also stores a seal per entry:
 * seal = SHA-256 hex of hash + id (64 hex characters then a 26-character
 * ULID: fixed widths, so the concatenation is unambiguous). Changing any byte
 * of any stored field (seq, id, type, at, payload, prev_hash, hash, seal)
 * therefore breaks the seq order, the link, the hash or the seal of that very
 * entry. crypto.hash is the one-shot form (no Hash object per entry), which
 * matters when `till verify` walks a million entries.
 */
import { hash as digest } from 'node:crypto';
import { hashPreimage } from '../shared/journal';

export function entryHash(prevHash: string, seq: number, type: string, at: string, payload: string): string {
  return digest('sha256', hashPreimage(prevHash, seq, type, at, payload), 'hex');
}

export function entrySeal(hash: string, id: string): string {
  return digest('sha256', hash + id, 'hex');
}
