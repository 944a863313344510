/**
 * Store-operations settings (issue 4): sign-in lockout, automatic sign-out,
 * shifts, over/short threshold and refund policy. Journaled on the terminal
 * (OperationsSettingsSaved) so a restart keeps them; defaults in
 * src/core/operations.ts.
 */
import { z } from 'zod';
import { method } from './define';
import { fen } from './catalog';

export const operationsSettingsSchema = z.object({
  lockout: z.object({
    /** failed PIN entries in a row that lock a user code */
    maxFailures: z.number().int().min(1).max(20),
    /** how long the lock lasts */
    minutes: z.number().int().min(1).max(24 * 60),
  }),
  /** sign a session out after this many minutes without a call; 0 = never */
  idleSignOutMinutes: z.number().int().min(0).max(24 * 60),
  /** selling needs an open shift (default true) */
  shiftRequired: z.boolean(),
  /** closing a shift whose over/short is larger than this (fen) needs a supervisor */
  varianceThreshold: fen,
  /** refunds of a receipt go back to the tenders that paid it, or always in cash */
  refundTo: z.enum(['original', 'cash']),
  /** the most one return without a receipt may pay back (fen); 0 = not allowed */
  noReceiptLimit: fen,
});
export type OperationsSettings = z.infer<typeof operationsSettingsSchema>;

export const operationsMethods = {
  'settings.operations': method({
    summary: 'the store-operations settings (lockout, sign-out, shifts, refunds)',
    access: 'session',
    input: z.object({}).strict(),
    output: operationsSettingsSchema,
  }),
  'settings.setOperations': method({
    summary: 'change the store-operations settings (journaled)',
    access: 'settings.manage',
    input: operationsSettingsSchema.strict(),
    output: operationsSettingsSchema,
  }),
};
