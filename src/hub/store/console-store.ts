/**
 * The console's part of the hub store, written once over the Sql interface
 * for SQLite and PostgreSQL (tables in migrations/hub/<dialect>/0010_console.sql).
 *
 * Catalog writes: one new version per call (the catalog_meta row is the
 * writers' lock on PostgreSQL), the changes applied last-wins per (kind, key)
 * in chunks of multi-row statements, and for every row changed a history row
 * with its data before and after, in the same transaction.
 *
 * The single-row writes of ConsoleStore go through the SQLite store's FIFO
 * lock (`write`), so they must never be called inside a transaction()
 * callback, which holds that lock: use the StoreTx methods there.
 */
import type { AuditAction, HubRole } from '../../shared/hub-api/index';
import type { CatalogChange, CatalogKind } from '../../shared/replication';
import type {
  AuditInput,
  AuditQuery,
  AuditRow,
  CatalogHistoryRow,
  CatalogItemRow,
  ChangeBy,
  ConsoleStore,
  ConsoleTx,
  EnrollCodeInfo,
  FleetRow,
  HubUserRow,
  SessionRow,
} from './types';
import { containsPattern, placeholders, Where, type Sql } from './sql';
import { alertFromRow, terminalFromRow } from './rows';

interface UserDbRow {
  name: string;
  display_name: string | null;
  role: string;
  stores: string;
  password_hash: string;
  disabled_at: string | null;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
}

function userFromRow(r: UserDbRow): HubUserRow {
  return {
    name: r.name,
    displayName: r.display_name,
    role: r.role as HubRole,
    stores: JSON.parse(r.stores) as string[],
    passwordHash: r.password_hash,
    disabledAt: r.disabled_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastLoginAt: r.last_login_at,
  };
}

const parseJson = (t: string | null): unknown => (t === null ? null : (JSON.parse(t) as unknown));
const json = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));

interface AuditDbRow {
  id: number;
  at: string;
  actor: string;
  actor_role: string | null;
  source: string | null;
  action: string;
  target: string;
  store: string | null;
  before_data: string | null;
  after_data: string | null;
}

interface ItemDbRow {
  kind: string;
  key: string;
  data: string | null;
  version: number;
}

const itemFromRow = (r: ItemDbRow): CatalogItemRow => ({ kind: r.kind as CatalogKind, key: r.key, data: parseJson(r.data) as Record<string, unknown> | null, version: Number(r.version) });

/** SQL for a field of a catalog row's JSON data, as text */
function field(sql: Sql, name: string): string {
  return sql.dialect === 'sqlite' ? `json_extract(data, '$.${name}')` : `(data::jsonb ->> '${name}')`;
}
function isActive(sql: Sql): string {
  return sql.dialect === 'sqlite' ? `json_extract(data, '$.active') = 1` : `(data::jsonb ->> 'active') = 'true'`;
}

