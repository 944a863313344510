/** Store-operations settings a terminal starts with, until a manager or the hub changes them. */
import type { OperationsSettings } from '../shared/contract/operations';

export const DEFAULT_OPERATIONS: OperationsSettings = {
  lockout: { maxFailures: 5, minutes: 15 },
  idleSignOutMinutes: 5,
  shiftRequired: true,
  varianceThreshold: 1000,
  refundTo: 'original',
  noReceiptLimit: 5000,
};
