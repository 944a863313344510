/**
 * Chaos between terminal and hub: a proxy cuts, stalls and delays the
 * connection at random while sales are appended; at the end the hub's copy
 * must equal the terminal's journal with no duplicate and no gap.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/hub/server';
import type { HubStore } from '../../src/hub/store/types';
import { createTerminalSync } from '../../src/sync/terminal-sync';
import { STORE_KINDS, storeKit, type StoreKit } from '../hub/fixtures';
import { startChaosProxy, type ChaosProxy } from './chaos-proxy';
import { enrollLedger, hubOn, newLedger, removeLedger, sameJournal, sell } from './setup';

describe.each(STORE_KINDS)('chaos between terminal and a %s hub', (kind) => {
  let kit: StoreKit;
  let store: HubStore;
  let hub: RunningHub;
  let proxy: ChaosProxy;

  beforeAll(async () => {
    kit = storeKit(kind);
    store = await kit.open();
    hub = await hubOn(store);
    proxy = await startChaosProxy({ upstreamPort: hub.port, seed: kind === 'sqlite' ? 7 : 11, cutAfterMs: [50, 600], stallChance: 0.35, stallMs: [200, 1200], delayMs: [0, 20] });
  });
  afterAll(async () => {
    await proxy.close();
    await hub.close();
    await store.close();
    await kit.cleanup();
  });

  it('ends with hub == terminal after cuts, stalls and delays during 3000 sales', async () => {
    const ledger = newLedger('S1', 'C1');
    await enrollLedger(hub, store, ledger, proxy.url);
    const sync = createTerminalSync(ledger, {
      appVersion: '1',
      tuning: { ackTimeoutMs: 600, connectTimeoutMs: 600, backoff: { baseMs: 20, maxMs: 250 }, batch: { maxEntries: 150, maxBytes: 256 * 1024 }, inFlight: 4, pollMs: 100 },
    });
    let errors = 0;
    sync.replicator.on('status', (s) => {
      if (s.phase === 'backoff') errors += 1;
    });
    sync.replicator.start();
    for (let round = 0; round < 60; round++) {
      sell(ledger, 50);
      sync.replicator.wake();
      await new Promise((r) => setTimeout(r, 25));
    }
    proxy.calm();
    await sync.replicator.untilIdle(30_000);
    const same = await sameJournal(store, ledger);
    expect(same).toEqual({ count: 3001, lastHash: ledger.head().hash, equal: true });
    expect(proxy.stats.cuts).toBeGreaterThanOrEqual(2);
    expect(proxy.stats.stalls).toBeGreaterThan(0);
    expect(errors).toBeGreaterThanOrEqual(2);
    expect(await store.alerts('S1/C1')).toEqual([]);
    await sync.replicator.stop();
    removeLedger(ledger);
  });
});
