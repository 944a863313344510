/**
 * The hub node's Prometheus metrics (prom-client), one registry per node and
 * nothing shared between nodes: each node counts what it did (batches it
 * ingested, refusals it sent, requests it served, notifications it sent) and
 * what it holds (terminal and console sockets connected to it, the lag its
 * terminals last reported); Prometheus sums or maxes across nodes. The open
 * alerts by code are the store's count as this node's evaluator last read it,
 * the same on every node (take max, not sum).
 *
 *   till_hub_ingest_entries_total                      entries stored
 *   till_hub_ingest_batches_total{result}              batches stored or refused
 *   till_hub_ingest_batch_duration_seconds             arrival to acknowledgement (histogram)
 *   till_hub_refusals_total{code}                      refusals sent to terminals (handshake, batch)
 *   till_hub_terminals_connected                       terminal sockets on this node
 *   till_hub_replication_lag_entries{store}            entries waiting at this node's terminals of the store
 *   till_hub_replication_lag_seconds{store}            age of the oldest of them
 *   till_hub_http_request_duration_seconds{method,route,status_code}
 *   till_hub_console_connections                       console sockets on this node
 *   till_hub_alerts_open{code}                         open alerts in the store
 *   till_hub_alerts_raised_total{code}, till_hub_alerts_cleared_total{code}   by this node
 *   till_hub_notifications_total{kind,result}          webhook deliveries: sent, retry, failed
 *   process_* and nodejs_*                             prom-client's default process metrics
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PushAck, StatusReport } from '../../shared/replication';

export interface MetricsSources {
  /** terminal sockets connected to this node */
  terminals: () => number;
  /** console sockets connected to this node */
  consoles: () => number;
}

interface Lag {
  store: string;
  entries: number;
  seconds: number;
}

export class HubMetrics {
  readonly registry = new Registry();
  private readonly lags = new Map<string, Lag>();
  private readonly ingestEntries: Counter;
  private readonly ingestBatches: Counter<'result'>;
  private readonly batchSeconds: Histogram;
  private readonly refusals: Counter<'code'>;
  private readonly httpSeconds: Histogram<'method' | 'route' | 'status_code'>;
  private readonly alertsOpen: Gauge<'code'>;
  private readonly alertsRaised: Counter<'code'>;
  private readonly alertsCleared: Counter<'code'>;
  private readonly notifications: Counter<'kind' | 'result'>;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.ingestEntries = new Counter({ name: 'till_hub_ingest_entries_total', help: 'Journal entries stored by this node', registers });
    this.ingestBatches = new Counter({ name: 'till_hub_ingest_batches_total', help: 'Pushed batches by result (stored, refused)', labelNames: ['result'], registers });
    this.batchSeconds = new Histogram({
      name: 'till_hub_ingest_batch_duration_seconds',
      help: 'Time from a batch arriving to its acknowledgement',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.refusals = new Counter({ name: 'till_hub_refusals_total', help: 'Refusals sent to terminals by code', labelNames: ['code'], registers });
    new Gauge({
      name: 'till_hub_terminals_connected',
      help: 'Terminal sockets connected to this node',
      registers,
      collect() {
        this.set(sources.terminals());
      },
    });
    const lags = this.lags;
    const perStore = (pick: (l: Lag) => number, combine: (a: number, b: number) => number) => {
      const out = new Map<string, number>();
      for (const l of lags.values()) out.set(l.store, combine(out.get(l.store) ?? 0, pick(l)));
      return out;
    };
    new Gauge({
      name: 'till_hub_replication_lag_entries',
      help: 'Journal entries waiting at the terminals connected to this node, by store, as last reported',
      labelNames: ['store'],
      registers,
      collect() {
        this.reset();
        for (const [store, n] of perStore((l) => l.entries, (a, b) => a + b)) this.set({ store }, n);
      },
    });
    new Gauge({
      name: 'till_hub_replication_lag_seconds',
      help: 'Age of the oldest entry waiting at the terminals connected to this node, by store, as last reported',
      labelNames: ['store'],
      registers,
      collect() {
        this.reset();
        for (const [store, n] of perStore((l) => l.seconds, Math.max)) this.set({ store }, n);
      },
    });
    this.httpSeconds = new Histogram({
      name: 'till_hub_http_request_duration_seconds',
      help: 'HTTP requests served by this node, by route pattern',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    new Gauge({
      name: 'till_hub_console_connections',
      help: 'Console sockets (signed-in browser tabs) connected to this node',
      registers,
      collect() {
        this.set(sources.consoles());
      },
    });
    this.alertsOpen = new Gauge({ name: 'till_hub_alerts_open', help: 'Open alerts in the store by code, as this node last read them', labelNames: ['code'], registers });
    this.alertsRaised = new Counter({ name: 'till_hub_alerts_raised_total', help: 'Alerts raised by this node by code', labelNames: ['code'], registers });
    this.alertsCleared = new Counter({ name: 'till_hub_alerts_cleared_total', help: 'Alerts cleared by this node by code', labelNames: ['code'], registers });
    this.notifications = new Counter({ name: 'till_hub_notifications_total', help: 'Webhook deliveries by this node: sent, retry (will try again), failed (gave up)', labelNames: ['kind', 'result'], registers });
  }

  batch(ack: PushAck, seconds: number): void {
    this.batchSeconds.observe(seconds);
    if (ack.ok) {
      this.ingestBatches.inc({ result: 'stored' });
      this.ingestEntries.inc(ack.stored);
    } else {
      this.ingestBatches.inc({ result: 'refused' });
      this.refused(ack.error.code);
    }
  }

  refused(code: string): void {
    this.refusals.inc({ code });
  }

  status(terminalId: string, store: string, report: StatusReport, lagSeconds: number | null): void {
    this.lags.set(terminalId, { store, entries: report.queueDepth, seconds: lagSeconds ?? 0 });
  }

  disconnected(terminalId: string): void {
    this.lags.delete(terminalId);
  }

  http(method: string, route: string, status: number, seconds: number): void {
    this.httpSeconds.observe({ method, route, status_code: String(status) }, seconds);
  }

  setOpenAlerts(byCode: ReadonlyMap<string, number>): void {
    this.alertsOpen.reset();
    for (const [code, n] of byCode) this.alertsOpen.set({ code }, n);
  }

  alertRaised(code: string): void {
    this.alertsRaised.inc({ code });
  }

  alertCleared(code: string): void {
    this.alertsCleared.inc({ code });
  }

  notification(kind: string, result: 'sent' | 'retry' | 'failed'): void {
    this.notifications.inc({ kind, result });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
