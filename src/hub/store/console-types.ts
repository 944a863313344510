/**
 * What the hub keeps for its console, besides the journal: hub users and
 * their sessions, failed logins, the audit log, the catalog's history, hub
 * settings and the fleet's connection state. Part of HubStore (reads and
 * single-row writes) and of StoreTx (changes that must land together with
 * their audit entry).
 */
import type { AuditAction, HubRole } from '../../shared/hub-api/index';
import type { CatalogChange, CatalogKind } from '../../shared/replication';
import type { TerminalRow } from './types';

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
  alertPage(q: { stores?: readonly string[] | undefined; terminal?: string | undefined; terminalId?: string | undefined; limit: number; before?: number | undefined }): Promise<Array<{ id: number; terminalId: string; store: string; at: string; code: string; message: string; details: Record<string, unknown> }>>;
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
