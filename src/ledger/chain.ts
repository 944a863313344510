/**
 * The hash chain of the journal.
 *
 * hash = SHA-256 hex of hashPreimage(prevHash, seq, id, type, at, payload)
 * (the shared kernel's definition, which the hub recomputes too). The
 * preimage covers every stored field but the hash, so changing any byte of
 * seq, id, type, at, payload, prev_hash or hash breaks the seq order, the link
 * or the hash of that very entry. crypto.hash is the one-shot form (no Hash
 * object per entry), which matters when `till verify` walks a million entries.
 */
import { hash as digest } from 'node:crypto';
import { hashPreimage } from '../shared/journal';

export function entryHash(prevHash: string, seq: number, id: string, type: string, at: string, payload: string): string {
  return digest('sha256', hashPreimage(prevHash, seq, id, type, at, payload), 'hex');
}
