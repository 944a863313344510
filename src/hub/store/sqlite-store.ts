/**
 * The hub store on one SQLite file (WAL, synchronous=FULL). better-sqlite3 is
 * synchronous, so a transaction() runs its async callback under a FIFO lock:
 * the callback's awaits resolve without I/O and no other transaction can
 * interleave with BEGIN IMMEDIATE ... COMMIT.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { JournalEntry } from '../../shared/journal';
import type { CatalogChange } from '../../shared/replication';
import type { CatalogChanges } from './types';
import { migrate } from '../../db/migrate';
import { hubMigrationsDir } from './migrations';
import { consoleStore, consoleTx, hubItself } from './console-store';
import { putSalesHistory, readSalesHistory } from './history-store';
import { alertStore, alertTx } from './alert-store';
import { sqliteSql } from './sql';
import { alertFromRow, terminalFromRow, type AlertDbRow, type TerminalDbRow } from './rows';
import type { EnrollCodeRow, HubStore, JournalStats, StoreTx } from './types';

export { alertFromRow, terminalFromRow } from './rows';

interface EntryDbRow {
  seq: number;
  id: string;
  type: string;
  at: string;
  payload: string;
  prev_hash: string;
  hash: string;
}

export function entryFromRow(r: EntryDbRow): JournalEntry {
  return { seq: Number(r.seq), id: r.id, type: r.type, at: r.at, payload: r.payload, prevHash: r.prev_hash, hash: r.hash };
}

export const SQLITE_FILE = 'hub.sqlite';

/** the hub's folder is 0700 and its database 0600 (SQLite gives -wal and -shm the database file's mode) */
export function privateHubFile(dir: string, file: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  const p = path.join(dir, file);
  fs.closeSync(fs.openSync(p, 'a', 0o600));
  fs.chmodSync(p, 0o600);
  for (const side of [`${p}-wal`, `${p}-shm`]) if (fs.existsSync(side)) fs.chmodSync(side, 0o600);
  return p;
}

