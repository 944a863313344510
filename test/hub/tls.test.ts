/**
 * wss: the hub serves TLS with a certificate made at test time (openssl);
 * a terminal that pins the CA enrolls and pushes, one that does not trust
 * it, or pins another CA, cannot connect.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueEnrollCode } from '../../src/hub/enroll';
import { startHub, type RunningHub } from '../../src/hub/server';
import type { HubStore } from '../../src/hub/store/types';
import { enrollTerminal, fileTokenVault } from '../../src/sync/credentials';
import { createTerminalSync } from '../../src/sync/terminal-sync';
import { newLedger, removeLedger, sameJournal, sell } from '../sync/setup';
import { hubUrlOf } from '../cli/sync-helpers';
import { selfSignedCert, storeKit, tempDir, type StoreKit } from './fixtures';
import { till, tillServe } from '../support/till';
import { waitFor } from '../support/wait';

describe('the hub over TLS', () => {
  const certDir = tempDir('tls');
  let kit: StoreKit;
  let store: HubStore;
  let hub: RunningHub;
  let pair: { cert: string; key: string };

  beforeAll(async () => {
    pair = selfSignedCert(certDir, 'till-hub-test');
    kit = storeKit('sqlite');
    store = await kit.open();
    hub = await startHub({ store, tls: pair });
  });
  afterAll(async () => {
    await hub.close();
    await store.close();
    await kit.cleanup();
    fs.rmSync(certDir, { recursive: true, force: true });
  });

  it('enrolls and replicates over wss with a pinned CA, and refuses an untrusted certificate', async () => {
    expect(hub.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const ledger = newLedger('S1', 'W1');
    sell(ledger, 25);
    const { code } = await issueEnrollCode(store, ledger.identity);
    await expect(enrollTerminal({ hubUrl: hub.url, code, ...ledger.identity })).rejects.toMatchObject({ code: 'offline' });
    const other = selfSignedCert(certDir, 'another-ca');
    await expect(enrollTerminal({ hubUrl: hub.url, code, ...ledger.identity, ca: other.cert })).rejects.toMatchObject({ code: 'offline' });
    const r = await enrollTerminal({ hubUrl: hub.url, code, ...ledger.identity, ca: pair.cert });
    fileTokenVault(ledger.dir).write({ hubUrl: hub.url, terminalId: r.terminalId, token: r.token, ca: pair.cert });
    const sync = createTerminalSync(ledger, { appVersion: '1', tuning: { backoff: { baseMs: 20, maxMs: 100 } } });
    sync.replicator.start();
    await sync.replicator.untilIdle(10_000);
    expect(await sameJournal(store, ledger)).toMatchObject({ count: 26, equal: true });
    await sync.replicator.stop();

    fileTokenVault(ledger.dir).write({ hubUrl: hub.url, terminalId: r.terminalId, token: r.token, ca: other.cert });
    const untrusting = createTerminalSync(ledger, { appVersion: '1', tuning: { backoff: { baseMs: 20, maxMs: 100 } } });
    untrusting.replicator.start();
    sell(ledger, 1);
    const err = await untrusting.replicator.untilIdle(1500).catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'timeout' });
    expect(untrusting.replicator.status().lastError?.message).toMatch(/cannot reach the hub|certificate|self.signed/i);
    await untrusting.replicator.stop();
    removeLedger(ledger);
  });

  it('till hub --cert/--key serves https and wss; till enroll --ca pins it; till sync pushes over it', async () => {
    fs.writeFileSync(path.join(certDir, 'hub.crt'), pair.cert);
    fs.writeFileSync(path.join(certDir, 'hub.key'), pair.key);
    const hubDir = tempDir('tls-cli-hub');
    const termDir = tempDir('tls-cli-term');
    const node = tillServe('hub', '--data', hubDir, '--port', '0', '--cert', path.join(certDir, 'hub.crt'), '--key', path.join(certDir, 'hub.key'));
    try {
      const url = await waitFor('the TLS hub', () => hubUrlOf(hubDir));
      expect(url).toMatch(/^https:/);
      await till('init', '--data', termDir, '--store', 'S2', '--terminal', 'W2');
      const code = (await till('hub', 'enroll-code', '--data', hubDir, '--store', 'S2', '--terminal', 'W2')).out.trim();
      const unpinned = await till('enroll', '--data', termDir, '--hub', url, '--code', code);
      expect(unpinned.code).toBe(3);
      expect(unpinned.err).toMatch(/cannot reach/);
      expect((await till('enroll', '--data', termDir, '--hub', url, '--code', code, '--ca', path.join(certDir, 'hub.crt'))).code).toBe(0);
      const synced = await till('sync', '--data', termDir, '--until-idle', '--timeout', '20');
      expect(synced.code).toBe(0);
    } finally {
      await node.stop();
      fs.rmSync(hubDir, { recursive: true, force: true });
      fs.rmSync(termDir, { recursive: true, force: true });
    }
  });
});
