/**
 * Ingest of one pushed batch: the hub's half of the replication protocol.
 *
 * Outside the transaction (pure): the message parses, is within the limits,
 * its entries are contiguous among themselves, each prev_hash links to the
 * previous entry and each hash recomputes (SHA-256 over hashPreimage).
 * Inside ONE transaction, with the terminal's row locked: the token still owns
 * the terminal (a revoke takes effect on the next batch); entries at or below
 * the hub's hwm must carry the stored hash (else 'ledger-diverged', raised as
 * an alert); the first new entry must start at hwm+1 and link to the hwm's
 * hash; a Genesis entry must name the enrolled store and terminal. Then the
 * new entries are inserted ((terminal, seq) is the primary key) and the hwm
 * moves. Any refusal rolls the whole batch back: nothing is stored. A
 * refusal that means the journal cannot be trusted opens an alert (one per
 * terminal and code while it lasts; src/hub/ops/alerting.ts).
 */
import { hash as oneShotHash, timingSafeEqual } from 'node:crypto';
import { GENESIS_PREV_HASH, genesisPayloadSchema, hashPreimage, type JournalEntry } from '../shared/journal';
import { checkPushBatch, type BatchLimits, type Hwm, type PushAck, type Refusal, type SyncReason } from '../shared/replication';
import { raiseAlert } from './ops/alerting';
import type { HubStore, TerminalRow } from './store/types';

/**
 * 8 MiB holds any single valid entry (a payload of 1,000,000 characters,
 * UTF-8 and JSON-escaped) as well as a full batch of 1000 sales (~1 MB).
 */
export const DEFAULT_LIMITS: BatchLimits = { maxEntries: 1000, maxBytes: 8 * 1024 * 1024 };

/** reasons that mean the terminal's journal cannot be trusted: stored as an alert */
const ALERTING: ReadonlySet<SyncReason> = new Set(['ledger-diverged', 'bad-hash', 'broken-link', 'wrong-identity']);

export function sha256Hex(text: string): string {
  return oneShotHash('sha256', text, 'hex');
}

export function entryHash(e: Pick<JournalEntry, 'prevHash' | 'seq' | 'id' | 'type' | 'at' | 'payload'>): string {
  return sha256Hex(hashPreimage(e.prevHash, e.seq, e.id, e.type, e.at, e.payload));
}

