import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATIONS_DIR, migrate, migrationChecksum, openLedger } from '../../src/ledger/index';
import { TillError } from '../../src/shared/errors';
import { tempDirs } from '../fixtures/ledger/helpers';

const tmp = tempDirs('migrate');

function folder(files: Record<string, string>): string {
  const d = tmp();
  for (const [name, sql] of Object.entries(files)) fs.writeFileSync(path.join(d, name), sql);
  return d;
}

function codeOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof TillError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a TillError');
}

const tables = (db: Database.Database) => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();

describe('migrations runner', () => {
  it('applies numbered files in order and records each with its SHA-256', () => {
    const dir = folder({ '0002_b.sql': 'CREATE TABLE b (x REFERENCES a(x));', '0001_a.sql': 'CREATE TABLE a (x INTEGER PRIMARY KEY);', 'README.md': 'not a migration' });
    const db = new Database(':memory:');
    expect(migrate(db, dir)).toEqual({ applied: [1, 2], current: 2 });
    const rows = db.prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version').all();
    expect(rows).toEqual([
      { version: 1, name: 'a', checksum: migrationChecksum('CREATE TABLE a (x INTEGER PRIMARY KEY);') },
      { version: 2, name: 'b', checksum: migrationChecksum('CREATE TABLE b (x REFERENCES a(x));') },
    ]);
    expect(migrate(db, dir)).toEqual({ applied: [], current: 2 });
  });

  it('refuses a database whose applied migration was changed, saying what to do', () => {
    const dir = folder({ '0001_a.sql': 'CREATE TABLE a (x);' });
    const db = new Database(':memory:');
    migrate(db, dir);
    fs.writeFileSync(path.join(dir, '0001_a.sql'), 'CREATE TABLE a (x, y);');
    const e = codeOf(() => migrate(db, dir));
    expect(e.code).toBe('ledger-migration-changed');
    expect(e.message).toMatch(/0001_a was changed after it was applied.*restore the original file and add a new migration/);
  });

  it('treats CRLF line endings as the same migration', () => {
    const dir = folder({ '0001_a.sql': 'CREATE TABLE a (x);\nCREATE TABLE b (y);\n' });
    const db = new Database(':memory:');
    migrate(db, dir);
    fs.writeFileSync(path.join(dir, '0001_a.sql'), 'CREATE TABLE a (x);\r\nCREATE TABLE b (y);\r\n');
    expect(migrate(db, dir).applied).toEqual([]);
  });

  it('refuses a database created by a newer version', () => {
    const newer = folder({ '0001_a.sql': 'CREATE TABLE a (x);', '0002_b.sql': 'CREATE TABLE b (x);', '0003_c.sql': 'CREATE TABLE c (x);' });
    const older = folder({ '0001_a.sql': 'CREATE TABLE a (x);', '0002_b.sql': 'CREATE TABLE b (x);' });
    const db = new Database(':memory:');
    migrate(db, newer);
    const e = codeOf(() => migrate(db, older));
    expect(e.code).toBe('ledger-newer');
    expect(e.message).toMatch(/newer version of Till \(migration 0003, this version knows up to 0002\); install that version or newer/);
  });

  it('refuses an applied migration whose file is gone', () => {
    const db = new Database(':memory:');
    migrate(db, folder({ '0001_a.sql': 'CREATE TABLE a (x);', '0002_b.sql': 'CREATE TABLE b (x);' }));
    const e = codeOf(() => migrate(db, folder({ '0002_b.sql': 'CREATE TABLE b (x);', '0003_c.sql': 'CREATE TABLE c (x);' })));
    expect(e.code).toBe('ledger-migration-changed');
  });

  it('applies each migration in its own transaction: a failing one leaves the earlier ones and nothing of itself', () => {
    const dir = folder({
      '0001_a.sql': 'CREATE TABLE a (x);',
      '0002_b.sql': 'CREATE TABLE b (x);\nINSERT INTO b VALUES (1);\nTHIS IS NOT SQL;',
    });
    const db = new Database(':memory:');
    expect(() => migrate(db, dir)).toThrow(/syntax error/);
    expect(tables(db)).toEqual(['a', 'schema_migrations']);
    expect(db.prepare('SELECT version FROM schema_migrations').pluck().all()).toEqual([1]);
    fs.writeFileSync(path.join(dir, '0002_b.sql'), 'CREATE TABLE b (x);');
    expect(migrate(db, dir).applied).toEqual([2]);
  });

  it('refuses two migrations with the same number', () => {
    const dir = folder({ '0001_a.sql': 'CREATE TABLE a (x);', '0001_b.sql': 'CREATE TABLE b (x);' });
    expect(() => migrate(new Database(':memory:'), dir)).toThrow(/two migrations share number 0001/);
  });

  it("openLedger refuses a changed migration, releases its lock, and opens again once the file is restored", () => {
    const migrations = tmp();
    for (const f of fs.readdirSync(DEFAULT_MIGRATIONS_DIR)) fs.copyFileSync(path.join(DEFAULT_MIGRATIONS_DIR, f), path.join(migrations, f));
    const data = path.join(tmp(), 'data');
    openLedger(data, { create: { store: 'S1', terminal: 'T1' }, migrationsDir: migrations }).close();
    const first = path.join(migrations, fs.readdirSync(migrations).sort()[0] as string);
    const original = fs.readFileSync(first, 'utf8');
    fs.writeFileSync(first, original + '\n-- edited\n');
    const e = codeOf(() => openLedger(data, { migrationsDir: migrations }));
    expect(e.code).toBe('ledger-migration-changed');
    fs.writeFileSync(first, original);
    const ledger = openLedger(data, { migrationsDir: migrations });
    expect(ledger.head().seq).toBe(1);
    ledger.close();
  });
});
