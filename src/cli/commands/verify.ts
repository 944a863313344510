import { parseArgs } from 'node:util';
import { verifyLedger } from '../../ledger/index';
import { EXIT, UsageError, type Command } from '../io';

const entries = (n: number) => `${n} ${n === 1 ? 'entry' : 'entries'}`;

const command: Command = {
  summary: 'recompute the hash chain and check the integrity of a ledger',
  usage: 'till verify --data DIR [--json]',
  async run(args, io) {
    const { values } = parseArgs({ args, options: { data: { type: 'string' }, json: { type: 'boolean', default: false } } });
    if (!values.data) throw new UsageError('--data is required');
    const r = await verifyLedger(values.data);
    if (values.json) {
      io.out(JSON.stringify({ ok: r.ok, entries: r.entries, lastHash: r.lastHash, firstBad: r.firstBad }) + '\n');
    } else if (r.ok) {
      io.out(`ledger intact: ${entries(r.entries)}, last hash ${r.lastHash}\n`);
    } else {
      const bad = r.firstBad ?? { seq: 0, reason: 'integrity' };
      const where = bad.seq === 0 ? 'in the file' : `at seq ${bad.seq}`;
      io.out(`ledger DAMAGED ${where}: ${bad.reason}${r.detail ? ` (${r.detail})` : ''}\n${entries(r.entries)} intact before it, last intact hash ${r.lastHash}\n`);
    }
    return r.ok ? EXIT.ok : EXIT.failed;
  },
};
export default command;
