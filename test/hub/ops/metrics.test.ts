/**
 * The hub's /metrics, scraped as Prometheus would and read with an
 * independent parser of the text format (prom-client has none): 401 without
 * the metrics or admin token, and the values move with what the hub does (a
 * stored batch, a refused batch and handshake, a status report with lag, a
 * request, an alert). On a separate metrics address no token is asked and
 * the hub's own address has no /metrics. The parser folds a histogram's
 * labelled series into one (it reads unlabelled histograms only), so the
 * HTTP latency histogram's series are read from their _count lines.
 */
import parsePrometheusTextFormat, { type Family } from 'parse-prometheus-text-format';
import { afterEach, describe, expect, it } from 'vitest';
import { issueEnrollCode } from '../../../src/hub/enroll';
import { startHub, type RunningHub } from '../../../src/hub/server';
import type { HubStore } from '../../../src/hub/store/types';
import { until } from '../../support/wait';
import { connectTerminal, refusalOf, type TestClient } from '../client';
import { ADMIN_TOKEN } from '../console';
import { makeChain, makeEntry, storeKit, type StoreKit } from '../fixtures';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';

let kit: StoreKit | null = null;
let store: HubStore | null = null;
let hub: RunningHub | null = null;
const terminals: TestClient[] = [];
afterEach(async () => {
  for (const t of terminals.splice(0)) t.close();
  await hub?.close();
  await store?.close();
  await kit?.cleanup();
  hub = null;
  store = null;
  kit = null;
});

async function start(metrics: { token?: string; port?: number; host?: string }, logs: string[] = []): Promise<RunningHub> {
  kit = storeKit('sqlite');
  store = await kit.open();
  hub = await startHub({ store, adminToken: ADMIN_TOKEN, webRoot: null, metrics, alerts: { evaluateEveryMs: 40, sendEveryMs: 1000 }, log: (l) => logs.push(l) });
  return hub;
}

async function scrapeText(url: string, token?: string): Promise<string> {
  const res = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

async function scrape(url: string, token?: string): Promise<Family[]> {
  return parsePrometheusTextFormat(await scrapeText(url, token));
}

/** a labelled histogram series' count, from its _count line */
function histogramCount(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}_count{${labels}} `));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

/** the value of one sample (0 when the family has no such sample yet) */
function value(families: Family[], name: string, labels: Record<string, string> = {}): number {
  const f = families.find((x) => x.name === name);
  if (!f) throw new Error(`no metric ${name}`);
  const s = f.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  if (!s) return 0;
  return Number(s.value ?? s.count);
}

async function enrolled(h: RunningHub, s: HubStore, storeCode: string, terminal: string): Promise<{ terminalId: string; token: string }> {
  const { code } = await issueEnrollCode(s, { store: storeCode, terminal });
  const res = await fetch(`${h.url}/api/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, store: storeCode, terminal }) });
  return { terminalId: `${storeCode}/${terminal}`, token: ((await res.json()) as { token: string }).token };
}

