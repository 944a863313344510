/**
 * `till terminal`: a headless terminal: the selling core on its ledger, the
 * lane server (the cashier UI for a browser on 127.0.0.1), and the
 * replicator when the terminal is enrolled. attachSync() is the one place a
 * running terminal is wired to its hub: sales wake the replicator, catalog
 * deltas go through the terminal's applyCatalogDelta, and replication status
 * becomes the terminal's 'sync.status' event and online flag.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { catalogVersion, createTerminal, type Terminal } from '../../terminal/index';
import { startLaneServer } from '../../terminal/lane-server';
import { fileTokenVault } from '../../sync/credentials';
import type { TerminalSync, TerminalSyncOptions } from '../../sync/terminal-sync';
import type { SyncStatus } from '../../sync/types';
import { EXIT, UsageError, type CliIO, type Command } from '../io';
import { startTerminalSync } from './sync';

function syncEvent(s: SyncStatus): { state: 'online' | 'offline' | 'disabled'; queueDepth: number; lastError: string | null } {
  return { state: s.mode === 'disabled' ? 'disabled' : s.connected ? 'online' : 'offline', queueDepth: s.queueDepth, lastError: s.lastError?.message ?? null };
}

/** starts replication for a running terminal; null when it is not enrolled with a hub */
export function attachSync(terminal: Terminal, io: CliIO, tuning?: TerminalSyncOptions['tuning']): TerminalSync | null {
  if (fileTokenVault(terminal.ledger.dir).read() === null) return null;
  const sync = startTerminalSync(terminal.ledger, io, {
    catalog: { version: () => catalogVersion(terminal.ledger.db), apply: (d) => void terminal.applyCatalogDelta(d) },
    ...(tuning ? { tuning } : {}),
  });
  terminal.events.on('sale.completed', () => sync.replicator.wake());
  sync.replicator.on('status', (s) => {
    terminal.setOnline(s.connected);
    terminal.events.emit('sync.status', syncEvent(s));
  });
  return sync;
}

const command: Command = {
  summary: 'run a headless terminal: lane server and replication to its hub',
  usage: 'till terminal --data DIR [--lane-port P] [--lane-host H] [--no-lane]',
  async run(args, io) {
    const { values } = parseArgs({ args, options: { data: { type: 'string' }, 'lane-port': { type: 'string' }, 'lane-host': { type: 'string' }, 'no-lane': { type: 'boolean', default: false } } });
    if (!values.data) throw new UsageError('--data is required');
    const lanePort = values['lane-port'] === undefined ? 0 : Number(values['lane-port']);
    if (!Number.isInteger(lanePort) || lanePort < 0 || lanePort > 65535) throw new UsageError(`bad --lane-port ${values['lane-port']}`);
    const terminal = createTerminal({ dataDir: values.data, log: (l) => io.err(`${l}\n`) });
    let sync: TerminalSync | null = null;
    try {
      sync = attachSync(terminal, io);
      const { store, terminal: code } = terminal.ledger.identity;
      io.out(sync ? `terminal ${store}/${code}: replicating to ${sync.credentials.hubUrl}\n` : `terminal ${store}/${code}: not enrolled with a hub (till enroll), selling offline\n`);
      const lane = values['no-lane']
        ? null
        : await startLaneServer({ terminal, staticDir: path.resolve(__dirname, '../../../out/renderer'), ...(values['lane-host'] ? { host: values['lane-host'] } : {}), port: lanePort });
      if (lane) io.out(`lane server on ${lane.url}${lane.pairingCode ? ` (pairing code ${lane.pairingCode})` : ''}\n`);
      await io.untilSignal();
      await lane?.close();
      return EXIT.ok;
    } finally {
      await sync?.replicator.stop();
      terminal.close();
    }
  },
};
export default command;
