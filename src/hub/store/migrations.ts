/**
 * Hub migrations: numbered SQL files in migrations/hub/<dialect>/, applied in
 * order, each in its own transaction, recorded with a SHA-256 checksum. A
 * changed applied file, or a database that knows a migration this code does
 * not, refuses to open.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TillError } from '../../shared/errors';

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function loadMigrations(dialect: 'sqlite' | 'postgres'): Migration[] {
  const dir = path.resolve(__dirname, '../../../migrations/hub', dialect);
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_-]+\.sql$/.test(f))
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** which migrations still need applying, given the applied (name, checksum) rows */
export function pendingMigrations(all: Migration[], applied: Array<{ name: string; checksum: string }>): Migration[] {
  const known = new Map(all.map((m) => [m.name, m]));
  for (const a of applied) {
    const m = known.get(a.name);
    if (!m) throw new TillError('ledger-newer', `the hub database has migration ${a.name}, which this version of Till does not know: upgrade Till`);
    if (m.checksum !== a.checksum) throw new TillError('ledger-migration-changed', `hub migration ${a.name} was changed after it was applied`);
  }
  const done = new Set(applied.map((a) => a.name));
  return all.filter((m) => !done.has(m.name));
}
