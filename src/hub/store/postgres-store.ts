/**
 * The hub store on PostgreSQL (pg Pool). A transaction() takes one pooled
 * client, BEGIN ... COMMIT; terminalForUpdate() locks the terminal's row
 * (SELECT ... FOR UPDATE), so batches of one terminal arriving at two hub
 * nodes are applied one after the other. Entries go in with one INSERT over
 * unnest() arrays per batch. The URL may carry ?schema=NAME (created when
 * missing), which sets the search_path of every connection.
 */
import pg from 'pg';
import type { JournalEntry } from '../../shared/journal';
import type { CatalogChange, StatusReport } from '../../shared/replication';
import type { CatalogChanges } from './types';
import { TillError } from '../../shared/errors';
import { migratePostgres } from '../../db/migrate';
import { hubMigrationsDir } from './migrations';
import { consoleStore, consoleTx, hubItself } from './console-store';
import { putSalesHistory, readSalesHistory } from './history-store';
import { alertStore, alertTx } from './alert-store';
import { pgSql } from './sql';
import { alertFromRow, catalogFromRow, entryFromRow, terminalFromRow } from './sqlite-store';
import type { HubStore, StoreTx } from './types';

/** int8 and bigserial as JS numbers: seq and versions stay far below 2^53 */
pg.types.setTypeParser(20, (v) => Number(v));

export interface PgTarget {
  config: pg.PoolConfig;
  schema: string;
}

export function parsePgUrl(url: string): PgTarget {
  const u = new URL(url);
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw new TillError('config-invalid', `not a postgres:// URL: ${u.protocol}`);
  const schema = u.searchParams.get('schema') ?? 'public';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new TillError('config-invalid', `bad schema name '${schema}' (lower-case letters, digits, _)`);
  u.searchParams.delete('schema');
  return { schema, config: { connectionString: u.toString(), options: `-c search_path=${schema}`, application_name: `till-hub:${schema}`, max: 10 } };
}