describe('hub metrics', () => {
  it('refuses a scrape without the metrics or admin token, logged without the token', async () => {
    const logs: string[] = [];
    const h = await start({ token: METRICS_TOKEN }, logs);
    const none = await fetch(`${h.url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
    expect((await fetch(`${h.url}/metrics`, { headers: { authorization: 'Bearer not-the-token' } })).status).toBe(401);
    expect((await fetch(`${h.url}/metrics`, { headers: { authorization: `Basic ${METRICS_TOKEN}` } })).status).toBe(401);
    expect(logs.filter((l) => l.startsWith('auth failed: metrics from 127.0.0.1'))).toEqual([
      'auth failed: metrics from 127.0.0.1 (no token given)',
      'auth failed: metrics from 127.0.0.1 (wrong token)',
      'auth failed: metrics from 127.0.0.1 (no token given)',
    ]);
    expect(logs.join('\n')).not.toContain('not-the-token');
    expect(value(await scrape(`${h.url}/metrics`, METRICS_TOKEN), 'till_hub_terminals_connected')).toBe(0);
    expect(value(await scrape(`${h.url}/metrics`, ADMIN_TOKEN), 'till_hub_terminals_connected')).toBe(0);
  });

  it('moves with a stored batch, refused batches and handshakes, a status report, requests and an alert', async () => {
    const h = await start({ token: METRICS_TOKEN });
    const s = store as HubStore;
    const read = () => scrape(`${h.url}/metrics`, METRICS_TOKEN);
    const before = await read();
    for (const name of [
      'till_hub_ingest_entries_total',
      'till_hub_ingest_batches_total',
      'till_hub_ingest_batch_duration_seconds',
      'till_hub_refusals_total',
      'till_hub_terminals_connected',
      'till_hub_replication_lag_entries',
      'till_hub_replication_lag_seconds',
      'till_hub_http_request_duration_seconds',
      'till_hub_console_connections',
      'till_hub_alerts_open',
      'till_hub_alerts_raised_total',
      'till_hub_alerts_cleared_total',
      'till_hub_notifications_total',
      'process_cpu_user_seconds_total',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(before.some((f) => f.name === name), name).toBe(true);
    }
    expect(before.find((f) => f.name === 'till_hub_ingest_batch_duration_seconds')?.type).toBe('HISTOGRAM');
    expect(value(before, 'till_hub_ingest_entries_total')).toBe(0);

    const auth = await enrolled(h, s, 'S1', 'T1');
    expect((await refusalOf(connectTerminal(h.url, { ...auth, token: 'forged' })))?.code).toBe('unauthenticated');
    const t = await connectTerminal(h.url, auth);
    terminals.push(t);
    const chain = makeChain('S1', 'T1', 12);
    expect(await t.call('push', { entries: chain.slice(0, 10) })).toMatchObject({ ok: true, stored: 10 });
    const tampered = { ...(makeEntry(chain[9] ?? null, 'SaleCompleted', { total: 1 })) };
    tampered.payload = '{"total":2}';
    expect(await t.call('push', { entries: [tampered] })).toMatchObject({ ok: false, error: { code: 'bad-hash' } });
    const at = new Date();
    expect(await t.call('status', { appVersion: '1.0.0', at: at.toISOString(), devices: [], queueDepth: 7, oldestPendingAt: new Date(at.getTime() - 42_000).toISOString(), lastError: null })).toEqual({ ok: true });
    expect((await fetch(`${h.url}/api/fleet/terminals`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status).toBe(200);

    const text = await scrapeText(`${h.url}/metrics`, METRICS_TOKEN);
    const after = parsePrometheusTextFormat(text);
    expect(value(after, 'till_hub_ingest_entries_total')).toBe(10);
    expect(value(after, 'till_hub_ingest_batches_total', { result: 'stored' })).toBe(1);
    expect(value(after, 'till_hub_ingest_batches_total', { result: 'refused' })).toBe(1);
    expect(value(after, 'till_hub_ingest_batch_duration_seconds')).toBe(2);
    expect(value(after, 'till_hub_refusals_total', { code: 'bad-hash' })).toBe(1);
    expect(value(after, 'till_hub_refusals_total', { code: 'unauthenticated' })).toBe(1);
    expect(value(after, 'till_hub_terminals_connected')).toBe(1);
    expect(value(after, 'till_hub_replication_lag_entries', { store: 'S1' })).toBe(7);
    expect(value(after, 'till_hub_replication_lag_seconds', { store: 'S1' })).toBe(42);
    expect(after.find((f) => f.name === 'till_hub_http_request_duration_seconds')?.type).toBe('HISTOGRAM');
    expect(histogramCount(text, 'till_hub_http_request_duration_seconds', 'method="GET",route="/api/fleet/terminals",status_code="200"')).toBe(1);
    expect(histogramCount(text, 'till_hub_http_request_duration_seconds', 'method="GET",route="/metrics",status_code="200"')).toBeGreaterThanOrEqual(1);

    await until(async () => value(await read(), 'till_hub_alerts_open', { code: 'bad-hash' }) === 1, 5000, 'the open bad-hash alert counted');
    t.close();
    await until(async () => value(await read(), 'till_hub_terminals_connected') === 0, 5000, 'the terminal gone');
    expect((await read()).find((f) => f.name === 'till_hub_replication_lag_entries')?.metrics).toEqual([]);
  });

  it('serves them on a separate address without a token, and none on the hub address', async () => {
    const h = await start({ port: 0, host: '127.0.0.1' });
    expect(h.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(value(await scrape(h.metricsUrl as string), 'till_hub_terminals_connected')).toBe(0);
    expect((await fetch(`${h.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status).toBe(404);
    expect((await fetch((h.metricsUrl as string).replace('/metrics', '/api/fleet/terminals'))).status).toBe(404);
  });
});
