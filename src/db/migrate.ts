/**
 * The one migration runner of Till: forward-only SQL migrations for the
 * terminal's ledger (SQLite) and the hub's store (SQLite or PostgreSQL).
 *
 * Files are named NNNN_name.sql and applied in number order, each recorded in
 * schema_migrations (version, name, SHA-256 of the file with line endings
 * normalised to LF, time), so a checkout with CRLF line endings is the same
 * migration. Before anything is applied the recorded history is checked
 * against the folder:
 * - a recorded version newer than every file here: the database was written
 *   by a newer Till -> 'ledger-newer';
 * - a recorded checksum that differs from the file, or a recorded version
 *   whose file is gone -> 'ledger-migration-changed'.
 * On SQLite each migration runs in its own transaction with its row; on
 * PostgreSQL all pending ones run in one transaction under an advisory lock,
 * so hub processes starting together apply them once.
 *
 * Hub stores made before this runner recorded hub_migrations (file name, hash
 * of the file's bytes as read). That table is adopted once: each row must
 * match its file with LF or CRLF line endings, and becomes a schema_migrations
 * row with the normalised checksum, in the same transaction as the migrations
 * still pending.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TillError } from '../shared/errors';
import type Database from 'better-sqlite3';

type SqliteDb = Database.Database;

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationReport {
  /** versions applied by this call, in order */
  applied: number[];
  /** the newest version now recorded (0 for an empty database) */
  current: number;
}

const FILE = /^(\d{4})_([a-z0-9_-]+)\.sql$/;
/** the table the hub's earlier runner kept (name = file name, checksum of the bytes as read) */
export const LEGACY_HUB_TABLE = 'hub_migrations';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export function migrationChecksum(sql: string): string {
  return sha256(sql.replace(/\r\n/g, '\n'));
}

/** Reads NNNN_name.sql files from `folder`, sorted by number; refuses duplicates. */
export function loadMigrations(folder: string): Migration[] {
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch (e) {
    throw new TillError('internal', `migrations folder ${folder} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}); the installation is incomplete`);
  }
  const out: Migration[] = [];
  for (const file of names.sort()) {
    const m = FILE.exec(file);
    if (!m) continue;
    const version = Number(m[1]);
    const prev = out[out.length - 1];
    if (prev && prev.version === version) {
      throw new TillError('internal', `two migrations share number ${m[1]} in ${folder} (${prev.name}, ${m[2]})`);
    }
    const sql = fs.readFileSync(path.join(folder, file), 'utf8');
    out.push({ version, name: m[2] as string, sql, checksum: migrationChecksum(sql) });
  }
  return out;
}

export interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

/** a row of the legacy hub table */
export interface LegacyRow {
  name: string;
  checksum: string;
}

const pad = (v: number) => String(v).padStart(4, '0');

function ensureTable(db: SqliteDb): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    checksum   TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
}

const hasTable = (db: SqliteDb, name: string) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;

function appliedRows(db: SqliteDb): AppliedRow[] {
  if (!hasTable(db, 'schema_migrations')) return [];
  return db.prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version').all() as AppliedRow[];
}

function legacyRows(db: SqliteDb): LegacyRow[] {
  if (!hasTable(db, LEGACY_HUB_TABLE)) return [];
  return db.prepare(`SELECT name, checksum FROM ${LEGACY_HUB_TABLE} ORDER BY name`).all() as LegacyRow[];
}

/**
 * Checks the recorded history against `migrations` without changing anything.
 * Returns the migrations still to apply.
 */
export function checkMigrations(db: SqliteDb, migrations: Migration[], what = 'this database'): Migration[] {
  return pendingMigrations(migrations, [...adoptLegacy(legacyRows(db), migrations, what), ...appliedRows(db)], what);
}

/**
 * The legacy hub rows as schema_migrations rows: each must name a migration
 * here and carry the hash of its file with LF or CRLF line endings.
 */
export function adoptLegacy(rows: readonly LegacyRow[], migrations: Migration[], what: string): AppliedRow[] {
  return rows.map((r) => {
    const m = FILE.exec(r.name);
    const migration = m ? migrations.find((x) => x.version === Number(m[1])) : undefined;
    if (!m || !migration) {
      throw new TillError('ledger-newer', `${what} has migration ${r.name}, which this version of Till does not know: upgrade Till`, { version: m ? Number(m[1]) : 0 });
    }
    const lf = migration.sql.replace(/\r\n/g, '\n');
    if (r.checksum !== sha256(lf) && r.checksum !== sha256(lf.replace(/\n/g, '\r\n'))) {
      throw new TillError('ledger-migration-changed', `migration ${r.name} was changed after it was applied to ${what}; released migrations must never be edited`, { version: migration.version });
    }
    return { version: migration.version, name: migration.name, checksum: migration.checksum };
  });
}

