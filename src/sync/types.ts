/**
 * What the replicator needs from the terminal, as small injected interfaces:
 * the sync layer sees no ledger, no terminal and no Electron. The terminal
 * (or the CLI) adapts its Ledger to JournalSource, its database to
 * ReplicationState, the selling side's applyCatalogDelta to CatalogSink, and
 * its device manager to a DeviceHealth provider.
 */
import type { JournalEntry } from '../shared/journal';
import type { CatalogDelta } from '../shared/contract/catalog';
import type { DeviceHealth, Hwm, StatusReport } from '../shared/replication';

export interface JournalSource {
  readonly identity: { store: string; terminal: string };
  head(): Hwm;
  /** entries with seq >= fromSeq, in order, at most limit */
  entries(fromSeq: number, limit: number): JournalEntry[];
  /** optional append notification; returns the unsubscribe function */
  onAppend?(listener: () => void): () => void;
}

export interface SyncAlert {
  at: string;
  code: string;
  message: string;
  details: Record<string, unknown>;
}

export interface ReplicationState {
  /** the highest entry the hub has acknowledged */
  acked(): Hwm;
  setAcked(hwm: Hwm): void;
  addAlert(alert: SyncAlert): void;
}

export interface CatalogSink {
  version(): number;
  /** applies the delta in one transaction (journaled as CatalogApplied) */
  apply(delta: CatalogDelta): void;
}

export type DeviceHealthProvider = () => DeviceHealth[];

/** what a status report carries besides replication and devices: the log's recent errors and the backups' health */
export type StatusExtrasProvider = () => Pick<StatusReport, 'errors' | 'backup'>;

/** enabled: push when possible; offline: keep queueing, do not connect; disabled: not replicating at all */
export type SyncMode = 'enabled' | 'offline' | 'disabled';

export type SyncPhase = 'connecting' | 'backoff' | 'pushing' | 'idle' | 'stopped' | 'offline' | 'disabled';

export interface SyncStatus {
  mode: SyncMode;
  phase: SyncPhase;
  connected: boolean;
  head: Hwm;
  acked: Hwm;
  queueDepth: number;
  catalogVersion: number | null;
  lastError: { reason: string; message: string; at: string } | null;
}

export interface Credentials {
  hubUrl: string;
  terminalId: string;
  token: string;
  /** PEM of a pinned CA for wss, when the hub's certificate is not publicly trusted */
  ca?: string;
  /** the hub's public key pinned at enrollment (SPKI DER, base64): catalog deltas must be signed with it */
  hubKey?: string;
  /** the chain's PIN key handed over at enrollment (base64; src/core/pin-credential.ts) */
  pinKey?: string;
  /** enrolled with --insecure: plain http to a hub off this computer (labs only) */
  insecure?: boolean;
}

/** where the device token lives (a 0600 file; Electron wraps it with safeStorage) */
export interface TokenVault {
  read(): Credentials | null;
  write(c: Credentials): void;
}