export function openSqliteStore(dir: string): HubStore {
  const db = new Database(privateHubFile(dir, SQLITE_FILE));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, hubMigrationsDir('sqlite'), { what: 'the hub database' });

  const st = {
    terminal: db.prepare<[string], TerminalDbRow>('SELECT * FROM terminals WHERE id = ?'),
    hashes: db.prepare<[string, number, number], { seq: number; hash: string }>('SELECT seq, hash FROM journal WHERE terminal_id = ? AND seq BETWEEN ? AND ? ORDER BY seq'),
    insert: db.prepare('INSERT INTO journal (terminal_id, seq, id, type, at, payload, prev_hash, hash, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    setHwm: db.prepare('UPDATE terminals SET hwm_seq = ?, hwm_hash = ? WHERE id = ?'),
    takeCode: db.prepare<[string], EnrollCodeRow>('DELETE FROM enroll_codes WHERE code_hash = ? RETURNING store, terminal, expires_at AS expiresAt'),
    upsertTerminal: db.prepare(
      `INSERT INTO terminals (id, store, terminal, token_hash, enrolled_at, hwm_seq, hwm_hash) VALUES (?, ?, ?, ?, ?, 0, ?)
       ON CONFLICT (id) DO UPDATE SET token_hash = excluded.token_hash, enrolled_at = excluded.enrolled_at, revoked_at = NULL`,
    ),
    entries: db.prepare<[string, number, number], EntryDbRow>('SELECT seq, id, type, at, payload, prev_hash, hash FROM journal WHERE terminal_id = ? AND seq >= ? ORDER BY seq LIMIT ?'),
  };

  const sql = sqliteSql(db);
  const tx: StoreTx = {
    ...consoleTx(sql),
    ...alertTx(sql),
    terminalForUpdate: async (id) => {
      const r = st.terminal.get(id);
      return r ? terminalFromRow(r) : null;
    },
    storedHashes: async (id, from, to) => st.hashes.all(id, from, to),
    insertEntries: async (id, entries, receivedAt) => {
      for (const e of entries) st.insert.run(id, e.seq, e.id, e.type, e.at, e.payload, e.prevHash, e.hash, receivedAt);
    },
    setHwm: async (id, hwm) => void st.setHwm.run(hwm.seq, hwm.hash, id),
    takeEnrollCode: async (codeHash) => st.takeCode.get(codeHash) ?? null,
    upsertTerminal: async (r) => void st.upsertTerminal.run(r.id, r.store, r.terminal, r.tokenHash, r.enrolledAt, '0'.repeat(64)),
  };

  let queue: Promise<unknown> = Promise.resolve();
  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  }

  const transaction = <T>(fn: (t: StoreTx) => Promise<T>): Promise<T> =>
    serial(async () => {
      db.exec('BEGIN IMMEDIATE');
      try {
        const out = await fn(tx);
        db.exec('COMMIT');
        return out;
      } catch (e) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw e;
      }
    });

  return {
    ...consoleStore(sql, serial),
    ...alertStore(sql, serial),
    kind: 'sqlite',
    transaction,
    addEnrollCode: (codeHash, r) => serial(async () =>
      void db.prepare('INSERT INTO enroll_codes (code_hash, store, terminal, created_at, expires_at) VALUES (?, ?, ?, ?, ?)').run(codeHash, r.store, r.terminal, r.createdAt, r.expiresAt)),
    terminal: async (id) => {
      const r = st.terminal.get(id);
      return r ? terminalFromRow(r) : null;
    },
    terminals: async () => db.prepare<[], TerminalDbRow>('SELECT * FROM terminals ORDER BY id').all().map(terminalFromRow),
    revoke: (id, at) => serial(async () => db.prepare('UPDATE terminals SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id).changes > 0),
    saveStatus: (id, report, at, faultsSince) =>
      serial(async () => void db.prepare('UPDATE terminals SET status = ?, status_at = ?, last_seen = ?, faults_since = ? WHERE id = ?').run(JSON.stringify(report), at, at, JSON.stringify(faultsSince), id)),
    alerts: async (terminalId) => {
      const rows = terminalId === undefined
        ? db.prepare<[], AlertDbRow>('SELECT * FROM alerts ORDER BY id').all()
        : db.prepare<[string], AlertDbRow>('SELECT * FROM alerts WHERE terminal_id = ? ORDER BY id').all(terminalId);
      return rows.map(alertFromRow);
    },
    entries: async (id, fromSeq, limit) => st.entries.all(id, fromSeq, limit).map(entryFromRow),
    journalStats: async (id) => {
      const r = db.prepare<[string], { n: number; lo: number | null; hi: number | null }>('SELECT count(*) AS n, min(seq) AS lo, max(seq) AS hi FROM journal WHERE terminal_id = ?').get(id);
      const last = db.prepare<[string], { hash: string }>('SELECT hash FROM journal WHERE terminal_id = ? ORDER BY seq DESC LIMIT 1').get(id);
      return { count: r?.n ?? 0, minSeq: r?.lo ?? 0, maxSeq: r?.hi ?? 0, lastHash: last?.hash ?? null } satisfies JournalStats;
    },
    catalogVersion: async () => (db.prepare<[], { version: number }>('SELECT version FROM catalog_meta WHERE id = 1').get()?.version ?? 0),
    changeCatalog: (changes: CatalogChange[], by = hubItself()) => transaction((t) => t.writeCatalog(changes, by)),
    catalogDelta: async (since) => {
      const to = (db.prepare<[], { version: number }>('SELECT version FROM catalog_meta WHERE id = 1').get() as { version: number }).version;
      const rows = db.prepare<[number, number], CatalogDbRow>('SELECT kind, key, data FROM catalog_items WHERE version > ? AND version <= ? ORDER BY version, kind, key').all(since, to);
      return { fromVersion: since, toVersion: to, changes: rows.map(catalogFromRow) } satisfies CatalogChanges;
    },
    catalogItems: async (kind) =>
      db.prepare<[string], CatalogDbRow>('SELECT kind, key, data FROM catalog_items WHERE kind = ? AND data IS NOT NULL ORDER BY key').all(kind).map(catalogFromRow),
    importSalesHistory: (rows) => transaction(() => putSalesHistory(sql, rows)),
    salesHistory: (q) => readSalesHistory(sql, q),
    close: async () => {
      await queue;
      db.close();
    },
  };
}

interface CatalogDbRow {
  kind: string;
  key: string;
  data: string | null;
}

export function catalogFromRow(r: CatalogDbRow): CatalogChange {
  return { kind: r.kind as CatalogChange['kind'], key: r.key, data: r.data === null ? null : (JSON.parse(r.data) as Record<string, unknown>) };
}