/** What is still to apply, given the recorded rows; throws when the history does not fit the folder. */
export function pendingMigrations(migrations: Migration[], applied: readonly AppliedRow[], what = 'this database'): Migration[] {
  const known = new Map(migrations.map((m) => [m.version, m]));
  const newestKnown = migrations.reduce((n, m) => Math.max(n, m.version), 0);
  const newestApplied = applied.reduce((n, r) => Math.max(n, r.version), 0);
  if (newestApplied > newestKnown) {
    throw new TillError(
      'ledger-newer',
      `${what} was written by a newer version of Till (migration ${pad(newestApplied)}, this version knows up to ${pad(newestKnown)}); install that version or newer, do not use this one on it`,
      { newestApplied, newestKnown },
    );
  }
  for (const row of applied) {
    const m = known.get(row.version);
    if (!m) {
      throw new TillError(
        'ledger-migration-changed',
        `${what} has migration ${pad(row.version)}_${row.name} applied, which this version of Till does not have; reinstall the version that created it`,
        { version: row.version },
      );
    }
    if (m.checksum !== row.checksum) {
      throw new TillError(
        'ledger-migration-changed',
        `migration ${pad(row.version)}_${row.name} was changed after it was applied to ${what}; released migrations must never be edited: restore the original file and add a new migration instead`,
        { version: row.version, recorded: row.checksum, file: m.checksum },
      );
    }
  }
  const done = new Set(applied.map((r) => r.version));
  return migrations.filter((m) => !done.has(m.version));
}

/** Applies every pending migration of `folder` (or the given list) to a SQLite database, each in its own transaction. */
export function migrate(db: SqliteDb, source: string | Migration[], opts: { what?: string; now?: () => Date } = {}): MigrationReport {
  const migrations = typeof source === 'string' ? loadMigrations(source) : source;
  const pending = checkMigrations(db, migrations, opts.what);
  const now = opts.now ?? (() => new Date());
  if (hasTable(db, LEGACY_HUB_TABLE)) {
    const legacy = legacyRows(db);
    const adopted = adoptLegacy(legacy, migrations, opts.what ?? 'this database');
    db.transaction(() => {
      ensureTable(db);
      const keep = db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) SELECT ?, ?, ?, applied_at FROM hub_migrations WHERE name = ?');
      for (const [i, r] of adopted.entries()) keep.run(r.version, r.name, r.checksum, (legacy[i] as LegacyRow).name);
      db.exec(`DROP TABLE ${LEGACY_HUB_TABLE}`);
    }).immediate();
  }
  ensureTable(db);
  const record = db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)');
  const applied: number[] = [];
  for (const m of pending) {
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, m.checksum, now().toISOString());
    }).immediate();
    applied.push(m.version);
  }
  return { applied, current: appliedRows(db).reduce((n, r) => Math.max(n, r.version), 0) };
}

/** What the PostgreSQL runner needs of a client (pg's PoolClient has it); it holds one connection. */
export interface SqlClient {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

const PG_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  checksum   TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`;

/**
 * Applies every pending migration of `folder` (or the given list) to the
 * PostgreSQL schema `client` is connected to: one transaction under an
 * advisory lock on the schema, so concurrent hub processes apply them once.
 */
export async function migratePostgres(client: SqlClient, source: string | Migration[], opts: { what?: string; now?: () => Date } = {}): Promise<MigrationReport> {
  const migrations = typeof source === 'string' ? loadMigrations(source) : source;
  const what = opts.what ?? 'this database';
  const now = opts.now ?? (() => new Date());
  const exists = async (name: string) => (await client.query('SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1', [name])).rows.length > 0;
  await client.query('BEGIN');
  try {
    // the key the earlier runner locked, so a hub of either version waits for the other
    await client.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.hub_migrations'))");
    await client.query(PG_TABLE);
    if (await exists(LEGACY_HUB_TABLE)) {
      const legacy = (await client.query(`SELECT name, checksum, applied_at FROM ${LEGACY_HUB_TABLE} ORDER BY name`)).rows as Array<LegacyRow & { applied_at: string }>;
      const adopted = adoptLegacy(legacy, migrations, what);
      for (const [i, r] of adopted.entries()) {
        await client.query('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)', [r.version, r.name, r.checksum, (legacy[i] as { applied_at: string }).applied_at]);
      }
      await client.query(`DROP TABLE ${LEGACY_HUB_TABLE}`);
    }
    const applied = (await client.query('SELECT version, name, checksum FROM schema_migrations ORDER BY version')).rows as AppliedRow[];
    const pending = pendingMigrations(migrations, applied, what);
    for (const m of pending) {
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)', [m.version, m.name, m.checksum, now().toISOString()]);
    }
    await client.query('COMMIT');
    return { applied: pending.map((m) => m.version), current: [...applied.map((r) => r.version), ...pending.map((m) => m.version)].reduce((n, v) => Math.max(n, v), 0) };
  } catch (e) {
    try {
      await client.query('ROLLBACK');
    } catch {
      // the connection itself failed: its transaction ended with it
    }
    throw e;
  }
}
