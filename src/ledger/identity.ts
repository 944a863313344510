/**
 * A terminal's identity: the store and terminal codes bound into the genesis
 * entry. Codes are short and alphanumeric because they are printed in every
 * receipt number (see receiptNumber in src/shared/journal.ts).
 */
import { TillError } from '../shared/errors';
import type { LedgerIdentity } from './types';

const CODE = /^[A-Za-z0-9]{1,12}$/;

export function isValidCode(code: string): boolean {
  return CODE.test(code);
}

export function checkIdentity(identity: LedgerIdentity): LedgerIdentity {
  for (const [what, code] of [['store', identity.store], ['terminal', identity.terminal]] as const) {
    if (typeof code !== 'string' || !isValidCode(code)) {
      throw new TillError('bad-input', `the ${what} code must be 1 to 12 letters or digits (got '${String(code)}')`);
    }
  }
  return { store: identity.store, terminal: identity.terminal };
}
