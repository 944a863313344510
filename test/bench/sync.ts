/**
 * Replication benchmark (npm run bench -- sync [--json] [--quick]).
 *
 * The hub runs as its own process (`till hub`, as in production), the
 * terminals in this one, all on 127.0.0.1:
 * - catch-up: a terminal that was offline holds 100,000 sale entries (about
 *   600 B of canonical JSON each); time from start to the hub's ack of the
 *   last one, to the SQLite hub and to the PostgreSQL hub (target >= 20,000
 *   entries/s);
 * - sale-to-hub lag: one durable sale per second through the real ledger and
 *   replicator; time from the append's return to the hub's ack (p50, p99);
 * - fleet: 200 simulated terminals connected to one hub (real replicators
 *   over in-memory journals), each appending a sale every 2 s: ack p99 from
 *   append to ack, and the hub process's CPU and peak RSS (from /proc).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { issueEnrollCode, redeemEnrollCode } from '../../src/hub/enroll';
import { newHubSecrets } from '../../src/hub/secrets';
import { openHubStore } from '../../src/hub/runtime';
import { openLedger, type Ledger } from '../../src/ledger/index';
import { GENESIS_PREV_HASH, type JournalEntry } from '../../src/shared/journal';
import type { Hwm } from '../../src/shared/replication';
import { fileTokenVault } from '../../src/sync/credentials';
import { Replicator } from '../../src/sync/replicator';
import { createTerminalSync } from '../../src/sync/terminal-sync';
import type { JournalSource, ReplicationState } from '../../src/sync/types';
import { dropPgSchema, makeEntry } from '../hub/fixtures';
import { scratchDir, summarize, type BenchRow, type BenchSuite } from './harness';

const ROOT = path.resolve(__dirname, '../..');
const PG = process.env.TILL_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

function sale(i: number): unknown {
  return {
    cartId: `C${String(i).padStart(10, '0')}`,
    cashier: 'U0001',
    lines: Array.from({ length: 3 }, (_, k) => ({ sku: `6901234${String(k).padStart(6, '0')}`, name: ['矿泉水 550ml', '可口可乐 330ml', '口香糖'][k], qty: 1 + (k % 3), unitPrice: 350 + k * 125, tax: 40 + k })),
    totals: { subtotal: 1650, discount: 0, tax: 123, total: 1650 },
    tenders: [{ kind: 'cash', amount: 2000 }],
  };
}

interface HubProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function startHubProcess(dir: string, database?: string): Promise<HubProcess> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/till.cjs'), 'hub', '--data', dir, '--port', '0', ...(database ? ['--database', database] : [])], { cwd: ROOT, stdio: 'ignore' });
  const file = path.join(dir, 'hub.json');
  const until = Date.now() + 30_000;
  while (!fs.existsSync(file)) {
    if (Date.now() > until || child.exitCode !== null) throw new Error('the hub did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = (JSON.parse(fs.readFileSync(file, 'utf8')) as { url: string }).url;
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** enrolls (store, terminal) directly in the store and returns the token */
async function enrollIn(dir: string, database: string | undefined, identity: { store: string; terminal: string }): Promise<string> {
  const store = await openHubStore(dir, database);
  try {
    const { code } = await issueEnrollCode(store, identity);
    return (await redeemEnrollCode(store, { code, ...identity }, newHubSecrets())).token;
  } finally {
    await store.close();
  }
}

function procStats(pid: number): { cpuTicks: number; rssKb: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuTicks = Number(fields[11]) + Number(fields[12]);
  const rss = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuTicks, rssKb: Number(rss?.[1] ?? 0) };
}

