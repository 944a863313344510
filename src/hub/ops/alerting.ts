/**
 * The hub's alert evaluator, on every hub node: every `everyMs` (the first
 * time `everyMs` after the start, not while the node is starting) it reads the
 * fleet, the open alerts and the settings, applies the rules of
 * ./alert-rules.ts to each terminal and opens, refreshes or clears alerts.
 * Nodes do not talk to each other about it: the store lets one node open an
 * alert (and queue its notifications) and one node clear it
 * (src/hub/store/alert-store.ts), so two evaluators running at once send
 * nothing twice. The node that changed an alert tells the consoles and kicks
 * its notifier.
 */
import type { AlertSettings, FleetChanged } from '../../shared/hub-api/index';
import { fleetSettings, terminalView } from '../fleet';
import type { HubStore, NewAlert } from '../store/types';
import { ALERT_SETTINGS_KEY, DEFAULT_ALERT_SETTINGS, conditionsOf, isRefusal, refusalCleared } from './alert-rules';
import type { HubMetrics } from './metrics';
import { startNotifier, type Notifier, type NotifierOptions } from './notifier';
import { storedWebhooks, webhooksFor } from './webhook-settings';

export async function alertSettings(store: HubStore): Promise<AlertSettings> {
  return { ...DEFAULT_ALERT_SETTINGS, ...((await store.setting<Partial<AlertSettings>>(ALERT_SETTINGS_KEY)) ?? {}) };
}

/** opens an alert (unless its terminal has one of that code open) with a notification for each webhook of the store; the new id or null */
export async function raiseAlert(store: HubStore, storeCode: string, a: NewAlert): Promise<number | null> {
  const channels = webhooksFor(await storedWebhooks(store), storeCode);
  return store.transaction((tx) => tx.openAlert(a, channels));
}

type AlertMetrics = Pick<HubMetrics, 'alertRaised' | 'alertCleared' | 'setOpenAlerts'>;

export interface EvaluatorOptions {
  store: HubStore;
  now: () => Date;
  staleAfterMs: number;
  fleetChanged: (e: FleetChanged) => void;
  metrics: AlertMetrics | null;
}

/** an open alert's last_seen is refreshed at most this often */
const TOUCH_EVERY_MS = 60_000;

/** one pass over the fleet; answers how many alerts this node opened and cleared */
export async function evaluateAlerts(o: EvaluatorOptions): Promise<{ raised: number; cleared: number }> {
  const { store } = o;
  const now = o.now();
  const at = now.toISOString();
  const [rows, open, settings, fleet, hooks] = await Promise.all([store.fleet(), store.openAlerts(), alertSettings(store), fleetSettings(store), storedWebhooks(store)]);
  const openOf = new Map(open.map((a) => [`${a.terminalId}\u0000${a.code}`, a]));
  let raised = 0;
  let cleared = 0;
  const clear = async (id: number, storeCode: string, terminalId: string, code: string) => {
    if (!(await store.transaction((tx) => tx.clearAlert(id, at)))) return;
    cleared += 1;
    o.metrics?.alertCleared(code);
    o.fleetChanged({ store: storeCode, terminalId, reason: 'alert' });
  };
  for (const row of rows) {
    const view = terminalView(row, now, fleet, o.staleAfterMs);
    for (const [code, verdict] of conditionsOf(row, view, now, settings)) {
      if (verdict === null) continue;
      const existing = openOf.get(`${row.id}\u0000${code}`);
      if (!verdict.active) {
        if (existing) await clear(existing.id, row.store, row.id, code);
      } else if (existing) {
        if (now.getTime() - Date.parse(existing.lastSeen) >= TOUCH_EVERY_MS) await store.touchAlert(existing.id, at, verdict.details);
      } else {
        const id = await store.transaction((tx) => tx.openAlert({ terminalId: row.id, at, code, message: verdict.message, details: verdict.details }, webhooksFor(hooks, row.store)));
        if (id !== null) {
          raised += 1;
          o.metrics?.alertRaised(code);
          o.fleetChanged({ store: row.store, terminalId: row.id, reason: 'alert' });
        }
      }
    }
  }
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const a of open) {
    const row = byId.get(a.terminalId);
    if (row && isRefusal(a.code) && refusalCleared(a, row)) await clear(a.id, row.store, row.id, a.code);
  }
  if (o.metrics) {
    const counts = new Map<string, number>();
    for (const a of await store.openAlerts()) counts.set(a.code, (counts.get(a.code) ?? 0) + 1);
    o.metrics.setOpenAlerts(counts);
  }
  return { raised, cleared };
}

export interface AlertingOptions extends EvaluatorOptions {
  log: (line: string) => void;
  /** how often the evaluator runs */
  everyMs: number;
  notifier: Omit<NotifierOptions, 'store' | 'now' | 'log'>;
}

export interface Alerting {
  /** a notifier pass soon (ingest opened an alert) */
  kick(): void;
  stop(): Promise<void>;
}

export function startAlerting(o: AlertingOptions): Alerting {
  const notifier: Notifier = startNotifier({ ...o.notifier, store: o.store, now: o.now, log: o.log });
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = evaluateAlerts(o)
      .then(
        (r) => {
          if (r.raised + r.cleared > 0) notifier.kick();
        },
        (e: unknown) => o.log(`alert evaluation failed: ${e instanceof Error ? e.message : String(e)}`),
      )
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, o.everyMs);
  timer.unref();
  return {
    kick: () => notifier.kick(),
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      while (running) await running;
      await notifier.stop();
    },
  };
}
