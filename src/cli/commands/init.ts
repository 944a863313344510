import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import { pinSchema, userCodeSchema } from '../../shared/contract/auth';
import { TillError } from '../../shared/errors';
import { isValidCode, ledgerExists, openLedger } from '../../ledger/index';
import { UsageError, type Command } from '../io';
// selling (issue 3): the sample catalog and the first admin
import { saveUser, seedSampleCatalog } from '../../terminal/index';

/** the first admin's code when none is given; its PIN is one-time, printed once, and must be changed at the first sign-in */
export const FIRST_ADMIN = { code: '9000', name: '店长' } as const;

/** a one-time PIN: six random digits */
export const oneTimePin = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');

const command: Command = {
  summary: "create a terminal's ledger in a data directory",
  usage: 'till init --data DIR --store CODE --terminal CODE [--no-sample] [--admin-code CODE --admin-pin PIN [--admin-name NAME]]',
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        data: { type: 'string' },
        store: { type: 'string' },
        terminal: { type: 'string' },
        // selling (issue 3)
        'no-sample': { type: 'boolean', default: false },
        'admin-code': { type: 'string' },
        'admin-pin': { type: 'string' },
        'admin-name': { type: 'string' },
      },
    });
    const { data, store, terminal } = values;
    if (!data || !store || !terminal) throw new UsageError('--data, --store and --terminal are required');
    // selling (issue 3): check the admin flags before anything is created
    const adminCode = values['admin-code'];
    const adminPin = values['admin-pin'];
    if ((adminCode === undefined) !== (adminPin === undefined)) throw new UsageError('--admin-code and --admin-pin go together');
    if (adminCode !== undefined && !userCodeSchema.safeParse(adminCode).success) throw new UsageError(`--admin-code must be 3 to 8 digits (got '${adminCode}')`);
    if (adminPin !== undefined && !pinSchema.safeParse(adminPin).success) throw new UsageError('--admin-pin must be 4 to 8 digits');
    for (const [what, code] of [['store', store], ['terminal', terminal]] as const) {
      if (!isValidCode(code)) throw new UsageError(`the ${what} code must be 1 to 12 letters or digits (got '${code}')`);
    }
    if (ledgerExists(data)) throw new TillError('conflict', `${data} already holds a ledger; choose an empty directory (or use till restore)`);
    const ledger = openLedger(data, { create: { store, terminal } });
    try {
      io.out(`created the ledger of store ${store} terminal ${terminal} in ${ledger.dir}\n`);
      // selling (issue 3): seed the sample catalog (unless --no-sample) and the first admin
      if (!values['no-sample']) {
        const seeded = seedSampleCatalog(ledger);
        io.out(`seeded the sample catalog: ${seeded.products} products, ${seeded.promotions} promotions, ${seeded.members} members (catalog version ${seeded.version})\n`);
      }
      // no known PIN is ever created: the admin's PIN is given here, or a one-time PIN is printed once and must be changed at the first sign-in
      if (adminCode !== undefined && adminPin !== undefined) {
        saveUser(ledger, { code: adminCode, name: values['admin-name'] ?? '管理员', role: 'admin', pin: adminPin });
        io.out(`added admin ${adminCode}\n`);
      } else {
        const pin = oneTimePin();
        saveUser(ledger, { code: FIRST_ADMIN.code, name: values['admin-name'] ?? FIRST_ADMIN.name, role: 'admin', pin, mustChangePin: true });
        io.out(`added admin ${FIRST_ADMIN.code} with the one-time PIN ${pin} (shown only now; a new PIN must be chosen at the first sign-in)\n`);
      }
    } finally {
      ledger.close();
    }
    return 0;
  },
};
export default command;
