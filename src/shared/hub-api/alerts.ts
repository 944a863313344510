/**
 * Alert settings under the fleet settings: the thresholds the hub's alert
 * evaluator raises alerts at, and the webhooks they are sent to (a WeCom or
 * DingTalk group robot, or a generic JSON receiver).
 *
 * A terminal's offline alert follows the fleet setting missingAfterMinutes
 * (./fleet.ts): an alert is raised when it is flagged missing.
 *
 * Webhook addresses and secrets are for head-office administrators only and
 * are never answered in full: an address comes back with every query value
 * cut to its last four characters, a secret only as hasSecret. Saving one
 * leaves out what the request leaves out (the address or secret stays).
 */
import { z } from 'zod';
import { plainText } from '../contract/text';
import { route } from './define';
import { isoTimeSchema, okAnswer, storeCodeSchema } from './common';

export const alertSettingsSchema = z.object({
  /** entries waiting at a terminal, not yet at the hub, before its lag alerts */
  lagEntries: z.number().int().min(1).max(1_000_000),
  /** minutes the oldest waiting entry may wait before the lag alerts */
  lagMinutes: z.number().int().min(1).max(7 * 24 * 60),
  /** minutes a printer may be out of paper before it alerts */
  paperOutMinutes: z.number().int().min(0).max(24 * 60),
  /** minutes a scanner may be unplugged before it alerts */
  scannerUnpluggedMinutes: z.number().int().min(0).max(24 * 60),
  /** minutes a cash drawer may stay open before it alerts */
  drawerOpenMinutes: z.number().int().min(1).max(24 * 60),
  /** hours since a terminal's newest verified backup before it alerts */
  backupHours: z.number().int().min(1).max(30 * 24),
  /** seconds a terminal's clock may be off the hub's before it alerts */
  clockSkewSeconds: z.number().int().min(5).max(24 * 3600),
});
export type AlertSettings = z.infer<typeof alertSettingsSchema>;

export const WEBHOOK_KINDS = ['wecom', 'dingtalk', 'generic'] as const;
export const webhookKindSchema = z.enum(WEBHOOK_KINDS);
export type WebhookKind = z.infer<typeof webhookKindSchema>;

/** the language of a webhook's messages */
export const alertLanguageSchema = z.enum(['zh-CN', 'en']);
export type AlertLanguage = z.infer<typeof alertLanguageSchema>;

export const webhookIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'lower-case letters, digits and -');

export const webhookViewSchema = z.object({
  id: webhookIdSchema,
  kind: webhookKindSchema,
  name: z.string(),
  /** the address with each query value cut to its last four characters */
  url: z.string(),
  hasSecret: z.boolean(),
  language: alertLanguageSchema,
  enabled: z.boolean(),
  /** the stores whose alerts it receives; null: every store */
  stores: z.array(storeCodeSchema).nullable(),
  updatedAt: isoTimeSchema,
});
export type WebhookView = z.infer<typeof webhookViewSchema>;

export const webhookInputSchema = z
  .object({
    kind: webhookKindSchema,
    name: plainText(z.string().min(1).max(40)),
    /** required for a new webhook; left out: the address stays */
    url: z.url({ protocol: /^https?$/ }).max(1000).optional(),
    /**
     * DingTalk: the robot's signing secret (SEC...); generic: the HMAC key of
     * the X-Till-Signature header. Left out: it stays; null: removed.
     */
    secret: z.string().min(1).max(200).nullable().optional(),
    language: alertLanguageSchema.default('zh-CN'),
    enabled: z.boolean().default(true),
    stores: z.array(storeCodeSchema).min(1).max(500).nullable().default(null),
  })
  .strict();
export type WebhookInput = z.infer<typeof webhookInputSchema>;

/** what a test message met at the receiver */
export const webhookTestSchema = z.object({
  sent: z.boolean(),
  /** the receiver's HTTP status, null when it could not be reached */
  status: z.number().int().nullable(),
  /** a WeCom or DingTalk robot's errcode (0: accepted) */
  errcode: z.number().int().nullable(),
  /** why it was not sent: refused (errcode or HTTP status), unreachable, timeout */
  error: z.enum(['refused', 'unreachable', 'timeout']).nullable(),
});

const webhookParams = z.object({ id: webhookIdSchema }).strict();
const admin = ['hq-admin'] as const;

export const alertRoutes = {
  'fleet.alertSettings': route({
    method: 'GET',
    path: '/api/fleet/settings/alerts',
    group: 'fleet',
    summary: 'the thresholds alerts are raised at',
    access: { roles: ['hq-admin', 'hq-analyst', 'store-manager'] },
    answer: alertSettingsSchema,
  }),
  'fleet.updateAlertSettings': route({
    method: 'PUT',
    path: '/api/fleet/settings/alerts',
    group: 'fleet',
    summary: 'change some or all alert thresholds; audited',
    access: { roles: admin },
    body: alertSettingsSchema.partial().strict(),
    answer: alertSettingsSchema,
  }),
  'fleet.webhooks': route({
    method: 'GET',
    path: '/api/fleet/settings/webhooks',
    group: 'fleet',
    summary: 'the webhooks alerts are sent to (addresses masked, secrets never shown)',
    access: { roles: admin },
    answer: z.object({ webhooks: z.array(webhookViewSchema) }),
  }),
  'fleet.putWebhook': route({
    method: 'PUT',
    path: '/api/fleet/settings/webhooks/:id',
    group: 'fleet',
    summary: 'add or change a webhook (WeCom, DingTalk or generic); audited without its address or secret',
    access: { roles: admin },
    params: webhookParams,
    body: webhookInputSchema,
    answer: webhookViewSchema,
  }),
  'fleet.deleteWebhook': route({
    method: 'DELETE',
    path: '/api/fleet/settings/webhooks/:id',
    group: 'fleet',
    summary: 'remove a webhook; messages still waiting for it are dropped; audited',
    access: { roles: admin },
    params: webhookParams,
    answer: okAnswer,
  }),
  'fleet.testWebhook': route({
    method: 'POST',
    path: '/api/fleet/settings/webhooks/:id/test',
    group: 'fleet',
    summary: 'send a test message to a webhook now and say what the receiver answered',
    access: { roles: admin },
    params: webhookParams,
    answer: webhookTestSchema,
  }),
};
