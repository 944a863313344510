/**
 * A hub's data directory: the SQLite store (unless a PostgreSQL URL is
 * given), the admin token (0600, made on first start) that the CLI and the
 * dashboard use for the admin API, the metrics token (0600, made on first
 * start) Prometheus reads /metrics with, the logs (logs/), and hub.json,
 * which a running hub writes so that `till hub price` and friends can reach
 * it and notify terminals.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { TillError } from '../shared/errors';
import { createAdapter } from '@socket.io/postgres-adapter';
import type { HubOptions } from './server';
import { openPostgresStore } from './store/postgres-store';
import { openSqliteStore } from './store/sqlite-store';
import type { HubStore } from './store/types';

export const ADMIN_TOKEN_FILE = 'admin-token';
export const METRICS_TOKEN_FILE = 'metrics-token';
export const RUNTIME_FILE = 'hub.json';

export function databaseUrlFrom(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = flag ?? env.TILL_HUB_DATABASE_URL;
  if (url === undefined || url === '') return undefined;
  if (!/^postgres(ql)?:\/\//.test(url)) throw new TillError('config-invalid', `the hub database must be a postgres:// URL (got '${url.split(':')[0]}:...'); leave it out for the built-in SQLite store`);
  return url;
}

export async function openHubStore(dir: string, databaseUrl: string | undefined): Promise<HubStore> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return databaseUrl ? openPostgresStore(databaseUrl) : openSqliteStore(dir);
}

/**
 * The store of a hub node, and on PostgreSQL the socket.io adapter that
 * carries events (catalog:changed) to the other nodes sharing the database.
 */
export async function openHubNode(dir: string, databaseUrl: string | undefined): Promise<{ store: HubStore; adapter?: HubOptions['adapter'] }> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!databaseUrl) return { store: openSqliteStore(dir) };
  const store = await openPostgresStore(databaseUrl);
  return { store, adapter: createAdapter(store.pool, { tableName: 'socket_io_attachments', errorHandler: () => undefined }) };
}

export function adminToken(dir: string, create: boolean): string | null {
  return tokenFile(dir, ADMIN_TOKEN_FILE, create);
}

export function metricsToken(dir: string, create: boolean): string | null {
  return tokenFile(dir, METRICS_TOKEN_FILE, create);
}

/** a random token kept in DIR/file (0600), made when asked to and missing */
function tokenFile(dir: string, name: string, create: boolean): string | null {
  const file = path.join(dir, name);
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || !create) return null;
  }
  const token = randomBytes(32).toString('base64url');
  fs.writeFileSync(file, token + '\n', { mode: 0o600, flag: 'wx' });
  return token;
}

const runtimeSchema = z.object({ url: z.string(), pid: z.number().int(), ca: z.string().optional() });
export type HubRuntime = z.infer<typeof runtimeSchema>;

export function writeRuntime(dir: string, r: HubRuntime): void {
  const file = path.join(dir, RUNTIME_FILE);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(r) + '\n', { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
}

export function readRuntime(dir: string): HubRuntime | null {
  try {
    return runtimeSchema.parse(JSON.parse(fs.readFileSync(path.join(dir, RUNTIME_FILE), 'utf8')));
  } catch {
    return null;
  }
}

export function clearRuntime(dir: string, pid: number): void {
  if (readRuntime(dir)?.pid === pid) fs.rmSync(path.join(dir, RUNTIME_FILE), { force: true });
}
