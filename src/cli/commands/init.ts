import { parseArgs } from 'node:util';
import { TillError } from '../../shared/errors';
import { isValidCode, ledgerExists, openLedger } from '../../ledger/index';
import { UsageError, type Command } from '../io';

const command: Command = {
  summary: "create a terminal's ledger in a data directory",
  usage: 'till init --data DIR --store CODE --terminal CODE',
  async run(args, io) {
    const { values } = parseArgs({ args, options: { data: { type: 'string' }, store: { type: 'string' }, terminal: { type: 'string' } } });
    const { data, store, terminal } = values;
    if (!data || !store || !terminal) throw new UsageError('--data, --store and --terminal are required');
    for (const [what, code] of [['store', store], ['terminal', terminal]] as const) {
      if (!isValidCode(code)) throw new UsageError(`the ${what} code must be 1 to 12 letters or digits (got '${code}')`);
    }
    if (ledgerExists(data)) throw new TillError('conflict', `${data} already holds a ledger; choose an empty directory (or use till restore)`);
    const ledger = openLedger(data, { create: { store, terminal } });
    try {
      io.out(`created the ledger of store ${store} terminal ${terminal} in ${ledger.dir}\n`);
    } finally {
      ledger.close();
    }
    return 0;
  },
};
export default command;
