/** Rows of the hub store's first tables as both databases return them, turned into the store's types. */
import type { StatusReport } from '../../shared/replication';
import type { AlertRow, TerminalRow } from './types';

export interface TerminalDbRow {
  id: string;
  store: string;
  terminal: string;
  token_hash: string;
  enrolled_at: string;
  revoked_at: string | null;
  hwm_seq: number;
  hwm_hash: string;
  last_seen: string | null;
  status: string | null;
  status_at: string | null;
  faults_since: string | null;
}

export function terminalFromRow(r: TerminalDbRow): TerminalRow {
  return {
    id: r.id,
    store: r.store,
    terminal: r.terminal,
    tokenHash: r.token_hash,
    enrolledAt: r.enrolled_at,
    revokedAt: r.revoked_at,
    hwm: { seq: Number(r.hwm_seq), hash: r.hwm_hash },
    lastSeen: r.last_seen,
    status: r.status === null ? null : (JSON.parse(r.status) as StatusReport),
    statusAt: r.status_at,
    faultsSince: r.faults_since ? (JSON.parse(r.faults_since) as Record<string, string>) : {},
  };
}

export interface AlertDbRow {
  id: number;
  terminal_id: string;
  at: string;
  code: string;
  message: string;
  details: string;
  state: string;
  last_seen: string | null;
  cleared_at: string | null;
}

export function alertFromRow(r: AlertDbRow): AlertRow {
  return {
    id: Number(r.id),
    terminalId: r.terminal_id,
    at: r.at,
    code: r.code,
    message: r.message,
    details: JSON.parse(r.details) as Record<string, unknown>,
    state: r.state === 'cleared' ? 'cleared' : 'open',
    lastSeen: r.last_seen ?? r.at,
    clearedAt: r.cleared_at,
  };
}
