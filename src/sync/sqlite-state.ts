/**
 * ReplicationState kept in the terminal's own database (tables from
 * migrations/terminal/0040_replication.sql and 0041_hub_catalog.sql). Each write is one small
 * autocommit statement outside the journal: the acked mark is a cache of what
 * the hub confirmed, and a lost update is corrected by the next hello.
 */
import type Database from 'better-sqlite3';
import { GENESIS_PREV_HASH } from '../shared/journal';
import type { Hwm } from '../shared/replication';
import type { ReplicationState, SyncAlert } from './types';

export interface SqliteReplicationState extends ReplicationState {
  alerts(): SyncAlert[];
  /** the hub catalog version applied (0: none yet) */
  hubCatalogVersion(): number;
  setHubCatalogVersion(version: number): void;
}

export function sqliteReplicationState(db: Database.Database, now: () => Date = () => new Date()): SqliteReplicationState {
  const read = db.prepare<[], { acked_seq: number; acked_hash: string }>('SELECT acked_seq, acked_hash FROM sync_state WHERE id = 1');
  const write = db.prepare(
    'INSERT INTO sync_state (id, acked_seq, acked_hash, updated_at) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET acked_seq = excluded.acked_seq, acked_hash = excluded.acked_hash, updated_at = excluded.updated_at',
  );
  const alert = db.prepare('INSERT INTO sync_alerts (at, code, message, details) VALUES (?, ?, ?, ?)');
  const readCatalog = db.prepare<[], { hub_version: number }>('SELECT hub_version FROM sync_catalog WHERE id = 1');
  const writeCatalog = db.prepare('INSERT INTO sync_catalog (id, hub_version, applied_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET hub_version = excluded.hub_version, applied_at = excluded.applied_at');
  return {
    acked: (): Hwm => {
      const r = read.get();
      return r ? { seq: r.acked_seq, hash: r.acked_hash } : { seq: 0, hash: GENESIS_PREV_HASH };
    },
    setAcked: (hwm) => void write.run(hwm.seq, hwm.hash, now().toISOString()),
    addAlert: (a) => void alert.run(a.at, a.code, a.message, JSON.stringify(a.details)),
    hubCatalogVersion: () => readCatalog.get()?.hub_version ?? 0,
    setHubCatalogVersion: (v) => void writeCatalog.run(v, now().toISOString()),
    alerts: () =>
      db
        .prepare<[], { at: string; code: string; message: string; details: string }>('SELECT at, code, message, details FROM sync_alerts ORDER BY id')
        .all()
        .map((r) => ({ at: r.at, code: r.code, message: r.message, details: JSON.parse(r.details) as Record<string, unknown> })),
  };
}
