/**
 * One small query interface over both hub databases, so the parts of the
 * store written after the first (people, sessions, audit, catalog history,
 * fleet views) are written once: `?` placeholders (turned into $1, $2 ... for
 * PostgreSQL), rows as plain objects, run() answering the rows it changed.
 * The few places where the dialects differ (JSON fields) ask `dialect`.
 */
import type Database from 'better-sqlite3';
import type pg from 'pg';

export interface Sql {
  readonly dialect: 'sqlite' | 'postgres';
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
  get<T>(sql: string, params?: unknown[]): Promise<T | undefined>;
  /** the number of rows written */
  run(sql: string, params?: unknown[]): Promise<number>;
}

export function sqliteSql(db: Database.Database): Sql {
  const cache = new Map<string, Database.Statement>();
  const prep = (sql: string): Database.Statement => {
    let st = cache.get(sql);
    if (!st) {
      st = db.prepare(sql);
      if (cache.size > 500) cache.clear();
      cache.set(sql, st);
    }
    return st;
  };
  const bind = (params: unknown[]) => params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
  return {
    dialect: 'sqlite',
    all: async <T>(sql: string, params: unknown[] = []) => prep(sql).all(...bind(params)) as T[],
    get: async <T>(sql: string, params: unknown[] = []) => prep(sql).get(...bind(params)) as T | undefined,
    run: async (sql, params = []) => prep(sql).run(...bind(params)).changes,
  };
}

const numbered = new Map<string, string>();
function toPg(sql: string): string {
  let out = numbered.get(sql);
  if (out === undefined) {
    let n = 0;
    out = sql.replace(/\?/g, () => `$${++n}`);
    if (numbered.size > 2000) numbered.clear();
    numbered.set(sql, out);
  }
  return out;
}

/** over a pool (each query on any connection) or one checked-out client (inside a transaction) */
export function pgSql(db: pg.Pool | pg.PoolClient): Sql {
  return {
    dialect: 'postgres',
    all: async <T>(sql: string, params: unknown[] = []) => (await db.query(toPg(sql), params)).rows as T[],
    get: async <T>(sql: string, params: unknown[] = []) => (await db.query(toPg(sql), params)).rows[0] as T | undefined,
    run: async (sql, params = []) => (await db.query(toPg(sql), params)).rowCount ?? 0,
  };
}

/** `?, ?, ?` for a list of n values */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/** a LIKE pattern that finds `text` anywhere, with % and _ taken literally (ESCAPE '\') */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** a WHERE clause built from optional conditions, with their parameters in order */
export class Where {
  private readonly parts: string[] = [];
  readonly params: unknown[] = [];
  add(condition: string, ...params: unknown[]): this {
    this.parts.push(condition);
    this.params.push(...params);
    return this;
  }
  toString(): string {
    return this.parts.length ? `WHERE ${this.parts.join(' AND ')}` : '';
  }
}
