import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/hub/server';
import type { HubStore } from '../../src/hub/store/types';
import type { CatalogDelta } from '../../src/shared/contract/catalog';
import type { JournalEntry } from '../../src/shared/journal';
import { fileTokenVault } from '../../src/sync/credentials';
import { SyncError } from '../../src/sync/sync-error';
import { createTerminalSync } from '../../src/sync/terminal-sync';
import type { SyncStatus } from '../../src/sync/types';
import { makeEntry, storeKit, type StoreKit } from '../hub/fixtures';
import { enrollLedger, hubOn, newLedger, removeLedger, sameJournal, sell } from './setup';

const fast = { ackTimeoutMs: 2000, backoff: { baseMs: 20, maxMs: 200 }, pollMs: 50, statusIntervalMs: 100 };

describe('the replicator', () => {
  let kit: StoreKit;
  let store: HubStore;
  let hub: RunningHub;

  beforeAll(async () => {
    kit = storeKit('sqlite');
    store = await kit.open();
    hub = await hubOn(store, { limits: { maxEntries: 300, maxBytes: 32 * 1024 } });
  });
  afterAll(async () => {
    await hub.close();
    await store.close();
    await kit.cleanup();
  });

  it('pushes in bounded batches, moves the acked mark only on acks, and keeps up with new sales', async () => {
    const ledger = newLedger('S1', 'R1');
    sell(ledger, 2000);
    await enrollLedger(hub, store, ledger);
    const sync = createTerminalSync(ledger, { appVersion: '9.9.9', tuning: { ...fast, batch: { maxEntries: 500, maxBytes: 64 * 1024 }, inFlight: 3 } });
    const acked: number[] = [];
    sync.replicator.on('status', (s) => acked.push(s.acked.seq));
    sync.replicator.start();
    await sync.replicator.untilIdle(20_000);
    sell(ledger, 50);
    sync.replicator.wake();
    await sync.replicator.untilIdle(20_000);
    expect(await sameJournal(store, ledger)).toEqual({ count: 2051, lastHash: ledger.head().hash, equal: true });
    expect(acked.every((v, i) => i === 0 || v >= (acked[i - 1] as number))).toBe(true);
    const t = await store.terminal('S1/R1');
    await new Promise((r) => setTimeout(r, 250));
    expect((await store.terminal('S1/R1'))?.status).toMatchObject({ appVersion: '9.9.9', queueDepth: 0, lastError: null });
    expect(t?.hwm.seq).toBe(2051);
    await sync.replicator.stop();
    removeLedger(ledger);
  });

  it('resumes from the hub hwm after a restart of the terminal, with an acked mark that lagged', async () => {
    const ledger = newLedger('S1', 'R2');
    sell(ledger, 500);
    await enrollLedger(hub, store, ledger);
    const first = createTerminalSync(ledger, { appVersion: '1', tuning: fast });
    first.replicator.start();
    await first.replicator.untilIdle(10_000);
    await first.replicator.stop();
    ledger.db.prepare('UPDATE sync_state SET acked_seq = 10').run();
    sell(ledger, 100);
    const second = createTerminalSync(ledger, { appVersion: '1', tuning: fast });
    second.replicator.start();
    await second.replicator.untilIdle(10_000);
    expect(second.replicator.status()).toMatchObject({ acked: ledger.head(), queueDepth: 0 });
    expect(await sameJournal(store, ledger)).toMatchObject({ count: 601, equal: true });
    await second.replicator.stop();
    removeLedger(ledger);
  });

  it('stops on a divergence, persists the alert and surfaces it; the hub keeps its copy and raises an alert', async () => {
    const a = newLedger('S1', 'R3');
    sell(a, 20);
    await enrollLedger(hub, store, a);
    const s1 = createTerminalSync(a, { appVersion: '1', tuning: fast });
    s1.replicator.start();
    await s1.replicator.untilIdle(10_000);
    await s1.replicator.stop();
    const b = newLedger('S1', 'R3');
    sell(b, 30);
    const sb = createTerminalSync(b, { appVersion: '1', vault: fileTokenVault(a.dir), tuning: fast });
    const statuses: SyncStatus[] = [];
    sb.replicator.on('status', (s) => statuses.push(s));
    sb.replicator.start();
    const err = await sb.replicator.untilIdle(10_000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyncError);
    expect((err as SyncError).reason).toBe('ledger-diverged');
    expect(statuses.at(-1)).toMatchObject({ phase: 'stopped', lastError: { reason: 'ledger-diverged' } });
    expect(sb.alerts().map((x) => x.code)).toEqual(['ledger-diverged']);
    expect((await store.journalStats('S1/R3')).lastHash).toBe(a.head().hash);
    await sb.replicator.stop();
    removeLedger(a);
    removeLedger(b);
  });

  it('refuses to push entries of a hub that is ahead (a ledger restored from an old backup)', async () => {
    const ledger = newLedger('S1', 'R4');
    sell(ledger, 10);
    await enrollLedger(hub, store, ledger);
    const s = createTerminalSync(ledger, { appVersion: '1', tuning: fast });
    s.replicator.start();
    await s.replicator.untilIdle(10_000);
    await s.replicator.stop();
    const chain: JournalEntry[] = ledger.entries(1, 100);
    let prev = chain[chain.length - 1] as JournalEntry;
    const extra: JournalEntry[] = [];
    for (let i = 0; i < 3; i++) extra.push((prev = makeEntry(prev, 'TestSale', { total: i })));
    await store.transaction(async (tx) => {
      await tx.insertEntries('S1/R4', extra, new Date().toISOString());
      await tx.setHwm('S1/R4', { seq: prev.seq, hash: prev.hash });
    });
    const again = createTerminalSync(ledger, { appVersion: '1', tuning: fast });
    again.replicator.start();
    const err = (await again.replicator.untilIdle(10_000).catch((e: unknown) => e)) as SyncError;
    expect(err.reason).toBe('hub-ahead');
    expect(err.code).toBe('ledger-diverged');
    await again.replicator.stop();
    removeLedger(ledger);
  });

  it('queues while offline, reconnects with backoff after the hub comes back, and pulls catalog changes', async () => {
    const ledger = newLedger('S1', 'R5');
    await enrollLedger(hub, store, ledger);
    const applied: CatalogDelta[] = [];
    let version = 5;
    const sync = createTerminalSync(ledger, {
      appVersion: '1',
      tuning: fast,
      catalog: { version: () => version, apply: (d) => void (applied.push(d), (version = d.version)) },
    });
    sync.replicator.setMode('offline');
    sync.replicator.start();
    sell(ledger, 40);
    expect(sync.replicator.status()).toMatchObject({ mode: 'offline', phase: 'offline', connected: false, queueDepth: 41 });
    await expect(sync.replicator.untilIdle(1000)).rejects.toMatchObject({ reason: 'offline' });
    sync.replicator.setMode('enabled');
    await sync.replicator.untilIdle(10_000);
    const cola = { sku: 'COLA', name: '可乐', barcodes: ['6901234567892'], plu: null, category: 'drinks', unit: '瓶', price: 350, memberPrice: null, vatRate: 1300, weighed: false, active: true };
    const v = await hub.changeCatalog([{ kind: 'product', key: 'COLA', data: cola }]);
    await new Promise<void>((resolve) => {
      const check = () => (version === 6 ? resolve() : setTimeout(check, 10));
      check();
    });
    expect(applied.at(-1)).toMatchObject({ fromVersion: 5, version: 6, products: [cola] });
    expect(sync.replicator.status().catalogVersion).toBe(v);
    expect(await sameJournal(store, ledger)).toMatchObject({ count: 41, equal: true });
    await sync.replicator.stop();
    removeLedger(ledger);
  });
});

