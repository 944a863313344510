/**
 * What the hub keeps, behind one interface with two implementations
 * (SQLite by default, PostgreSQL for chains). Both pass the same test suite.
 * Every write that must be atomic goes through transaction(), whose StoreTx
 * holds the terminal's row lock for the whole batch.
 */
import type { JournalEntry } from '../../shared/journal';
import type { AuditAction, HubRole } from '../../shared/hub-api/index';
import type { CatalogChange, CatalogKind, Hwm, StatusReport } from '../../shared/replication';
import type { HistoryRow } from '../../core/sales-history-csv';

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
  /** since when the hub has seen each device fault of the status report (src/hub/ops/alert-rules.ts faultKey -> ISO time) */
  faultsSince: Record<string, string>;
}

export interface AlertRow {
  id: number;
  terminalId: string;
  /** when it was first seen */
  at: string;
  code: string;
  /** for logs and the CLI (English); people read the message bundles by code */
  message: string;
  details: Record<string, unknown>;
  state: 'open' | 'cleared';
  lastSeen: string;
  clearedAt: string | null;
}

/** an alert as opened: by ingest (a refused journal) or by the evaluator (a condition) */
export type NewAlert = Pick<AlertRow, 'terminalId' | 'at' | 'code' | 'message' | 'details'>;

export type NotificationEvent = 'raised' | 'cleared';

