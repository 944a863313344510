/**
 * Enrollment: IT staff ask the hub for a one-time code bound to (store,
 * terminal); the terminal trades the code, together with the identity in its
 * ledger's genesis, for a long-lived random token. The hub keeps only SHA-256
 * hashes of codes and tokens. Redeeming deletes the code in the same
 * transaction that (re)writes the terminal's token, so a code works once;
 * enrolling an already known terminal (replaced hardware) replaces its token
 * and keeps its journal and hwm. The answer also hands over, over TLS, the
 * hub's public key (the terminal pins it and applies only catalog deltas
 * signed with it) and the chain's PIN key (secrets.ts).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { TillError } from '../shared/errors';
import { terminalIdOf, type EnrollRequest, type EnrollResponse } from '../shared/replication';
import { sha256Hex } from './ingest';
import { toBase64 } from '../core/pin-credential';
import type { HubSecrets } from './secrets';
import type { HubStore } from './store/types';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const DEFAULT_CODE_TTL_MS = 24 * 3600 * 1000;

/** codes are typed by people: upper-case, no separators, no look-alikes */
export function normalizeCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/** a fresh code as people read it (XXXX-XXXX-XXXX) and the hash the hub keeps */
export function generateEnrollCode(): { code: string; codeHash: string } {
  let raw = '';
  for (let i = 0; i < 12; i++) raw += ALPHABET[randomInt(ALPHABET.length)];
  return { code: `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`, codeHash: sha256Hex(raw) };
}

export async function issueEnrollCode(store: HubStore, o: { store: string; terminal: string; ttlMs?: number; now?: Date }): Promise<{ code: string; expiresAt: string }> {
  const now = o.now ?? new Date();
  const { code, codeHash } = generateEnrollCode();
  const expiresAt = new Date(now.getTime() + (o.ttlMs ?? DEFAULT_CODE_TTL_MS)).toISOString();
  await store.addEnrollCode(codeHash, { store: o.store, terminal: o.terminal, createdAt: now.toISOString(), expiresAt });
  return { code, expiresAt };
}

export async function redeemEnrollCode(store: HubStore, req: EnrollRequest, secrets: HubSecrets, now: Date = new Date()): Promise<EnrollResponse> {
  const token = randomBytes(32).toString('base64url');
  const terminalId = terminalIdOf(req.store, req.terminal);
  await store.transaction(async (tx) => {
    const code = await tx.takeEnrollCode(sha256Hex(normalizeCode(req.code)));
    if (!code) throw new TillError('unauthenticated', 'this enrollment code is unknown or was already used', { reason: 'unknown' });
    if (code.expiresAt <= now.toISOString()) throw new TillError('unauthenticated', `this enrollment code expired at ${code.expiresAt}`, { reason: 'expired' });
    if (code.store !== req.store || code.terminal !== req.terminal) {
      throw new TillError('forbidden', `this code is for ${terminalIdOf(code.store, code.terminal)}, but this ledger is ${terminalId}`, { reason: 'other-terminal' });
    }
    await tx.upsertTerminal({ id: terminalId, store: req.store, terminal: req.terminal, tokenHash: sha256Hex(token), enrolledAt: now.toISOString() });
  });
  return { terminalId, token, hubKey: secrets.publicKey, pinKey: toBase64(secrets.pinKey.secret) };
}
