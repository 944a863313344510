/** User management and switching the cashier mid-shift. PINs go in, never come out. */
import { z } from 'zod';
import { method } from './define';
import { plainText } from './text';
import { pinSchema, userCodeSchema, userViewSchema } from './auth';

const roleSchema = z.enum(['cashier', 'supervisor', 'manager', 'admin']);

export const userListEntrySchema = userViewSchema.extend({
  active: z.boolean(),
  /** set while the user code is locked after failed PIN entries (UTC ISO) */
  lockedUntil: z.string().nullable(),
});
export type UserListEntry = z.infer<typeof userListEntrySchema>;

export const usersMethods = {
  'auth.switchUser': method({
    summary: 'hand the till to another cashier mid-shift: ends this session and signs the other user in (journaled)',
    access: 'session',
    input: z.object({ userCode: userCodeSchema, pin: pinSchema }).strict(),
    output: z.object({ sessionToken: z.string(), user: userViewSchema }),
  }),
  'users.list': method({
    summary: 'every user of this terminal, with lockouts',
    access: 'users.read',
    input: z.object({}).strict(),
    output: z.object({ users: z.array(userListEntrySchema) }),
  }),
  'users.save': method({
    summary: 'add a user or change one (name, role, PIN); journaled with the PIN hashed',
    access: 'users.manage',
    input: z.object({ code: userCodeSchema, name: plainText(z.string().trim().min(1).max(40)), role: roleSchema, pin: pinSchema }).strict(),
    output: userViewSchema,
  }),
  'users.disable': method({
    summary: 'stop a user from signing in (journaled); their history stays',
    access: 'users.manage',
    input: z.object({ code: userCodeSchema }).strict(),
    output: userListEntrySchema,
  }),
  'users.unlock': method({
    summary: 'lift the lockout of a user code after failed PIN entries',
    access: 'users.unlock',
    input: z.object({ code: userCodeSchema }).strict(),
    output: z.object({}),
  }),
};
