/**
 * Who is calling: a console session or the hub admin token.
 *
 * Sessions: POST /api/login checks the password (argon2id) and creates a
 * session whose random 256-bit token goes into an HttpOnly, SameSite=Strict
 * cookie (Secure and named __Host-till-session over https); the store keeps
 * only its SHA-256, with the session's CSRF secret, so any hub node can
 * check it. A session ends after `idleMinutes` without use or `maxAgeHours`
 * after login, at logout, or when the user is disabled or its access changes.
 *
 * The login limit is counted in the store (shared by every node): within
 * `windowMinutes`, at most `perUserSource` failures for one user from one
 * address, `perSource` from one address for any user, and `perUser` for one
 * user from anywhere; past it even the right password is refused until the
 * window has passed. A success clears that user's failures from that address.
 *
 * Failed authentication of every kind is logged with the source address and
 * what was tried (a user name, a terminal id), never the secret.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { HubRole } from '../../shared/hub-api/index';
import { normalizeUserName, passwordMatches } from '../people';
import type { ChangeBy, HubStore, HubUserRow, SessionRow } from '../store/types';
import { ApiError } from './errors';

export interface Principal {
  kind: 'session' | 'admin-token';
  name: string;
  displayName: string | null;
  role: HubRole;
  /** the stores it may see: every store, or a store manager's list */
  stores: 'all' | readonly string[];
  session: SessionRow | null;
}

export interface LoginLimits {
  windowMinutes: number;
  perUserSource: number;
  perSource: number;
  perUser: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { windowMinutes: 15, perUserSource: 5, perSource: 20, perUser: 50 };

export interface SessionPolicy {
  idleMinutes: number;
  maxAgeHours: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMinutes: 12 * 60, maxAgeHours: 7 * 24 };

export interface AuthConfig {
  store: HubStore;
  adminToken: string | null;
  now: () => Date;
  log: (line: string) => void;
  login: LoginLimits;
  session: SessionPolicy;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-till-session' : 'till-session';
}

export function isSecure(req: FastifyRequest): boolean {
  return req.protocol === 'https';
}

/** the request's client address, as logged and audited */
export function sourceOf(req: FastifyRequest): string {
  return req.ip;
}

export function principalOfUser(u: HubUserRow, session: SessionRow | null): Principal {
  return { kind: 'session', name: u.name, displayName: u.displayName, role: u.role, stores: u.role === 'store-manager' ? u.stores : 'all', session };
}

export function changeBy(p: Principal | null, source: string | null, at: Date): ChangeBy {
  return { actor: p?.name ?? 'anonymous', actorRole: p ? p.role : null, source, at: at.toISOString() };
}

function sameSecret(presented: string, expected: string): boolean {
  const a = Buffer.from(sha256Hex(presented), 'hex');
  const b = Buffer.from(sha256Hex(expected), 'hex');
  return timingSafeEqual(a, b);
}

/**
 * The principal of a request: the admin token when an Authorization header
 * is sent (a wrong one is refused outright), else the session cookie's user
 * (null when there is no valid session).
 */
export async function authenticate(cfg: AuthConfig, req: FastifyRequest): Promise<Principal | null> {
  const authorization = req.headers.authorization;
  if (authorization !== undefined) {
    const presented = authorization.startsWith('Bearer ') ? authorization.slice(7) : '';
    if (cfg.adminToken !== null && presented !== '' && sameSecret(presented, cfg.adminToken)) {
      return { kind: 'admin-token', name: 'admin-token', displayName: null, role: 'hq-admin', stores: 'all', session: null };
    }
    cfg.log(`auth failed: admin token from ${sourceOf(req)} (${presented === '' ? 'not a bearer token' : 'wrong token'}) on ${req.method} ${req.url.split('?')[0]}`);
    throw new ApiError('unauthenticated', 'wrong admin token');
  }
  const token = req.cookies[sessionCookieName(isSecure(req))];
  if (token === undefined || token === '') return null;
  const found = await cfg.store.session(sha256Hex(token));
  const now = cfg.now();
  if (!found || found.session.expiresAt <= now.toISOString() || found.user.disabledAt !== null) {
    cfg.log(`auth failed: console session ${found ? 'expired' : 'unknown'} from ${sourceOf(req)} on ${req.method} ${req.url.split('?')[0]}`);
    return null;
  }
  const { session, user } = found;
  /* sliding expiry, written at most once a minute */
  if (now.getTime() - Date.parse(session.lastSeenAt) > 60_000) {
    const expiresAt = new Date(Math.min(now.getTime() + cfg.session.idleMinutes * 60_000, Date.parse(session.createdAt) + cfg.session.maxAgeHours * 3600_000)).toISOString();
    await cfg.store.touchSession(session.idHash, now.toISOString(), expiresAt);
  }
  return principalOfUser(user, session);
}

/** the console socket's handshake: the session cookie's user, or null */
export async function sessionOfCookie(cfg: AuthConfig, token: string | undefined): Promise<Principal | null> {
  if (token === undefined || token === '') return null;
  const found = await cfg.store.session(sha256Hex(token));
  if (!found || found.session.expiresAt <= cfg.now().toISOString() || found.user.disabledAt !== null) return null;
  return principalOfUser(found.user, found.session);
}

export interface LoginResult {
  principal: Principal;
  /** the cookie's value: shown to the client once, never stored */
  token: string;
  maxAgeSeconds: number;
}

/** checks the login limit and the password; creates the session */
export async function login(cfg: AuthConfig, rawName: string, password: string, source: string): Promise<LoginResult> {
  const name = normalizeUserName(rawName);
  const now = cfg.now();
  const since = new Date(now.getTime() - cfg.login.windowMinutes * 60_000).toISOString();
  const failures = await cfg.store.loginFailures(name, source, since);
  if (failures.userSource >= cfg.login.perUserSource || failures.source >= cfg.login.perSource || failures.user >= cfg.login.perUser) {
    cfg.log(`auth failed: console login for '${name}' from ${source} refused by the login limit (${failures.userSource} for this user here, ${failures.source} from here, ${failures.user} for this user)`);
    throw new ApiError('rate-limited', 'login limit reached', { retryAfterSeconds: cfg.login.windowMinutes * 60 });
  }
  const user = await cfg.store.user(name);
  if (!(await passwordMatches(user, password)) || user === null) {
    await cfg.store.addLoginFailure(name, source, now.toISOString());
    cfg.log(`auth failed: console login for '${name}' from ${source} (${user === null ? 'unknown user' : user.disabledAt !== null ? 'user disabled' : 'wrong password'})`);
    throw new ApiError('login-failed', 'wrong user name or password');
  }
  await cfg.store.clearLoginFailures(name, source);
  const token = randomBytes(32).toString('base64url');
  const maxAgeSeconds = cfg.session.maxAgeHours * 3600;
  const session: SessionRow = {
    idHash: sha256Hex(token),
    userName: user.name,
    csrfSecret: randomBytes(18).toString('base64url'),
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
    expiresAt: new Date(Math.min(now.getTime() + cfg.session.idleMinutes * 60_000, now.getTime() + maxAgeSeconds * 1000)).toISOString(),
    source,
  };
  await cfg.store.createSession(session);
  await cfg.store.setLastLogin(user.name, now.toISOString());
  await cfg.store.purgeSessions(now.toISOString());
  return { principal: principalOfUser({ ...user, lastLoginAt: now.toISOString() }, session), token, maxAgeSeconds };
}