describe('entry size', () => {
  it('sends an entry bigger than its batch budget alone, and stops with entry-too-large on one bigger than the hub accepts', async () => {
    const kit = storeKit('sqlite');
    const store = await kit.open();
    const hub = await hubOn(store, { limits: { maxEntries: 100, maxBytes: 64 * 1024 } });
    const ledger = newLedger('S1', 'Z1');
    try {
      sell(ledger, 5);
      ledger.append('BigEntry', { blob: '商品'.repeat(8000) });
      sell(ledger, 5);
      await enrollLedger(hub, store, ledger);
      const sync = createTerminalSync(ledger, { appVersion: '1', tuning: { ...fast, batch: { maxEntries: 100, maxBytes: 16 * 1024 } } });
      sync.replicator.start();
      await sync.replicator.untilIdle(10_000);
      expect(await sameJournal(store, ledger)).toMatchObject({ count: 12, equal: true });
      ledger.append('BigEntry', { blob: '商品'.repeat(20_000) });
      sync.replicator.wake();
      const err = (await sync.replicator.untilIdle(10_000).catch((e: unknown) => e)) as SyncError;
      expect(err.reason).toBe('entry-too-large');
      expect(sync.alerts().map((a) => a.code)).toEqual(['entry-too-large']);
      await sync.replicator.stop();
    } finally {
      removeLedger(ledger);
      await hub.close();
      await store.close();
      await kit.cleanup();
    }
  });

  it('refuses credentials enrolled for another terminal', async () => {
    const a = newLedger('S1', 'Y1');
    const b = newLedger('S1', 'Y2');
    fileTokenVault(b.dir).write({ hubUrl: 'http://127.0.0.1:9', terminalId: 'S1/Y1', token: 'x'.repeat(32) });
    expect(() => createTerminalSync(b, { appVersion: '1' })).toThrow(/are for S1\/Y1, but this ledger is S1\/Y2/);
    removeLedger(a);
    removeLedger(b);
  });
});
