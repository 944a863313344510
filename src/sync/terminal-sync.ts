/**
 * Wires a replicator to a terminal's ledger: the ledger is the JournalSource
 * (structurally: identity, head, entries), the acked mark and alerts live in
 * its database, the credentials in its data directory. Refuses to run with
 * credentials enrolled for another terminal: a terminal only ever pushes its
 * own journal.
 */
import type Database from 'better-sqlite3';
import { TillError } from '../shared/errors';
import { terminalIdOf } from '../shared/replication';
import { fileTokenVault } from './credentials';
import { Replicator, type ReplicatorOptions } from './replicator';
import { sqliteReplicationState } from './sqlite-state';
import type { CatalogSink, Credentials, DeviceHealthProvider, JournalSource, SyncAlert, TokenVault } from './types';

export interface LedgerLike extends JournalSource {
  readonly dir: string;
  readonly db: Database.Database;
}

export interface TerminalSyncOptions {
  appVersion: string;
  catalog?: CatalogSink;
  devices?: DeviceHealthProvider;
  vault?: TokenVault;
  /** replicator tuning (tests, benchmarks) */
  tuning?: Partial<Omit<ReplicatorOptions, 'credentials' | 'source' | 'state' | 'catalog' | 'devices' | 'appVersion'>>;
}

export interface TerminalSync {
  replicator: Replicator;
  credentials: Credentials;
  alerts(): SyncAlert[];
}

export function readCredentials(ledger: LedgerLike, vault: TokenVault = fileTokenVault(ledger.dir)): Credentials {
  const c = vault.read();
  if (!c) throw new TillError('not-enrolled', `this terminal is not enrolled with a hub: run till enroll --data ${ledger.dir} --hub URL --code CODE`);
  const mine = terminalIdOf(ledger.identity.store, ledger.identity.terminal);
  if (c.terminalId !== mine) throw new TillError('forbidden', `the hub credentials in ${ledger.dir} are for ${c.terminalId}, but this ledger is ${mine}`);
  return c;
}

export function createTerminalSync(ledger: LedgerLike, o: TerminalSyncOptions): TerminalSync {
  const credentials = readCredentials(ledger, o.vault);
  const state = sqliteReplicationState(ledger.db);
  const replicator = new Replicator({
    ...o.tuning,
    credentials,
    source: ledger,
    state,
    appVersion: o.appVersion,
    ...(o.catalog ? { catalog: o.catalog } : {}),
    ...(o.devices ? { devices: o.devices } : {}),
  });
  return { replicator, credentials, alerts: () => state.alerts() };
}
