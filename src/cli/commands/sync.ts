/**
 * `till sync`: runs this terminal's replicator. With --until-idle it exits 0
 * as soon as the hub has acknowledged the last journal entry, and non-zero
 * with the reason when the push is refused or the timeout passes.
 */
import { parseArgs } from 'node:util';
import { lineLogger } from '../../shared/logger';
import { openLedger } from '../../ledger/index';
import { SyncError } from '../../sync/sync-error';
import { startLedgerSync } from '../../terminal/index';
import { EXIT, UsageError, type Command } from '../io';

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
        return startLedgerSync(ledger, { logger: lineLogger((l) => io.err(`${l}\n`)) });
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
