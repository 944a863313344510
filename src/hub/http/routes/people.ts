/** Login, logout, the session, one's own password, and the hub users (hq-admin). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Me } from '../../../shared/hub-api/index';
import { addUser, normalizeUserName, passwordMatches, setPassword, updateUser, userView } from '../../people';
import { isSecure, login, sessionCookieName, sourceOf, type Principal } from '../auth';
import { ApiError } from '../errors';
import type { RouteDeps } from './deps';

function me(p: Principal): Me {
  return { name: p.name, displayName: p.displayName, role: p.role, stores: p.stores === 'all' ? [] : [...p.stores] };
}

function csrfToken(req: FastifyRequest, reply: FastifyReply, p: Principal): string {
  if (!p.session) return '';
  req.session = { _csrf: p.session.csrfSecret };
  return reply.generateCsrf();
}

export function servePeople(d: RouteDeps): void {
  const { http, store } = d;

  http.serve('auth.login', async ({ body, req, reply, by }) => {
    const source = sourceOf(req);
    const r = await login(d.auth, body.user, body.password, source);
    const secure = isSecure(req);
    void reply.setCookie(sessionCookieName(secure), r.token, { path: '/', httpOnly: true, sameSite: 'strict', secure, maxAge: r.maxAgeSeconds });
    await store.transaction((tx) => tx.audit({ ...by, actor: r.principal.name, actorRole: r.principal.role, action: 'session.login', target: `user:${r.principal.name}`, store: null, before: null, after: null }));
    return { user: me(r.principal), csrfToken: csrfToken(req, reply, r.principal) };
  });

  http.serve('auth.logout', async ({ principal, req, reply, by }) => {
    const p = principal as Principal;
    if (p.session) {
      await store.deleteSession(p.session.idHash);
      d.events.sessionsEnded({ sessionIdHash: p.session.idHash });
      await store.transaction((tx) => tx.audit({ ...by, action: 'session.logout', target: `user:${p.name}`, store: null, before: null, after: null }));
    }
    void reply.clearCookie(sessionCookieName(isSecure(req)), { path: '/' });
    return { ok: true as const };
  });

  http.serve('auth.session', async ({ principal, req, reply }) => {
    const p = principal as Principal;
    return { user: me(p), csrfToken: csrfToken(req, reply, p) };
  });

  http.serve('auth.password', async ({ principal, body, req, by }) => {
    const p = principal as Principal;
    if (!p.session) throw new ApiError('forbidden', 'the admin token has no password');
    const source = sourceOf(req);
    const since = new Date(d.auth.now().getTime() - d.auth.login.windowMinutes * 60_000).toISOString();
    const failures = await store.loginFailures(p.name, source, since);
    if (failures.userSource >= d.auth.login.perUserSource || failures.user >= d.auth.login.perUser) throw new ApiError('rate-limited', `password change for ${p.name} refused by the login limit`, { retryAfterSeconds: d.auth.login.windowMinutes * 60 });
    if (!(await passwordMatches(await store.user(p.name), body.current))) {
      await store.addLoginFailure(p.name, source, d.auth.now().toISOString());
      d.auth.log(`auth failed: current password of '${p.name}' wrong on a password change from ${source}`);
      throw new ApiError('login-failed', 'wrong current password');
    }
    await setPassword(store, p.name, body.next, by, { keepSession: p.session.idHash, action: 'session.password' });
    return { ok: true as const };
  });

  http.serve('people.list', async () => ({ users: (await store.users()).map(userView) }));

  http.serve('people.add', async ({ body, by }) => userView(await addUser(store, body, by)));

  http.serve('people.update', async ({ params, body, by }) => {
    const r = await updateUser(store, params.name, body, by);
    if (r.sessionsEnded) d.events.sessionsEnded({ user: r.user.name });
    return userView(r.user);
  });

  http.serve('people.password', async ({ params, body, by }) => {
    await setPassword(store, params.name, body.password, by);
    d.events.sessionsEnded({ user: normalizeUserName(params.name) });
    return { ok: true as const };
  });
}