async function catchUp(kind: 'sqlite' | 'postgres', n: number, log: (l: string) => void): Promise<number> {
  const dir = scratchDir(`sync-${kind}`);
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const database = kind === 'postgres' ? `${PG}?schema=${schema}` : undefined;
  const ledger = openLedger(path.join(dir, 'terminal'), { create: { store: 'B1', terminal: 'T1' } });
  try {
    for (let i = 0; i < n; i += 5000) ledger.transaction(() => {
      for (let k = i; k < Math.min(n, i + 5000); k++) ledger.append('BenchSale', sale(k));
    });
    const hubDir = path.join(dir, 'hub');
    fs.mkdirSync(hubDir);
    const token = await enrollIn(hubDir, database, ledger.identity);
    const hub = await startHubProcess(hubDir, database);
    try {
      fileTokenVault(ledger.dir).write({ hubUrl: hub.url, terminalId: 'B1/T1', token });
      const sync = createTerminalSync(ledger, { appVersion: 'bench', tuning: { batch: { maxEntries: 1000, maxBytes: 2 * 1024 * 1024 - 4096 }, inFlight: 4 } });
      const t0 = performance.now();
      sync.replicator.start();
      await sync.replicator.untilIdle(300_000);
      const seconds = (performance.now() - t0) / 1000;
      await sync.replicator.stop();
      const rate = (n + 1) / seconds;
      log(`catch-up to ${kind}: ${n + 1} entries in ${seconds.toFixed(2)} s`);
      return rate;
    } finally {
      await hub.stop();
    }
  } finally {
    ledger.close();
    if (database) await dropPgSchema(database);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function lag(samples: number, log: (l: string) => void): Promise<number[]> {
  const dir = scratchDir('sync-lag');
  const ledger: Ledger = openLedger(path.join(dir, 'terminal'), { create: { store: 'B1', terminal: 'L1' } });
  const hubDir = path.join(dir, 'hub');
  fs.mkdirSync(hubDir);
  const token = await enrollIn(hubDir, undefined, ledger.identity);
  const hub = await startHubProcess(hubDir);
  const out: number[] = [];
  try {
    fileTokenVault(ledger.dir).write({ hubUrl: hub.url, terminalId: 'B1/L1', token });
    const sync = createTerminalSync(ledger, { appVersion: 'bench' });
    sync.replicator.start();
    await sync.replicator.untilIdle(10_000);
    for (let i = 0; i < samples; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      const e = ledger.append('BenchSale', sale(i));
      const t0 = performance.now();
      sync.replicator.wake();
      await new Promise<void>((resolve) => {
        const check = () => {
          if (sync.replicator.status().acked.seq >= e.seq) {
            sync.replicator.off('status', check);
            resolve();
          }
        };
        sync.replicator.on('status', check);
        check();
      });
      out.push(performance.now() - t0);
    }
    await sync.replicator.stop();
    log(`lag: ${samples} sales, one per second`);
    return out;
  } finally {
    await hub.stop();
    ledger.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** an in-memory journal for a simulated terminal */
class MemoryJournal implements JournalSource, ReplicationState {
  readonly entries_: JournalEntry[] = [];
  private ackedMark: Hwm = { seq: 0, hash: GENESIS_PREV_HASH };
  private listener: (() => void) | null = null;
  constructor(readonly identity: { store: string; terminal: string }) {
    this.entries_.push(makeEntry(null, 'Genesis', { store: identity.store, terminal: identity.terminal, createdAt: '2026-01-01T00:00:00.000Z', schema: 1 }));
  }
  append(i: number): JournalEntry {
    const e = makeEntry(this.entries_[this.entries_.length - 1] as JournalEntry, 'SaleCompleted', sale(i), new Date());
    this.entries_.push(e);
    this.listener?.();
    return e;
  }
  head(): Hwm {
    const e = this.entries_[this.entries_.length - 1] as JournalEntry;
    return { seq: e.seq, hash: e.hash };
  }
  entries(fromSeq: number, limit: number): JournalEntry[] {
    return this.entries_.slice(fromSeq - 1, fromSeq - 1 + limit);
  }
  onAppend(l: () => void): () => void {
    this.listener = l;
    return () => (this.listener = null);
  }
  acked(): Hwm {
    return this.ackedMark;
  }
  setAcked(h: Hwm): void {
    this.ackedMark = h;
  }
  addAlert(): void {}
}

async function fleet(count: number, seconds: number, log: (l: string) => void): Promise<{ ack: number[]; cpuPercent: number; rssMb: number }> {
  const dir = scratchDir('sync-fleet');
  const hubDir = path.join(dir, 'hub');
  fs.mkdirSync(hubDir);
  const store = await openHubStore(hubDir, undefined);
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const { code } = await issueEnrollCode(store, { store: 'F1', terminal: `T${i}` });
    tokens.push((await redeemEnrollCode(store, { code, store: 'F1', terminal: `T${i}` }, newHubSecrets())).token);
  }
  await store.close();
  const hub = await startHubProcess(hubDir);
  const pid = hub.child.pid as number;
  const ack: number[] = [];
  const reps: Replicator[] = [];
  try {
    const journals = tokens.map((_, i) => new MemoryJournal({ store: 'F1', terminal: `T${i}` }));
    journals.forEach((j, i) => {
      const r = new Replicator({ credentials: { hubUrl: hub.url, terminalId: `F1/T${i}`, token: tokens[i] as string }, source: j, state: j, appVersion: 'bench', statusIntervalMs: 30_000 });
      reps.push(r);
      r.start();
    });
    await Promise.all(reps.map((r) => r.untilIdle(60_000)));
    log(`fleet: ${count} terminals connected`);
    const before = procStats(pid);
    const t0 = performance.now();
    let peakRss = before.rssKb;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, procStats(pid).rssKb)), 250);
    const pending: Promise<void>[] = [];
    const until = Date.now() + seconds * 1000;
    let i = 0;
    while (Date.now() < until) {
      const k = i % count;
      const j = journals[k] as MemoryJournal;
      const r = reps[k] as Replicator;
      const e = j.append(i);
      const start = performance.now();
      pending.push(
        new Promise<void>((resolve) => {
          const check = () => {
            if (j.acked().seq >= e.seq) {
              r.off('status', check);
              ack.push(performance.now() - start);
              resolve();
            }
          };
          r.on('status', check);
        }),
      );
      i += 1;
      await new Promise((res) => setTimeout(res, 2000 / count));
    }
    await Promise.all(pending);
    clearInterval(sampler);
    const after = procStats(pid);
    const wall = (performance.now() - t0) / 1000;
    const ticks = 100;
    log(`fleet: ${i} sales from ${count} terminals in ${wall.toFixed(1)} s`);
    return { ack, cpuPercent: ((after.cpuTicks - before.cpuTicks) / ticks / wall) * 100, rssMb: Math.max(peakRss, after.rssKb) / 1024 };
  } finally {
    await Promise.all(reps.map((r) => r.stop()));
    await hub.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const suite: BenchSuite = {
  name: 'sync',
  summary: 'replication: catch-up to the SQLite and PostgreSQL hubs, sale-to-hub lag, 200 terminals on one hub',
  async run({ quick, log }) {
    const n = quick ? 20_000 : 100_000;
    const rows: BenchRow[] = [];
    rows.push({ metric: `catch-up ${n} entries to the SQLite hub`, value: Math.round(await catchUp('sqlite', n, log)), unit: 'entries/s', target: '>= 20000' });
    rows.push({ metric: `catch-up ${n} entries to the PostgreSQL hub`, value: Math.round(await catchUp('postgres', n, log)), unit: 'entries/s', target: '>= 20000' });
    const l = summarize(await lag(quick ? 5 : 30, log));
    rows.push({ metric: 'sale-to-hub lag p50 (1 sale/s)', value: l.p50, unit: 'ms' });
    rows.push({ metric: 'sale-to-hub lag p99 (1 sale/s)', value: l.p99, unit: 'ms', target: '<= 100' });
    const f = await fleet(200, quick ? 10 : 30, log);
    const a = summarize(f.ack);
    rows.push({ metric: '200 terminals: ack p50', value: a.p50, unit: 'ms' });
    rows.push({ metric: '200 terminals: ack p99', value: a.p99, unit: 'ms', target: '<= 250' });
    rows.push({ metric: '200 terminals: hub CPU', value: f.cpuPercent, unit: '% of 1 core' });
    rows.push({ metric: '200 terminals: hub peak RSS', value: f.rssMb, unit: 'MiB', target: '<= 512' });
    return rows;
  },
};
export default suite;
