/**
 * Signing in to the console: the session cookie's flags (HttpOnly,
 * SameSite=Strict; Secure and __Host- over https), CSRF refused without the
 * token, the login limit per user and address, sessions that end at logout
 * and when a user is disabled, the audit log of changes with before and
 * after, rate limits on enrollment and on authenticated routes, and failed
 * authentication logged with its source and never its secret.
 */
import fs from 'node:fs';
import https from 'node:https';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import { issueEnrollCode } from '../../src/hub/enroll';
import { addUser } from '../../src/hub/people';
import { startHub } from '../../src/hub/server';
import { ADMIN_TOKEN, PASSWORD, errorCode, startConsoleHub, type ConsoleHub } from './console';
import { connectTerminal, refusalOf } from './client';
import { STORE_KINDS, selfSignedCert, storeKit, tempDir } from './fixtures';

describe.each(STORE_KINDS)('console sign-in on %s', (kind) => {
  let h: ConsoleHub;
  beforeAll(async () => {
    h = await startConsoleHub(kind, { trustProxy: true, loginLimits: { windowMinutes: 15, perUserSource: 3, perSource: 6, perUser: 8 } });
  });
  afterAll(async () => h.close());

  it('sets an HttpOnly SameSite=Strict session cookie (not Secure over http) and answers who signed in', async () => {
    const c = h.client();
    const r = await c.login('mgr1');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ user: { name: 'mgr1', role: 'store-manager', stores: ['S1'] }, csrfToken: expect.any(String) });
    const cookie = r.headers.getSetCookie().find((x) => x.startsWith('till-session=')) as string;
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Strict/i);
    expect(cookie).toMatch(/; Path=\//i);
    expect(cookie).not.toMatch(/Secure/i);
    const token = (cookie.split(';')[0] as string).split('=')[1] as string;
    expect(token.length).toBeGreaterThanOrEqual(43);
    expect((await c.call('GET', '/api/session')).body).toMatchObject({ user: { name: 'mgr1' } });
    const users = await h.store.users();
    expect(JSON.stringify(users)).not.toContain(PASSWORD);
    expect(users.find((u) => u.name === 'mgr1')?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(r.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('refuses a state-changing call without the CSRF token, or with another session\'s, and takes it with its own', async () => {
    const c = await h.as('boss');
    const other = await h.as('second-admin');
    const body = { missingAfterMinutes: 30 };
    const none = await c.call('PUT', '/api/fleet/settings', body, { 'x-csrf-token': '' });
    expect([none.status, errorCode(none)]).toEqual([403, 'csrf-invalid']);
    const foreign = await c.call('PUT', '/api/fleet/settings', body, { 'x-csrf-token': other.csrf });
    expect([foreign.status, errorCode(foreign)]).toEqual([403, 'csrf-invalid']);
    expect((await h.store.auditLog({ action: 'settings.update', limit: 10 })).length).toBe(0);
    expect((await c.call('PUT', '/api/fleet/settings', body)).status).toBe(200);
    const reloaded = (await c.call('GET', '/api/session')).body as { csrfToken: string };
    expect((await c.call('PUT', '/api/fleet/settings', body, { 'x-csrf-token': reloaded.csrfToken })).status).toBe(200);
    const bearer = h.client({ authorization: `Bearer ${ADMIN_TOKEN}` });
    expect((await bearer.call('PUT', '/api/fleet/settings', { missingAfterMinutes: 15 })).status).toBe(200);
  });

  it('limits failed logins per user and address: past the limit even the right password waits, another address is not locked out', async () => {
    const from = (ip: string) => h.client({ 'x-forwarded-for': ip });
    for (let i = 0; i < 3; i++) {
      const r = await from('10.0.0.1').login('analyst', 'wrong password!');
      expect([r.status, errorCode(r)]).toEqual([401, 'login-failed']);
    }
    const limited = await from('10.0.0.1').login('analyst');
    expect([limited.status, errorCode(limited)]).toEqual([429, 'rate-limited']);
    expect(limited.headers.get('retry-after')).toBe(String(15 * 60));
    expect((await from('10.0.0.2').login('analyst')).status).toBe(200);
    for (let i = 0; i < 6; i++) await from('10.0.0.3').login(`nobody${i}`, 'wrong password!');
    const bySource = await from('10.0.0.3').login('mgr2');
    expect([bySource.status, errorCode(bySource)]).toEqual([429, 'rate-limited']);
    const unknown = await from('10.0.0.4').login('nobody', PASSWORD);
    expect(unknown.body).toEqual((await from('10.0.0.4').login('analyst', 'wrong password!')).body);
    const lines = h.logs.filter((l) => l.startsWith('auth failed: console login'));
    expect(lines.some((l) => l.includes("'analyst'") && l.includes('10.0.0.1') && l.includes('wrong password'))).toBe(true);
    expect(lines.some((l) => l.includes('10.0.0.1') && l.includes('login limit'))).toBe(true);
    expect(h.logs.join('\n')).not.toContain('wrong password!');
    expect(h.logs.join('\n')).not.toContain(PASSWORD);
  });

  it('ends the session at logout and when the user is disabled, closing its console socket', async () => {
    const c = await h.as('mgr2');
    expect((await c.call('POST', '/api/logout')).status).toBe(200);
    expect((await c.call('GET', '/api/session')).status).toBe(401);

    const victim = await h.as('mgr2');
    const socket = connect(`${h.hub.url}/console`, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie: victim.cookie as string } });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const ended = new Promise<void>((r) => socket.once('session:ended', () => r()));
    const closed = new Promise<void>((r) => socket.once('disconnect', () => r()));
    const admin = await h.as('boss');
    expect((await admin.call('PATCH', '/api/users/mgr2', { disabled: true })).status).toBe(200);
    await ended;
    await closed;
    expect((await victim.call('GET', '/api/session')).status).toBe(401);
    expect((await h.client().login('mgr2')).status).toBe(401);
    expect((await admin.call('PATCH', '/api/users/mgr2', { disabled: false })).status).toBe(200);
    expect((await h.client({ 'x-forwarded-for': '10.9.9.9' }).login('mgr2')).status).toBe(200);
  });

  it("takes a console socket from the proxy's public origin, and refuses another origin", async () => {
    const c = await h.as('analyst');
    const open = (origin: string) =>
      new Promise<void>((resolve, reject) => {
        const socket = connect(`${h.hub.url}/console`, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie: c.cookie as string, origin, 'x-forwarded-host': 'hub.example.cn' } });
        socket.once('connect', () => (socket.close(), resolve()));
        socket.once('connect_error', (e) => (socket.close(), reject(e)));
      });
    await expect(open('https://hub.example.cn')).resolves.toBeUndefined();
    await expect(open('https://evil.example')).rejects.toThrow(/unauthenticated/);
  });

  it('keeps the last hq-admin, refuses a store manager without stores, and a name twice', async () => {
    const admin = await h.as('boss');
    expect((await admin.call('PATCH', '/api/users/second-admin', { disabled: true })).status).toBe(200);
    const last = await admin.call('PATCH', '/api/users/boss', { role: 'hq-analyst' });
    expect([last.status, errorCode(last)]).toEqual([409, 'last-admin']);
    expect((await admin.call('PATCH', '/api/users/second-admin', { disabled: false })).status).toBe(200);
    const noStores = await admin.call('POST', '/api/users', { name: 'lonely', role: 'store-manager', stores: [], password: PASSWORD });
    expect(noStores.status).toBe(400);
    expect((noStores.body as { error: { details: { issues: Array<{ path: string }> } } }).error.details.issues[0]?.path).toBe('body.stores');
    const twice = await admin.call('POST', '/api/users', { name: 'MGR1', role: 'hq-analyst', password: PASSWORD });
    expect([twice.status, errorCode(twice)]).toEqual([409, 'conflict']);
    const short = await admin.call('POST', '/api/users', { name: 'shorty', role: 'hq-analyst', password: 'short' });
    expect((short.body as { error: { details: { issues: Array<{ path: string }> } } }).error.details.issues[0]?.path).toBe('body.password');
  });

  it('writes every change to the audit log with who, from where, and before/after, never a password', async () => {
    const admin = h.client({ 'x-forwarded-for': '10.1.2.3' });
    expect((await admin.login('boss')).status).toBe(200);
    expect((await admin.call('POST', '/api/users', { name: 'auditee', role: 'store-manager', stores: ['S1'], password: PASSWORD })).status).toBe(200);
    expect((await admin.call('PATCH', '/api/users/auditee', { stores: ['S1', 'S2'] })).status).toBe(200);
    expect((await admin.call('PUT', '/api/users/auditee/password', { password: `${PASSWORD}!` })).status).toBe(200);
    expect((await admin.call('POST', '/api/fleet/enroll-codes', { store: 'S2', terminal: 'T8' })).status).toBe(200);
    expect((await admin.call('POST', '/api/fleet/terminals/S2/T1/revoke')).status).toBe(200);
    const log = await admin.call('GET', '/api/audit?target=user%3Aauditee');
    const entries = (log.body as { entries: Array<{ action: string; actor: string; actorRole: string; source: string; before: unknown; after: unknown }> }).entries;
    expect(entries.map((e) => e.action)).toEqual(['user.password', 'user.update', 'user.add']);
    expect(entries.every((e) => e.actor === 'boss' && e.actorRole === 'hq-admin' && e.source === '10.1.2.3')).toBe(true);
    expect(entries[1]).toMatchObject({ before: { stores: ['S1'] }, after: { stores: ['S1', 'S2'] } });
    expect(entries[2]).toMatchObject({ before: null, after: { name: 'auditee', role: 'store-manager' } });
    const revoke = (await admin.call('GET', '/api/audit?action=terminal.revoke')).body as { entries: Array<{ target: string; store: string; before: unknown; after: { revokedAt: string } }> };
    expect(revoke.entries[0]).toMatchObject({ target: 'terminal:S2/T1', store: 'S2', before: { revokedAt: null }, after: { revokedAt: expect.any(String) } });
    const code = (await admin.call('GET', '/api/audit?action=enroll-code.issue')).body as { entries: unknown[] };
    expect(code.entries).toHaveLength(1);
    const all = JSON.stringify((await admin.call('GET', '/api/audit?limit=500')).body);
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toMatch(/argon2|passwordHash/);
    const page = (await admin.call('GET', '/api/audit?limit=2')).body as { entries: Array<{ id: number }>; next: number };
    const next = (await admin.call('GET', `/api/audit?limit=2&before=${page.next}`)).body as { entries: Array<{ id: number }> };
    expect(next.entries[0]?.id).toBeLessThan(page.entries[1]?.id as number);
  });

  it('logs failed admin-token, terminal and enrollment authentication with the source and without the secret', async () => {
    const wrong = 'wrong-admin-token-value-0123456789';
    expect((await h.client({ authorization: `Bearer ${wrong}`, 'x-forwarded-for': '10.7.7.7' }).call('GET', '/api/status')).status).toBe(401);
    const forgedToken = 'forged-terminal-token-abcdefghijklmn';
    expect((await refusalOf(connectTerminal(h.hub.url, { terminalId: 'S1/T1', token: forgedToken })))?.code).toBe('unauthenticated');
    const { code } = await issueEnrollCode(h.store, { store: 'S1', terminal: 'T3' });
    const bad = await h.client({ 'x-forwarded-for': '10.8.8.8' }).call('POST', '/api/enroll', { code, store: 'S1', terminal: 'T4' });
    expect([bad.status, errorCode(bad)]).toEqual([403, 'forbidden']);
    const text = h.logs.join('\n');
    expect(text).toMatch(/auth failed: admin token from 10\.7\.7\.7/);
    expect(text).toMatch(/auth failed: terminal handshake for S1\/T1 from \S+ \(wrong token\)/);
    expect(text).toMatch(/auth failed: enroll for S1\/T4 from 10\.8\.8\.8/);
    for (const secret of [wrong, forgedToken, code, code.replace(/-/g, ''), PASSWORD, ADMIN_TOKEN]) expect(text).not.toContain(secret);
  });
});

