import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { drillRestore, restoreLedger } from '../../ledger/index';
import { restoreFromHub } from '../restore-from-hub';
import { UsageError, type Command } from '../io';

const command: Command = {
  summary: 'replace a stopped terminal\'s ledger with a verified backup, or rebuild it from the hub\'s copy',
  usage: 'till restore --from FILE --data DIR [--force]\n       till restore --from FILE --check [--data DIR]     (a restore drill into a temporary folder; nothing is replaced)\n       till restore --from-hub URL --data DIR --store S --terminal T --code CODE [--ca CA.pem]',
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        from: { type: 'string' },
        data: { type: 'string' },
        force: { type: 'boolean', default: false },
        check: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        'from-hub': { type: 'string' },
        store: { type: 'string' },
        terminal: { type: 'string' },
        code: { type: 'string' },
        ca: { type: 'string' },
      },
    });
    if (values['from-hub'] !== undefined) {
      if (!values.data || !values.store || !values.terminal || !values.code) throw new UsageError('--from-hub needs --data, --store, --terminal and a one-time --code from till hub enroll-code');
      const r = await restoreFromHub({
        hubUrl: values['from-hub'],
        dir: values.data,
        store: values.store,
        terminal: values.terminal,
        code: values.code,
        ...(values.ca ? { ca: fs.readFileSync(values.ca, 'utf8') } : {}),
      });
      io.out(`restored ${r.entries} entries of ${values.store}/${values.terminal} from the hub (last hash ${r.lastHash}) into ${values.data}; the next sale is entry ${r.entries + 1}\n`);
      return 0;
    }
    if (values.check) {
      if (!values.from) throw new UsageError('--check needs --from FILE');
      if (values.force) throw new UsageError('--check replaces nothing: leave out --force');
      const r = await drillRestore(values.from, values.data ? { liveDir: values.data } : {});
      if (values.json) {
        io.out(JSON.stringify({ ok: true, ...r }) + '\n');
        return 0;
      }
      io.out(`restore drill passed: ${r.file} restores to a temporary folder, opens and verifies: ${r.entries} entries of store ${r.identity.store} terminal ${r.identity.terminal} (last hash ${r.lastHash})${r.takenAt ? `, taken ${r.takenAt}` : ''}\n`);
      if (r.live) {
        io.out(r.live.sameTerminal ? `the live ledger in ${values.data} is at entry ${r.live.seq}: restoring this backup would lose ${r.live.behind} entries (the hub has them when it is enrolled)\n` : `the live ledger in ${values.data} belongs to another terminal\n`);
      }
      io.out('nothing was replaced\n');
      return 0;
    }
    if (!values.from || !values.data) throw new UsageError('--from and --data are required');
    const r = await restoreLedger(values.from, values.data, { force: values.force });
    io.out(`restored ${r.entries} ${r.entries === 1 ? 'entry' : 'entries'} of store ${r.identity.store} terminal ${r.identity.terminal} (last hash ${r.lastHash}) into ${values.data}\n`);
    if (r.replaced) io.out(`the previous ledger was kept as ${r.replaced}\n`);
    return 0;
  },
};
export default command;
