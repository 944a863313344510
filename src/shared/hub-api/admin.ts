/**
 * The routes that predate the console: health, a terminal's enrollment
 * (public, rate limited), and the admin API the `till hub` CLI calls with
 * `Authorization: Bearer <admin token>` (a signed-in hq-admin may call them
 * too). Plus the OpenAPI document of everything this hub serves.
 */
import { z } from 'zod';
import { catalogChangeSchema, enrollRequestSchema, enrollResponseSchema, hwmSchema, statusReportSchema } from '../replication';
import { route } from './define';
import { isoTimeSchema, terminalIdSchema } from './common';

export const adminTerminalSchema = z.object({
  id: terminalIdSchema,
  store: z.string(),
  terminal: z.string(),
  enrolledAt: isoTimeSchema,
  revokedAt: isoTimeSchema.nullable(),
  hwm: hwmSchema,
  lastSeen: isoTimeSchema.nullable(),
  status: statusReportSchema.nullable(),
  statusAt: isoTimeSchema.nullable(),
});

export const adminAlertSchema = z.object({
  id: z.number().int(),
  terminalId: terminalIdSchema,
  at: isoTimeSchema,
  code: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()),
});

export const adminRoutes = {
  'system.health': route({
    method: 'GET',
    path: '/api/health',
    group: 'system',
    summary: 'the hub answers, and which store it runs on',
    access: 'public',
    answer: z.object({ ok: z.literal(true), store: z.enum(['sqlite', 'postgres']) }),
  }),
  'system.openapi': route({
    method: 'GET',
    path: '/api/openapi.json',
    group: 'system',
    summary: 'this document: every route the hub serves, generated from the zod schemas in src/shared/hub-api',
    access: 'session',
    answer: z.record(z.string(), z.unknown()),
  }),
  'terminal.enroll': route({
    method: 'POST',
    path: '/api/enroll',
    group: 'terminal',
    summary: "a terminal trades a one-time code for its long-lived token (rate limited per source address)",
    access: 'public',
    body: enrollRequestSchema,
    answer: enrollResponseSchema,
  }),
  'admin.status': route({
    method: 'GET',
    path: '/api/status',
    group: 'admin',
    summary: 'every terminal as stored (without token hashes) and every alert, for `till hub` scripts',
    access: { roles: ['hq-admin'] },
    answer: z.object({ terminals: z.array(adminTerminalSchema), alerts: z.array(adminAlertSchema) }),
  }),
  'admin.catalog': route({
    method: 'POST',
    path: '/api/catalog',
    group: 'admin',
    summary: 'apply catalog rows {kind, key, data} as one new version and tell the terminals; audited',
    access: { roles: ['hq-admin'] },
    body: z.object({ changes: z.array(catalogChangeSchema).min(1).max(10_000) }).strict(),
    answer: z.object({ version: z.number().int().positive() }),
    bodyLimit: 32 * 1024 * 1024,
  }),
  'admin.price': route({
    method: 'POST',
    path: '/api/catalog/price',
    group: 'admin',
    summary: 'set the price of the product with this barcode or SKU; audited',
    access: { roles: ['hq-admin'] },
    body: z.object({ barcode: z.string().min(1).max(32), price: z.number().int().min(0) }).strict(),
    answer: z.object({ version: z.number().int().positive() }),
  }),
};
