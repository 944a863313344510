/**
 * Store operations wired into one terminal: the handlers of shifts, drawer,
 * refunds, reports, users and settings, and the counter guard that dispatch
 * runs before a selling or refund call (open shift, day not closed). Also the
 * public surface of store operations for the CLI and other parts.
 */
import type { PaymentProvider } from '../../core/payment';
import type { Ledger } from '../../ledger/index';
import type { Sessions } from './auth';
import type { CatalogReader } from '../projections/catalog';
import { registerOperationsProjectors } from '../projections/operations';
import { refundHandlers } from './refunds';
import { reportHandlers } from './reports';
import { counterGuard, currentShift, shiftHandlers } from './shifts';
import { userHandlers, type LoginGuard } from './users';

export interface OperationsDeps {
  ledger: Ledger;
  catalog: CatalogReader;
  sessions: Sessions;
  guard: LoginGuard;
  clock: () => Date;
  newId: () => string;
  payments: PaymentProvider;
  isOnline: () => boolean;
  sleep: (ms: number) => Promise<void>;
}

export function createOperations(d: OperationsDeps) {
  registerOperationsProjectors(d.ledger);
  return {
    handlers: {
      ...userHandlers({ ledger: d.ledger, sessions: d.sessions, guard: d.guard, openShiftId: () => currentShift(d.ledger.db)?.shiftId ?? null }),
      ...shiftHandlers(d),
      ...refundHandlers(d),
      ...reportHandlers(d),
    },
    /** throws 'shift-required' or 'day-closed' for a counter call the till may not take now */
    beforeCall: counterGuard(d),
  };
}
