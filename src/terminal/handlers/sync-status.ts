/**
 * What the 'sync.status' call and event answer: the replicator's live status
 * when one runs, or what the ledger's replication state says when none does.
 * A leaf (it knows neither the terminal nor its runtime), so the composition
 * root serves the call and the runtime feeds it without importing each other.
 */
import type { EventPayload } from '../../shared/contract/events';
import type { SyncStatusView } from '../../shared/contract/sync';
import type { Ledger } from '../../ledger/index';
import { sqliteReplicationState } from '../../sync/sqlite-state';
import type { SyncStatus } from '../../sync/types';

/** the alerts the status call lists (the newest ones; the rest stay in the database) */
const ALERTS_SHOWN = 20;

export function syncEvent(s: SyncStatus): EventPayload<'sync.status'> {
  return { state: s.mode === 'disabled' ? 'disabled' : s.connected ? 'online' : 'offline', queueDepth: s.queueDepth, lastError: s.lastError?.message ?? null };
}

/** what the 'sync.status' call answers: from the running replicator, or from the ledger when none runs */
export function syncStatusView(
  ledger: Ledger,
  running: { status: SyncStatus; hubUrl: string } | null,
  idle: { enrolled: boolean; hubUrl: string | null; problem: SyncStatusView['lastError'] } = { enrolled: false, hubUrl: null, problem: null },
): SyncStatusView {
  const state = sqliteReplicationState(ledger.db);
  const alerts = state
    .alerts()
    .slice(-ALERTS_SHOWN)
    .map((a) => ({ at: a.at, code: a.code, message: a.message }));
  if (running) {
    const s = running.status;
    const ev = syncEvent(s);
    return { state: ev.state, enrolled: true, hubUrl: running.hubUrl, queueDepth: s.queueDepth, headSeq: s.head.seq, ackedSeq: s.acked.seq, lastError: s.lastError, alerts };
  }
  const head = ledger.head().seq;
  const acked = state.acked().seq;
  return { state: 'disabled', enrolled: idle.enrolled, hubUrl: idle.hubUrl, queueDepth: Math.max(0, head - acked), headSeq: head, ackedSeq: acked, lastError: idle.problem, alerts };
}