export async function openPostgresStore(url: string): Promise<HubStore & { pool: pg.Pool; schema: string }> {
  const target = parsePgUrl(url);
  const boot = new pg.Client({ connectionString: target.config.connectionString });
  await boot.connect();
  try {
    await boot.query(`CREATE SCHEMA IF NOT EXISTS ${target.schema}`);
  } finally {
    await boot.end();
  }
  const pool = new pg.Pool(target.config);
  pool.on('error', () => undefined);
  await migrate(pool);

  /**
   * A checked-out client inside BEGIN ... COMMIT. A client whose connection
   * failed (an 'error' event, or a ROLLBACK that fails) is destroyed on
   * release instead of going back to the pool.
   */
  const inTx = async <T>(begin: string, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> => {
    const c = await pool.connect();
    let failure: Error | undefined;
    const onError = (e: Error) => {
      failure = e;
    };
    c.on('error', onError);
    try {
      await c.query(begin);
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (e) {
      await c.query('ROLLBACK').catch((re: unknown) => {
        failure = re instanceof Error ? re : new Error(String(re));
      });
      throw e;
    } finally {
      c.off('error', onError);
      c.release(failure);
    }
  };

  const txOf = (c: pg.PoolClient): StoreTx => ({
    ...consoleTx(pgSql(c)),
    ...alertTx(pgSql(c)),
    terminalForUpdate: async (id) => {
      const r = await c.query('SELECT * FROM terminals WHERE id = $1 FOR UPDATE', [id]);
      return r.rows[0] ? terminalFromRow(r.rows[0]) : null;
    },
    storedHashes: async (id, from, to) =>
      (await c.query('SELECT seq, hash FROM journal WHERE terminal_id = $1 AND seq BETWEEN $2 AND $3 ORDER BY seq', [id, from, to])).rows as Array<{ seq: number; hash: string }>,
    insertEntries: async (id, entries, receivedAt) => {
      await c.query(
        `INSERT INTO journal (terminal_id, seq, id, type, at, payload, prev_hash, hash, received_at)
         SELECT $1, * , $9 FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])`,
        [id, entries.map((e) => e.seq), entries.map((e) => e.id), entries.map((e) => e.type), entries.map((e) => e.at), entries.map((e) => e.payload), entries.map((e) => e.prevHash), entries.map((e) => e.hash), receivedAt],
      );
    },
    setHwm: async (id, hwm) => void (await c.query('UPDATE terminals SET hwm_seq = $1, hwm_hash = $2 WHERE id = $3', [hwm.seq, hwm.hash, id])),
    takeEnrollCode: async (codeHash) => {
      const r = await c.query('DELETE FROM enroll_codes WHERE code_hash = $1 RETURNING store, terminal, expires_at AS "expiresAt"', [codeHash]);
      return r.rows[0] ?? null;
    },
    upsertTerminal: async (r) =>
      void (await c.query(
        `INSERT INTO terminals (id, store, terminal, token_hash, enrolled_at, hwm_seq, hwm_hash) VALUES ($1, $2, $3, $4, $5, 0, $6)
         ON CONFLICT (id) DO UPDATE SET token_hash = excluded.token_hash, enrolled_at = excluded.enrolled_at, revoked_at = NULL`,
        [r.id, r.store, r.terminal, r.tokenHash, r.enrolledAt, '0'.repeat(64)],
      )),
  });

  const transaction = <T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> => inTx('BEGIN', (c) => fn(txOf(c)));

  const q = async (sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows;

  return {
    ...consoleStore(pgSql(pool), (fn) => fn()),
    ...alertStore(pgSql(pool), (fn) => fn()),
    kind: 'postgres',
    pool,
    schema: target.schema,
    transaction,
    addEnrollCode: async (codeHash, r) =>
      void (await q('INSERT INTO enroll_codes (code_hash, store, terminal, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [codeHash, r.store, r.terminal, r.createdAt, r.expiresAt])),
    terminal: async (id) => {
      const rows = await q('SELECT * FROM terminals WHERE id = $1', [id]);
      return rows[0] ? terminalFromRow(rows[0]) : null;
    },
    terminals: async () => (await q('SELECT * FROM terminals ORDER BY id')).map(terminalFromRow),
    revoke: async (id, at) => (await pool.query('UPDATE terminals SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [at, id])).rowCount !== 0,
    saveStatus: async (id, report: StatusReport, at, faultsSince) =>
      void (await q('UPDATE terminals SET status = $1, status_at = $2, last_seen = $2, faults_since = $3 WHERE id = $4', [JSON.stringify(report), at, JSON.stringify(faultsSince), id])),
    alerts: async (terminalId) =>
      (terminalId === undefined ? await q('SELECT * FROM alerts ORDER BY id') : await q('SELECT * FROM alerts WHERE terminal_id = $1 ORDER BY id', [terminalId])).map(alertFromRow),
    entries: async (id, fromSeq, limit): Promise<JournalEntry[]> =>
      (await q('SELECT seq, id, type, at, payload, prev_hash, hash FROM journal WHERE terminal_id = $1 AND seq >= $2 ORDER BY seq LIMIT $3', [id, fromSeq, limit])).map(entryFromRow),
    journalStats: async (id) => {
      const [r] = await q('SELECT count(*)::int AS n, min(seq) AS lo, max(seq) AS hi FROM journal WHERE terminal_id = $1', [id]);
      const [last] = await q('SELECT hash FROM journal WHERE terminal_id = $1 ORDER BY seq DESC LIMIT 1', [id]);
      return { count: Number(r?.n ?? 0), minSeq: Number(r?.lo ?? 0), maxSeq: Number(r?.hi ?? 0), lastHash: (last?.hash as string | undefined) ?? null };
    },
    catalogVersion: async () => Number((await q('SELECT version FROM catalog_meta WHERE id = 1'))[0]?.version ?? 0),
    changeCatalog: (changes: CatalogChange[], by = hubItself()) => transaction((t) => t.writeCatalog(changes, by)),
    catalogDelta: (since) =>
      inTx('BEGIN ISOLATION LEVEL REPEATABLE READ', async (c): Promise<CatalogChanges> => {
        const to = Number((await c.query('SELECT version FROM catalog_meta WHERE id = 1')).rows[0].version);
        const rows = (await c.query('SELECT kind, key, data FROM catalog_items WHERE version > $1 AND version <= $2 ORDER BY version, kind, key', [since, to])).rows;
        return { fromVersion: since, toVersion: to, changes: rows.map(catalogFromRow) };
      }),
    catalogItems: async (kind) => (await q('SELECT kind, key, data FROM catalog_items WHERE kind = $1 AND data IS NOT NULL ORDER BY key', [kind])).map(catalogFromRow),
    importSalesHistory: (rows) => inTx('BEGIN', (c) => putSalesHistory(pgSql(c), rows)),
    salesHistory: (f) => readSalesHistory(pgSql(pool), f),
    close: async () => {
      await pool.end();
    },
  };
}

async function migrate(pool: pg.Pool): Promise<void> {
  const c = await pool.connect();
  try {
    await migratePostgres(c, hubMigrationsDir('postgres'), { what: 'the hub database' });
  } finally {
    c.release();
  }
}
