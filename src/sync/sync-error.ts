/**
 * SyncError: why replication is not making progress, with a reason the UI
 * and the CLI can show and branch on. `fatal` reasons stop the push until a
 * person acts (divergence, revoked token); the others are retried.
 */
import { TillError, type ErrorCode } from '../shared/errors';
import type { SyncReason } from '../shared/replication';

export type SyncErrorReason = SyncReason | 'offline' | 'timeout' | 'hub-ahead' | 'entry-too-large' | 'protocol' | 'insecure-hub' | 'bad-signature' | 'hub-key-missing';

const FATAL: ReadonlySet<SyncErrorReason> = new Set(['ledger-diverged', 'hub-ahead', 'wrong-identity', 'bad-hash', 'broken-link', 'unauthenticated', 'revoked', 'entry-too-large', 'insecure-hub']);

function codeFor(reason: SyncErrorReason): ErrorCode {
  switch (reason) {
    case 'ledger-diverged':
    case 'hub-ahead':
      return 'ledger-diverged';
    case 'unauthenticated':
    case 'revoked':
      return 'unauthenticated';
    case 'offline':
      return 'offline';
    case 'timeout':
      return 'sync-timeout';
    case 'insecure-hub':
    case 'bad-signature':
    case 'hub-key-missing':
      return 'hub-untrusted';
    default:
      return 'sync-refused';
  }
}

export class SyncError extends TillError {
  readonly reason: SyncErrorReason;
  readonly fatal: boolean;

  constructor(reason: SyncErrorReason, message: string, details?: Record<string, unknown>) {
    super(codeFor(reason), message, { ...details, reason });
    this.name = 'SyncError';
    this.reason = reason;
    this.fatal = FATAL.has(reason);
  }
}