/** one message to one webhook about one alert: the outbox row */
export interface NotificationRow {
  id: number;
  alertId: number;
  /** the webhook's id */
  channel: string;
  event: NotificationEvent;
  state: 'pending' | 'sent' | 'failed';
  attempts: number;
  nextAt: string;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

/** a notification claimed for sending, with its alert and the alert's terminal */
export interface ClaimedNotification extends NotificationRow {
  alert: AlertRow & { store: string; terminal: string };
}

/** how a delivery ended: sent, or failed and tried again at nextAt (null: given up) */
export type DeliveryResult = { sent: true; at: string } | { sent: false; at: string; error: string; nextAt: string | null };

/** alert changes inside transaction() */
export interface AlertTx {
  /**
   * opens the alert unless its (terminal, code) has one open, and then queues
   * a 'raised' notification for each channel; answers the new id, or null
   * when one was open (its last_seen and details are brought up to date)
   */
  openAlert(a: NewAlert, channels: readonly string[]): Promise<number | null>;
  /**
   * clears an open alert and queues a 'cleared' notification for each channel
   * that was told of it; false when it was not open (another node cleared it)
   */
  clearAlert(id: number, at: string): Promise<boolean>;
}

/** alert reads and the notification outbox's single-statement writes */
export interface AlertStore {
  openAlerts(): Promise<AlertRow[]>;
  /** brings an open alert's last_seen (and details) up to date */
  touchAlert(id: number, at: string, details: Record<string, unknown>): Promise<void>;
  notifications(alertId?: number): Promise<NotificationRow[]>;
  /**
   * marks up to `limit` due notifications as this node's until `leaseUntil`
   * (one statement: two nodes never claim the same row) and answers them; a
   * 'cleared' waits while its 'raised' for the same channel is pending
   */
  claimNotifications(node: string, now: string, leaseUntil: string, limit: number): Promise<ClaimedNotification[]>;
  /** records the delivery of a notification this node claimed */
  finishNotification(id: number, node: string, result: DeliveryResult): Promise<void>;
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

/** one day of the old system's sales for one store and category, as imported (migration day; migrations/hub/<dialect>/0040_sales_history.sql) */
export interface SalesHistoryRow extends HistoryRow {
  /** the export it came from */
  source: string;
  /** one id per import run */
  batch: string;
  importedAt: string;
}

export interface StoreTx extends ConsoleTx, AlertTx {
  /** the terminal's row, locked until the transaction ends */
  terminalForUpdate(id: string): Promise<TerminalRow | null>;
  /** stored hashes for seq in [from, to], in seq order */
  storedHashes(id: string, from: number, to: number): Promise<Array<{ seq: number; hash: string }>>;
  insertEntries(id: string, entries: JournalEntry[], receivedAt: string): Promise<void>;
  setHwm(id: string, hwm: Hwm): Promise<void>;
  takeEnrollCode(codeHash: string): Promise<EnrollCodeRow | null>;
  upsertTerminal(row: { id: string; store: string; terminal: string; tokenHash: string; enrolledAt: string }): Promise<void>;
}

export interface HubStore extends ConsoleStore, AlertStore {
  readonly kind: 'sqlite' | 'postgres';
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  addEnrollCode(codeHash: string, row: EnrollCodeRow & { createdAt: string }): Promise<void>;
  terminal(id: string): Promise<TerminalRow | null>;
  terminals(): Promise<TerminalRow[]>;
  revoke(id: string, at: string): Promise<boolean>;
  saveStatus(id: string, report: StatusReport, at: string, faultsSince: Record<string, string>): Promise<void>;
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
  /** stores the rows in one transaction; a row for a (store, day, category) already there replaces it */
  importSalesHistory(rows: readonly SalesHistoryRow[]): Promise<{ inserted: number; replaced: number }>;
  /** the history rows, by day, store and category; days from and to inclusive */
  salesHistory(q?: { store?: string; from?: string; to?: string }): Promise<SalesHistoryRow[]>;
  close(): Promise<void>;
}

/*
 * The console's part: hub users and their sessions, failed logins, the audit
 * log, the catalog's history, hub settings and the fleet's connection state.
 * Reads and single-row writes are in ConsoleStore; changes that must land
 * together with their audit entry are in ConsoleTx (inside transaction()).
 */

export interface HubUserRow {
  name: string;
  displayName: string | null;
  role: HubRole;
  stores: string[];
  passwordHash: string;
  disabledAt: string | null;
  createdAt: string;
  updatedAt: string;
  lastLoginAt: string | null;
}

export interface SessionRow {
  /** SHA-256 of the cookie's token: the token itself is never stored */
  idHash: string;
  userName: string;
  /** the secret CSRF tokens of this session are derived from */
  csrfSecret: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  source: string | null;
}

/** an audit entry as written: who (actor, role, address), what, and the record before and after */
export interface AuditInput {
  at: string;
  actor: string;
  actorRole: string | null;
  source: string | null;
  action: AuditAction;
  target: string;
  store: string | null;
  before: unknown;
  after: unknown;
}
export interface AuditRow extends AuditInput {
  id: number;
}
export interface AuditQuery {
  from?: string | undefined;
  to?: string | undefined;
  actor?: string | undefined;
  action?: AuditAction | undefined;
  target?: string | undefined;
  store?: string | undefined;
  limit: number;
  before?: number | undefined;
}

/** who makes a change, from where and when: the audit entry's first half */
export interface ChangeBy {
  actor: string;
  actorRole: string | null;
  source: string | null;
  at: string;
}

export interface CatalogHistoryRow {
  id: number;
  version: number;
  at: string;
  actor: string;
  kind: CatalogKind;
  key: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface CatalogItemRow {
  kind: CatalogKind;
  key: string;
  data: Record<string, unknown> | null;
  version: number;
}

export interface ProductQuery {
  q?: string | undefined;
  category?: string | undefined;
  active?: boolean | undefined;
  after?: string | undefined;
  limit: number;
}

export interface FleetRow extends TerminalRow {
  connectedAt: string | null;
  disconnectedAt: string | null;
  /** when the hub stored (and verified) the entry at its hwm */
  hwmAt: string | null;
  alertCount: number;
  /** the open alerts, oldest first */
  openAlerts: Array<{ code: string; since: string }>;
}

export interface EnrollCodeInfo {
  store: string;
  terminal: string;
  createdAt: string;
  expiresAt: string;
  issuedBy: string | null;
}

export interface LoginFailureCounts {
  /** failures from this address, any user */
  source: number;
  /** failures for this user from this address */
  userSource: number;
  /** failures for this user from anywhere */
  user: number;
}

/** reads and single-row writes of the console's data */
export interface ConsoleStore {
  users(): Promise<HubUserRow[]>;
  user(name: string): Promise<HubUserRow | null>;
  hubUserCount(role?: HubRole): Promise<number>;

