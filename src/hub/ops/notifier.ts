/**
 * Delivers the notification outbox (src/hub/store/alert-store.ts) to the
 * webhooks, on every hub node: each pass claims a few due notifications for
 * this node (the claim is one statement, so no two nodes send the same
 * one), renders each in its webhook's language and format, sends it, and
 * records the outcome. A failure is tried again after firstMs, then twice as
 * long each time up to maxMs, until giveUpAfterMs after the alert changed;
 * the schedule is in the database, so a restarted hub carries on where it
 * stopped. Passes run every `everyMs` (the first one `everyMs` after the
 * start) and when kicked (an alert raised or cleared); one pass at a time
 * per node.
 */
import type { AlertLanguage } from '../../shared/hub-api/index';
import type { StoreSettings } from '../../shared/contract/catalog';
import type { HubSecrets } from '../secrets';
import type { ClaimedNotification, HubStore } from '../store/types';
import { renderAlert, renderTest, type MessageContext } from './alert-messages';
import type { HubMetrics } from './metrics';
import { openWebhook, storedWebhooks, webhookSealer, type StoredWebhook } from './webhook-settings';
import { buildRequest, send, type DeliveryOutcome, type GenericAlert, type WebhookTarget } from './webhooks';

export interface RetryPolicy {
  firstMs: number;
  maxMs: number;
  giveUpAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { firstMs: 10_000, maxMs: 15 * 60_000, giveUpAfterMs: 24 * 3600_000 };

export interface NotifierOptions {
  store: HubStore;
  secrets: HubSecrets;
  now: () => Date;
  /** the wall clock in ms for DingTalk's signature and the generic timestamp (the receivers check it against theirs) */
  wallClock: () => number;
  log: (line: string) => void;
  /** this node's name in the outbox's claims */
  node: string;
  everyMs: number;
  retry: RetryPolicy;
  timeoutMs: number;
  metrics: Pick<HubMetrics, 'notification'> | null;
}

const CLAIM = 5;
const CHINA_UTC_OFFSET = 480;

/** when to try again after `attempts` failures, or null to give up */
export function retryAt(policy: RetryPolicy, attempts: number, now: number, createdAt: string): string | null {
  if (now - Date.parse(createdAt) >= policy.giveUpAfterMs) return null;
  const wait = Math.min(policy.maxMs, policy.firstMs * 2 ** Math.max(0, attempts - 1));
  return new Date(now + wait).toISOString();
}

/** the chain's name and the stores' zone, from the store settings the console edits */
export async function messageContext(store: HubStore, lang: AlertLanguage, now: Date): Promise<MessageContext> {
  const s = (await store.catalogItem('settings', 'store'))?.data as Partial<StoreSettings> | null | undefined;
  return { lang, chainName: s?.storeName ?? null, utcOffsetMinutes: s?.utcOffsetMinutes ?? CHINA_UTC_OFFSET, now };
}

function genericAlert(n: ClaimedNotification): GenericAlert {
  const a = n.alert;
  return { id: a.id, code: a.code, state: a.state, store: a.store, terminal: a.terminal, terminalId: a.terminalId, at: a.at, lastSeen: a.lastSeen, clearedAt: a.clearedAt, details: a.details };
}

/** sends the test message of the console's "send a test" */
export async function sendTest(o: Pick<NotifierOptions, 'store' | 'now' | 'wallClock' | 'timeoutMs'>, target: WebhookTarget): Promise<DeliveryOutcome> {
  const m = renderTest(await messageContext(o.store, target.language, o.now()));
  return send(target.kind, buildRequest(target, m, null, o.wallClock()), o.timeoutMs);
}

async function deliver(o: NotifierOptions, n: ClaimedNotification, hooks: readonly StoredWebhook[]): Promise<void> {
  const { store } = o;
  const now = o.now();
  const stored = hooks.find((w) => w.id === n.channel);
  if (!stored || !stored.enabled) {
    await store.finishNotification(n.id, o.node, { sent: false, at: now.toISOString(), error: stored ? 'the webhook is switched off' : 'the webhook was removed', nextAt: null });
    return;
  }
  let outcome: DeliveryOutcome;
  try {
    const target = openWebhook(stored, webhookSealer(o.secrets));
    const message = renderAlert(n.event === 'cleared' ? 'cleared' : 'raised', n.alert, await messageContext(store, target.language, now));
    outcome = await send(target.kind, buildRequest(target, message, genericAlert(n), o.wallClock()), o.timeoutMs);
  } catch (e) {
    outcome = { sent: false, status: null, errcode: null, error: 'unreachable', detail: e instanceof Error ? e.message : String(e) };
  }
  const at = o.now();
  if (outcome.sent) {
    await store.finishNotification(n.id, o.node, { sent: true, at: at.toISOString() });
    o.metrics?.notification(stored.kind, 'sent');
    o.log(`alert ${n.alert.code} of ${n.alert.terminalId} ${n.event}: sent to webhook ${stored.id}`);
    return;
  }
  const nextAt = retryAt(o.retry, n.attempts + 1, at.getTime(), n.createdAt);
  await store.finishNotification(n.id, o.node, { sent: false, at: at.toISOString(), error: outcome.detail, nextAt });
  o.metrics?.notification(stored.kind, nextAt === null ? 'failed' : 'retry');
  o.log(`alert ${n.alert.code} of ${n.alert.terminalId} ${n.event}: webhook ${stored.id} failed (${outcome.detail}); ${nextAt === null ? 'given up' : `next try ${nextAt}`}`);
}

/** one pass: claims and delivers due notifications; answers how many */
export async function deliverDue(o: NotifierOptions): Promise<number> {
  const now = o.now();
  const lease = new Date(now.getTime() + CLAIM * o.timeoutMs + 30_000).toISOString();
  const claimed = await o.store.claimNotifications(o.node, now.toISOString(), lease, CLAIM);
  if (claimed.length === 0) return 0;
  const hooks = await storedWebhooks(o.store);
  for (const n of claimed) await deliver(o, n, hooks);
  return claimed.length;
}

export interface Notifier {
  /** a pass soon (an alert changed) */
  kick(): void;
  stop(): Promise<void>;
}

export function startNotifier(o: NotifierOptions): Notifier {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const pass = async () => {
    try {
      while ((await deliverDue(o)) === CLAIM && !stopped);
    } catch (e) {
      o.log(`alert notifications: a pass failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const kick = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = pass().finally(() => {
      running = null;
      if (again) {
        again = false;
        kick();
      }
    });
  };
  const timer = setInterval(kick, o.everyMs);
  timer.unref();
  return {
    kick,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      while (running) await running;
    },
  };
}
