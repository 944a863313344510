/**
 * Hub trust: a plain-http hub off loopback is refused at enrollment and at
 * connection unless --insecure; catalog deltas are applied only when the hub
 * key pinned at enrollment signed them; an impostor hub (same data, another
 * key) or a terminal enrolled before signing gets nothing applied and an
 * alert. The "off loopback" address here is 127.0.0.1 written as the
 * IPv4-mapped IPv6 address [::ffff:127.0.0.1], which reaches the test hub
 * but is not a loopback name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueEnrollCode } from '../../src/hub/enroll';
import { newHubSecrets, signDelta } from '../../src/hub/secrets';
import type { RunningHub } from '../../src/hub/server';
import type { HubStore } from '../../src/hub/store/types';
import type { CatalogDelta } from '../../src/shared/contract/catalog';
import { enrollTerminal, fileTokenVault } from '../../src/sync/credentials';
import { checkHubUrl, deltaSignatureValid } from '../../src/sync/hub-trust';
import { createTerminalSync } from '../../src/sync/terminal-sync';
import { sqliteReplicationState } from '../../src/sync/sqlite-state';
import { until } from '../support/wait';
import { storeKit, type StoreKit } from '../hub/fixtures';
import { enrollLedger, hubOn, newLedger, removeLedger } from './setup';

const fast = { ackTimeoutMs: 2000, backoff: { baseMs: 20, maxMs: 200 }, pollMs: 50, statusIntervalMs: 100 };
const cola = { sku: 'COLA', name: '可乐', barcodes: ['6901234567892'], plu: null, category: 'drinks', unit: '瓶', price: 350, memberPrice: null, vatRate: 1300, weighed: false, active: true };
const mapped = (url: string) => url.replace('127.0.0.1', '[::ffff:127.0.0.1]');

describe('hub trust', () => {
  let kit: StoreKit;
  let store: HubStore;
  let hub: RunningHub;
  const secrets = newHubSecrets();

  beforeAll(async () => {
    kit = storeKit('sqlite');
    store = await kit.open();
    hub = await hubOn(store, { secrets });
  });
  afterAll(async () => {
    await hub.close();
    await store.close();
    await kit.cleanup();
  });

  it('tells loopback from the rest', () => {
    for (const u of ['http://127.0.0.1:7300', 'http://localhost:7300', 'http://[::1]:7300', 'https://hub.example.com', 'wss://10.0.0.5']) expect(() => checkHubUrl(u, false), u).not.toThrow();
    for (const u of ['http://10.0.0.5:7300', 'ws://hub.example.com', 'http://[::ffff:127.0.0.1]:7300', 'http://127.0.0.1.evil.example']) {
      expect(() => checkHubUrl(u, false), u).toThrow(expect.objectContaining({ code: 'hub-untrusted' }));
      expect(checkHubUrl(u, true)).toEqual({ plainOffLoopback: true });
    }
  });

  it('refuses a plain-http hub off loopback at enrollment, without spending the code; --insecure enrolls', async () => {
    const ledger = newLedger('S1', 'H1');
    try {
      const { code } = await issueEnrollCode(store, ledger.identity);
      await expect(enrollTerminal({ hubUrl: mapped(hub.url), code, ...ledger.identity })).rejects.toMatchObject({ code: 'hub-untrusted' });
      const r = await enrollTerminal({ hubUrl: mapped(hub.url), code, ...ledger.identity, insecure: true });
      expect(r).toMatchObject({ terminalId: 'S1/H1', hubKey: secrets.publicKey });
    } finally {
      removeLedger(ledger);
    }
  });

  it('refuses to connect to a plain-http hub off loopback unless enrolled with --insecure, and raises an alert', async () => {
    const ledger = newLedger('S1', 'H2');
    try {
      await enrollLedger(hub, store, ledger, mapped(hub.url));
      const sync = createTerminalSync(ledger, { appVersion: '1', tuning: fast });
      sync.replicator.start();
      await expect(sync.replicator.untilIdle(5000)).rejects.toMatchObject({ reason: 'insecure-hub', code: 'hub-untrusted' });
      await sync.replicator.stop();
      expect(sqliteReplicationState(ledger.db).alerts().map((a) => a.code)).toEqual(['insecure-hub']);
      const vault = fileTokenVault(ledger.dir);
      vault.write({ ...(vault.read() as NonNullable<ReturnType<typeof vault.read>>), insecure: true });
      const lab = createTerminalSync(ledger, { appVersion: '1', tuning: fast });
      lab.replicator.start();
      await lab.replicator.untilIdle(10_000);
      await lab.replicator.stop();
    } finally {
      removeLedger(ledger);
    }
  });

  it('applies a delta signed by the pinned key; an impostor hub with the same data but another key gets nothing applied and an alert', async () => {
    const ledger = newLedger('S1', 'H3');
    const applied: CatalogDelta[] = [];
    let version = 0;
    const catalog = { version: () => version, apply: (d: CatalogDelta) => void (applied.push(d), (version = d.version)) };
    const impostor = await hubOn(store, { secrets: newHubSecrets() });
    try {
      await enrollLedger(hub, store, ledger);
      const sync = createTerminalSync(ledger, { appVersion: '1', tuning: fast, catalog });
      sync.replicator.start();
      await hub.changeCatalog([{ kind: 'product', key: 'COLA', data: cola }]);
      await until(() => applied.length === 1, 10_000);
      await sync.replicator.stop();

      const vault = fileTokenVault(ledger.dir);
      const c = vault.read() as NonNullable<ReturnType<typeof vault.read>>;
      vault.write({ ...c, hubUrl: impostor.url });
      await impostor.changeCatalog([{ kind: 'user', key: '9999', data: { code: '9999', name: 'intruder', role: 'admin', pin: '0000', active: true } }]);
      const fooled = createTerminalSync(ledger, { appVersion: '1', tuning: fast, catalog });
      fooled.replicator.start();
      await until(() => sqliteReplicationState(ledger.db).alerts().some((a) => a.code === 'bad-signature'), 10_000);
      await fooled.replicator.stop();
      expect(applied).toHaveLength(1);
      expect(fooled.replicator.status().lastError?.reason).toBe('bad-signature');
    } finally {
      await impostor.close();
      removeLedger(ledger);
    }
  });

  it('a terminal enrolled before hubs signed gets no catalog, and an alert telling to enroll again', async () => {
    const ledger = newLedger('S1', 'H4');
    let version = 0;
    try {
      await enrollLedger(hub, store, ledger);
      const vault = fileTokenVault(ledger.dir);
      const { hubKey: _dropped, ...old } = vault.read() as NonNullable<ReturnType<typeof vault.read>>;
      vault.write(old);
      const sync = createTerminalSync(ledger, { appVersion: '1', tuning: fast, catalog: { version: () => version, apply: (d) => void (version = d.version) } });
      sync.replicator.start();
      await hub.changeCatalog([{ kind: 'product', key: 'COLA', data: { ...cola, price: 360 } }]);
      await until(() => sqliteReplicationState(ledger.db).alerts().some((a) => a.code === 'hub-key-missing'), 10_000);
      await sync.replicator.stop();
      expect(version).toBe(0);
    } finally {
      removeLedger(ledger);
    }
  });

  it('a signature covers every field: an altered price or an added user does not verify', () => {
    const delta = { fromVersion: 0, version: 1, products: [cola], deactivate: [], promotions: [], removePromotions: [], members: [], users: [], settings: null };
    const sig = signDelta(secrets, delta);
    expect(deltaSignatureValid(secrets.publicKey, delta, sig)).toBe(true);
    expect(deltaSignatureValid(secrets.publicKey, { ...delta, products: [{ ...cola, price: 1 }] }, sig)).toBe(false);
    expect(deltaSignatureValid(secrets.publicKey, { ...delta, users: [{ code: '9999', name: 'x', role: 'admin', pinHash: 'scrypt$16384$8$1$AAAA$BBBB', active: true }] }, sig)).toBe(false);
    expect(deltaSignatureValid(newHubSecrets().publicKey, delta, sig)).toBe(false);
  });
});
