import { parseArgs } from 'node:util';
import { backupLedger } from '../../ledger/index';
import { UsageError, type Command } from '../io';

const command: Command = {
  summary: 'back up a ledger (online, verified) and keep the newest N backups',
  usage: 'till backup --data DIR --to FOLDER [--keep N]',
  async run(args, io) {
    const { values } = parseArgs({ args, options: { data: { type: 'string' }, to: { type: 'string' }, keep: { type: 'string', default: '10' } } });
    if (!values.data || !values.to) throw new UsageError('--data and --to are required');
    const keep = Number(values.keep);
    if (!/^\d+$/.test(values.keep) || keep < 1) throw new UsageError(`--keep must be a whole number of at least 1 (got '${values.keep}')`);
    const r = await backupLedger(values.data, values.to, { keep });
    io.out(`backed up ${r.entries} ${r.entries === 1 ? 'entry' : 'entries'} (last hash ${r.lastHash}) to ${r.file}, verified\n`);
    if (r.removed.length) io.out(`removed ${r.removed.length} older backup(s), keeping the newest ${keep}\n`);
    return 0;
  },
};
export default command;
