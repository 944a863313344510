/**
 * `till sync`: runs this terminal's replicator. With --until-idle it exits 0
 * as soon as the hub has acknowledged the last journal entry, and non-zero
 * with the reason when the push is refused or the timeout passes.
 */
import { parseArgs } from 'node:util';
import { openLedger, type Ledger } from '../../ledger/index';
import { APP_VERSION } from '../../shared/version';
import { createTerminalSync, type TerminalSync, type TerminalSyncOptions } from '../../sync/terminal-sync';
import { SyncError } from '../../sync/sync-error';
import { EXIT, UsageError, type CliIO, type Command } from '../io';

/** starts the replicator of an open ledger (used by till sync, till terminal, till simulate) */
export function startTerminalSync(ledger: Ledger, io: CliIO, o: Partial<TerminalSyncOptions> = {}): TerminalSync {
  const sync = createTerminalSync(ledger, { appVersion: APP_VERSION, ...o });
  let last = '';
  sync.replicator.on('status', (s) => {
    const line = s.phase === 'stopped' || s.phase === 'backoff' ? `sync ${s.phase}: ${s.lastError?.message ?? ''}` : '';
    if (line && line !== last) io.err(`${line}\n`);
    last = line;
  });
  sync.replicator.start();
  return sync;
}

const command: Command = {
  summary: "push this terminal's journal to its hub",
  usage: 'till sync --data DIR [--until-idle] [--timeout SECONDS]',
  async run(args, io) {
    const { values } = parseArgs({ args, options: { data: { type: 'string' }, 'until-idle': { type: 'boolean', default: false }, timeout: { type: 'string' } } });
    if (!values.data) throw new UsageError('--data is required');
    const timeoutS = values.timeout === undefined ? 120 : Number(values.timeout);
    if (!(timeoutS > 0)) throw new UsageError(`bad --timeout ${values.timeout}`);
    const ledger = openLedger(values.data);
    const sync = (() => {
      try {
        return startTerminalSync(ledger, io);
      } catch (e) {
        ledger.close();
        throw e;
      }
    })();
    try {
      if (!values['until-idle']) {
        io.out(`replicating ${sync.credentials.terminalId} to ${sync.credentials.hubUrl} (stop with Ctrl-C)\n`);
        await io.untilSignal();
        return EXIT.ok;
      }
      try {
        const head = await sync.replicator.untilIdle(timeoutS * 1000);
        io.out(`synced: the hub has every entry up to ${head.seq} (hash ${head.hash})\n`);
        return EXIT.ok;
      } catch (e) {
        if (!(e instanceof SyncError)) throw e;
        io.err(`till sync: ${e.reason}: ${e.message}\n`);
        return EXIT.failed;
      }
    } finally {
      await sync.replicator.stop();
      ledger.close();
    }
  },
};
export default command;
