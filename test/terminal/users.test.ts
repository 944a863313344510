/** Sign-in rules through dispatch: PIN lockout (kept across a restart), idle sign-out, switching cashier, user management. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_OPERATIONS } from '../../src/core/operations';
import { openFixture, P, USERS, type Fixture } from './fixture';

type Clocked = Fixture & { setNow(d: Date): void };
let f: Clocked;
const T0 = new Date('2026-06-01T04:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

beforeEach(async () => {
  f = (await openFixture({ now: T0 })) as Clocked;
});
afterEach(() => f.close());

const login = (userCode: string, pin: string) => f.t.dispatch('auth.login', { userCode, pin }, {});

describe('PIN lockout', () => {
  it('locks a user code after 5 wrong PINs; the right PIN is then refused too, and nothing is journaled', async () => {
    const head = f.t.ledger.head();
    for (let i = 0; i < 5; i++) expect(await login(USERS.cashier.code, String(1000 + i))).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    const locked = await login(USERS.cashier.code, USERS.cashier.pin);
    expect(locked).toMatchObject({ ok: false, error: { code: 'locked-out', message: expect.stringMatching(/try again in 15 min/) } });
    expect(locked.ok ? '' : locked.error.message).not.toContain(USERS.cashier.pin);
    expect(f.t.ledger.head()).toEqual(head);
    // another user is not affected
    expect(await login(USERS.supervisor.code, USERS.supervisor.pin)).toMatchObject({ ok: true });
  });

  it('keeps the lock across a restart and lifts it when the time is up', async () => {
    for (let i = 0; i < 5; i++) await login(USERS.cashier.code, '0000');
    // a restart: the locked cashier could not sign in again, so nobody is signed in
    await f.reopen({}, { signIn: false });
    expect(await login(USERS.cashier.code, USERS.cashier.pin)).toMatchObject({ ok: false, error: { code: 'locked-out' } });
    f.setNow(at(14));
    expect(await login(USERS.cashier.code, USERS.cashier.pin)).toMatchObject({ ok: false, error: { code: 'locked-out', message: expect.stringMatching(/1 min/) } });
    f.setNow(at(15.5));
    expect(await login(USERS.cashier.code, USERS.cashier.pin)).toMatchObject({ ok: true });
  });

  it('counts wrong override PINs too, and a good PIN resets the count', async () => {
    for (let i = 0; i < 4; i++) await login(USERS.supervisor.code, '0000');
    expect(await login(USERS.supervisor.code, USERS.supervisor.pin)).toMatchObject({ ok: true });
    for (let i = 0; i < 4; i++) await login(USERS.supervisor.code, '0000');
    const viaOverride = await f.call('drawer.open', { reason: '换零钱' }, { sessionToken: f.tokens.cashier, override: { userCode: USERS.supervisor.code, pin: '0000' } });
    expect(viaOverride).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    const good = await f.call('drawer.open', { reason: '换零钱' }, { sessionToken: f.tokens.cashier, override: { userCode: USERS.supervisor.code, pin: USERS.supervisor.pin } });
    expect(good).toMatchObject({ ok: false, error: { code: 'locked-out' } });
  });

  it('a supervisor can unlock; the lockout policy is a setting', async () => {
    await f.ok('settings.setOperations', { ...DEFAULT_OPERATIONS, lockout: { maxFailures: 3, minutes: 60 } }, 'admin');
    for (let i = 0; i < 3; i++) await login(USERS.cashier.code, '0000');
    expect(await login(USERS.cashier.code, USERS.cashier.pin)).toMatchObject({ ok: false, error: { code: 'locked-out', message: expect.stringMatching(/60 min/) } });
    const list = await f.ok<{ users: Array<{ code: string; lockedUntil: string | null }> }>('users.list', {}, 'manager');
    expect(list.users.find((u) => u.code === USERS.cashier.code)?.lockedUntil).toBe(at(60).toISOString());
    expect(await f.call('users.unlock', { code: USERS.cashier.code }, 'cashier')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await f.ok('users.unlock', { code: USERS.cashier.code }, 'supervisor');
    expect(await login(USERS.cashier.code, USERS.cashier.pin)).toMatchObject({ ok: true });
    const types = f.t.ledger.entries(1, 10_000).map((e) => e.type);
    expect(types).toContain('UserUnlocked');
  });
});

describe('sessions', () => {
  it('signs a session out after the idle time; activity keeps it alive', async () => {
    f.setNow(at(4));
    expect(await f.call('auth.whoami', {})).toMatchObject({ ok: true });
    f.setNow(at(8.5));
    expect(await f.call('auth.whoami', {})).toMatchObject({ ok: true });
    f.setNow(at(14));
    expect(await f.call('auth.whoami', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated', message: expect.stringMatching(/5 minutes without activity/) } });
    expect(await f.call('auth.whoami', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated', message: expect.stringMatching(/not signed in/) } });
  });

  it('switches cashier mid-shift: the old session ends, the switch is journaled with the shift, the next sale is the new cashier', async () => {
    const shift = await f.ok<{ shift: { shiftId: string } }>('shift.current', {});
    const sw = await f.ok<{ sessionToken: string; user: { code: string } }>('auth.switchUser', { userCode: USERS.supervisor.code, pin: USERS.supervisor.pin });
    expect(sw.user.code).toBe(USERS.supervisor.code);
    expect(await f.call('auth.whoami', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    const last = f.t.ledger.entries(f.t.ledger.head().seq, 1)[0];
    expect(last?.type).toBe('CashierSwitched');
    expect(JSON.parse(last?.payload ?? '{}')).toEqual({ from: { code: '1001', name: '张三' }, to: { code: '2001', name: '李四' }, shiftId: shift.shift.shiftId });
    const ctx = { sessionToken: sw.sessionToken };
    await f.ok('cart.scan', { code: P.water.barcodes[0] }, ctx);
    await f.ok('tender.cash', { tendered: 200 }, ctx);
    expect(f.t.ledger.db.prepare('SELECT cashier FROM sales').pluck().all()).toEqual(['2001']);
    // a switch with a sale open is refused
    await f.ok('cart.scan', { code: P.water.barcodes[0] }, ctx);
    expect(await f.call('auth.switchUser', { userCode: USERS.cashier.code, pin: USERS.cashier.pin }, ctx)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await f.call('auth.switchUser', { userCode: USERS.cashier.code, pin: '0000' }, ctx)).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });
});

describe('user management', () => {
  it('adds, lists and disables users (admin only); a disabled user cannot sign in; the PIN is never journaled', async () => {
    expect(await f.call('users.save', { code: '4001', name: '赵六', role: 'cashier', pin: '4821' }, 'manager')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await f.ok('users.save', { code: '4001', name: '赵六', role: 'cashier', pin: '4821' }, 'admin')).toEqual({ code: '4001', name: '赵六', role: 'cashier' });
    expect(await login('4001', '4821')).toMatchObject({ ok: true });
    const list = await f.ok<{ users: Array<{ code: string; active: boolean }> }>('users.list', {}, 'manager');
    expect(list.users.map((u) => u.code)).toEqual(['1001', '2001', '3001', '4001', '9001']);
    expect(await f.ok('users.disable', { code: '4001' }, 'admin')).toMatchObject({ code: '4001', active: false });
    expect(await login('4001', '4821')).toMatchObject({ ok: false, error: { code: 'unauthenticated', message: 'wrong user code or PIN' } });
    expect(await f.call('users.disable', { code: USERS.admin.code }, 'admin')).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await f.call('users.disable', { code: '7777' }, 'admin')).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const journal = f.t.ledger.entries(1, 10_000).map((e) => e.payload).join('\n');
    expect(journal).not.toMatch(/"pin":/);
    expect(journal).toMatch(/"pinHash":"pin1\$/);
    expect(journal).not.toMatch(/scrypt\$/);
  });
});
