/**
 * The hub's migrations through the one runner (src/db/migrate.ts), on both
 * stores: one test per migration file (the schema before it, with rows, then
 * the migration, then the rows and the new schema checked), and the adoption
 * of the table the earlier hub runner kept (hub_migrations: file name and the
 * hash of the bytes as read): a store made by it opens with its rows intact,
 * its history moved to schema_migrations with the LF-normalised checksum,
 * also when it was recorded from a CRLF checkout; a changed file is refused.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, migratePostgres, migrationChecksum } from '../../src/db/migrate';
import { hubMigrationsDir } from '../../src/hub/store/migrations';
import { openSqliteStore, SQLITE_FILE } from '../../src/hub/store/sqlite-store';
import { openPostgresStore, parsePgUrl } from '../../src/hub/store/postgres-store';
import { TillError } from '../../src/shared/errors';
import { dropPgSchema, PG_BASE, tempDir } from './fixtures';

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const SQLITE = loadMigrations(hubMigrationsDir('sqlite'));
const POSTGRES = loadMigrations(hubMigrationsDir('postgres'));
const dirs: string[] = [];
const schemas: string[] = [];
afterAll(async () => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  for (const url of schemas) await dropPgSchema(url);
});

function sqliteDir(): string {
  const d = tempDir('hub-mig');
  dirs.push(d);
  return d;
}

async function pgSchema(): Promise<{ url: string; client: pg.Client }> {
  const url = `${PG_BASE}?schema=t_mig_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  schemas.push(url);
  const target = parsePgUrl(url);
  const client = new pg.Client({ connectionString: target.config.connectionString, options: `-c search_path=${target.schema}` });
  await client.connect();
  await client.query(`CREATE SCHEMA ${target.schema}`);
  return { url, client };
}

const TERMINAL = ['S1/T1', 'S1', 'T1', 'hash-of-token', '2026-01-01T00:00:00.000Z', 'a'.repeat(64)];

describe('hub migrations, one test per file', () => {
  it('has a case for every file of both dialects, with the same numbers', () => {
    expect(SQLITE.map((m) => m.version)).toEqual([1, 10, 40, 60]);
    expect(POSTGRES.map((m) => m.version)).toEqual([1, 10, 40, 60]);
  });

  it('0001_hub on SQLite: from an empty database to tables that take a terminal and its journal, append-only', () => {
    const db = new Database(':memory:');
    expect(migrate(db, SQLITE.slice(0, 1)).applied).toEqual([1]);
    db.prepare('INSERT INTO terminals (id, store, terminal, token_hash, enrolled_at, hwm_hash) VALUES (?, ?, ?, ?, ?, ?)').run(...TERMINAL);
    db.prepare("INSERT INTO journal VALUES ('S1/T1', 1, 'id', 'Genesis', 'at', '{}', 'p', 'h', 'r')").run();
    expect(() => db.prepare("UPDATE journal SET type = 'X'").run()).toThrow();
    expect(db.prepare('SELECT hwm_seq FROM terminals').pluck().get()).toBe(0);
    db.close();
  });

  const HISTORY = ['S001', '2026-02-27', '饮料', 123450, 210, 388.5, 'old.csv', 'batch-1', '2026-03-01T00:00:00.000Z'];

  it('0040_sales_history on SQLite: the terminals and journal kept, a day per store and category once, money in fen', () => {
    const db = new Database(':memory:');
    migrate(db, SQLITE.filter((m) => m.version < 40));
    db.prepare('INSERT INTO terminals (id, store, terminal, token_hash, enrolled_at, hwm_hash) VALUES (?, ?, ?, ?, ?, ?)').run(...TERMINAL);
    expect(migrate(db, SQLITE.filter((m) => m.version <= 40)).applied).toEqual([40]);
    expect(db.prepare('SELECT id FROM terminals').pluck().all()).toEqual(['S1/T1']);
    db.prepare('INSERT INTO sales_history VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(...HISTORY);
    expect(() => db.prepare('INSERT INTO sales_history VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(...HISTORY)).toThrow(/UNIQUE/);
    expect(() => db.prepare('INSERT INTO sales_history VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run('S001', '2026-02-28', '饮料', 1.5, null, null, 's', 'b', 'at')).toThrow(/INTEGER/);
    db.close();
  });

  it('0040_sales_history on PostgreSQL: the same, with the day as a date', async () => {
    const { client } = await pgSchema();
    try {
      await migratePostgres(client, POSTGRES.filter((m) => m.version < 40));
      await client.query('INSERT INTO terminals (id, store, terminal, token_hash, enrolled_at, hwm_hash) VALUES ($1, $2, $3, $4, $5, $6)', TERMINAL);
      expect((await migratePostgres(client, POSTGRES.filter((m) => m.version <= 40))).applied).toEqual([40]);
      expect((await client.query('SELECT id FROM terminals')).rows).toEqual([{ id: 'S1/T1' }]);
      await client.query('INSERT INTO sales_history VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', HISTORY);
      await expect(client.query('INSERT INTO sales_history VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', HISTORY)).rejects.toThrow(/duplicate key/);
      await expect(client.query('INSERT INTO sales_history VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', ['S001', '2026-02-30', 'x', 1, null, null, 's', 'b', 'at'])).rejects.toThrow(/date/);
      expect((await client.query("SELECT to_char(business_day, 'YYYY-MM-DD') AS d, net_sales FROM sales_history")).rows).toEqual([{ d: '2026-02-27', net_sales: 123450 }]);
    } finally {
      await client.end();
    }
  });

  it('0001_hub on PostgreSQL: from an empty schema to tables that take a terminal and its journal, append-only', async () => {
    const { client } = await pgSchema();
    try {
      expect((await migratePostgres(client, POSTGRES.slice(0, 1))).applied).toEqual([1]);
      await client.query('INSERT INTO terminals (id, store, terminal, token_hash, enrolled_at, hwm_hash) VALUES ($1, $2, $3, $4, $5, $6)', TERMINAL);
      await client.query("INSERT INTO journal VALUES ('S1/T1', 1, 'id', 'Genesis', 'at', '{}', 'p', 'h', 'r')");
      await expect(client.query("UPDATE journal SET type = 'X'")).rejects.toThrow(/append-only/);
      expect((await client.query('SELECT hwm_seq, (SELECT version FROM catalog_meta) AS catalog FROM terminals')).rows).toEqual([{ hwm_seq: 0, catalog: 0 }]);
    } finally {
      await client.end();
    }
  });
  const CODE = ['code-hash', 'S1', 'T2', '2026-01-01T00:00:00.000Z', '2999-01-01T00:00:00.000Z'];
  const USER = ['boss', 'hq-admin', '[]', '$argon2id$x', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'];

  it('0010_console on SQLite: a store with a terminal and a code gets the console tables, its rows kept, the audit log append-only', () => {
    const db = new Database(':memory:');
    migrate(db, SQLITE.slice(0, 1));
    db.prepare('INSERT INTO terminals (id, store, terminal, token_hash, enrolled_at, hwm_hash) VALUES (?, ?, ?, ?, ?, ?)').run(...TERMINAL);
    db.prepare('INSERT INTO enroll_codes (code_hash, store, terminal, created_at, expires_at) VALUES (?, ?, ?, ?, ?)').run(...CODE);
    expect(migrate(db, SQLITE.filter((m) => m.version <= 10)).applied).toEqual([10]);
    expect(db.prepare('SELECT id, connected_at, disconnected_at FROM terminals').all()).toEqual([{ id: 'S1/T1', connected_at: null, disconnected_at: null }]);
    expect(db.prepare('SELECT terminal, issued_by FROM enroll_codes').all()).toEqual([{ terminal: 'T2', issued_by: null }]);
    db.prepare('INSERT INTO hub_users (name, role, stores, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(...USER);
    expect(() => db.prepare("INSERT INTO hub_users (name, role, stores, password_hash, created_at, updated_at) VALUES ('x', 'boss', '[]', 'h', 'a', 'a')").run()).toThrow();
    db.prepare("INSERT INTO audit_log (at, actor, action, target) VALUES ('a', 'boss', 'user.add', 'user:boss')").run();
    expect(() => db.prepare("UPDATE audit_log SET actor = 'x'").run()).toThrow(/append-only/);
    db.close();
  });

  it('0010_console on PostgreSQL: a store with a terminal and a code gets the console tables, its rows kept, the audit log append-only', async () => {
    const { client } = await pgSchema();
    try {
      await migratePostgres(client, POSTGRES.slice(0, 1));
      await client.query('INSERT INTO terminals (id, store, terminal, token_hash, enrolled_at, hwm_hash) VALUES ($1, $2, $3, $4, $5, $6)', TERMINAL);
      await client.query('INSERT INTO enroll_codes (code_hash, store, terminal, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', CODE);
      expect((await migratePostgres(client, POSTGRES.filter((m) => m.version <= 10))).applied).toEqual([10]);
      expect((await client.query('SELECT id, connected_at, disconnected_at FROM terminals')).rows).toEqual([{ id: 'S1/T1', connected_at: null, disconnected_at: null }]);
      expect((await client.query('SELECT terminal, issued_by FROM enroll_codes')).rows).toEqual([{ terminal: 'T2', issued_by: null }]);
      await client.query('INSERT INTO hub_users (name, role, stores, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)', USER);
      await expect(client.query("INSERT INTO hub_users (name, role, stores, password_hash, created_at, updated_at) VALUES ('x', 'boss', '[]', 'h', 'a', 'a')")).rejects.toThrow(/check constraint/);
      await client.query("INSERT INTO audit_log (at, actor, action, target) VALUES ('a', 'boss', 'user.add', 'user:boss')");
      await expect(client.query("UPDATE audit_log SET actor = 'x'")).rejects.toThrow(/append-only/);
    } finally {
      await client.end();
    }
  });

  const ALERTS: Array<[string, string, string]> = [
    ['S1/T1', '2026-01-01T01:00:00.000Z', 'ledger-diverged'],
    ['S1/T1', '2026-01-01T02:00:00.000Z', 'ledger-diverged'],
    ['S1/T1', '2026-01-01T03:00:00.000Z', 'bad-hash'],
  ];
  /* two divergences of one terminal became one open alert: the older counts as cleared when the newer came */
  const AFTER_0060 = [
    { id: 1, state: 'cleared', last_seen: '2026-01-01T01:00:00.000Z', cleared_at: '2026-01-01T02:00:00.000Z' },
    { id: 2, state: 'open', last_seen: '2026-01-01T02:00:00.000Z', cleared_at: null },
    { id: 3, state: 'open', last_seen: '2026-01-01T03:00:00.000Z', cleared_at: null },
  ];

  it('0060_alert_state on SQLite: alerts get a state with one open per terminal and code, an outbox, and faults_since', () => {
    const db = new Database(':memory:');
    migrate(db, SQLITE.filter((m) => m.version < 60));
    db.prepare('INSERT INTO terminals (id, store, terminal, token_hash, enrolled_at, hwm_hash) VALUES (?, ?, ?, ?, ?, ?)').run(...TERMINAL);
    for (const [t, at, code] of ALERTS) db.prepare("INSERT INTO alerts (terminal_id, at, code, message, details) VALUES (?, ?, ?, 'm', '{}')").run(t, at, code);
    expect(migrate(db, SQLITE).applied).toEqual([60]);
    expect(db.prepare('SELECT id, state, last_seen, cleared_at FROM alerts ORDER BY id').all()).toEqual(AFTER_0060);
    expect(() => db.prepare("INSERT INTO alerts (terminal_id, at, code, message, details) VALUES ('S1/T1', 'a', 'bad-hash', 'm', '{}')").run()).toThrow(/UNIQUE/);
    db.prepare("INSERT INTO alerts (terminal_id, at, code, message, details, state) VALUES ('S1/T1', 'a', 'bad-hash', 'm', '{}', 'cleared')").run();
    db.prepare("INSERT INTO alert_notifications (alert_id, channel, event, next_at, created_at) VALUES (2, 'wecom', 'raised', 'a', 'a')").run();
    expect(() => db.prepare("INSERT INTO alert_notifications (alert_id, channel, event, next_at, created_at) VALUES (2, 'wecom', 'raised', 'b', 'b')").run()).toThrow(/UNIQUE/);
    expect(db.prepare('SELECT faults_since FROM terminals').pluck().get()).toBeNull();
    db.close();
  });

  it('0060_alert_state on PostgreSQL: alerts get a state with one open per terminal and code, an outbox, and faults_since', async () => {
    const { client } = await pgSchema();
    try {
      await migratePostgres(client, POSTGRES.filter((m) => m.version < 60));
      await client.query('INSERT INTO terminals (id, store, terminal, token_hash, enrolled_at, hwm_hash) VALUES ($1, $2, $3, $4, $5, $6)', TERMINAL);
      for (const [t, at, code] of ALERTS) await client.query("INSERT INTO alerts (terminal_id, at, code, message, details) VALUES ($1, $2, $3, 'm', '{}')", [t, at, code]);
      expect((await migratePostgres(client, POSTGRES)).applied).toEqual([60]);
      expect((await client.query('SELECT id::int AS id, state, last_seen, cleared_at FROM alerts ORDER BY id')).rows).toEqual(AFTER_0060);
      await expect(client.query("INSERT INTO alerts (terminal_id, at, code, message, details) VALUES ('S1/T1', 'a', 'bad-hash', 'm', '{}')")).rejects.toThrow(/unique/);
      await client.query("INSERT INTO alerts (terminal_id, at, code, message, details, state) VALUES ('S1/T1', 'a', 'bad-hash', 'm', '{}', 'cleared')");
      await client.query("INSERT INTO alert_notifications (alert_id, channel, event, next_at, created_at) VALUES (2, 'wecom', 'raised', 'a', 'a')");
      await expect(client.query("INSERT INTO alert_notifications (alert_id, channel, event, next_at, created_at) VALUES (2, 'wecom', 'raised', 'b', 'b')")).rejects.toThrow(/unique/);
      expect((await client.query('SELECT faults_since FROM terminals')).rows).toEqual([{ faults_since: null }]);
    } finally {
      await client.end();
    }
  });
});

