/**
 * Prepared statements cached per connection and SQL text, for code that
 * runs the same query on every call (guards, projectors): compiling SQL
 * costs tens of microseconds, more than most of these queries take to run.
 */
import type { Statement } from 'better-sqlite3';
import type { SqliteDb } from './types';

const cache = new WeakMap<SqliteDb, Map<string, Statement>>();

export function cachedStatement(db: SqliteDb, sql: string): Statement {
  let m = cache.get(db);
  if (!m) cache.set(db, (m = new Map()));
  let st = m.get(sql);
  if (!st) m.set(sql, (st = db.prepare(sql)));
  return st;
}
