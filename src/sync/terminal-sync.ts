/**
 * Wires a replicator to a terminal's ledger: the ledger is the JournalSource
 * (structurally: identity, head, entries), the acked mark and alerts live in
 * its database, the credentials in its data directory, and catalog deltas
 * from the hub are rebased onto the terminal's own catalog numbering (see
 * migrations/terminal/0041_hub_catalog.sql). Refuses to run with
 * credentials enrolled for another terminal: a terminal only ever pushes its
 * own journal.
 */
import type Database from 'better-sqlite3';
import type { CatalogDelta } from '../shared/contract/catalog';
import { TillError } from '../shared/errors';
import { terminalIdOf } from '../shared/replication';
import { fileTokenVault } from './credentials';
import { Replicator, type ReplicatorOptions } from './replicator';
import { sqliteReplicationState } from './sqlite-state';
import type { CatalogSink, Credentials, DeviceHealthProvider, JournalSource, StatusExtrasProvider, SyncAlert, TokenVault } from './types';

export interface LedgerLike extends JournalSource {
  readonly dir: string;
  readonly db: Database.Database;
  transaction<T>(fn: () => T): T;
}

/** the terminal's own catalog: its version numbering, and the selling side's applyCatalogDelta */
export interface LocalCatalog {
  version(): number;
  apply(delta: CatalogDelta): void;
}

export interface TerminalSyncOptions {
  appVersion: string;
  catalog?: LocalCatalog;
  devices?: DeviceHealthProvider;
  extras?: StatusExtrasProvider;
  vault?: TokenVault;
  /** replicator tuning (tests, benchmarks) */
  tuning?: Partial<Omit<ReplicatorOptions, 'credentials' | 'source' | 'state' | 'catalog' | 'devices' | 'extras' | 'appVersion'>>;
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
  const local = o.catalog;
  /* a hub delta (hub versions a -> b) becomes local current -> current + 1; b is recorded in the same transaction */
  const sink: CatalogSink | undefined = local && {
    version: () => state.hubCatalogVersion(),
    apply: (delta) =>
      ledger.transaction(() => {
        const current = local.version();
        local.apply({ ...delta, fromVersion: current, version: current + 1 });
        state.setHubCatalogVersion(delta.version);
      }),
  };
  const replicator = new Replicator({
    ...o.tuning,
    credentials,
    source: ledger,
    state,
    appVersion: o.appVersion,
    ...(sink ? { catalog: sink } : {}),
    ...(o.devices ? { devices: o.devices } : {}),
    ...(o.extras ? { extras: o.extras } : {}),
  });
  return { replicator, credentials, alerts: () => state.alerts() };
}