/** a store as the earlier runner left it: the migrations applied, recorded in hub_migrations with `checksum` */
function legacySqlite(checksum: (sql: string) => string): string {
  const dir = sqliteDir();
  const db = new Database(path.join(dir, SQLITE_FILE));
  db.exec('CREATE TABLE hub_migrations (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT');
  for (const f of fs.readdirSync(hubMigrationsDir('sqlite')).sort()) {
    const sql = fs.readFileSync(path.join(hubMigrationsDir('sqlite'), f), 'utf8');
    db.exec(sql);
    db.prepare('INSERT INTO hub_migrations VALUES (?, ?, ?)').run(f, checksum(sql), '2026-01-01T00:00:00.000Z');
  }
  db.prepare('INSERT INTO terminals (id, store, terminal, token_hash, enrolled_at, hwm_hash) VALUES (?, ?, ?, ?, ?, ?)').run(...TERMINAL);
  db.close();
  return dir;
}

function history(dir: string): unknown {
  const db = new Database(path.join(dir, SQLITE_FILE), { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE name IN ('hub_migrations', 'schema_migrations')").pluck().all();
    return { tables, rows: tables.includes('schema_migrations') ? db.prepare('SELECT version, name, checksum, applied_at FROM schema_migrations').all() : [] };
  } finally {
    db.close();
  }
}

describe('a hub store made by the earlier runner', () => {
  const adopted = { tables: ['schema_migrations'], rows: SQLITE.map((m) => ({ version: m.version, name: m.name, checksum: migrationChecksum(m.sql), applied_at: '2026-01-01T00:00:00.000Z' })) };

  it('opens on SQLite with its rows, and its history moves to schema_migrations', async () => {
    const dir = legacySqlite(sha);
    const store = openSqliteStore(dir);
    expect((await store.terminal('S1/T1'))?.store).toBe('S1');
    await store.close();
    expect(history(dir)).toEqual(adopted);
  });

  it('opens on SQLite when the history was recorded from a checkout with CRLF line endings', async () => {
    const dir = legacySqlite((sql) => sha(sql.replace(/\r?\n/g, '\r\n')));
    const store = openSqliteStore(dir);
    await store.close();
    expect(history(dir)).toEqual(adopted);
  });

  it('refuses on SQLite a history whose recorded file was changed, and leaves the store as it was', () => {
    const dir = legacySqlite((sql) => sha(sql + '-- edited\n'));
    let err: unknown;
    try {
      openSqliteStore(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TillError);
    expect((err as TillError).code).toBe('ledger-migration-changed');
    expect(history(dir)).toEqual({ tables: ['hub_migrations'], rows: [] });
  });

  it('opens on PostgreSQL with its rows, and its history moves to schema_migrations', async () => {
    const { url, client } = await pgSchema();
    try {
      await client.query('CREATE TABLE hub_migrations (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)');
      for (const f of fs.readdirSync(hubMigrationsDir('postgres')).sort()) {
        const sql = fs.readFileSync(path.join(hubMigrationsDir('postgres'), f), 'utf8');
        await client.query(sql);
        await client.query('INSERT INTO hub_migrations VALUES ($1, $2, $3)', [f, sha(sql.replace(/\r?\n/g, '\r\n')), '2026-01-01T00:00:00.000Z']);
      }
      await client.query('INSERT INTO terminals (id, store, terminal, token_hash, enrolled_at, hwm_hash) VALUES ($1, $2, $3, $4, $5, $6)', TERMINAL);
      const store = await openPostgresStore(url);
      expect((await store.terminal('S1/T1'))?.terminal).toBe('T1');
      await store.close();
      expect((await client.query("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'hub_migrations'")).rows).toEqual([{ n: 0 }]);
      expect((await client.query('SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version')).rows).toEqual(
        POSTGRES.map((m) => ({ version: m.version, name: m.name, checksum: migrationChecksum(m.sql), applied_at: '2026-01-01T00:00:00.000Z' })),
      );
    } finally {
      await client.end();
    }
  });
});
