import { parseArgs } from 'node:util';
import { restoreLedger } from '../../ledger/index';
import { UsageError, type Command } from '../io';

const command: Command = {
  summary: 'replace a stopped terminal\'s ledger with a verified backup',
  usage: 'till restore --from FILE --data DIR [--force]',
  async run(args, io) {
    const { values } = parseArgs({ args, options: { from: { type: 'string' }, data: { type: 'string' }, force: { type: 'boolean', default: false } } });
    if (!values.from || !values.data) throw new UsageError('--from and --data are required');
    const r = await restoreLedger(values.from, values.data, { force: values.force });
    io.out(`restored ${r.entries} ${r.entries === 1 ? 'entry' : 'entries'} of store ${r.identity.store} terminal ${r.identity.terminal} (last hash ${r.lastHash}) into ${values.data}\n`);
    if (r.replaced) io.out(`the previous ledger was kept as ${r.replaced}\n`);
    return 0;
  },
};
export default command;