  createSession(row: SessionRow): Promise<void>;
  /** the session and its user, or null (expired sessions included: the caller checks) */
  session(idHash: string): Promise<{ session: SessionRow; user: HubUserRow } | null>;
  touchSession(idHash: string, lastSeenAt: string, expiresAt: string): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  purgeSessions(now: string): Promise<number>;

  addLoginFailure(user: string, source: string, at: string): Promise<void>;
  loginFailures(user: string, source: string, since: string): Promise<LoginFailureCounts>;
  clearLoginFailures(user: string, source: string): Promise<void>;
  setLastLogin(name: string, at: string): Promise<void>;

  auditLog(q: AuditQuery): Promise<AuditRow[]>;
  catalogHistory(q: { kind?: CatalogKind | undefined; key?: string | undefined; limit: number; before?: number | undefined }): Promise<CatalogHistoryRow[]>;
  catalogItem(kind: CatalogKind, key: string): Promise<CatalogItemRow | null>;
  products(q: ProductQuery): Promise<CatalogItemRow[]>;
  categories(): Promise<Array<{ name: string; products: number }>>;
  /** the product carrying this barcode, if any */
  productByBarcode(barcode: string): Promise<CatalogItemRow | null>;

  fleet(stores?: readonly string[]): Promise<FleetRow[]>;
  alertPage(q: {
    stores?: readonly string[] | undefined;
    terminal?: string | undefined;
    terminalId?: string | undefined;
    state?: AlertRow['state'] | undefined;
    limit: number;
    before?: number | undefined;
  }): Promise<Array<AlertRow & { store: string }>>;
  enrollCodes(now: string, stores?: readonly string[]): Promise<EnrollCodeInfo[]>;
  /** 'alive': a status report on a connection, which marks it connected again if a second connection's end marked it gone */
  setConnection(id: string, state: 'connected' | 'disconnected' | 'alive', at: string): Promise<void>;

  setting<T>(key: string): Promise<T | null>;
}

/** changes made inside StoreTx, each with its audit entry in the same transaction */
export interface ConsoleTx {
  audit(entry: AuditInput): Promise<void>;
  userForUpdate(name: string): Promise<HubUserRow | null>;
  insertUser(row: HubUserRow): Promise<void>;
  updateUser(row: HubUserRow): Promise<void>;
  /** ends the user's sessions (all, or all but one); answers how many */
  endSessions(name: string, except?: string): Promise<number>;
  activeAdmins(): Promise<number>;
  setSetting(key: string, value: unknown): Promise<void>;
  settingForUpdate<T>(key: string): Promise<T | null>;
  catalogItemForUpdate(kind: CatalogKind, key: string): Promise<CatalogItemRow | null>;
  /**
   * the changes as one new catalog version, with a history row for each and
   * one audit entry (action 'catalog.change' unless named); answers the version
   */
  writeCatalog(changes: CatalogChange[], by: ChangeBy, action?: AuditAction): Promise<number>;
  /** the products (by SKU) that carry any of these barcodes */
  barcodeOwners(barcodes: readonly string[]): Promise<Array<{ barcode: string; sku: string }>>;
  revokeTerminal(id: string, at: string): Promise<boolean>;
  insertEnrollCode(codeHash: string, row: { store: string; terminal: string; createdAt: string; expiresAt: string; issuedBy: string | null }): Promise<void>;
  deleteEnrollCodes(store: string, terminal: string): Promise<number>;
}