export function tokenMatches(token: string, tokenHash: string): boolean {
  const a = Buffer.from(sha256Hex(token), 'hex');
  const b = Buffer.from(tokenHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

class Refused extends Error {
  constructor(
    readonly code: SyncReason,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly hwm?: Hwm,
  ) {
    super(message);
  }
  refusal(): Refusal {
    return { code: this.code, message: this.message };
  }
}

/** the checks that need no database: shape, limits, internal chain, hashes */
function checkBatch(raw: unknown, limits: BatchLimits): JournalEntry[] {
  const bytes = Buffer.byteLength(JSON.stringify(raw ?? null), 'utf8');
  if (bytes > limits.maxBytes) throw new Refused('too-large', `batch of ${bytes} bytes is over the limit of ${limits.maxBytes}`);
  if (raw !== null && typeof raw === 'object' && Array.isArray((raw as { entries?: unknown }).entries)) {
    const n = (raw as { entries: unknown[] }).entries.length;
    if (n > limits.maxEntries) throw new Refused('too-large', `batch of ${n} entries is over the limit of ${limits.maxEntries}`);
  }
  const parsed = checkPushBatch(raw);
  if (!parsed.ok) throw new Refused('malformed', `malformed batch: ${parsed.message}`);
  const entries = parsed.entries;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as JournalEntry;
    if (i > 0) {
      const p = entries[i - 1] as JournalEntry;
      if (e.seq !== p.seq + 1) throw new Refused('gap', `entries not contiguous: seq ${e.seq} follows ${p.seq}`, { seq: e.seq });
      if (e.prevHash !== p.hash) throw new Refused('broken-link', `entry ${e.seq} does not link to entry ${p.seq}`, { seq: e.seq });
    }
    if (e.seq === 1 && e.prevHash !== GENESIS_PREV_HASH) throw new Refused('broken-link', 'entry 1 must link to the genesis hash', { seq: 1 });
    if (entryHash(e) !== e.hash) throw new Refused('bad-hash', `entry ${e.seq}: its hash does not match its content`, { seq: e.seq });
  }
  return entries;
}

function checkGenesis(e: JournalEntry, t: TerminalRow): void {
  let raw: unknown;
  try {
    raw = JSON.parse(e.payload);
  } catch {
    throw new Refused('wrong-identity', 'the genesis entry does not parse', { seq: 1 });
  }
  const g = genesisPayloadSchema.safeParse(raw);
  if (e.type !== 'Genesis' || !g.success) throw new Refused('wrong-identity', `entry 1 is not a Genesis entry naming a store and a terminal, but this token is for ${t.id}`, { seq: 1 });
  const { store, terminal } = g.data;
  if (store !== t.store || terminal !== t.terminal) {
    throw new Refused('wrong-identity', `the journal's genesis names ${store}/${terminal}, but this token is for ${t.id}`, { seq: 1, store, terminal });
  }
}

export interface IngestContext {
  store: HubStore;
  terminalId: string;
  /** the terminal's store code, for the alert's webhooks */
  storeCode: string;
  token: string;
  limits: BatchLimits;
  now: () => Date;
  /** where a store failure's detail goes (the terminal hears only 'hub-unavailable') */
  log?: (line: string) => void;
}

/** the result of the checks that need no database, run as soon as a batch arrives */
export type Prechecked = { ok: true; entries: JournalEntry[] } | { ok: false; refused: Refused };

export function precheckBatch(raw: unknown, limits: BatchLimits): Prechecked {
  try {
    return { ok: true, entries: checkBatch(raw, limits) };
  } catch (e) {
    if (e instanceof Refused) return { ok: false, refused: e };
    throw e;
  }
}

/** the checks against the stored journal and the insert, in one transaction */
export async function commitBatch(ctx: IngestContext, pre: Prechecked): Promise<PushAck> {
  const { store, terminalId } = ctx;
  try {
    if (!pre.ok) throw pre.refused;
    const entries = pre.entries;
    const first = entries[0] as JournalEntry;
    const last = entries[entries.length - 1] as JournalEntry;
    return await store.transaction(async (tx) => {
      const t = await tx.terminalForUpdate(terminalId);
      if (!t || !tokenMatches(ctx.token, t.tokenHash)) throw new Refused('unauthenticated', 'this token does not own the terminal');
      if (t.revokedAt !== null) throw new Refused('revoked', `terminal ${terminalId} was revoked at ${t.revokedAt}`);
      const hwm = t.hwm;
      if (first.seq > hwm.seq + 1) throw new Refused('gap', `batch starts at ${first.seq} but the hub has up to ${hwm.seq}`, { seq: first.seq }, hwm);
      if (first.seq <= hwm.seq) {
        const stored = await tx.storedHashes(terminalId, first.seq, Math.min(last.seq, hwm.seq));
        for (const s of stored) {
          const mine = entries[s.seq - first.seq] as JournalEntry;
          if (mine.hash !== s.hash) {
            throw new Refused('ledger-diverged', `entry ${s.seq} differs from the hub's copy`, { seq: s.seq, hubHash: s.hash, terminalHash: mine.hash }, hwm);
          }
        }
        if (stored.length !== Math.min(last.seq, hwm.seq) - first.seq + 1) throw new Error(`hub journal of ${terminalId} has a hole below its hwm ${hwm.seq}`);
      }
      const fresh = entries.filter((e) => e.seq > hwm.seq);
      if (fresh.length === 0) throw new Refused('replayed', `entries ${first.seq}..${last.seq} are already stored`, {}, hwm);
      const head = fresh[0] as JournalEntry;
      const link = hwm.seq === 0 ? GENESIS_PREV_HASH : hwm.hash;
      if (head.prevHash !== link) {
        throw new Refused('ledger-diverged', `entry ${head.seq} does not link to the hub's entry ${hwm.seq}`, { seq: head.seq, hubHash: link, terminalPrevHash: head.prevHash }, hwm);
      }
      if (head.seq === 1) checkGenesis(head, t);
      const tail = fresh[fresh.length - 1] as JournalEntry;
      await tx.insertEntries(terminalId, fresh, ctx.now().toISOString());
      const next = { seq: tail.seq, hash: tail.hash };
      await tx.setHwm(terminalId, next);
      return { ok: true as const, hwm: next, stored: fresh.length };
    });
  } catch (e) {
    if (!(e instanceof Refused)) {
      ctx.log?.(`terminal ${terminalId}: storing a batch failed: ${e instanceof Error ? e.message : String(e)}`);
      return { ok: false, error: { code: 'hub-unavailable', message: 'the hub could not store the batch: try again shortly' } };
    }
    if (ALERTING.has(e.code)) {
      await raiseAlert(store, ctx.storeCode, { terminalId, at: ctx.now().toISOString(), code: e.code, message: e.message, details: e.details }).catch((err: unknown) =>
        ctx.log?.(`terminal ${terminalId}: recording the ${e.code} alert failed: ${err instanceof Error ? err.message : String(err)}`),
      );
    }
    return e.hwm === undefined ? { ok: false, error: e.refusal() } : { ok: false, error: e.refusal(), hwm: e.hwm };
  }
}
