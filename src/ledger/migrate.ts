/**
 * Forward-only SQL migrations for a SQLite database (the terminal's ledger;
 * any other database may use the same runner with its own folder).
 *
 * Files are named NNNN_name.sql and applied in number order, each in its own
 * transaction together with its row in schema_migrations (version, name,
 * SHA-256 of the file with line endings normalised to LF, time). Before
 * anything is applied the recorded history is checked against the folder:
 * - a recorded version newer than every file here: the database was written
 *   by a newer Till -> 'ledger-newer';
 * - a recorded checksum that differs from the file, or a recorded version
 *   whose file is gone -> 'ledger-migration-changed'.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TillError } from '../shared/errors';
import type { SqliteDb } from './types';

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

const FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n'), 'utf8').digest('hex');
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

interface AppliedRow {
  version: number;
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

function appliedRows(db: SqliteDb): AppliedRow[] {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!exists) return [];
  return db.prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version').all() as AppliedRow[];
}

/**
 * Checks the recorded history against `migrations` without changing anything.
 * Returns the migrations still to apply.
 */
export function checkMigrations(db: SqliteDb, migrations: Migration[], what = 'this database'): Migration[] {
  const applied = appliedRows(db);
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

/** Applies every pending migration of `folder` (or the given list), each in its own transaction. */
export function migrate(db: SqliteDb, source: string | Migration[], opts: { what?: string; now?: () => Date } = {}): MigrationReport {
  const migrations = typeof source === 'string' ? loadMigrations(source) : source;
  const pending = checkMigrations(db, migrations, opts.what);
  ensureTable(db);
  const record = db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)');
  const now = opts.now ?? (() => new Date());
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
