/**
 * The terminal's ledger: one SQLite file per data directory, one writer
 * process (ledger.lock), migrations applied on open, and an append-only
 * hash-chained journal (see chain.ts) whose entries are written together with
 * the projections they touch in one transaction. append() returns only after
 * COMMIT (WAL, synchronous=FULL), so whoever hears "done" has it on disk.
 *
 * The head (seq, hash) is read from the table inside each transaction rather
 * than cached, so a rolled-back append (disk full, a projector throwing)
 * leaves nothing behind in memory either.
 */
import fs from 'node:fs';
import path from 'node:path';
import { canonicalJson } from '../shared/canonical-json';
import { TillError } from '../shared/errors';
import { GENESIS_PREV_HASH, genesisPayloadSchema, receiptNumber, type GenesisPayload, type JournalEntry } from '../shared/journal';
import { checkJournalPayload, isJournalEventType, readJournalPayload, type PayloadOf } from '../shared/journal-events';
import { attachCarts, createCartStore } from './cart-store';
import { entryHash } from './chain';
import { fsyncDir, fsyncFile } from './fsync';
import { monotonicUlids } from './ids';
import { ledgerFile, locateLedger, makePrivateFile, openSqlite, tightenDataDir } from './files';
import { checkIdentity } from './identity';
import { toLedgerError } from './io-errors';
import { checkMigrations, loadMigrations, migrate, type Migration } from '../db/migrate';
import type { Ledger, LedgerHead, LedgerIdentity, OpenCartStore, OpenOptions, Projector, ReadableDb, SqliteDb, WritableDb } from './types';
import { GENESIS_TYPE } from './walk';
import { acquireWriterLock, type WriterLock } from './writer-lock';

/** The repository's migrations/terminal (the Electron build passes migrationsDir instead). */
export const DEFAULT_MIGRATIONS_DIR = path.resolve(__dirname, '../../migrations/terminal');

const ENTRY_COLUMNS = 'seq, id, type, at, payload, prev_hash AS prevHash, hash';
const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** The identity bound by the genesis entry: null when there is no entry 1, 'ledger-corrupt' when entry 1 is not a valid Genesis. */
export function readIdentity(db: SqliteDb, file: string): LedgerIdentity | null {
  const row = db.prepare(`SELECT ${ENTRY_COLUMNS} FROM journal WHERE seq = 1`).get() as JournalEntry | undefined;
  if (!row) return null;
  let payload: GenesisPayload | null = null;
  try {
    payload = row.type === GENESIS_TYPE ? (genesisPayloadSchema.safeParse(JSON.parse(row.payload)).data ?? null) : null;
  } catch {
    payload = null;
  }
  if (!payload) {
    throw new TillError('ledger-corrupt', `${file} has no valid genesis entry (seq 1); run 'till verify' and restore the newest good backup`);
  }
  return { store: payload.store, terminal: payload.terminal };
}

class SqliteLedger implements Ledger {
  readonly carts: OpenCartStore;
  private readonly projectors = new Map<string, Projector>();
  private readonly projectionTables: string[] = [];
  private readonly headStmt;
  private readonly insertStmt;
  private readonly entriesStmt;
  private readonly beginStmt;
  private readonly commitStmt;
  private readonly rollbackStmt;
  private readonly newId: (ms: number) => string;
  private closed = false;
  private bound: LedgerIdentity | null = null;

  /** the connection, typed for writing: handed only to projectors, alsoInTx and transaction callbacks */
  private readonly writer: WritableDb;

