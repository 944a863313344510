/**
 * Crashes and outages: kill -9 of the hub in the middle of ingest, kill -9 of
 * a terminal in the middle of a push, PostgreSQL dropping the hub's
 * connections (pg_terminate_backend, which is what a server restart looks
 * like to the hub, without disturbing other tests on the same cluster). Each
 * ends with the hub's copy equal to the terminal's journal.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { issueEnrollCode } from '../../src/hub/enroll';
import { openSqliteStore } from '../../src/hub/store/sqlite-store';
import type { HubStore } from '../../src/hub/store/types';
import { openLedger, type Ledger } from '../../src/ledger/index';
import { enrollTerminal, fileTokenVault } from '../../src/sync/credentials';
import { createTerminalSync } from '../../src/sync/terminal-sync';
import { PG_BASE, storeKit, tempDir } from '../hub/fixtures';
import { hubUrlOf } from '../cli/sync-helpers';
import { enrollLedger, hubOn, newLedger, removeLedger, sameJournal } from './setup';
import { waitFor } from '../support/wait';
import { spawnTill, type TillChild } from '../support/till';

const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<void> | void> = [];

function till(args: string[]): TillChild {
  const t = spawnTill(args);
  children.push(t.child);
  return t;
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** sales appended in one transaction: fast set-up of a big backlog */
function backlog(ledger: Ledger, n: number): void {
  ledger.transaction(() => {
    for (let i = 0; i < n; i++) ledger.append('TestSale', { total: 100 + (i % 70), lines: [{ sku: `P${i % 40}`, qty: 1 }] });
  });
}

afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const f of cleanups.splice(0).reverse()) await f();
});

describe('faults', () => {
  it('kill -9 of the hub in the middle of ingest', async () => {
    const hubDir = tempDir('hub-kill');
    const port = await freePort();
    let hub = till(['hub', '--data', hubDir, '--port', String(port)]);
    const url = await waitFor('the hub', () => hubUrlOf(hubDir));
    const ledger = newLedger('S1', 'K1');
    cleanups.push(() => removeLedger(ledger), () => fs.rmSync(hubDir, { recursive: true, force: true }));
    backlog(ledger, 20_000);
    const setup = openSqliteStore(hubDir);
    await enrollLedger({ url }, setup, ledger);
    await setup.close();
    const sync = createTerminalSync(ledger, { appVersion: '1', tuning: { batch: { maxEntries: 100, maxBytes: 1 << 20 }, inFlight: 2, ackTimeoutMs: 1000, connectTimeoutMs: 500, backoff: { baseMs: 30, maxMs: 300 } } });
    sync.replicator.start();
    await waitFor('ingest to be under way', () => sync.replicator.status().acked.seq > 2000);
    hub.child.kill('SIGKILL');
    await hub.done;
    const ackedAtKill = sync.replicator.status().acked.seq;
    expect(ackedAtKill).toBeLessThan(20_001);
    hub = till(['hub', '--data', hubDir, '--port', String(port)]);
    await sync.replicator.untilIdle(45_000);
    hub.child.kill('SIGTERM');
    expect(await hub.done).toBe(0);
    await sync.replicator.stop();
    const store = openSqliteStore(hubDir);
    try {
      expect(await sameJournal(store, ledger)).toEqual({ count: 20_001, lastHash: ledger.head().hash, equal: true });
    } finally {
      await store.close();
    }
  });

  it('kill -9 of the terminal in the middle of a push', async () => {
    const kit = storeKit('sqlite');
    const store: HubStore = await kit.open();
    const hub = await hubOn(store, { limits: { maxEntries: 100, maxBytes: 1 << 20 } });
    cleanups.push(async () => {
      await hub.close();
      await store.close();
      await kit.cleanup();
    });
    const termDir = tempDir('term-kill');
    cleanups.push(() => fs.rmSync(termDir, { recursive: true, force: true }));
    const ledger = openLedger(termDir, { create: { store: 'S1', terminal: 'K2' } });
    backlog(ledger, 30_000);
    const { code } = await issueEnrollCode(store, ledger.identity);
    const r = await enrollTerminal({ hubUrl: hub.url, code, ...ledger.identity });
    fileTokenVault(ledger.dir).write({ hubUrl: hub.url, terminalId: r.terminalId, token: r.token });
    ledger.close();
    const first = till(['sync', '--data', termDir, '--until-idle', '--timeout', '60']);
    let hwm = 0;
    for (let i = 0; i < 2000 && hwm < 1000; i++) {
      hwm = (await store.terminal('S1/K2'))?.hwm.seq ?? 0;
      await new Promise((res) => setTimeout(res, 10));
    }
    first.child.kill('SIGKILL');
    await first.done;
    const atKill = (await store.terminal('S1/K2'))?.hwm.seq ?? 0;
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(30_001);
    const second = till(['sync', '--data', termDir, '--until-idle', '--timeout', '60']);
    expect(await second.done).toBe(0);
    expect(second.output()).toMatch(/synced: the hub has every entry up to 30001/);
    const check = openLedger(termDir, { readonly: true });
    try {
      expect(await sameJournal(store, check)).toEqual({ count: 30_001, lastHash: check.head().hash, equal: true });
    } finally {
      check.close();
    }
  });

  it('PostgreSQL drops every hub connection mid-push (pg_terminate_backend)', async () => {
    const kit = storeKit('postgres');
    const store = await kit.open();
    const hub = await hubOn(store);
    const admin = new pg.Client({ connectionString: PG_BASE });
    await admin.connect();
    const ledger = newLedger('S1', 'P1');
    cleanups.push(async () => {
      removeLedger(ledger);
      await admin.end();
      await hub.close();
      await store.close();
      await kit.cleanup();
    });
    backlog(ledger, 15_000);
    await enrollLedger(hub, store, ledger);
    const sync = createTerminalSync(ledger, { appVersion: '1', tuning: { batch: { maxEntries: 100, maxBytes: 1 << 20 }, inFlight: 3, ackTimeoutMs: 2000, backoff: { baseMs: 30, maxMs: 300 } } });
    let refusals = 0;
    sync.replicator.on('status', (s) => {
      if (s.phase === 'backoff') refusals += 1;
    });
    sync.replicator.start();
    const app = `till-hub:${new URL(kit.databaseUrl as string).searchParams.get('schema')}`;
    for (const mark of [2000, 6000, 10_000]) {
      await waitFor(`acked ${mark}`, () => sync.replicator.status().acked.seq >= mark, 30_000);
      const killed = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [app]);
      expect(killed.rowCount).toBeGreaterThan(0);
    }
    await sync.replicator.untilIdle(45_000);
    expect(refusals).toBeGreaterThan(0);
    expect(await sameJournal(store, ledger)).toEqual({ count: 15_001, lastHash: ledger.head().hash, equal: true });
    await sync.replicator.stop();
  });
});
