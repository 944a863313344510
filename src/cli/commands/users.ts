/**
 * till users add|list|disable: the first admin of a new terminal, and user
 * management for stores that run without a hub. The PIN comes from --pin or,
 * better (it stays out of the shell history), from stdin; it is never echoed
 * or printed, and only its scrypt hash is journaled.
 */
import { parseArgs } from 'node:util';
import { pinSchema, userCodeSchema } from '../../shared/contract/auth';
import { ROLES, type Role } from '../../shared/contract/define';
import { openLedger } from '../../ledger/index';
import { saveUser } from '../../terminal/index';
import { LoginGuard, listUsers, setUserActive } from '../../terminal/index';
import { UsageError, readSecret, type Command } from '../io';

const command: Command = {
  summary: 'add, list or disable the users who sign in at this till',
  usage:
    'till users add --data DIR --code DIGITS --name NAME --role cashier|supervisor|manager|admin [--pin DIGITS | PIN on stdin]\n' +
    '       till users list --data DIR [--json]\n' +
    '       till users disable --data DIR --code DIGITS',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { data: { type: 'string' }, code: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, pin: { type: 'string' }, json: { type: 'boolean' } },
    });
    const [action, ...extra] = positionals;
    if (!action || !['add', 'list', 'disable'].includes(action) || extra.length) throw new UsageError('say add, list or disable');
    if (!values.data) throw new UsageError('--data is required');
    const code = action === 'list' ? '' : (values.code ?? '');
    if (action !== 'list' && !userCodeSchema.safeParse(code).success) throw new UsageError('--code must be 3 to 8 digits');
    let add: { name: string; role: Role; pin: string } | null = null;
    if (action === 'add') {
      const name = values.name?.trim() ?? '';
      if (!name || name.length > 40) throw new UsageError('--name is required (at most 40 characters)');
      const role = values.role as Role | undefined;
      if (!role || !ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
      const pin = values.pin ?? (await readSecret(io, 'PIN: '));
      if (!pinSchema.safeParse(pin).success) throw new UsageError('the PIN must be 4 to 8 digits');
      add = { name, role, pin };
    }
    const ledger = openLedger(values.data);
    try {
      if (add) {
        const u = saveUser(ledger, { code, ...add });
        io.out(`saved user ${u.code} ${u.name} (${u.role})\n`);
      } else if (action === 'disable') {
        const u = setUserActive(ledger, code, false);
        io.out(`disabled user ${u.code} ${u.name}: they can no longer sign in\n`);
      } else {
        const users = listUsers(ledger, new LoginGuard(ledger, () => new Date()));
        if (values.json) io.out(JSON.stringify(users, null, 2) + '\n');
        else if (!users.length) io.out('no users yet: add the first admin with till users add --role admin\n');
        else for (const u of users) io.out(`${u.code.padEnd(9)} ${u.role.padEnd(11)} ${u.active ? 'active  ' : 'disabled'} ${u.lockedUntil ? `locked until ${u.lockedUntil} ` : ''}${u.name}\n`);
      }
    } finally {
      ledger.close();
    }
    return 0;
  },
};
export default command;
