/**
 * The replication wire protocol between a terminal and the hub (socket.io,
 * namespace /terminal), declared once for both sides.
 *
 *   connect   auth {terminalId, token}; refused with connect_error data {code}
 *   hello     hub -> terminal {hwm: {seq, hash}, catalogVersion, limits}
 *   push      terminal -> hub {entries} with ack -> PushAck
 *   status    terminal -> hub StatusReport with ack -> {ok}
 *   catalog:changed   hub -> terminal {version}
 *   catalog:pull      terminal -> hub {since} with ack -> CatalogPullAck
 *   journal:pull      terminal -> hub {fromSeq, limit} with ack -> JournalPullAck
 *
 * A push is refused as a whole (nothing stored) with one of SYNC_REASONS.
 * 'replayed' means every entry of the batch is already stored with the same
 * hash: nothing happens, the ack carries the hwm, the sender just moves on.
 */
import { z } from 'zod';
import { journalEntrySchema } from './journal';
import { catalogDeltaSchema } from './contract/catalog';

export const TERMINAL_NAMESPACE = '/terminal';

/** store and terminal codes: short, printable, no separator characters */
export const codeSchema = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'a code of letters, digits, - or _ (at most 32)');

export function terminalIdOf(store: string, terminal: string): string {
  return `${store}/${terminal}`;
}

export const terminalIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,32}\/[A-Za-z0-9_-]{1,32}$/, 'STORE/TERMINAL');

export const SYNC_REASONS = [
  'unauthenticated',
  'revoked',
  'malformed',
  'too-large',
  'gap',
  'broken-link',
  'bad-hash',
  'wrong-identity',
  'ledger-diverged',
  'replayed',
  'hub-unavailable',
] as const;
export type SyncReason = (typeof SYNC_REASONS)[number];
export const syncReasonSchema = z.enum(SYNC_REASONS);

export const refusalSchema = z.object({ code: syncReasonSchema, message: z.string() });
export type Refusal = z.infer<typeof refusalSchema>;

export const handshakeAuthSchema = z.object({ terminalId: terminalIdSchema, token: z.string().min(16).max(200) }).strict();
export type HandshakeAuth = z.infer<typeof handshakeAuthSchema>;

export const hwmSchema = z.object({ seq: z.number().int().nonnegative(), hash: z.string() });
export type Hwm = z.infer<typeof hwmSchema>;

export const batchLimitsSchema = z.object({ maxEntries: z.number().int().positive(), maxBytes: z.number().int().positive() });
export type BatchLimits = z.infer<typeof batchLimitsSchema>;

export const helloSchema = z.object({ hwm: hwmSchema, catalogVersion: z.number().int().nonnegative(), limits: batchLimitsSchema });
export type Hello = z.infer<typeof helloSchema>;

export const pushBatchSchema = z.object({ entries: z.array(journalEntrySchema).min(1) }).strict();
export type PushBatch = z.infer<typeof pushBatchSchema>;

export const pushAckSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), hwm: hwmSchema, stored: z.number().int().nonnegative() }),
  z.object({ ok: z.literal(false), error: refusalSchema, hwm: hwmSchema.optional() }),
]);
export type PushAck = z.infer<typeof pushAckSchema>;

export const deviceHealthSchema = z.object({
  name: z.string().max(64),
  kind: z.string().max(32),
  ok: z.boolean(),
  detail: z.string().max(200).optional(),
});
export type DeviceHealth = z.infer<typeof deviceHealthSchema>;

export const statusReportSchema = z
  .object({
    appVersion: z.string().max(40),
    at: z.string(),
    devices: z.array(deviceHealthSchema).max(32),
    queueDepth: z.number().int().nonnegative(),
    lastError: z.string().max(500).nullable(),
  })
  .strict();
export type StatusReport = z.infer<typeof statusReportSchema>;

/**
 * One catalog row as the hub keeps it: kind + key, and its data (null once
 * removed). The data of each kind is validated with the selling side's
 * schemas (src/shared/contract/catalog.ts); terminals receive the rows since
 * their version as one CatalogDelta.
 */
export const CATALOG_KINDS = ['product', 'promotion', 'member', 'user', 'settings'] as const;
export const catalogKindSchema = z.enum(CATALOG_KINDS);
export type CatalogKind = z.infer<typeof catalogKindSchema>;

export const catalogChangeSchema = z.object({
  kind: catalogKindSchema,
  key: z.string().min(1).max(128),
  data: z.record(z.string(), z.unknown()).nullable(),
});
export type CatalogChange = z.infer<typeof catalogChangeSchema>;

export const catalogChangedSchema = z.object({ version: z.number().int().nonnegative() });

export const catalogPullSchema = z.object({ since: z.number().int().nonnegative() }).strict();
export const catalogPullAckSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), delta: catalogDeltaSchema }),
  z.object({ ok: z.literal(false), error: refusalSchema }),
]);
export type CatalogPullAck = z.infer<typeof catalogPullAckSchema>;

export const journalPullSchema = z.object({ fromSeq: z.number().int().positive(), limit: z.number().int().positive().max(5000) }).strict();
export const journalPullAckSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), entries: z.array(journalEntrySchema), hwm: hwmSchema }),
  z.object({ ok: z.literal(false), error: refusalSchema }),
]);
export type JournalPullAck = z.infer<typeof journalPullAckSchema>;

/** HTTP POST /api/enroll */
export const enrollRequestSchema = z.object({ code: z.string().min(4).max(64), store: codeSchema, terminal: codeSchema }).strict();
export type EnrollRequest = z.infer<typeof enrollRequestSchema>;
export const enrollResponseSchema = z.object({ terminalId: terminalIdSchema, token: z.string() });
export type EnrollResponse = z.infer<typeof enrollResponseSchema>;
