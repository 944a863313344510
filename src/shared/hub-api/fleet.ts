/**
 * The fleet: every enrolled terminal with its connection (online or offline
 * and since when), replication lag (entries waiting at the terminal and the
 * age of the oldest, from its last status report), the last entry whose hash
 * the hub verified, app version, device faults, alerts (the open ones by
 * code), and whether it has been missing for longer than the chain's setting.
 * Enrollment codes are issued and cancelled and terminals revoked from here.
 *
 * Alerts are raised and cleared by the hub (src/hub/ops/alert-rules.ts): open
 * while the condition lasts, cleared once the hub sees it gone; at most one
 * open alert per terminal and code. Their thresholds and the webhooks they
 * are sent to are in ./alerts.ts.
 */
import { z } from 'zod';
import { deviceHealthSchema } from '../replication';
import { route } from './define';
import { count, isoTimeSchema, nextCursor, pageQuery, storeCodeSchema, terminalCodeSchema, terminalIdSchema } from './common';

export const storeViewSchema = z.object({
  store: storeCodeSchema,
  terminals: count,
  online: count,
  /** offset of the store's clock from UTC in minutes (China: 480); times a person reads are shown in it */
  utcOffsetMinutes: z.number().int().min(-720).max(840),
});
export type StoreView = z.infer<typeof storeViewSchema>;

export const terminalViewSchema = z.object({
  terminalId: terminalIdSchema,
  store: storeCodeSchema,
  terminal: terminalCodeSchema,
  enrolledAt: isoTimeSchema,
  revokedAt: isoTimeSchema.nullable(),
  online: z.boolean(),
  /** online: when it connected; offline: when it was last heard from (null: never connected) */
  since: isoTimeSchema.nullable(),
  lastSeen: isoTimeSchema.nullable(),
  appVersion: z.string().nullable(),
  lag: z.object({
    /** journal entries the terminal had not yet had acknowledged at its last report */
    entries: count.nullable(),
    /** age in seconds of the oldest of them at that report (0 when none waited) */
    seconds: count.nullable(),
    reportedAt: isoTimeSchema.nullable(),
  }),
  /** the hub's high-water mark: the last entry whose hash and link the hub checked, and when it arrived */
  verified: z.object({ seq: count, hash: z.string(), at: isoTimeSchema.nullable() }),
  devices: z.array(deviceHealthSchema),
  /** the devices reporting a fault (paper out, scanner unplugged, drawer left open, ...) */
  faults: z.array(deviceHealthSchema),
  lastError: z.string().nullable(),
  alerts: count,
  /** the alerts open now, by code, and since when */
  openAlerts: z.array(z.object({ code: z.string(), since: isoTimeSchema })),
  /** offline for longer than the fleet setting missingAfterMinutes (and not revoked) */
  missing: z.boolean(),
});
export type TerminalView = z.infer<typeof terminalViewSchema>;

/** refusals of a terminal's journal, raised by ingest */
export const REFUSAL_ALERT_CODES = ['ledger-diverged', 'bad-hash', 'broken-link', 'wrong-identity'] as const;
/** conditions the hub's alert evaluator watches */
export const CONDITION_ALERT_CODES = ['terminal-offline', 'replication-lag', 'printer-paper-out', 'scanner-unplugged', 'drawer-open', 'backup-stale', 'clock-skew'] as const;
export const ALERT_CODES = [...REFUSAL_ALERT_CODES, ...CONDITION_ALERT_CODES] as const;
export type AlertCode = (typeof ALERT_CODES)[number];
export const ALERT_STATES = ['open', 'cleared'] as const;

export const alertViewSchema = z.object({
  id: z.number().int().positive(),
  terminalId: terminalIdSchema,
  store: storeCodeSchema,
  /** when the hub first saw it */
  at: isoTimeSchema,
  /** one of ALERT_CODES: a refusal of the terminal's journal (ledger-diverged, ...) or a condition (printer-paper-out, ...) */
  code: z.string(),
  /** e.g. {seq} of the first entry that differs, {devices} out of paper, {entries, seconds} of lag */
  details: z.record(z.string(), z.unknown()),
  state: z.enum(ALERT_STATES),
  /** the last time the hub saw the condition */
  lastSeen: isoTimeSchema,
  clearedAt: isoTimeSchema.nullable(),
});
export type AlertView = z.infer<typeof alertViewSchema>;

export const enrollCodeViewSchema = z.object({
  store: storeCodeSchema,
  terminal: terminalCodeSchema,
  createdAt: isoTimeSchema,
  expiresAt: isoTimeSchema,
  issuedBy: z.string().nullable(),
});
export type EnrollCodeView = z.infer<typeof enrollCodeViewSchema>;

export const fleetSettingsSchema = z.object({
  /** a terminal not heard from for this long is flagged missing */
  missingAfterMinutes: z.number().int().min(1).max(7 * 24 * 60),
});
export type FleetSettings = z.infer<typeof fleetSettingsSchema>;

