/**
 * Hub users: head-office and store-manager accounts of the console.
 * Passwords are hashed with argon2id (@node-rs/argon2: 19 MiB, 2 passes, the
 * OWASP baseline); a login for an unknown or disabled user still runs one
 * verification against a fixed hash, so timing does not tell which names
 * exist. Every change is written with its audit entry in one transaction, and
 * a change that takes access away (disable, role or stores changed, password
 * set) ends the user's sessions. The last active hq-admin cannot be disabled
 * or demoted. Names are compared in lower case.
 */
import { hash, verify } from '@node-rs/argon2';
import { TillError } from '../shared/errors';
import { type HubUser, type NewUser, type UserPatch } from '../shared/hub-api/index';
import { ApiError } from './http/errors';
import type { ChangeBy, HubStore, HubUserRow } from './store/types';

const ARGON2 = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

let dummy: Promise<string> | null = null;

/** true when the password is the user's; false for a wrong one, an unknown or a disabled user */
export async function passwordMatches(user: HubUserRow | null, password: string): Promise<boolean> {
  if (user === null || user.disabledAt !== null) {
    dummy ??= hashPassword('not a password of anyone');
    await verify(await dummy, password).catch(() => false);
    return false;
  }
  return verify(user.passwordHash, password).catch(() => false);
}

export function normalizeUserName(name: string): string {
  return name.trim().toLowerCase();
}

/** a user as the API and the audit log show it: never the password hash */
export function userView(u: HubUserRow): HubUser {
  return { name: u.name, displayName: u.displayName, role: u.role, stores: u.stores, disabled: u.disabledAt !== null, createdAt: u.createdAt, updatedAt: u.updatedAt, lastLoginAt: u.lastLoginAt };
}

export async function addUser(store: HubStore, input: NewUser, by: ChangeBy): Promise<HubUserRow> {
  const name = normalizeUserName(input.name);
  const row: HubUserRow = {
    name,
    displayName: input.displayName,
    role: input.role,
    stores: input.role === 'store-manager' ? [...new Set(input.stores)].sort() : [],
    passwordHash: await hashPassword(input.password),
    disabledAt: null,
    createdAt: by.at,
    updatedAt: by.at,
    lastLoginAt: null,
  };
  await store.transaction(async (tx) => {
    if (await tx.userForUpdate(name)) throw new ApiError('conflict', `hub user ${name} already exists`);
    await tx.insertUser(row);
    await tx.audit({ ...by, action: 'user.add', target: `user:${name}`, store: null, before: null, after: userView(row) });
  });
  return row;
}

async function keepAnAdmin(tx: { activeAdmins(): Promise<number> }, before: HubUserRow, after: HubUserRow): Promise<void> {
  const wasAdmin = before.role === 'hq-admin' && before.disabledAt === null;
  const staysAdmin = after.role === 'hq-admin' && after.disabledAt === null;
  if (wasAdmin && !staysAdmin && (await tx.activeAdmins()) <= 1) throw new ApiError('last-admin', `${before.name} is the last active hq-admin`);
}

/** applies a patch; answers the user after it and whether its sessions were ended */
export async function updateUser(store: HubStore, rawName: string, patch: UserPatch, by: ChangeBy): Promise<{ user: HubUserRow; sessionsEnded: boolean }> {
  const name = normalizeUserName(rawName);
  return store.transaction(async (tx) => {
    const before = await tx.userForUpdate(name);
    if (!before) throw new ApiError('not-found', `no hub user ${name}`);
    const role = patch.role ?? before.role;
    const stores = role === 'store-manager' ? [...new Set(patch.stores ?? before.stores)].sort() : [];
    if (role === 'store-manager' && stores.length === 0) throw new ApiError('bad-input', 'a store manager needs at least one store', { issues: [{ path: 'body.stores', code: 'custom' }] });
    if (role !== 'store-manager' && patch.stores !== undefined && patch.stores.length > 0) throw new ApiError('bad-input', 'head-office roles take no stores', { issues: [{ path: 'body.stores', code: 'custom' }] });
    const disabledAt = patch.disabled === undefined ? before.disabledAt : patch.disabled ? (before.disabledAt ?? by.at) : null;
    const after: HubUserRow = { ...before, displayName: patch.displayName === undefined ? before.displayName : patch.displayName, role, stores, disabledAt, updatedAt: by.at };
    await keepAnAdmin(tx, before, after);
    const lessAccess = after.disabledAt !== null || after.role !== before.role || after.stores.join() !== before.stores.join();
    await tx.updateUser(after);
    if (lessAccess) await tx.endSessions(name);
    await tx.audit({ ...by, action: 'user.update', target: `user:${name}`, store: null, before: userView(before), after: userView(after) });
    return { user: after, sessionsEnded: lessAccess };
  });
}

/** sets a password; every session of the user ends except `keepSession` (one's own, on a change of one's own password) */
export async function setPassword(store: HubStore, rawName: string, password: string, by: ChangeBy, o: { keepSession?: string; action?: 'user.password' | 'session.password' } = {}): Promise<void> {
  const name = normalizeUserName(rawName);
  const passwordHash = await hashPassword(password);
  await store.transaction(async (tx) => {
    const before = await tx.userForUpdate(name);
    if (!before) throw new ApiError('not-found', `no hub user ${name}`);
    await tx.updateUser({ ...before, passwordHash, updatedAt: by.at });
    await tx.endSessions(name, o.keepSession);
    await tx.audit({ ...by, action: o.action ?? 'user.password', target: `user:${name}`, store: null, before: null, after: { passwordChanged: true } });
  });
}

/** for the CLI: the user or a clear refusal */
export async function requireUser(store: HubStore, rawName: string): Promise<HubUserRow> {
  const u = await store.user(normalizeUserName(rawName));
  if (!u) throw new TillError('not-found', `no hub user ${normalizeUserName(rawName)}`);
  return u;
}