export function consoleStore(sql: Sql, write: <T>(fn: () => Promise<T>) => Promise<T>): ConsoleStore {
  const userByName = async (name: string) => {
    const r = await sql.get<UserDbRow>('SELECT * FROM hub_users WHERE name = ?', [name]);
    return r ? userFromRow(r) : null;
  };
  return {
    users: async () => (await sql.all<UserDbRow>('SELECT * FROM hub_users ORDER BY name')).map(userFromRow),
    user: userByName,
    hubUserCount: async (role) => {
      const r = role === undefined
        ? await sql.get<{ n: number }>('SELECT count(*) AS n FROM hub_users WHERE disabled_at IS NULL')
        : await sql.get<{ n: number }>('SELECT count(*) AS n FROM hub_users WHERE disabled_at IS NULL AND role = ?', [role]);
      return Number(r?.n ?? 0);
    },

    createSession: (s) =>
      write(async () => {
        await sql.run('INSERT INTO hub_sessions (id_hash, user_name, csrf_secret, created_at, last_seen_at, expires_at, source) VALUES (?, ?, ?, ?, ?, ?, ?)', [s.idHash, s.userName, s.csrfSecret, s.createdAt, s.lastSeenAt, s.expiresAt, s.source]);
      }),
    session: async (idHash) => {
      const r = await sql.get<UserDbRow & { id_hash: string; user_name: string; csrf_secret: string; s_created_at: string; last_seen_at: string; expires_at: string; source: string | null }>(
        `SELECT s.id_hash, s.user_name, s.csrf_secret, s.created_at AS s_created_at, s.last_seen_at, s.expires_at, s.source, u.*
           FROM hub_sessions s JOIN hub_users u ON u.name = s.user_name WHERE s.id_hash = ?`,
        [idHash],
      );
      if (!r) return null;
      const session: SessionRow = { idHash: r.id_hash, userName: r.user_name, csrfSecret: r.csrf_secret, createdAt: r.s_created_at, lastSeenAt: r.last_seen_at, expiresAt: r.expires_at, source: r.source };
      return { session, user: userFromRow(r) };
    },
    touchSession: (idHash, lastSeenAt, expiresAt) => write(async () => void (await sql.run('UPDATE hub_sessions SET last_seen_at = ?, expires_at = ? WHERE id_hash = ?', [lastSeenAt, expiresAt, idHash]))),
    deleteSession: (idHash) => write(async () => void (await sql.run('DELETE FROM hub_sessions WHERE id_hash = ?', [idHash]))),
    purgeSessions: (now) => write(() => sql.run('DELETE FROM hub_sessions WHERE expires_at <= ?', [now])),

    addLoginFailure: (user, source, at) =>
      write(async () => {
        await sql.run('INSERT INTO login_failures (user_name, source, at) VALUES (?, ?, ?)', [user, source, at]);
        await sql.run('DELETE FROM login_failures WHERE at < ?', [new Date(Date.parse(at) - 24 * 3600_000).toISOString()]);
      }),
    loginFailures: async (user, source, since) => {
      const r = await sql.get<{ by_source: number; by_user_source: number; by_user: number }>(
        `SELECT (SELECT count(*) FROM login_failures WHERE source = ? AND at > ?) AS by_source,
                (SELECT count(*) FROM login_failures WHERE user_name = ? AND source = ? AND at > ?) AS by_user_source,
                (SELECT count(*) FROM login_failures WHERE user_name = ? AND at > ?) AS by_user`,
        [source, since, user, source, since, user, since],
      );
      return { source: Number(r?.by_source ?? 0), userSource: Number(r?.by_user_source ?? 0), user: Number(r?.by_user ?? 0) };
    },
    clearLoginFailures: (user, source) => write(async () => void (await sql.run('DELETE FROM login_failures WHERE user_name = ? AND source = ?', [user, source]))),
    setLastLogin: (name, at) => write(async () => void (await sql.run('UPDATE hub_users SET last_login_at = ? WHERE name = ?', [at, name]))),

    auditLog: async (q: AuditQuery) => {
      const w = new Where();
      if (q.from !== undefined) w.add('at >= ?', q.from);
      if (q.to !== undefined) w.add('at < ?', q.to);
      if (q.actor !== undefined) w.add('actor = ?', q.actor);
      if (q.action !== undefined) w.add('action = ?', q.action);
      if (q.target !== undefined) {
        if (q.target.endsWith(':')) w.add(`target LIKE ? ESCAPE '\\'`, `${q.target.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
        else w.add('target = ?', q.target);
      }
      if (q.store !== undefined) w.add('store = ?', q.store);
      if (q.before !== undefined) w.add('id < ?', q.before);
      const rows = await sql.all<AuditDbRow>(`SELECT * FROM audit_log ${w} ORDER BY id DESC LIMIT ?`, [...w.params, q.limit]);
      return rows.map(
        (r): AuditRow => ({
          id: Number(r.id),
          at: r.at,
          actor: r.actor,
          actorRole: r.actor_role,
          source: r.source,
          action: r.action as AuditRow['action'],
          target: r.target,
          store: r.store,
          before: parseJson(r.before_data),
          after: parseJson(r.after_data),
        }),
      );
    },
    catalogHistory: async (q) => {
      const w = new Where();
      if (q.kind !== undefined) w.add('kind = ?', q.kind);
      if (q.key !== undefined) w.add('key = ?', q.key);
      if (q.before !== undefined) w.add('id < ?', q.before);
      const rows = await sql.all<{ id: number; version: number; at: string; actor: string; kind: string; key: string; before_data: string | null; after_data: string | null }>(
        `SELECT * FROM catalog_history ${w} ORDER BY id DESC LIMIT ?`,
        [...w.params, q.limit],
      );
      return rows.map(
        (r): CatalogHistoryRow => ({
          id: Number(r.id),
          version: Number(r.version),
          at: r.at,
          actor: r.actor,
          kind: r.kind as CatalogKind,
          key: r.key,
          before: parseJson(r.before_data) as Record<string, unknown> | null,
          after: parseJson(r.after_data) as Record<string, unknown> | null,
        }),
      );
    },
    catalogItem: async (kind, key) => {
      const r = await sql.get<ItemDbRow>('SELECT kind, key, data, version FROM catalog_items WHERE kind = ? AND key = ?', [kind, key]);
      return r ? itemFromRow(r) : null;
    },
    products: async (q) => {
      const w = new Where().add("kind = 'product'").add('data IS NOT NULL');
      if (q.after !== undefined) w.add('key > ?', q.after);
      if (q.category !== undefined) w.add(`${field(sql, 'category')} = ?`, q.category);
      if (q.active !== undefined) w.add(q.active ? isActive(sql) : `NOT (${isActive(sql)})`);
      if (q.q !== undefined) {
        const p = containsPattern(q.q);
        const barcodes = sql.dialect === 'sqlite' ? `json_extract(data, '$.barcodes')` : `(data::jsonb ->> 'barcodes')`;
        w.add(`(lower(${field(sql, 'name')}) LIKE ? ESCAPE '\\' OR lower(key) LIKE ? ESCAPE '\\' OR ${barcodes} LIKE ? ESCAPE '\\')`, p, p, p);
      }
      const rows = await sql.all<ItemDbRow>(`SELECT kind, key, data, version FROM catalog_items ${w} ORDER BY key LIMIT ?`, [...w.params, q.limit]);
      return rows.map(itemFromRow);
    },
    categories: async () =>
      (
        await sql.all<{ name: string; n: number }>(
          `SELECT ${field(sql, 'category')} AS name, count(*) AS n FROM catalog_items WHERE kind = 'product' AND data IS NOT NULL AND ${isActive(sql)} GROUP BY ${field(sql, 'category')} ORDER BY 1`,
        )
      ).map((r) => ({ name: r.name, products: Number(r.n) })),
    productByBarcode: async (barcode) => {
      const r =
        sql.dialect === 'sqlite'
          ? await sql.get<ItemDbRow>(`SELECT c.kind, c.key, c.data, c.version FROM catalog_items c, json_each(c.data, '$.barcodes') j WHERE c.kind = 'product' AND c.data IS NOT NULL AND j.value = ? LIMIT 1`, [barcode])
          : await sql.get<ItemDbRow>(`SELECT kind, key, data, version FROM catalog_items WHERE kind = 'product' AND data IS NOT NULL AND (data::jsonb -> 'barcodes') @> jsonb_build_array(?::text) LIMIT 1`, [barcode]);
      return r ? itemFromRow(r) : null;
    },

    fleet: async (stores) => {
      const scope = stores === undefined ? null : stores.length === 0 ? '1 = 0' : `t.store IN (${placeholders(stores.length)})`;
      const filter = scope === null ? '' : `WHERE ${scope}`;
      const rows = await sql.all<Parameters<typeof terminalFromRow>[0] & { connected_at: string | null; disconnected_at: string | null; hwm_at: string | null; alert_count: number }>(
        `SELECT t.*, j.received_at AS hwm_at, (SELECT count(*) FROM alerts a WHERE a.terminal_id = t.id) AS alert_count
           FROM terminals t LEFT JOIN journal j ON j.terminal_id = t.id AND j.seq = t.hwm_seq ${filter} ORDER BY t.id`,
        stores === undefined ? [] : [...stores],
      );
      const open = await sql.all<{ terminal_id: string; code: string; at: string }>(
        `SELECT a.terminal_id, a.code, a.at FROM alerts a JOIN terminals t ON t.id = a.terminal_id WHERE a.state = 'open'${scope === null ? '' : ` AND ${scope}`} ORDER BY a.id`,
        stores === undefined ? [] : [...stores],
      );
      const openOf = new Map<string, Array<{ code: string; since: string }>>();
      for (const a of open) openOf.set(a.terminal_id, [...(openOf.get(a.terminal_id) ?? []), { code: a.code, since: a.at }]);
      return rows.map(
        (r): FleetRow => ({ ...terminalFromRow(r), connectedAt: r.connected_at, disconnectedAt: r.disconnected_at, hwmAt: r.hwm_at, alertCount: Number(r.alert_count), openAlerts: openOf.get(r.id) ?? [] }),
      );
    },
    alertPage: async (q) => {
      const w = new Where();
      if (q.stores !== undefined) {
        if (q.stores.length === 0) w.add('1 = 0');
        else w.add(`t.store IN (${placeholders(q.stores.length)})`, ...q.stores);
      }
      if (q.terminalId !== undefined) w.add('a.terminal_id = ?', q.terminalId);
      if (q.terminal !== undefined) w.add('t.terminal = ?', q.terminal);
      if (q.state !== undefined) w.add('a.state = ?', q.state);
      if (q.before !== undefined) w.add('a.id < ?', q.before);
      const rows = await sql.all<Parameters<typeof alertFromRow>[0] & { store: string }>(
        `SELECT a.*, t.store FROM alerts a JOIN terminals t ON t.id = a.terminal_id ${w} ORDER BY a.id DESC LIMIT ?`,
        [...w.params, q.limit],
      );
      return rows.map((r) => ({ ...alertFromRow(r), store: r.store }));
    },
    enrollCodes: async (now, stores) => {
      const filter = stores === undefined ? '' : stores.length === 0 ? 'AND 1 = 0' : `AND store IN (${placeholders(stores.length)})`;
      const rows = await sql.all<{ store: string; terminal: string; created_at: string; expires_at: string; issued_by: string | null }>(
        `SELECT store, terminal, created_at, expires_at, issued_by FROM enroll_codes WHERE expires_at > ? ${filter} ORDER BY created_at DESC, store, terminal`,
        [now, ...(stores ?? [])],
      );
      return rows.map((r): EnrollCodeInfo => ({ store: r.store, terminal: r.terminal, createdAt: r.created_at, expiresAt: r.expires_at, issuedBy: r.issued_by }));
    },
    setConnection: (id, state, at) =>
      write(async () => {
        if (state === 'connected') await sql.run('UPDATE terminals SET connected_at = ?, last_seen = ? WHERE id = ?', [at, at, id]);
        else if (state === 'disconnected') await sql.run('UPDATE terminals SET disconnected_at = ?, last_seen = ? WHERE id = ?', [at, at, id]);
        else await sql.run('UPDATE terminals SET connected_at = ? WHERE id = ? AND (connected_at IS NULL OR (disconnected_at IS NOT NULL AND disconnected_at >= connected_at))', [at, id]);
      }),

    setting: async <T>(key: string) => {
      const r = await sql.get<{ value: string }>('SELECT value FROM hub_settings WHERE key = ?', [key]);
      return r ? (JSON.parse(r.value) as T) : null;
    },
  };
}

/** the author of a catalog change made without naming one (tests, old callers) */
export function hubItself(): ChangeBy {
  return { actor: 'hub', actorRole: null, source: null, at: new Date().toISOString() };
}

const CHUNK = 200;

async function insertAudit(sql: Sql, e: AuditInput): Promise<void> {
  await sql.run('INSERT INTO audit_log (at, actor, actor_role, source, action, target, store, before_data, after_data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
    e.at,
    e.actor,
    e.actorRole,
    e.source,
    e.action,
    e.target,
    e.store,
    json(e.before),
    json(e.after),
  ]);
}

/** the console's changes inside a transaction; `lock` is ' FOR UPDATE' on PostgreSQL */
export function consoleTx(sql: Sql): ConsoleTx {
  const lock = sql.dialect === 'postgres' ? ' FOR UPDATE' : '';
  return {
    audit: (e: AuditInput) => insertAudit(sql, e),
    userForUpdate: async (name) => {
      const r = await sql.get<UserDbRow>(`SELECT * FROM hub_users WHERE name = ?${lock}`, [name]);
      return r ? userFromRow(r) : null;
    },
    insertUser: async (u) =>
      void (await sql.run('INSERT INTO hub_users (name, display_name, role, stores, password_hash, disabled_at, created_at, updated_at, last_login_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
        u.name,
        u.displayName,
        u.role,
        JSON.stringify(u.stores),
        u.passwordHash,
        u.disabledAt,
        u.createdAt,
        u.updatedAt,
        u.lastLoginAt,
      ])),
    updateUser: async (u) =>
      void (await sql.run('UPDATE hub_users SET display_name = ?, role = ?, stores = ?, password_hash = ?, disabled_at = ?, updated_at = ? WHERE name = ?', [
        u.displayName,
        u.role,
        JSON.stringify(u.stores),
        u.passwordHash,
        u.disabledAt,
        u.updatedAt,
        u.name,
      ])),
    endSessions: (name, except) =>
      except === undefined ? sql.run('DELETE FROM hub_sessions WHERE user_name = ?', [name]) : sql.run('DELETE FROM hub_sessions WHERE user_name = ? AND id_hash <> ?', [name, except]),
    activeAdmins: async () => (await sql.all<{ name: string }>(`SELECT name FROM hub_users WHERE role = 'hq-admin' AND disabled_at IS NULL${lock}`)).length,
    setSetting: async (key, value) =>
      void (await sql.run('INSERT INTO hub_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, JSON.stringify(value)])),
    settingForUpdate: async <T>(key: string) => {
      const r = await sql.get<{ value: string }>(`SELECT value FROM hub_settings WHERE key = ?${lock}`, [key]);
      return r ? (JSON.parse(r.value) as T) : null;
    },
    catalogItemForUpdate: async (kind, key) => {
      const r = await sql.get<ItemDbRow>(`SELECT kind, key, data, version FROM catalog_items WHERE kind = ? AND key = ?${lock}`, [kind, key]);
      return r ? itemFromRow(r) : null;
    },
    writeCatalog: (changes, by, action) => writeCatalog(sql, changes, by, action ?? 'catalog.change'),
    barcodeOwners: async (barcodes) => {
      if (barcodes.length === 0) return [];
      return sql.dialect === 'sqlite'
        ? sql.all<{ barcode: string; sku: string }>(
            `SELECT j.value AS barcode, c.key AS sku FROM catalog_items c, json_each(c.data, '$.barcodes') j WHERE c.kind = 'product' AND c.data IS NOT NULL AND j.value IN (${placeholders(barcodes.length)})`,
            [...barcodes],
          )
        : sql.all<{ barcode: string; sku: string }>(
            `SELECT b AS barcode, key AS sku FROM catalog_items, jsonb_array_elements_text(data::jsonb -> 'barcodes') AS b WHERE kind = 'product' AND data IS NOT NULL AND b = ANY(?::text[])`,
            [[...barcodes]],
          );
    },
    revokeTerminal: async (id, at) => (await sql.run('UPDATE terminals SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [at, id])) > 0,
    insertEnrollCode: async (codeHash, r) =>
      void (await sql.run('INSERT INTO enroll_codes (code_hash, store, terminal, created_at, expires_at, issued_by) VALUES (?, ?, ?, ?, ?, ?)', [codeHash, r.store, r.terminal, r.createdAt, r.expiresAt, r.issuedBy])),
    deleteEnrollCodes: (store, terminal) => sql.run('DELETE FROM enroll_codes WHERE store = ? AND terminal = ?', [store, terminal]),
  };
}

/** catalog data as the audit log and the history answers show it: without PIN hashes */
export function redactCatalogData(data: Record<string, unknown> | null): Record<string, unknown> | null {
  if (data === null || !('pinHash' in data)) return data;
  const { pinHash: _hidden, ...rest } = data;
  return rest;
}

async function writeCatalog(sql: Sql, changes: CatalogChange[], by: ChangeBy, action: AuditAction): Promise<number> {
  const row = await sql.get<{ version: number }>('UPDATE catalog_meta SET version = version + 1 WHERE id = 1 RETURNING version');
  const version = Number(row?.version);
  /* last change of each (kind, key) wins, as if applied one after the other */
  const last = new Map<string, CatalogChange>();
  for (const c of changes) {
    const id = `${c.kind}\u0000${c.key}`;
    last.delete(id);
    last.set(id, c);
  }
  const list = [...last.values()];
  let single: { change: CatalogChange; before: string | null } | null = null;
  for (let i = 0; i < list.length; i += CHUNK) {
    const chunk = list.slice(i, i + CHUNK);
    const before = new Map<string, string | null>();
    const byKind = new Map<string, string[]>();
    for (const c of chunk) byKind.set(c.kind, [...(byKind.get(c.kind) ?? []), c.key]);
    for (const [kind, keys] of byKind) {
      const rows = await sql.all<ItemDbRow>(`SELECT kind, key, data, version FROM catalog_items WHERE kind = ? AND key IN (${placeholders(keys.length)})`, [kind, ...keys]);
      for (const r of rows) before.set(`${r.kind}\u0000${r.key}`, r.data);
    }
    await sql.run(
      `INSERT INTO catalog_items (kind, key, data, version) VALUES ${chunk.map(() => '(?, ?, ?, ?)').join(', ')}
       ON CONFLICT (kind, key) DO UPDATE SET data = excluded.data, version = excluded.version`,
      chunk.flatMap((c) => [c.kind, c.key, json(c.data), version]),
    );
    await sql.run(
      `INSERT INTO catalog_history (version, at, actor, kind, key, before_data, after_data) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      chunk.flatMap((c) => [version, by.at, by.actor, c.kind, c.key, before.get(`${c.kind}\u0000${c.key}`) ?? null, json(c.data)]),
    );
    if (list.length === 1 && chunk[0]) single = { change: chunk[0], before: before.get(`${chunk[0].kind}\u0000${chunk[0].key}`) ?? null };
  }
  const entry: AuditInput = single
    ? {
        ...by,
        action,
        target: `${single.change.kind}:${single.change.key}`,
        store: null,
        before: redactCatalogData(parseJson(single.before) as Record<string, unknown> | null),
        after: redactCatalogData(single.change.data),
      }
    : { ...by, action, target: `catalog:v${version}`, store: null, before: null, after: { version, rows: list.length, keys: list.slice(0, 100).map((c) => `${c.kind}:${c.key}`) } };
  await insertAudit(sql, entry);
  return version;
}
