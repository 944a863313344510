/**
 * The journal entry as it crosses every boundary (ledger, replication, hub).
 *
 * hash = SHA-256 hex of the UTF-8 bytes of hashPreimage(prevHash, seq, id, type, at, payload).
 * The preimage is a JSON array of every field but the hash itself, so no field
 * can bleed into the next and none is left out: whoever holds the entry (the
 * ledger, the hub) can check all of it. The first
 * entry (seq 1, type 'Genesis') links to GENESIS_PREV_HASH and binds the
 * terminal's identity (store and terminal codes) into the chain.
 * SHA-256 itself is computed by the Node side (ledger, hub) with node:crypto.
 */
import { z } from 'zod';

export const GENESIS_PREV_HASH = '0'.repeat(64);

export const journalEntrySchema = z.object({
  seq: z.number().int().positive(),
  id: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'ULID'),
  type: z.string().min(1).max(64),
  at: z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'UTC ISO time'),
  payload: z.string().max(1_000_000),
  prevHash: z.string().regex(/^[0-9a-f]{64}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type JournalEntry = z.infer<typeof journalEntrySchema>;

/** characters JSON.stringify escapes in a string (quote, backslash, controls) or may rewrite (lone surrogates) */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify(s) for a string, without the escaping pass when s has nothing to escape (hashes, ULIDs, times) */
function jsonString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : '"' + s + '"';
}

/**
 * Exactly JSON.stringify([prevHash, seq, id, type, at, payload]), built by
 * concatenation: `till verify` computes it a million times, and the array
 * form costs about a third more.
 */
export function hashPreimage(prevHash: string, seq: number, id: string, type: string, at: string, payload: string): string {
  return '[' + jsonString(prevHash) + ',' + JSON.stringify(seq) + ',' + jsonString(id) + ',' + jsonString(type) + ',' + jsonString(at) + ',' + JSON.stringify(payload) + ']';
}

/** what entry 1 binds into the chain (the ledger writes it once, when the ledger is created) */
export const genesisPayloadSchema = z.object({
  store: z.string(),
  terminal: z.string(),
  createdAt: z.string(),
  schema: z.number().int(),
});
export type GenesisPayload = z.infer<typeof genesisPayloadSchema>;

/** Receipt numbers derive from (store, terminal, seq) and so are never reused. */
export function receiptNumber(store: string, terminal: string, seq: number): string {
  return `${store}-${terminal}-${String(seq).padStart(8, '0')}`;
}