const terminalParams = z.object({ store: storeCodeSchema, terminal: terminalCodeSchema }).strict();
const storeInParams = { in: 'params', field: 'store', mode: 'one' } as const;
const storeFilter = { in: 'query', field: 'store', mode: 'filter' } as const;
const everyone = ['hq-admin', 'hq-analyst', 'store-manager'] as const;

export const fleetRoutes = {
  'fleet.stores': route({
    method: 'GET',
    path: '/api/stores',
    group: 'fleet',
    summary: 'the stores the user may see, with terminal counts and time zone',
    access: { roles: everyone, store: storeFilter },
    query: z.object({ store: storeCodeSchema.optional() }).strict(),
    answer: z.object({ stores: z.array(storeViewSchema) }),
  }),
  'fleet.terminals': route({
    method: 'GET',
    path: '/api/fleet/terminals',
    group: 'fleet',
    summary: 'every terminal the user may see with connection, lag, verification, version, faults and alerts',
    access: { roles: everyone, store: storeFilter },
    query: z.object({ store: storeCodeSchema.optional() }).strict(),
    answer: z.object({ asOf: isoTimeSchema, missingAfterMinutes: z.number().int(), terminals: z.array(terminalViewSchema) }),
  }),
  'fleet.terminal': route({
    method: 'GET',
    path: '/api/fleet/terminals/:store/:terminal',
    group: 'fleet',
    summary: 'one terminal with its alerts',
    access: { roles: everyone, store: storeInParams },
    params: terminalParams,
    answer: z.object({ asOf: isoTimeSchema, terminal: terminalViewSchema, alerts: z.array(alertViewSchema) }),
  }),
  'fleet.revoke': route({
    method: 'POST',
    path: '/api/fleet/terminals/:store/:terminal/revoke',
    group: 'fleet',
    summary: "revoke a terminal's token (it must be enrolled again with a new code); audited",
    access: { roles: ['hq-admin', 'store-manager'], store: storeInParams },
    params: terminalParams,
    answer: z.object({ terminal: terminalViewSchema }),
  }),
  'fleet.alerts': route({
    method: 'GET',
    path: '/api/fleet/alerts',
    group: 'fleet',
    summary: 'alerts (refusals of a journal, offline terminals, lag, device faults, stale backups, clock skew), newest first; open or cleared',
    access: { roles: everyone, store: storeFilter },
    query: z.object({ store: storeCodeSchema.optional(), terminal: terminalCodeSchema.optional(), state: z.enum(ALERT_STATES).optional(), ...pageQuery }).strict(),
    answer: z.object({ alerts: z.array(alertViewSchema), next: nextCursor }),
  }),
  'fleet.enrollCodes': route({
    method: 'GET',
    path: '/api/fleet/enroll-codes',
    group: 'fleet',
    summary: 'enrollment codes issued and not yet used or expired (the codes themselves are never shown again)',
    access: { roles: ['hq-admin', 'store-manager'], store: storeFilter },
    query: z.object({ store: storeCodeSchema.optional() }).strict(),
    answer: z.object({ codes: z.array(enrollCodeViewSchema) }),
  }),
  'fleet.issueEnrollCode': route({
    method: 'POST',
    path: '/api/fleet/enroll-codes',
    group: 'fleet',
    summary: 'issue a one-time enrollment code for (store, terminal); shown once; audited without the code',
    access: { roles: ['hq-admin', 'store-manager'], store: { in: 'body', field: 'store', mode: 'one' } },
    body: z.object({ store: storeCodeSchema, terminal: terminalCodeSchema, ttlHours: z.number().int().min(1).max(720).default(24) }).strict(),
    answer: z.object({ code: z.string(), store: storeCodeSchema, terminal: terminalCodeSchema, expiresAt: isoTimeSchema }),
  }),
  'fleet.cancelEnrollCodes': route({
    method: 'DELETE',
    path: '/api/fleet/enroll-codes/:store/:terminal',
    group: 'fleet',
    summary: 'cancel every unused enrollment code of (store, terminal); audited',
    access: { roles: ['hq-admin', 'store-manager'], store: storeInParams },
    params: terminalParams,
    answer: z.object({ cancelled: count }),
  }),
  'fleet.settings': route({
    method: 'GET',
    path: '/api/fleet/settings',
    group: 'fleet',
    summary: 'the fleet settings (when a terminal counts as missing)',
    access: { roles: everyone },
    answer: fleetSettingsSchema,
  }),
  'fleet.updateSettings': route({
    method: 'PUT',
    path: '/api/fleet/settings',
    group: 'fleet',
    summary: 'change the fleet settings; audited',
    access: { roles: ['hq-admin'] },
    body: fleetSettingsSchema.strict(),
    answer: fleetSettingsSchema,
  }),
};
