/**
 * The whole permission matrix through dispatch: every call whose permission a
 * role lacks is refused for that role with a coded error ('forbidden', or
 * 'override-required' where a supervisor may approve), also when the
 * override credential on the call belongs to someone who lacks it as well,
 * and nothing is written (the journal head does not move).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, METHOD_NAMES, ROLES, type MethodName, type Role } from '../../src/shared/contract';
import { PERMISSIONS, isOverridable, isPermission, roleHas, rolesWith, type Permission } from '../../src/core/permissions';
import { DEFAULT_OPERATIONS } from '../../src/core/operations';
import { NO_DEVICES } from '../../src/shared/contract/setup';
import { openFixture, USERS, type Fixture } from './fixture';

/** a valid input for every call some role may not make */
const SAMPLE: Partial<Record<MethodName, unknown>> = {
  'cart.overridePrice': { lineNo: 1, unitPrice: 100 },
  'shift.paidOut': { amount: 500, reason: '送货费' },
  'drawer.open': { reason: '换零钱' },
  'refund.receipt': { code: 'S01-T1-00000001', lines: [{ lineNo: 1 }], reason: '质量问题' },
  'refund.noReceipt': { items: [{ sku: 'W001', qty: 1 }], reason: '无小票' },
  'report.x': {},
  'report.z': {},
  'report.print': { kind: 'x' },
  'users.list': {},
  'users.save': { code: '5555', name: '新人', role: 'cashier', pin: '5555' },
  'users.disable': { code: '1001' },
  'users.unlock': { code: '1001' },
  'settings.setOperations': DEFAULT_OPERATIONS,
  'devices.test': { action: 'display' },
  'setup.state': {},
  'setup.ports': {},
  'setup.probeHub': { url: 'https://hub.example.com' },
  'setup.enroll': { url: 'https://hub.example.com', code: 'ABCD-EFGH', fingerprint: null },
  'setup.testDevice': { devices: NO_DEVICES, action: 'print' },
  'setup.save': { language: 'zh-CN', devices: NO_DEVICES },
  'setup.close': {},
};

const accessOf = (m: MethodName) => contract[m].access;
const protectedCalls = METHOD_NAMES.filter((m) => {
  const a = accessOf(m);
  return a !== 'public' && a !== 'session' && isPermission(a) && rolesWith(a).length < ROLES.length;
});

let f: Fixture;
beforeAll(async () => {
  f = await openFixture();
});
afterAll(() => f.close());

describe('the permission matrix', () => {
  it('names a known permission (or public/session) for every call, and every rule has a role that holds it', () => {
    for (const m of METHOD_NAMES) {
      const a = accessOf(m);
      expect(a === 'public' || a === 'session' || isPermission(a), `${m}: ${a}`).toBe(true);
    }
    for (const p of Object.keys(PERMISSIONS) as Permission[]) expect(rolesWith(p)).toContain('admin');
    expect(rolesWith('refund.receipt')).toEqual(['supervisor', 'manager', 'admin']);
    expect(rolesWith('report.z')).toEqual(['manager', 'admin']);
    expect(rolesWith('users.manage')).toEqual(['admin']);
  });

  it('has a sample input for every protected call (so none escapes the test below)', () => {
    expect(protectedCalls.length).toBeGreaterThanOrEqual(12);
    for (const m of protectedCalls) expect(SAMPLE[m], m).toBeDefined();
  });

  it('refuses every protected call for every role without the right, with a code, writing nothing', async () => {
    let refusals = 0;
    for (const m of protectedCalls) {
      const p = accessOf(m) as Permission;
      for (const role of ROLES.filter((r) => !roleHas(r, p))) {
        const head = f.t.ledger.head();
        const r = await f.call(m, SAMPLE[m], role);
        expect(r, `${m} as ${role}`).toMatchObject({ ok: false, error: { code: isOverridable(p) ? 'override-required' : 'forbidden' } });
        expect(r.error?.message.length).toBeGreaterThan(10);
        expect(f.t.ledger.head(), `${m} as ${role} wrote to the journal`).toEqual(head);
        refusals++;
      }
    }
    expect(refusals).toBeGreaterThanOrEqual(20);
  });

  it('refuses an override by someone who lacks the right too, and a wrong override PIN, writing nothing', async () => {
    for (const m of protectedCalls) {
      const p = accessOf(m) as Permission;
      if (!isOverridable(p)) continue;
      const lacking = ROLES.filter((r: Role) => !roleHas(r, p));
      for (const role of lacking) {
        const head = f.t.ledger.head();
        const approver = USERS[lacking[lacking.length - 1] as Role];
        const r = await f.call(m, SAMPLE[m], { sessionToken: f.tokens[role], override: { userCode: approver.code, pin: approver.pin } });
        expect(r, `${m} as ${role} approved by ${approver.role}`).toMatchObject({ ok: false, error: { code: 'forbidden' } });
        expect(f.t.ledger.head()).toEqual(head);
      }
      const head = f.t.ledger.head();
      const wrong = await f.call(m, SAMPLE[m], { sessionToken: f.tokens.cashier, override: { userCode: USERS.admin.code, pin: '0000' } });
      expect(wrong).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
      expect(f.t.ledger.head()).toEqual(head);
      await f.ok('users.unlock', { code: USERS.admin.code }, 'admin');
    }
  });

  it('lets a role that holds the right through the permission check', async () => {
    expect(await f.call('users.list', {}, 'manager')).toMatchObject({ ok: true });
    expect(await f.call('report.x', {}, 'supervisor')).toMatchObject({ ok: true });
    expect(await f.call('report.x', {}, { sessionToken: f.tokens.cashier, override: { userCode: USERS.supervisor.code, pin: USERS.supervisor.pin } })).toMatchObject({ ok: true });
  });
});
