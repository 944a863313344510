/** Which migrations the ledger of a data directory still needs (read-only; a ledger written by a newer Till throws 'ledger-newer'). */
import { locateLedger, openSqlite } from './files';
import { DEFAULT_MIGRATIONS_DIR } from './ledger';
import { checkMigrations, loadMigrations, type Migration } from '../db/migrate';

export function pendingMigrations(dir: string, migrationsDir = DEFAULT_MIGRATIONS_DIR): Migration[] {
  const where = locateLedger(dir, false);
  const db = openSqlite(where.file, { readonly: true });
  try {
    return checkMigrations(db, loadMigrations(migrationsDir), where.file);
  } finally {
    db.close();
  }
}
