/** A link that stalls while nothing is being pushed is noticed by the status report's ack and replaced. */
import { describe, expect, it } from 'vitest';
import { createTerminalSync } from '../../src/sync/terminal-sync';
import { storeKit } from '../hub/fixtures';
import { startChaosProxy } from './chaos-proxy';
import { enrollLedger, hubOn, newLedger, removeLedger } from './setup';

describe('a stalled link with nothing in flight', () => {
  it('is detected by the unanswered status report and the replicator reconnects', async () => {
    const kit = storeKit('sqlite');
    const store = await kit.open();
    const hub = await hubOn(store);
    const proxy = await startChaosProxy({ upstreamPort: hub.port, seed: 3, cutAfterMs: [60_000, 60_000], stallChance: 1, stallAtMs: [1500, 1500], stallMs: [5000, 5000], delayMs: [0, 0] });
    const ledger = newLedger('S1', 'Q1');
    try {
      await enrollLedger(hub, store, ledger, proxy.url);
      const sync = createTerminalSync(ledger, { appVersion: '1', tuning: { statusIntervalMs: 100, ackTimeoutMs: 300, connectTimeoutMs: 1000, backoff: { baseMs: 20, maxMs: 50 } } });
      const phases: string[] = [];
      sync.replicator.on('status', (s) => phases.push(s.phase));
      sync.replicator.start();
      await sync.replicator.untilIdle(1000);
      expect(proxy.stats.stalls).toBe(0);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no reconnect; phases ${phases.join(',')}`)), 8000);
        sync.replicator.on('status', (s) => {
          if (s.phase === 'backoff' && s.lastError?.reason === 'timeout') {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      expect(proxy.stats.stalls).toBeGreaterThan(0);
      await sync.replicator.stop();
    } finally {
      removeLedger(ledger);
      await proxy.close();
      await hub.close();
      await store.close();
      await kit.cleanup();
    }
  });
});
