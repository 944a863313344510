/**
 * Test fixtures for the hub and the replicator: a journal chain built exactly
 * as the ledger builds it (hashPreimage + SHA-256), one store per test run on
 * each backend (a fresh SQLite directory, or a fresh PostgreSQL schema in the
 * `test` database, dropped afterwards).
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GENESIS_PREV_HASH, hashPreimage, type JournalEntry } from '../../src/shared/journal';
import { canonicalJson } from '../../src/shared/canonical-json';
import { openSqliteStore } from '../../src/hub/store/sqlite-store';
import pg from 'pg';
import { openPostgresStore, parsePgUrl } from '../../src/hub/store/postgres-store';
import type { HubStore } from '../../src/hub/store/types';

export const PG_BASE = process.env.TILL_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
let idCounter = 0;
export function fakeUlid(): string {
  idCounter += 1;
  const n = String(idCounter).padStart(10, '0').split('').map((d) => CROCKFORD[Number(d)]).join('');
  return `01J${n}${randomBytes(13).toString('hex').toUpperCase().replace(/[ILOU]/g, 'A').slice(0, 13)}`;
}

export function sha(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function makeEntry(prev: JournalEntry | null, type: string, payload: unknown, at = new Date(Date.UTC(2026, 0, 1, 0, 0, prev ? prev.seq : 0))): JournalEntry {
  const seq = prev ? prev.seq + 1 : 1;
  const prevHash = prev ? prev.hash : GENESIS_PREV_HASH;
  const p = canonicalJson(payload);
  const atIso = at.toISOString();
  const id = fakeUlid();
  return { seq, id, type, at: atIso, payload: p, prevHash, hash: sha(hashPreimage(prevHash, seq, id, type, atIso, p)) };
}

/** a chain of n entries: a Genesis for (store, terminal) then sales */
export function makeChain(store: string, terminal: string, n: number, from: JournalEntry[] = []): JournalEntry[] {
  const out = [...from];
  while (out.length < n) {
    const prev = out[out.length - 1] ?? null;
    out.push(prev === null ? makeEntry(null, 'Genesis', { store, terminal, createdAt: '2026-01-01T00:00:00.000Z', schema: 1 }) : makeEntry(prev, 'SaleCompleted', { total: 1250 + prev.seq, lines: [{ sku: `P${prev.seq % 97}`, qty: 1 }] }));
  }
  return out;
}

export interface StoreKit {
  kind: 'sqlite' | 'postgres';
  /** opens (or re-opens) the run's store */
  open(): Promise<HubStore>;
  /** the --data / --database pair the CLI would use */
  dir: string;
  databaseUrl: string | undefined;
  cleanup(): Promise<void>;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `till-${prefix}-`));
}

export function storeKit(kind: 'sqlite' | 'postgres'): StoreKit {
  const dir = tempDir(`hub-${kind}`);
  if (kind === 'sqlite') {
    return { kind, dir, databaseUrl: undefined, open: async () => openSqliteStore(dir), cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = `${PG_BASE}?schema=${schema}`;
  return {
    kind,
    dir,
    databaseUrl: url,
    open: () => openPostgresStore(url),
    cleanup: async () => {
      await dropPgSchema(url);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const STORE_KINDS = ['sqlite', 'postgres'] as const;

/** drops the schema a test run or benchmark made */
export async function dropPgSchema(url: string): Promise<void> {
  const target = parsePgUrl(url);
  const c = new pg.Client({ connectionString: target.config.connectionString });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS ${target.schema} CASCADE`);
  } finally {
    await c.end();
  }
}

/** a self-signed certificate for 127.0.0.1 made with openssl (EC P-256, valid for `days`), as {cert, key} PEM text */
export function selfSignedCert(dir: string, name: string, days = 1): { cert: string; key: string } {
  const key = path.join(dir, `${name}.key`);
  const cert = path.join(dir, `${name}.crt`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', String(days), '-subj', `/CN=${name}`, '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { cert: fs.readFileSync(cert, 'utf8'), key: fs.readFileSync(key, 'utf8') };
}
