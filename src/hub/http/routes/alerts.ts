/**
 * Alert settings under the fleet settings: thresholds (read by everyone,
 * changed by head-office administrators) and the webhooks alerts are sent
 * to (administrators only; addresses masked and secrets never answered;
 * every change audited with the masked view before and after).
 */
import type { AlertSettings } from '../../../shared/hub-api/index';
import { isTillError } from '../../../shared/errors';
import { alertSettings } from '../../ops/alerting';
import { ALERT_SETTINGS_KEY, DEFAULT_ALERT_SETTINGS } from '../../ops/alert-rules';
import { sendTest } from '../../ops/notifier';
import { openWebhook, storedWebhooks, urlProblem, webhookSealer, webhookView, WEBHOOKS_KEY, type StoredWebhook, type WebhookSetting } from '../../ops/webhook-settings';
import { ApiError } from '../errors';
import type { RouteDeps } from './deps';

const badUrl = (detail: string) => new ApiError('bad-input', detail, { issues: [{ path: 'body.url', code: 'custom' }] });

export function serveAlerts(d: RouteDeps): void {
  const { http, store } = d;
  const sealer = webhookSealer(d.secrets);

  http.serve('fleet.alertSettings', async () => alertSettings(store));

  http.serve('fleet.updateAlertSettings', async ({ body, by }) =>
    store.transaction(async (tx) => {
      const before = await tx.settingForUpdate<Partial<AlertSettings>>(ALERT_SETTINGS_KEY);
      const after: AlertSettings = { ...DEFAULT_ALERT_SETTINGS, ...(before ?? {}), ...body };
      await tx.setSetting(ALERT_SETTINGS_KEY, after);
      await tx.audit({ ...by, action: 'settings.update', target: `settings:${ALERT_SETTINGS_KEY}`, store: null, before, after });
      return after;
    }),
  );

  http.serve('fleet.webhooks', async () => ({ webhooks: (await storedWebhooks(store)).map((w) => webhookView(w, sealer)) }));

  http.serve('fleet.putWebhook', async ({ params, body, by }) => {
    const id = params.id;
    const saved = await store.transaction(async (tx) => {
      const all = (await tx.settingForUpdate<WebhookSetting>(WEBHOOKS_KEY))?.webhooks ?? [];
      const old = all.find((w) => w.id === id) ?? null;
      if (body.url === undefined && (old === null || old.kind !== body.kind)) throw badUrl(`webhook ${id}: a new webhook, or a new kind, needs its address`);
      let url: string;
      try {
        url = body.url ?? sealer.open((old as StoredWebhook).url, id);
      } catch (e) {
        if (isTillError(e)) throw badUrl(e.message);
        throw e;
      }
      const problem = urlProblem(body.kind, url);
      if (problem) throw badUrl(`webhook ${id}: ${problem}`);
      const next: StoredWebhook = {
        id,
        kind: body.kind,
        name: body.name,
        url: body.url === undefined ? (old as StoredWebhook).url : sealer.seal(body.url, id),
        secret: body.secret === undefined ? (old?.secret ?? null) : body.secret === null ? null : sealer.seal(body.secret, id),
        language: body.language,
        enabled: body.enabled,
        stores: body.stores,
        updatedAt: by.at,
      };
      const list = [...all.filter((w) => w.id !== id), next].sort((a, b) => a.id.localeCompare(b.id));
      await tx.setSetting(WEBHOOKS_KEY, { webhooks: list } satisfies WebhookSetting);
      await tx.audit({
        ...by,
        action: 'settings.update',
        target: `settings:webhook:${id}`,
        store: null,
        before: old ? webhookView(old, sealer) : null,
        after: { ...webhookView(next, sealer), secretChanged: body.secret !== undefined },
      });
      return next;
    });
    d.auth.log(`webhook ${id} (${saved.kind}) saved by ${by.actor}`);
    return webhookView(saved, sealer);
  });

  http.serve('fleet.deleteWebhook', async ({ params, by }) => {
    await store.transaction(async (tx) => {
      const all = (await tx.settingForUpdate<WebhookSetting>(WEBHOOKS_KEY))?.webhooks ?? [];
      const old = all.find((w) => w.id === params.id);
      if (!old) throw new ApiError('not-found', `no webhook ${params.id}`);
      await tx.setSetting(WEBHOOKS_KEY, { webhooks: all.filter((w) => w.id !== params.id) } satisfies WebhookSetting);
      await tx.audit({ ...by, action: 'settings.update', target: `settings:webhook:${params.id}`, store: null, before: webhookView(old, sealer), after: null });
    });
    return { ok: true as const };
  });

  http.serve('fleet.testWebhook', async ({ params, by }) => {
    const w = (await storedWebhooks(store)).find((x) => x.id === params.id);
    if (!w) throw new ApiError('not-found', `no webhook ${params.id}`);
    const outcome = await sendTest({ store, now: d.auth.now, ...d.webhooks }, openWebhook(w, sealer));
    d.auth.log(`webhook ${w.id} test by ${by.actor}: ${outcome.sent ? 'accepted' : `failed (${outcome.detail})`}`);
    return { sent: outcome.sent, status: outcome.status, errcode: outcome.errcode, error: outcome.error };
  });
}