  constructor(
    readonly dir: string,
    db: SqliteDb,
    readonly isReadonly: boolean,
    private readonly lock: WriterLock | null,
    private readonly clock: () => Date,
    newId: (() => string) | undefined,
    withCarts: boolean,
  ) {
    // the one place the connection gets its handle types
    this.writer = db as WritableDb;
    const mono = monotonicUlids();
    this.newId = newId ? () => newId() : (ms) => mono(ms);
    this.headStmt = db.prepare('SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1');
    this.insertStmt = db.prepare('INSERT INTO journal (seq, id, type, at, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.entriesStmt = db.prepare(`SELECT ${ENTRY_COLUMNS} FROM journal WHERE seq >= ? ORDER BY seq LIMIT ?`);
    this.beginStmt = db.prepare('BEGIN IMMEDIATE');
    this.commitStmt = db.prepare('COMMIT');
    this.rollbackStmt = db.prepare('ROLLBACK');
    const attached = withCarts && attachCarts(db, dir, isReadonly);
    this.carts = createCartStore(db, attached, {
      clock,
      guard: () => this.writable('save an open cart'),
      run: (fn) => this.transaction(fn),
    });
  }

  get db(): ReadableDb {
    return this.writer;
  }

  get identity(): LedgerIdentity {
    if (!this.bound) throw new TillError('internal', 'the ledger has no identity yet');
    return this.bound;
  }

  /** Set once by openLedger, from the genesis entry. */
  bindIdentity(identity: LedgerIdentity): void {
    this.bound = { ...identity };
  }

  head(): LedgerHead {
    const row = this.headStmt.get() as LedgerHead | undefined;
    return row ? { seq: row.seq, hash: row.hash } : { seq: 0, hash: GENESIS_PREV_HASH };
  }

  receiptNumber(seq: number): string {
    return receiptNumber(this.identity.store, this.identity.terminal, seq);
  }

  append<T extends string>(type: T, payload: PayloadOf<T>, alsoInTx?: (db: WritableDb, entry: JournalEntry) => void): JournalEntry {
    if (type === GENESIS_TYPE) throw new TillError('bad-input', `'${GENESIS_TYPE}' entries are written only when a ledger is created`);
    return this.appendAny(type, payload, alsoInTx);
  }

  /** append() without the Genesis guard: used once per ledger, by createLedgerFile. */
  appendAny(type: string, payload: unknown, alsoInTx?: (db: WritableDb, entry: JournalEntry) => void): JournalEntry {
    this.writable('append to the journal');
    if (typeof type !== 'string' || type.length < 1 || type.length > 64) throw new TillError('bad-input', `a journal entry type must be 1 to 64 characters (got '${String(type)}')`);
    let text: string;
    try {
      text = canonicalJson(payload);
    } catch (e) {
      throw new TillError('bad-input', `the ${type} entry cannot be journaled: ${e instanceof Error ? e.message : String(e)}`);
    }
    // what is stored is checked, so a reader of the entry gets what its type promises
    let parsed: unknown;
    if (isJournalEventType(type)) {
      const checked = checkJournalPayload(type, JSON.parse(text));
      if (!checked.ok) throw new TillError('internal', `the ${type} entry does not have the shape of its type (${checked.issue}); nothing was recorded`);
      parsed = checked.value;
    }
    return this.transaction(() => {
      const head = this.head();
      const seq = head.seq + 1;
      const now = this.clock();
      const at = now.toISOString();
      const id = this.newId(now.getTime());
      if (!ULID.test(id)) throw new TillError('internal', `the id source returned '${id}', which is not a ULID`);
      const hash = entryHash(head.hash, seq, id, type, at, text);
      this.insertStmt.run(seq, id, type, at, text, head.hash, hash);
      const entry: JournalEntry = { seq, id, type, at, payload: text, prevHash: head.hash, hash };
      const projector = this.projectors.get(type);
      if (projector) projector(this.writer, entry, parsed === undefined ? JSON.parse(text) : parsed);
      alsoInTx?.(this.writer, entry);
      return entry;
    });
  }

  /**
   * fn in one BEGIN IMMEDIATE ... COMMIT (rolled back if it throws); inside
   * an open transaction, in a savepoint. The outermost level runs prepared
   * BEGIN/COMMIT statements rather than building a better-sqlite3
   * transaction function per call, which costs more than the statements.
   */
  transaction<T>(fn: (db: WritableDb) => T): T {
    const db = this.writer;
    if (db.inTransaction) return db.transaction(() => fn(db))();
    try {
      this.beginStmt.run();
      const result = fn(db);
      this.commitStmt.run();
      return result;
    } catch (e) {
      if (this.writer.inTransaction) this.rollbackStmt.run();
      throw toLedgerError(e, this.dir, 'nothing was recorded');
    }
  }

  entries(fromSeq: number, limit: number): JournalEntry[] {
    return this.entriesStmt.all(fromSeq, limit) as JournalEntry[];
  }

  registerProjector<T extends string>(type: T, projector: Projector<PayloadOf<T>>): void {
    if (this.projectors.has(type)) throw new TillError('internal', `a projector for '${type}' is already registered`);
    // stored untyped: append and rebuild hand each projector a payload checked against its own type
    this.projectors.set(type, projector as Projector);
  }

  declareProjectionTables(...tables: string[]): void {
    for (const t of tables) {
      if (!TABLE_NAME.test(t)) throw new TillError('internal', `'${t}' is not a table name`);
      if (t === 'journal' || t === 'open_carts' || t === 'schema_migrations') throw new TillError('internal', `'${t}' is not a projection and is never emptied`);
      if (!this.projectionTables.includes(t)) this.projectionTables.push(t);
    }
  }

  rebuildProjections(): void {
    this.writable('rebuild the projections');
    const missing = this.projectionTables.filter((t) => !this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(t));
    if (missing.length) throw new TillError('internal', `projection table(s) ${missing.join(', ')} do not exist; add them with a migration`);
    const batch = 1000;
    this.transaction((db) => {
      db.pragma('defer_foreign_keys = ON');
      for (const t of this.projectionTables) db.prepare(`DELETE FROM "${t}"`).run();
      for (let from = 1; ; ) {
        const rows = this.entries(from, batch);
        for (const entry of rows) {
          const projector = this.projectors.get(entry.type);
          if (projector) projector(db, entry, readJournalPayload(entry.type, entry.payload));
        }
        if (rows.length < batch) break;
        from = (rows[rows.length - 1] as JournalEntry).seq + 1;
      }
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.writer.close();
    } finally {
      this.lock?.release();
    }
  }

  private writable(what: string): void {
    if (this.isReadonly) throw new TillError('internal', `cannot ${what}: the ledger was opened read-only`);
  }
}

/**
 * Creates a ledger atomically: migrations and genesis are written into
 * ledger.db.creating, which is fsynced and renamed to ledger.db, so a crash
 * during creation never leaves a ledger without its genesis entry.
 */
function createLedgerFile(where: { dir: string; file: string }, identity: LedgerIdentity, migrations: Migration[], opts: OpenOptions, clock: () => Date): void {
  const tmp = `${where.file}.creating`;
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
  makePrivateFile(tmp);
  const db = openSqlite(tmp, { readonly: false, ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}) });
  try {
    migrate(db, migrations, { what: where.file, now: clock });
    const ledger = new SqliteLedger(where.dir, db, false, null, clock, opts.newId, false);
    const genesis: GenesisPayload = {
      store: identity.store,
      terminal: identity.terminal,
      createdAt: clock().toISOString(),
      schema: migrations.reduce((n, m) => Math.max(n, m.version), 0),
    };
    ledger.appendAny(GENESIS_TYPE, genesis);
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  fsyncFile(tmp);
  fs.renameSync(tmp, where.file);
  fsyncDir(where.dir);
}

/**
 * Opens the ledger in `dir` (the writer, holding ledger.lock, unless
 * opts.readonly). With opts.create a missing ledger is created with that
 * identity and an existing one must carry the same identity.
 */
export function openLedger(dir: string, opts: OpenOptions = {}): Ledger {
  const create = opts.create ? checkIdentity(opts.create) : null;
  if (create && opts.readonly) throw new TillError('internal', 'a ledger cannot be created by a read-only open');
  const where = locateLedger(dir, create !== null);
  const lock = opts.readonly ? null : acquireWriterLock(where.dir);
  const clock = opts.clock ?? (() => new Date());
  let db: SqliteDb | null = null;
  try {
    if (!opts.readonly) tightenDataDir(where.dir);
    const migrations = loadMigrations(opts.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);
    if (create && !where.exists) createLedgerFile(where, create, migrations, opts, clock);
    db = openSqlite(where.file, { readonly: opts.readonly === true, ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}) });
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    if (!tables.includes('journal')) throw new TillError('ledger-corrupt', `${where.file} is not a Till ledger (no journal table); check the path`);
    if (opts.readonly) checkMigrations(db, migrations, where.file);
    else migrate(db, migrations, { what: where.file, now: clock });
    const identity = readIdentity(db, where.file);
    if (!identity) throw new TillError('ledger-corrupt', `${where.file} has no genesis entry; run 'till verify' and restore the newest good backup`);
    if (create && (identity.store !== create.store || identity.terminal !== create.terminal)) {
      throw new TillError(
        'conflict',
        `${where.dir} holds the ledger of store ${identity.store} terminal ${identity.terminal}, not store ${create.store} terminal ${create.terminal}`,
      );
    }
    const ledger = new SqliteLedger(where.dir, db, opts.readonly === true, lock, clock, opts.newId, true);
    ledger.bindIdentity(identity);
    return ledger;
  } catch (e) {
    try {
      db?.close();
    } finally {
      lock?.release();
    }
    throw toLedgerError(e, ledgerFile(where.dir), 'the ledger could not be opened');
  }
}