describe('rate limits', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('limits enrollment attempts per address and every authenticated route, logging the refusals', async () => {
    const h = await startConsoleHub('sqlite', { trustProxy: true, rateLimits: { perMinute: 12, enrollPerMinute: 3, loginPerMinute: 100 } });
    cleanups.push(() => h.close());
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await h.client({ 'x-forwarded-for': '10.5.5.5' }).call('POST', '/api/enroll', { code: `GUESS-${i}AAA-BBBB`, store: 'S1', terminal: 'T1' })).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const c = h.client({ 'x-forwarded-for': '10.6.6.6' });
    expect((await c.login('analyst')).status).toBe(200);
    const answers: number[] = [];
    for (let i = 0; i < 14; i++) answers.push((await c.call('GET', '/api/fleet/terminals')).status);
    expect(answers.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(answers.slice(0, 5).every((s) => s === 200)).toBe(true);
    const limited = await c.call('GET', '/api/fleet/terminals');
    expect(errorCode(limited)).toBe('rate-limited');
    expect(h.logs.some((l) => l.startsWith('rate limit reached: POST /api/enroll from 10.5.5.5'))).toBe(true);
    expect(h.logs.join('\n')).not.toMatch(/GUESS-/);
  });
});

describe('the console over https', () => {
  it('marks the session cookie Secure and names it __Host-till-session', async () => {
    const dir = tempDir('console-tls');
    const pair = selfSignedCert(dir, 'till-console-test');
    const kit = storeKit('sqlite');
    const store = await kit.open();
    const hub = await startHub({ store, tls: pair, webRoot: null });
    try {
      await addUser(store, { name: 'boss', displayName: null, role: 'hq-admin', stores: [], password: PASSWORD }, { actor: 'test', actorRole: null, source: null, at: new Date().toISOString() });
      const cookie = await new Promise<string>((resolve, reject) => {
        const body = JSON.stringify({ user: 'boss', password: PASSWORD });
        const req = https.request(`${hub.url}/api/login`, { method: 'POST', ca: pair.cert, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
          res.resume();
          resolve((res.headers['set-cookie'] ?? []).join('\n'));
        });
        req.on('error', reject);
        req.end(body);
      });
      expect(cookie).toMatch(/^__Host-till-session=[^;]+; Max-Age=\d+; Path=\/; HttpOnly; Secure; SameSite=Strict$/m);
    } finally {
      await hub.close();
      await store.close();
      await kit.cleanup();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
