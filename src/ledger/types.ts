/**
 * The ledger's public shape, fixed early so that selling, devices and sync
 * can be written against it. src/ledger/ledger.ts implements it.
 */
import type Database from 'better-sqlite3';
import type { JournalEntry } from '../shared/journal';
import type { PayloadOf } from '../shared/journal-events';

export type SqliteDb = Database.Database;

declare const READABLE: unique symbol;
declare const WRITABLE: unique symbol;
/**
 * The handle a reader gets (Signal Desktop's ReadableDB): the same connection,
 * typed so that code which only reads cannot hand it to code that writes.
 * Functions that query projections take a ReadableDb.
 */
export type ReadableDb = SqliteDb & { readonly [READABLE]: true };
/**
 * The handle a writer gets: inside the ledger's transaction (projectors,
 * append's alsoInTx, transaction's callback), never from `Ledger.db`.
 * Functions that change tables take a WritableDb.
 */
export type WritableDb = ReadableDb & { readonly [WRITABLE]: true };

export interface LedgerIdentity {
  store: string;
  terminal: string;
}

export interface LedgerHead {
  seq: number;
  hash: string;
}

/**
 * Applies one journal entry to the projection tables (sales, lines, tenders,
 * shifts, stock, ...). Runs inside the append's transaction; rebuilding the
 * projections replays the whole journal through the same projectors, so a
 * projector must depend only on the entry and the projection tables.
 */
export type Projector<P = unknown> = (db: WritableDb, entry: JournalEntry, payload: P) => void;

export interface OpenOptions {
  /** when the data directory has no ledger yet: create it with this identity */
  create?: LedgerIdentity;
  /** injected clock and id source (tests, simulations) */
  clock?: () => Date;
  newId?: () => string;
  /** path to a better-sqlite3 binary built for another ABI (Electron) */
  nativeBinding?: string;
  /** open for reading only (till verify, reports); takes no writer lock */
  readonly?: boolean;
  /** folder of NNNN_name.sql files; defaults to the repository's migrations/terminal */
  migrationsDir?: string;
}

/** A cart being rung up, saved on every change (not journaled). */
export interface OpenCart {
  cartId: string;
  /** whatever the selling code saved (canonical JSON round trip: integers only) */
  state: unknown;
  updatedAt: string;
}

export interface OpenCartStore {
  /** inserts or replaces; durable when it returns (joins an open transaction) */
  save(cartId: string, state: unknown): void;
  load(cartId: string): OpenCart | null;
  /** every open cart, oldest change first */
  list(): OpenCart[];
  clear(cartId: string): void;
}

export interface Ledger {
  readonly dir: string;
  readonly identity: LedgerIdentity;
  /** the handle readers use: projections and queries read through it; writes go through append/transaction */
  readonly db: ReadableDb;
  head(): LedgerHead;
  /**
   * Appends one entry (canonical JSON of payload) and runs the registered
   * projector for its type, plus `alsoInTx` if given, in one transaction.
   * A type of the journal's event map (src/shared/journal-events.ts) must
   * carry its payload ('internal' otherwise, and nothing is written).
   * Returns only after COMMIT, so a caller that hears "done" has it on disk.
   */
  append<T extends string>(type: T, payload: PayloadOf<T>, alsoInTx?: (db: WritableDb, entry: JournalEntry) => void): JournalEntry;
  /** several appends and writes atomically (nested appends join the outer transaction); fn gets the writable handle */
  transaction<T>(fn: (db: WritableDb) => T): T;
  /** entries with seq >= fromSeq, in order, at most limit */
  entries(fromSeq: number, limit: number): JournalEntry[];
  /** the projector of one entry type; it receives the payload parsed and checked against the type's schema */
  registerProjector<T extends string>(type: T, projector: Projector<PayloadOf<T>>): void;
  /**
   * Names tables as projections: rebuildProjections() empties them and replays
   * the journal into them. Declare them once per open, with their projectors.
   */
  declareProjectionTables(...tables: string[]): void;
  /** empties every declared projection table and replays the whole journal through the projectors, in one transaction */
  rebuildProjections(): void;
  /** the open carts of this terminal */
  readonly carts: OpenCartStore;
  /** receiptNumber(store, terminal, seq) for this terminal */
  receiptNumber(seq: number): string;
  /** true for a read-only open (no writer lock; append and the cart store refuse) */
  readonly isReadonly: boolean;
  close(): void;
}
