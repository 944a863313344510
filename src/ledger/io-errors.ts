/**
 * Turns SQLite and file-system failures into TillErrors with one clear line
 * for a person (never a SQLite stack): disk full and read-only media become
 * 'ledger-io', damaged files 'ledger-corrupt', a locked file 'ledger-busy'.
 * Anything already a TillError, and programming errors, pass through.
 */
import { TillError } from '../shared/errors';

interface CodedError {
  code?: unknown;
  message?: unknown;
}

function codeOf(e: unknown): string {
  if (typeof e === 'object' && e !== null) {
    const c = (e as CodedError).code;
    if (typeof c === 'string') return c;
  }
  return '';
}

function messageOf(e: unknown): string {
  if (typeof e === 'object' && e !== null && typeof (e as CodedError).message === 'string') return (e as CodedError).message as string;
  return String(e);
}

/**
 * @param where the data directory or file the operation touched
 * @param doing what was being done, e.g. 'the entry was not recorded'
 */
export function toLedgerError(e: unknown, where: string, doing: string): unknown {
  if (e instanceof TillError) return e;
  const c = codeOf(e);
  const detail = messageOf(e);
  if (c === 'SQLITE_FULL' || c === 'ENOSPC' || c === 'EDQUOT') {
    return new TillError('ledger-io', `the disk holding ${where} is full: ${doing}; free some space and try again`, { cause: c });
  }
  if (c.startsWith('SQLITE_READONLY') || c === 'EROFS' || c === 'EACCES' || c === 'EPERM') {
    return new TillError('ledger-io', `${where} is read-only or not writable by this user: ${doing}; make the data directory writable and try again`, { cause: c });
  }
  if (c === 'SQLITE_CORRUPT' || c === 'SQLITE_NOTADB' || c.startsWith('SQLITE_CORRUPT')) {
    return new TillError('ledger-corrupt', `${where} is damaged (${detail}): ${doing}; run 'till verify' and restore the newest good backup with 'till restore'`, { cause: c });
  }
  if (c === 'SQLITE_BUSY' || c.startsWith('SQLITE_BUSY') || c.startsWith('SQLITE_LOCKED')) {
    return new TillError('ledger-busy', `${where} is locked by another program: ${doing}; close it and try again`, { cause: c });
  }
  if (c.startsWith('SQLITE_CANTOPEN')) {
    return new TillError('ledger-io', `${where} cannot be opened (${detail}): ${doing}; check that the data directory exists and is writable`, { cause: c });
  }
  if (c.startsWith('SQLITE_IOERR') || c === 'EIO') {
    return new TillError('ledger-io', `the disk holding ${where} failed (${detail}): ${doing}; check the disk and try again`, { cause: c });
  }
  return e;
}
