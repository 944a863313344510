/**
 * A terminal wired to its hub (DESIGN.md section 5). startLedgerSync() runs
 * the replicator of an open ledger (till sync uses it on a bare ledger);
 * attachSync() is the one place a running terminal is connected: sales wake
 * the replicator, catalog deltas from the hub go through the terminal's
 * applyCatalogDelta (rebased onto its own catalog numbering in one
 * transaction), replication status becomes the terminal's online flag and its
 * 'sync.status' event, and the 'sync.status' call reads the same state.
 * A terminal that is not enrolled, or whose credentials cannot be used, keeps
 * selling: replication is then 'disabled' with the reason as its last error.
 */
import { isTillError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import { APP_VERSION } from '../../shared/version';
import { fileTokenVault } from '../../sync/credentials';
import { createTerminalSync, type LedgerLike, type TerminalSync, type TerminalSyncOptions } from '../../sync/terminal-sync';
import type { DeviceHealthProvider, StatusExtrasProvider, TokenVault } from '../../sync/types';
import { catalogVersion } from '../projections/catalog';
import { syncEvent, syncStatusView } from '../handlers/sync-status';
import type { Terminal } from '../terminal';

export interface LedgerSyncOptions extends Partial<TerminalSyncOptions> {
  /** one warning per distinct stop or backoff reason */
  logger: Logger;
}

/** starts the replicator of an open ledger; throws 'not-enrolled' or 'forbidden' as readCredentials does */
export function startLedgerSync(ledger: LedgerLike, o: LedgerSyncOptions): TerminalSync {
  const { logger, ...rest } = o;
  const sync = createTerminalSync(ledger, { appVersion: APP_VERSION, ...rest });
  if (sync.credentials.insecure) logger.warn(`replicating to ${sync.credentials.hubUrl} over plain http (enrolled with --insecure): for a lab only`);
  let last = '';
  sync.replicator.on('status', (s) => {
    const line = s.phase === 'stopped' || s.phase === 'backoff' ? `sync ${s.phase}: ${s.lastError?.message ?? ''}` : '';
    if (line && line !== last) logger.warn(line);
    last = line;
  });
  sync.replicator.start();
  return sync;
}

export interface AttachSyncOptions {
  logger: Logger;
  /** where the credentials live (default: the file in the data directory) */
  vault?: TokenVault;
  /** device health for the status reports */
  devices?: DeviceHealthProvider;
  /** recent errors and backup health for the status reports */
  extras?: StatusExtrasProvider;
  /** replicator tuning (tests) */
  tuning?: TerminalSyncOptions['tuning'];
}

/**
 * Starts replication for a running terminal when it is enrolled; null when it
 * is not, or when its credentials cannot be used (logged, and shown by the
 * 'sync.status' call as the last error). Stop it with replicator.stop()
 * before closing the terminal.
 */
export function attachSync(terminal: Terminal, o: AttachSyncOptions): TerminalSync | null {
  const { ledger } = terminal;
  const vault = o.vault ?? fileTokenVault(ledger.dir);
  let sync: TerminalSync;
  try {
    if (vault.read() === null) {
      terminal.setSyncStatus(() => syncStatusView(ledger, null));
      return null;
    }
    sync = startLedgerSync(ledger, {
      logger: o.logger,
      vault,
      catalog: { version: () => catalogVersion(ledger.db), apply: (d) => void terminal.applyCatalogDelta(d) },
      ...(o.devices ? { devices: o.devices } : {}),
      ...(o.extras ? { extras: o.extras } : {}),
      ...(o.tuning ? { tuning: o.tuning } : {}),
    });
  } catch (e) {
    if (!isTillError(e)) throw e;
    o.logger.warn(`sync not started: ${e.message}`);
    const problem = { reason: e.code, message: e.message, at: new Date().toISOString() };
    terminal.setSyncStatus(() => syncStatusView(ledger, null, { enrolled: false, hubUrl: null, problem }));
    return null;
  }
  const { replicator, credentials } = sync;
  // a wake after stop() is a no-op, so the listener may outlive the replicator
  terminal.events.on('sale.completed', () => replicator.wake());
  replicator.on('status', (s) => {
    terminal.setOnline(s.connected);
    terminal.events.emit('sync.status', syncEvent(s));
  });
  terminal.setSyncStatus(() => syncStatusView(ledger, { status: replicator.status(), hubUrl: credentials.hubUrl }));
  return sync;
}
