/**
 * Typed errors with stable codes. A code is part of the contract: the UI and
 * the CLI branch on it, so codes are never renamed once released.
 */
export type ErrorCode =
  | 'bad-input'
  /** a card number where only the card terminal's reference may go (never stored) */
  | 'card-number'
  /** a code, name or reason with a control character in it (src/shared/contract/text.ts) */
  | 'control-character'
  | 'not-found'
  | 'forbidden'
  | 'unauthenticated'
  | 'override-required'
  | 'locked-out'
  /** signed in with a one-time or older-form PIN: a new PIN must be chosen first */
  | 'pin-change-required'
  | 'conflict'
  | 'unknown-method'
  | 'unknown-barcode'
  | 'bad-barcode'
  | 'insufficient-tender'
  | 'payment-declined'
  | 'payment-timeout'
  | 'offline'
  | 'ledger-busy'
  | 'ledger-corrupt'
  | 'ledger-newer'
  | 'ledger-migration-changed'
  | 'ledger-not-found'
  | 'ledger-io'
  | 'ledger-diverged'
  | 'device-error'
  /** the store's rule: the next sale waits until the cash drawer is closed */
  | 'drawer-open'
  | 'config-invalid'
  | 'sync-refused'
  /** a hub that is not on https off this computer, or a catalog that its pinned key did not sign */
  | 'hub-untrusted'
  | 'sync-timeout'
  | 'not-enrolled'
  | 'shift-required'
  | 'day-closed'
  | 'internal';

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export class TillError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'TillError';
    this.code = code;
    this.details = details;
  }

  toBody(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export const isTillError = (e: unknown): e is TillError => e instanceof TillError;
