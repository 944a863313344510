import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { GENESIS_PREV_HASH } from '../../src/shared/journal';
import { Replicator, backoffDelay } from '../../src/sync/replicator';
import { memoryState } from './setup';

describe('reconnect backoff', () => {
  it('grows exponentially to the cap with half of each wait random', () => {
    const b = { baseMs: 500, maxMs: 30_000 };
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, b, 0))).toEqual([250, 500, 1000, 2000, 4000, 8000, 15_000, 15_000]);
    expect([0, 1, 2, 6, 40].map((n) => backoffDelay(n, b, 1))).toEqual([500, 1000, 2000, 30_000, 30_000]);
    expect(backoffDelay(3, b, 0.5)).toBe(3000);
  });

  it('keeps retrying an unreachable hub with the reason, until stopped', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const r = new Replicator({
      credentials: { hubUrl: `http://127.0.0.1:${port}`, terminalId: 'S1/T1', token: 'x'.repeat(32) },
      source: { identity: { store: 'S1', terminal: 'T1' }, head: () => ({ seq: 1, hash: GENESIS_PREV_HASH }), entries: () => [] },
      state: memoryState(),
      appVersion: '1',
      backoff: { baseMs: 10, maxMs: 40 },
    });
    let attempts = 0;
    r.on('status', (s) => {
      if (s.phase === 'connecting') attempts += 1;
    });
    r.start();
    const err = await r.untilIdle(600).catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'timeout' });
    expect(attempts).toBeGreaterThanOrEqual(4);
    expect(r.status()).toMatchObject({ connected: false, queueDepth: 1, lastError: { reason: 'offline' } });
    await r.stop();
  });
});
