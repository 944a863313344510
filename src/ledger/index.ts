/** The ledger's public surface: import from here, not from the files behind it. */
export * from './types';
export { openLedger, readIdentity, GENESIS_TYPE, DEFAULT_MIGRATIONS_DIR } from './ledger';
export { migrate, checkMigrations, loadMigrations, migrationChecksum, type Migration, type MigrationReport } from './migrate';
export { isValidCode, checkIdentity } from './identity';
export { ledgerExists, ledgerFile, LEDGER_FILE } from './files';
export { LOCK_FILE, liveWriter } from './writer-lock';
export { entryHash, entrySeal } from './chain';
export { verifyLedger, verifyLedgerFile, verifyDb, type VerifyResult, type VerifyReason } from './verify';
export { backupLedger, restoreLedger, backupName, type BackupResult, type RestoreResult } from './backup';
