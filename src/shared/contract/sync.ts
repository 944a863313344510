/**
 * Replication as the cashier screen and IT staff see it: whether this
 * terminal is pushing to its hub right now, how many journal entries wait,
 * what the hub has acknowledged, the last error and the alerts raised (a
 * divergence, a refused entry). The same state arrives as 'sync.status'
 * events while it changes.
 */
import { z } from 'zod';
import { method } from './define';

export const syncStateSchema = z.enum(['online', 'offline', 'disabled']);

export const syncStatusViewSchema = z.object({
  /** online: connected to the hub; offline: enrolled but not connected; disabled: not replicating (not enrolled) */
  state: syncStateSchema,
  enrolled: z.boolean(),
  hubUrl: z.string().nullable(),
  /** journal entries the hub has not acknowledged yet */
  queueDepth: z.number().int().min(0),
  headSeq: z.number().int().min(0),
  ackedSeq: z.number().int().min(0),
  lastError: z.object({ reason: z.string(), message: z.string(), at: z.string() }).nullable(),
  alerts: z.array(z.object({ at: z.string(), code: z.string(), message: z.string() })),
});
export type SyncStatusView = z.infer<typeof syncStatusViewSchema>;

export const syncMethods = {
  'sync.status': method({
    summary: 'replication to the hub: online/offline/disabled, queue depth, acknowledged seq, last error, alerts',
    access: 'session',
    input: z.object({}).strict(),
    output: syncStatusViewSchema,
  }),
};
