/**
 * What the hub keeps, behind one interface with two implementations
 * (SQLite by default, PostgreSQL for chains). Both pass the same test suite.
 * Every write that must be atomic goes through transaction(), whose StoreTx
 * holds the terminal's row lock for the whole batch.
 */
import type { JournalEntry } from '../../shared/journal';
import type { CatalogChange, Hwm, StatusReport } from '../../shared/replication';
import type { ChangeBy, ConsoleStore, ConsoleTx } from './console-types';

export type * from './console-types';

export interface TerminalRow {
  id: string;
  store: string;
  terminal: string;
  tokenHash: string;
  enrolledAt: string;
  revokedAt: string | null;
  hwm: Hwm;
  lastSeen: string | null;
  status: StatusReport | null;
  statusAt: string | null;
}

export interface AlertRow {
  id: number;
  terminalId: string;
  at: string;
  code: string;
  message: string;
  details: Record<string, unknown>;
}

export interface EnrollCodeRow {
  store: string;
  terminal: string;
  expiresAt: string;
}

export interface JournalStats {
  count: number;
  minSeq: number;
  maxSeq: number;
  lastHash: string | null;
}

/** the catalog rows changed after `fromVersion`, up to `toVersion` */
export interface CatalogChanges {
  fromVersion: number;
  toVersion: number;
  changes: CatalogChange[];
}

export interface StoreTx extends ConsoleTx {
  /** the terminal's row, locked until the transaction ends */
  terminalForUpdate(id: string): Promise<TerminalRow | null>;
  /** stored hashes for seq in [from, to], in seq order */
  storedHashes(id: string, from: number, to: number): Promise<Array<{ seq: number; hash: string }>>;
  insertEntries(id: string, entries: JournalEntry[], receivedAt: string): Promise<void>;
  setHwm(id: string, hwm: Hwm): Promise<void>;
  takeEnrollCode(codeHash: string): Promise<EnrollCodeRow | null>;
  upsertTerminal(row: { id: string; store: string; terminal: string; tokenHash: string; enrolledAt: string }): Promise<void>;
}

export interface HubStore extends ConsoleStore {
  readonly kind: 'sqlite' | 'postgres';
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  addEnrollCode(codeHash: string, row: EnrollCodeRow & { createdAt: string }): Promise<void>;
  terminal(id: string): Promise<TerminalRow | null>;
  terminals(): Promise<TerminalRow[]>;
  revoke(id: string, at: string): Promise<boolean>;
  saveStatus(id: string, report: StatusReport, at: string): Promise<void>;
  addAlert(alert: Omit<AlertRow, 'id'>): Promise<void>;
  alerts(terminalId?: string): Promise<AlertRow[]>;
  entries(id: string, fromSeq: number, limit: number): Promise<JournalEntry[]>;
  journalStats(id: string): Promise<JournalStats>;
  catalogVersion(): Promise<number>;
  /**
   * applies the changes as one new catalog version and returns it; each row's
   * before and after goes to the catalog history and the change to the audit
   * log, by `by` (default: the hub itself)
   */
  changeCatalog(changes: CatalogChange[], by?: ChangeBy): Promise<number>;
  catalogDelta(since: number): Promise<CatalogChanges>;
  /** the current rows of one kind (removed rows left out) */
  catalogItems(kind: CatalogChange['kind']): Promise<CatalogChange[]>;
  close(): Promise<void>;
}
