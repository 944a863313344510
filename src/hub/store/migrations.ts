/**
 * Where the hub's migrations are: migrations/hub/<dialect>/, applied by the
 * one migration runner (src/db/migrate.ts) that the terminal's ledger uses too.
 */
import path from 'node:path';

export function hubMigrationsDir(dialect: 'sqlite' | 'postgres'): string {
  return path.resolve(__dirname, '../../../migrations/hub', dialect);
}
