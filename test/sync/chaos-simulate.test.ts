/**
 * The issue's chaos test with the real load: `till simulate` sells 2,000
 * sales in its own process while a replicator pushes the journal (read from
 * the same ledger file, as WAL allows) through a proxy that cuts, stalls and
 * delays the connection at random. Then `till sync --until-idle` finishes
 * the push, and the hub's copy must equal the terminal's journal: same
 * count, same last hash, every entry equal, no duplicate, no gap.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueEnrollCode, redeemEnrollCode } from '../../src/hub/enroll';
import { newHubSecrets } from '../../src/hub/secrets';
import type { RunningHub } from '../../src/hub/server';
import type { HubStore } from '../../src/hub/store/types';
import { openLedger } from '../../src/ledger/index';
import { fileTokenVault } from '../../src/sync/credentials';
import { Replicator } from '../../src/sync/replicator';
import { storeKit, tempDir, type StoreKit } from '../hub/fixtures';

import { startChaosProxy, type ChaosProxy } from './chaos-proxy';
import { hubOn, memoryState, sameJournal } from './setup';
import { till } from '../support/till';

const ROOT = path.resolve(__dirname, '../..');
const SALES = 2000;

describe('chaos while till simulate sells', () => {
  let kit: StoreKit;
  let store: HubStore;
  let hub: RunningHub;
  let proxy: ChaosProxy;
  const dir = tempDir('chaos-sim');

  beforeAll(async () => {
    kit = storeKit('sqlite');
    store = await kit.open();
    hub = await hubOn(store);
    proxy = await startChaosProxy({ upstreamPort: hub.port, seed: 2026, cutAfterMs: [100, 1200], stallChance: 0.35, stallMs: [300, 1500], delayMs: [0, 25] });
  });
  afterAll(async () => {
    await proxy.close();
    await hub.close();
    await store.close();
    await kit.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`${SALES} simulated sales through cuts, stalls and delays end with hub == terminal`, async () => {
    expect((await till('init', '--data', dir, '--store', 'S1', '--terminal', 'C9')).code).toBe(0);
    const { code } = await issueEnrollCode(store, { store: 'S1', terminal: 'C9' });
    const { terminalId, token } = await redeemEnrollCode(store, { code, store: 'S1', terminal: 'C9' }, newHubSecrets());
    const credentials = { hubUrl: proxy.url, terminalId, token };
    fileTokenVault(dir).write(credentials);

    const reader = openLedger(dir, { readonly: true });
    const replicator = new Replicator({
      credentials,
      source: reader,
      state: memoryState(),
      appVersion: 'chaos',
      ackTimeoutMs: 700,
      connectTimeoutMs: 700,
      backoff: { baseMs: 30, maxMs: 300 },
      batch: { maxEntries: 200, maxBytes: 1 << 20 },
      pollMs: 50,
    });
    let failures = 0;
    replicator.on('status', (s) => {
      if (s.phase === 'backoff') failures += 1;
    });
    replicator.start();

    const sim = spawn(process.execPath, [path.join(ROOT, 'bin/till.cjs'), 'simulate', '--data', dir, '--sales', String(SALES), '--seed', '42'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    sim.stdout.on('data', (c: Buffer) => (out += c.toString()));
    sim.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exit = await new Promise<number | null>((r) => sim.once('exit', r));
    expect(exit).toBe(0);
    expect(out.match(/^committed S1-C9-\d{8}$/gm)?.length).toBe(SALES);
    const pushedDuringSales = replicator.status().acked.seq;

    proxy.calm();
    await replicator.untilIdle(30_000);
    await replicator.stop();
    const finish = await till('sync', '--data', dir, '--until-idle', '--timeout', '30');
    expect(finish.code).toBe(0);

    const same = await sameJournal(store, reader);
    expect(same).toEqual({ count: reader.head().seq, lastHash: reader.head().hash, equal: true });
    expect(pushedDuringSales).toBeGreaterThan(0);
    expect(proxy.stats.cuts).toBeGreaterThanOrEqual(2);
    expect(failures).toBeGreaterThanOrEqual(2);
    expect(await store.alerts()).toEqual([]);
    reader.close();
  }, 90_000);
});
