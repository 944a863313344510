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
import { journalEntrySchema, type JournalEntry } from './journal';
import { catalogDeltaSchema } from './contract/catalog';
import { refuseControlCharacters } from './contract/text';

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
  /**
   * what the device reports, for the hub's alerts: a printer's ok, paper-out,
   * offline or error; a scanner's or display's ok or offline; a drawer's open,
   * closed or unknown (terminals before this field send none)
   */
  state: z.string().max(32).optional(),
});
export type DeviceHealth = z.infer<typeof deviceHealthSchema>;

/** one of the terminal's last warnings or errors, already scrubbed of secrets (src/shared/logger.ts) */
export const recentErrorSchema = z.object({ at: z.string(), level: z.enum(['warn', 'error']), msg: z.string().max(300) }).strict();

/** the terminal's own backups (src/terminal/runtime/backup-schedule.ts): the newest verified one and the second copy */
export const backupHealthSchema = z
  .object({
    /** when the newest verified backup was taken, null when there is none */
    at: z.string().nullable(),
    /** false when the last attempt failed */
    ok: z.boolean(),
    /** the second path (a USB stick or a share): off (none configured), ok, absent (not mounted) or failed */
    secondary: z.enum(['off', 'ok', 'absent', 'failed']),
    message: z.string().max(300).nullable(),
  })
  .strict();
export type BackupHealth = z.infer<typeof backupHealthSchema>;

export const statusReportSchema = z
  .object({
    appVersion: z.string().max(40),
    at: z.string(),
    devices: z.array(deviceHealthSchema).max(32),
    queueDepth: z.number().int().nonnegative(),
    /** when the oldest entry not yet acknowledged was written (null: none waits); the hub's lag in seconds */
    oldestPendingAt: z.string().max(40).nullable().optional(),
    lastError: z.string().max(500).nullable(),
    /** the last warnings and errors of the terminal's log, oldest first (terminals before this field send none) */
    errors: z.array(recentErrorSchema).max(10).optional(),
    backup: backupHealthSchema.nullable().optional(),
  })
  .strict();
export type StatusReport = z.infer<typeof statusReportSchema>;

/**
 * One catalog row as the hub keeps it: kind + key, and its data (null once
 * removed). The data of each kind is validated with the selling side's
 * schemas (src/shared/contract/catalog.ts); terminals receive the rows since
 * their version as one CatalogDelta.
 */
export const CATALOG_KINDS = ['product', 'promotion', 'member', 'user', 'settings', 'payments'] as const;
export const catalogKindSchema = z.enum(CATALOG_KINDS);
export type CatalogKind = z.infer<typeof catalogKindSchema>;

export const catalogChangeSchema = z.object({
  kind: catalogKindSchema,
  key: z.string().min(1).max(128),
  data: z.record(z.string(), z.unknown()).nullable(),
}).superRefine(refuseControlCharacters);
export type CatalogChange = z.infer<typeof catalogChangeSchema>;

export const catalogChangedSchema = z.object({ version: z.number().int().nonnegative() });

export const catalogPullSchema = z.object({ since: z.number().int().nonnegative() }).strict();
/** the delta and the hub's Ed25519 signature over it (base64; see src/hub/secrets.ts), checked by the terminal against the key it pinned */
export const catalogPullAckSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), delta: catalogDeltaSchema, signature: z.string().min(1).max(200) }),
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
/**
 * The token, and what the terminal pins: hubKey, the hub's Ed25519 public key
 * (SPKI DER, base64) that signs catalog deltas, and pinKey, the chain's PIN
 * key (32 bytes, base64; src/core/pin-credential.ts).
 */
export const enrollResponseSchema = z.object({ terminalId: terminalIdSchema, token: z.string(), hubKey: z.string().min(40).max(200), pinKey: z.string().length(44) });
export type EnrollResponse = z.infer<typeof enrollResponseSchema>;

const ULID_RE = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const AT_RE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const HEX64_RE = /^[0-9a-f]{64}$/;

/**
 * The same rules as pushBatchSchema (journalEntrySchema per entry), written
 * out by hand because the hub runs them on every entry it ingests and zod
 * costs about 10 µs per entry; test/shared/replication.test.ts checks that
 * both always agree. Returns the first problem as 'path: message'.
 */
export function checkPushBatch(raw: unknown): { ok: true; entries: JournalEntry[] } | { ok: false; message: string } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, message: 'a batch is an object {entries}' };
  const keys = Object.keys(raw);
  if (keys.length !== 1 || keys[0] !== 'entries') return { ok: false, message: 'a batch has exactly one field, entries' };
  const entries = (raw as { entries: unknown }).entries;
  if (!Array.isArray(entries) || entries.length === 0) return { ok: false, message: 'entries: a non-empty list' };
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as Record<string, unknown> | null;
    const bad = (field: string, why: string) => ({ ok: false as const, message: `entries.${i}.${field}: ${why}` });
    if (e === null || typeof e !== 'object' || Array.isArray(e)) return { ok: false, message: `entries.${i}: an object` };
    const { seq, id, type, at, payload, prevHash, hash } = e;
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return bad('seq', 'a positive integer');
    if (typeof id !== 'string' || !ULID_RE.test(id)) return bad('id', 'ULID');
    if (typeof type !== 'string' || type.length < 1 || type.length > 64) return bad('type', '1 to 64 characters');
    if (typeof at !== 'string' || !AT_RE.test(at)) return bad('at', 'UTC ISO time');
    if (typeof payload !== 'string' || payload.length > 1_000_000) return bad('payload', 'a string of at most 1,000,000 characters');
    if (typeof prevHash !== 'string' || !HEX64_RE.test(prevHash)) return bad('prevHash', '64 hex digits');
    if (typeof hash !== 'string' || !HEX64_RE.test(hash)) return bad('hash', '64 hex digits');
  }
  return { ok: true, entries: (entries as JournalEntry[]).map((e) => ({ seq: e.seq, id: e.id, type: e.type, at: e.at, payload: e.payload, prevHash: e.prevHash, hash: e.hash })) };
}
