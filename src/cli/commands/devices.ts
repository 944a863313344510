/** `till devices list`: the serial ports and USB printer device files on this machine. */
import { parseArgs } from 'node:util';
import { listPorts } from '../../../drivers/transport';
import { EXIT, UsageError, type Command } from '../io';

const command: Command = {
  summary: 'list serial ports and USB printers this machine sees',
  usage: 'till devices list [--json]',
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean' } }, allowPositionals: true, strict: true });
    if (positionals[0] !== 'list' || positionals.length > 1) throw new UsageError("the only sub-command is 'list'");
    const listing = await listPorts();
    if (values.json) {
      io.out(JSON.stringify(listing, null, 2) + '\n');
      return EXIT.ok;
    }
    for (const p of listing.ports) {
      const ids = p.vendorId ? ` ${p.vendorId}:${p.productId ?? '?'}` : '';
      io.out(`${p.kind.padEnd(12)} ${p.path}${ids}${p.manufacturer ? `  ${p.manufacturer}` : ''}\n`);
    }
    for (const n of listing.notes) io.out(`note: ${n}\n`);
    return EXIT.ok;
  },
};
export default command;
