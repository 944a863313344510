/** The ledger's public surface: import from here, not from the files behind it. */
export * from './types';
export { openLedger, readIdentity, DEFAULT_MIGRATIONS_DIR } from './ledger';
export { GENESIS_TYPE } from './walk';
export { migrate, checkMigrations, loadMigrations, migrationChecksum, type Migration, type MigrationReport } from '../db/migrate';
export { isValidCode, checkIdentity } from './identity';
export { ledgerExists, ledgerFile, LEDGER_FILE, makePrivateDir, makePrivateFile, writePrivateFile } from './files';
export { LOCK_FILE, runningWriter } from './writer-lock';
export { entryHash } from './chain';
export { cachedStatement } from './statements';
export { newUlid } from './ids';
export { verifyLedger, verifyLedgerFile, verifyLedgerTail, verifyDb, type TailResult, type VerifyResult, type VerifyReason, type VerifyOptions } from './verify';
export { backupLedger, restoreLedger, drillRestore, listBackups, snapshot as ledgerSnapshot, type BackupFile, type DrillResult, type BackupResult, type RestoreResult } from './backup';
export { pendingMigrations } from './pending';
