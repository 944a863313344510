/** A hub and an enrolled terminal ledger for replicator tests, all on 127.0.0.1. */
import fs from 'node:fs';
import { issueEnrollCode } from '../../src/hub/enroll';
import { startHub, type HubOptions, type RunningHub } from '../../src/hub/server';
import type { HubStore } from '../../src/hub/store/types';
import { openLedger, type Ledger } from '../../src/ledger/index';
import { enrollTerminal, fileTokenVault } from '../../src/sync/credentials';
import { GENESIS_PREV_HASH } from '../../src/shared/journal';
import type { Hwm } from '../../src/shared/replication';
import type { ReplicationState, SyncAlert } from '../../src/sync/types';
import { storeKit, tempDir } from '../hub/fixtures';

export async function enrollLedger(hub: { url: string }, store: HubStore, ledger: Ledger, hubUrl = hub.url, ca?: string): Promise<void> {
  const { code } = await issueEnrollCode(store, ledger.identity);
  const r = await enrollTerminal({ hubUrl: hub.url, code, ...ledger.identity, ...(ca ? { ca } : {}) });
  fileTokenVault(ledger.dir).write({ hubUrl, terminalId: r.terminalId, token: r.token, hubKey: r.hubKey, pinKey: r.pinKey, ...(ca ? { ca } : {}) });
}

export function newLedger(store: string, terminal: string): Ledger {
  return openLedger(tempDir(`term-${terminal}`), { create: { store, terminal } });
}

export function sell(ledger: Ledger, n: number): void {
  for (let i = 0; i < n; i++) ledger.append('TestSale', { total: 100 + (i % 50), lines: [{ sku: `P${i % 40}`, qty: 1 + (i % 3) }] });
}

export function removeLedger(ledger: Ledger): void {
  const dir = ledger.dir;
  ledger.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

export async function hubOn(store: HubStore, o: Partial<HubOptions> = {}): Promise<RunningHub> {
  return startHub({ store, adminToken: 'admin-token-for-tests-0123456789', ...o });
}

/** the hub's copy equals the ledger: same count, same last hash, every entry equal, no gap, no duplicate */
export async function sameJournal(store: HubStore, ledger: Ledger): Promise<{ count: number; lastHash: string | null; equal: boolean }> {
  const id = `${ledger.identity.store}/${ledger.identity.terminal}`;
  const stats = await store.journalStats(id);
  let equal = stats.count === ledger.head().seq && stats.minSeq === 1 && stats.maxSeq === stats.count;
  for (let from = 1; equal && from <= stats.count; from += 5000) {
    const hubPage = await store.entries(id, from, 5000);
    const mine = ledger.entries(from, 5000);
    equal = hubPage.length === mine.length && hubPage.every((e, i) => JSON.stringify(e) === JSON.stringify(mine[i]));
  }
  return { count: stats.count, lastHash: stats.lastHash, equal };
}

/** an acked mark and alerts kept in memory (for a replicator reading a ledger another process writes) */
export function memoryState(): ReplicationState & { alerts: SyncAlert[] } {
  let acked: Hwm = { seq: 0, hash: GENESIS_PREV_HASH };
  const alerts: SyncAlert[] = [];
  return { acked: () => acked, setAcked: (h) => void (acked = h), addAlert: (a) => void alerts.push(a), alerts };
}

export interface SqliteHub {
  store: HubStore;
  hub: RunningHub;
  close(): Promise<void>;
}

/** a hub on a fresh SQLite store, for a suite's beforeAll; close() stops the hub and removes the store */
export async function startSqliteHub(o: Partial<HubOptions> = {}): Promise<SqliteHub> {
  const kit = storeKit('sqlite');
  const store = await kit.open();
  const hub = await hubOn(store, o);
  return {
    store,
    hub,
    close: async () => {
      await hub.close();
      await store.close();
      await kit.cleanup();
    },
  };
}
