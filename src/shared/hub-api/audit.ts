/**
 * The audit log: every change made through the hub (console, admin token or
 * the `till hub` CLI) with who, from where, what, and the record before and
 * after. Secrets never appear in it (passwords, codes and tokens are left
 * out; a password change is recorded as such, without the password).
 */
import { z } from 'zod';
import { route } from './define';
import { isoTimeSchema, nextCursor, pageQuery, storeCodeSchema } from './common';

export const AUDIT_ACTIONS = [
  'session.login',
  'session.logout',
  'session.password',
  'user.add',
  'user.update',
  'user.password',
  'catalog.change',
  'catalog.import',
  'enroll-code.issue',
  'enroll-code.cancel',
  'terminal.enroll',
  'terminal.revoke',
  'settings.update',
  'price.schedule',
  'price.schedule-cancel',
  'store-price.set',
  'store-price.remove',
] as const;
export const auditActionSchema = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof auditActionSchema>;

export const auditEntrySchema = z.object({
  id: z.number().int().positive(),
  at: isoTimeSchema,
  /** a hub user's name, 'admin-token' for the admin API, or 'cli:<login>' for `till hub` on the hub's host */
  actor: z.string(),
  actorRole: z.string().nullable(),
  /** the client's address (null for the CLI) */
  source: z.string().nullable(),
  action: auditActionSchema,
  /** what was changed: 'user:ann', 'product:COLA', 'terminal:S001/T01', 'catalog:v12', 'settings:fleet' */
  target: z.string(),
  /** the store the change concerns, when it concerns one */
  store: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditRoutes = {
  'audit.list': route({
    method: 'GET',
    path: '/api/audit',
    group: 'audit',
    summary: 'the audit log, newest first, filtered by time, actor, action, target or store',
    access: { roles: ['hq-admin'] },
    query: z
      .object({
        from: isoTimeSchema.optional(),
        to: isoTimeSchema.optional(),
        actor: z.string().min(1).max(80).optional(),
        action: auditActionSchema.optional(),
        /** exact target, or a prefix ending in ':' ('product:') */
        target: z.string().min(1).max(200).optional(),
        store: storeCodeSchema.optional(),
        ...pageQuery,
      })
      .strict(),
    answer: z.object({ entries: z.array(auditEntrySchema), next: nextCursor }),
  }),
};
