/** Sign-in calls. A session token goes with every other call (CallContext.sessionToken). */
import { z } from 'zod';
import { method } from './define';

export const userViewSchema = z.object({
  code: z.string(),
  name: z.string(),
  role: z.enum(['cashier', 'supervisor', 'manager', 'admin']),
});
export type UserView = z.infer<typeof userViewSchema>;

export const userCodeSchema = z.string().regex(/^\d{3,8}$/, '3 to 8 digits');
export const pinSchema = z.string().regex(/^\d{4,8}$/, '4 to 8 digits');

export const authMethods = {
  'auth.login': method({
    summary: 'sign in with user code and PIN',
    access: 'public',
    input: z.object({ userCode: userCodeSchema, pin: pinSchema }).strict(),
    /** mustChangePin: the session may only choose a new PIN (auth.changePin) until it does */
    output: z.object({ sessionToken: z.string(), user: userViewSchema, mustChangePin: z.boolean() }),
  }),
  'auth.changePin': method({
    summary: 'the signed-in user chooses a new PIN (the current one again as proof); journaled with the PIN as a credential',
    access: 'session',
    input: z.object({ currentPin: pinSchema, newPin: pinSchema }).strict(),
    output: z.object({}),
  }),
  'auth.logout': method({
    summary: 'end the session',
    access: 'session',
    input: z.object({}).strict(),
    output: z.object({}),
  }),
  'auth.whoami': method({
    summary: 'the signed-in user',
    access: 'session',
    input: z.object({}).strict(),
    output: userViewSchema,
  }),
};
