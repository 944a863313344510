/**
 * Signing in to the console and the people who may: hub users with a role
 * (hq-admin, hq-analyst, store-manager limited to its stores). Login sets an
 * HttpOnly session cookie and answers a CSRF token, which every state-changing
 * call sends back in the `x-csrf-token` header.
 */
import { z } from 'zod';
import { hubRoleSchema, route } from './define';
import { isoTimeSchema, okAnswer, storeCodeSchema } from './common';

export const userNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$/, '2 to 64 letters, digits, . _ @ or -');
export const passwordSchema = z.string().min(10, 'at least 10 characters').max(200);
export const displayNameSchema = z.string().trim().min(1).max(40);
export const userStoresSchema = z.array(storeCodeSchema).max(500);

/** the signed-in user as the console sees itself */
export const meSchema = z.object({
  name: userNameSchema,
  displayName: z.string().nullable(),
  role: hubRoleSchema,
  /** the stores a store manager may see; empty for head-office roles, which see every store */
  stores: z.array(z.string()),
});
export type Me = z.infer<typeof meSchema>;

export const sessionAnswer = z.object({ user: meSchema, csrfToken: z.string() });

export const hubUserSchema = meSchema.extend({
  disabled: z.boolean(),
  createdAt: isoTimeSchema,
  updatedAt: isoTimeSchema,
  lastLoginAt: isoTimeSchema.nullable(),
});
export type HubUser = z.infer<typeof hubUserSchema>;

/** a store manager needs at least one store; head-office roles take none */
function storesFitRole(v: { role?: z.infer<typeof hubRoleSchema> | undefined; stores?: string[] | undefined }, ctx: z.RefinementCtx): void {
  if (v.role === undefined || v.stores === undefined) return;
  if (v.role === 'store-manager' && v.stores.length === 0) ctx.addIssue({ code: 'custom', path: ['stores'], message: 'a store manager needs at least one store' });
  if (v.role !== 'store-manager' && v.stores.length > 0) ctx.addIssue({ code: 'custom', path: ['stores'], message: 'head-office roles see every store: give no stores' });
}

export const newUserSchema = z
  .object({ name: userNameSchema, displayName: displayNameSchema.nullable().default(null), role: hubRoleSchema, stores: userStoresSchema.default([]), password: passwordSchema })
  .strict()
  .superRefine(storesFitRole);
export type NewUser = z.infer<typeof newUserSchema>;

export const userPatchSchema = z
  .object({ displayName: displayNameSchema.nullable().optional(), role: hubRoleSchema.optional(), stores: userStoresSchema.optional(), disabled: z.boolean().optional() })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'change at least one field');
export type UserPatch = z.infer<typeof userPatchSchema>;

const userParams = z.object({ name: userNameSchema }).strict();

export const authRoutes = {
  'auth.login': route({
    method: 'POST',
    path: '/api/login',
    group: 'auth',
    summary: 'sign in: sets the session cookie and answers the CSRF token (rate limited per source address)',
    access: 'public',
    body: z.object({ user: z.string().min(1).max(64), password: z.string().min(1).max(200) }).strict(),
    answer: sessionAnswer,
  }),
  'auth.logout': route({
    method: 'POST',
    path: '/api/logout',
    group: 'auth',
    summary: 'sign out: ends this session and clears the cookie',
    access: 'session',
    answer: okAnswer,
  }),
  'auth.session': route({
    method: 'GET',
    path: '/api/session',
    group: 'auth',
    summary: 'who is signed in, with a fresh CSRF token (after a page reload)',
    access: 'session',
    answer: sessionAnswer,
  }),
  'auth.password': route({
    method: 'POST',
    path: '/api/session/password',
    group: 'auth',
    summary: "change one's own password; every other session of this user ends",
    access: 'session',
    body: z.object({ current: z.string().min(1).max(200), next: passwordSchema }).strict(),
    answer: okAnswer,
  }),
};

export const peopleRoutes = {
  'people.list': route({
    method: 'GET',
    path: '/api/users',
    group: 'people',
    summary: 'every hub user with role, stores and whether disabled',
    access: { roles: ['hq-admin'] },
    answer: z.object({ users: z.array(hubUserSchema) }),
  }),
  'people.add': route({
    method: 'POST',
    path: '/api/users',
    group: 'people',
    summary: 'add a hub user (password hashed with argon2id); audited',
    access: { roles: ['hq-admin'] },
    body: newUserSchema,
    answer: hubUserSchema,
  }),
  'people.update': route({
    method: 'PATCH',
    path: '/api/users/:name',
    group: 'people',
    summary: "change a user's role, stores, display name or disable it (its sessions end); audited",
    access: { roles: ['hq-admin'] },
    params: userParams,
    body: userPatchSchema,
    answer: hubUserSchema,
  }),
  'people.password': route({
    method: 'PUT',
    path: '/api/users/:name/password',
    group: 'people',
    summary: "set a user's password (its sessions end); audited without the password",
    access: { roles: ['hq-admin'] },
    params: userParams,
    body: z.object({ password: passwordSchema }).strict(),
    answer: okAnswer,
  }),
};
