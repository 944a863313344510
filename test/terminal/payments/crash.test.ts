/**
 * kill -9 of a till process at each step of a payment-code payment (and of a
 * refund), then a restart: the till converges to exactly one charge or none,
 * its journal says which, and nothing is left open. The till's payments come
 * from DATA/payments.json (live mode, WeChat Pay over mutual TLS with the
 * merchant's p12), as in a shop; WeChat Pay is the protocol stub, which keeps
 * its own ledger of the money and lets the test kill the till at a chosen
 * request.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTerminal, importCatalog, saveUser, startTerminalRuntime, type TerminalRuntime } from '../../../src/terminal';
import type { StubScript } from '../../support/payment-stub-ledger';
import { makeTestCerts, type TestCerts } from '../../support/test-certs';
import { cleanupsAfterEach } from '../../support/wait';
import { WechatPayStub } from '../../support/wechat-pay-stub';
import { killHard, ROOT } from '../../fixtures/ledger/helpers';
import { P, PROMOS, SETTINGS, USERS } from '../fixture';

const MERCHANT = { appId: 'wx8888888888888888', mchId: '1900000109', apiKey: '192006250b4c09247ec02edce69f6a2d' };
const CODE = '134567890123456789';
const cleanups = cleanupsAfterEach();
let certs: TestCerts;
beforeAll(() => {
  certs = makeTestCerts(MERCHANT.mchId);
});
afterAll(() => fs.rmSync(certs.dir, { recursive: true, force: true }));

async function setUp(): Promise<{ dir: string; stub: WechatPayStub }> {
  const stub = await new WechatPayStub({ ...MERCHANT, tls: { key: certs.serverKey, cert: certs.serverCert, ca: certs.ca } }).start();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-paycrash-'));
  cleanups.push(() => stub.close(), () => fs.rmSync(dir, { recursive: true, force: true }));
  const t = createTerminal({ dataDir: dir, create: { store: 'S01', terminal: 'T1' }, log: () => undefined });
  try {
    importCatalog(t.ledger, Object.values(P), { promotions: PROMOS, settings: SETTINGS, members: [] });
    saveUser(t.ledger, USERS.cashier);
    saveUser(t.ledger, USERS.supervisor);
    const login = await t.dispatch('auth.login', { userCode: USERS.cashier.code, pin: USERS.cashier.pin }, {});
    const token = login.ok ? (login.value as { sessionToken: string }).sessionToken : '';
    const shift = await t.dispatch('shift.open', { float: [] }, { sessionToken: token });
    expect(shift.ok).toBe(true);
  } finally {
    t.close();
  }
  fs.writeFileSync(path.join(dir, 'apiclient_cert.p12'), certs.clientP12, { mode: 0o600 });
  fs.writeFileSync(path.join(dir, 'stub-ca.pem'), certs.ca);
  const config = {
    mode: 'live',
    timeoutSeconds: 1.5,
    pollSeconds: 0.05,
    requestTimeoutSeconds: 2,
    revokeAttempts: 2,
    wechat: { ...MERCHANT, signType: 'HMAC-SHA256', baseUrl: stub.url, certP12File: 'apiclient_cert.p12', caFile: 'stub-ca.pem' },
  };
  fs.writeFileSync(path.join(dir, 'payments.json'), JSON.stringify(config), { mode: 0o600 });
  return { dir, stub };
}

function child(dir: string, ...args: string[]): { proc: ChildProcessWithoutNullStreams; out: () => string; exited: Promise<string | null> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/fixtures/payments/pay-child.ts'), dir, ...args], { cwd: ROOT });
  let out = '';
  proc.stdout.on('data', (b: Buffer) => (out += b.toString()));
  proc.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<string | null>((r) => proc.on('exit', (_code, signal) => r(signal)));
  return { proc, out: () => out, exited };
}

/** runs the till until the stub sees `path`, kills it there (kill -9), then lets the stub go on ('process') or not ('drop') */
async function killAt(dir: string, stub: WechatPayStub, where: string, then: 'process' | 'drop', ...args: string[]): Promise<string> {
  const c = child(dir, ...args);
  cleanups.push(() => void c.proc.kill('SIGKILL'));
  let killed = false;
  let release = () => undefined as void;
  const gone = new Promise<void>((r) => (release = r));
  stub.gate = async (p) => {
    if (p !== where || killed) return 'process';
    killed = true;
    killHard(c.proc);
    await c.exited;
    // the stub goes on with this request synchronously once the gate returns: the test looks after that
    setImmediate(release);
    return then;
  };
  const signal = await c.exited;
  if (killed) await gone;
  stub.gate = null;
  expect(signal, `the till was not killed at ${where}: ${c.out().slice(-800)}`).toBe('SIGKILL');
  return c.out();
}

async function restart(dir: string): Promise<TerminalRuntime> {
  const rt = await startTerminalRuntime({ dataDir: dir, devices: null, sync: false, log: () => undefined });
  cleanups.push(() => rt.close());
  // the runtime settles open orders in the call queue on start; this waits for that, then asks once more
  const again = await rt.terminal.recoverPayments();
  expect(again.payments.open).toEqual([]);
  return rt;
}

/** exactly one charge and a sale that took it, or no charge and a journal that says so; nothing open */
function converged(rt: TerminalRuntime, stub: WechatPayStub): 'charged' | 'not charged' {
  const db = rt.terminal.ledger.db;
  const orders = db.prepare('SELECT order_no AS orderNo, amount, state FROM payment_orders').all() as Array<{ orderNo: string; amount: number; state: string }>;
  expect(orders).toHaveLength(1);
  const [o] = orders as [{ orderNo: string; amount: number; state: string }];
  expect(o.state).not.toBe('open');
  const net = stub.ledger.net(o.orderNo);
  const tenders = db.prepare('SELECT amount FROM sale_tenders WHERE reference = ?').pluck().all(o.orderNo);
  const last = JSON.parse(db.prepare("SELECT payload FROM journal WHERE type = 'PaymentSettled' ORDER BY seq DESC LIMIT 1").pluck().get() as string) as { outcome: string };
  expect(stub.ledger.charges(o.orderNo).length).toBeLessThanOrEqual(1);
  if (net === o.amount) {
    expect(tenders).toEqual([o.amount]);
    expect(last.outcome).toBe('approved');
    return 'charged';
  }
  expect(net).toBe(0);
  expect(tenders).toEqual([]);
  expect(['revoked', 'declined']).toContain(last.outcome);
  return 'not charged';
}

describe('kill -9 at each step of a payment-code payment, then a restart', () => {
  const cases: Array<[string, StubScript, string, 'process' | 'drop', 'charged' | 'not charged']> = [
    ['journaled, the request lost with the till', 'paid', '/pay/micropay', 'drop', 'not charged'],
    ['the request reached WeChat Pay, which charged; the answer lost with the till', 'paid', '/pay/micropay', 'process', 'charged'],
    ['the customer still confirming, and never does', 'user-paying-then-timeout', '/pay/orderquery', 'process', 'not charged'],
    ['the customer still confirming, and confirms after the crash', 'user-paying-then-paid', '/pay/orderquery', 'process', 'charged'],
    ['the reverse of an unconfirmed order in flight', 'user-paying-then-timeout', '/secapi/pay/reverse', 'process', 'not charged'],
    ['the reverse of an unconfirmed order lost with the till', 'user-paying-then-timeout', '/secapi/pay/reverse', 'drop', 'not charged'],
  ];
  for (const [what, script, where, then, expected] of cases) {
    it(`${what}: ${expected}`, async () => {
      const { dir, stub } = await setUp();
      stub.ledger.next(script);
      await killAt(dir, stub, where, then, 'pay', CODE);
      const rt = await restart(dir);
      expect(converged(rt, stub)).toBe(expected);
    }, 60_000);
  }

  it('killed right after the approval went out: one sale with the payment, however far the till got', async () => {
    const { dir, stub } = await setUp();
    const c = child(dir, 'pay', CODE);
    cleanups.push(() => void c.proc.kill('SIGKILL'));
    stub.answered = (p) => {
      if (p === '/pay/micropay') killHard(c.proc);
    };
    await c.exited;
    stub.answered = null;
    const rt = await restart(dir);
    expect(converged(rt, stub)).toBe('charged');
    expect(rt.terminal.ledger.db.prepare('SELECT count(*) FROM sales').pluck().get()).toBe(1);
  }, 60_000);
});

describe('kill -9 during a refund to the payment code, then a restart', () => {
  it('the refund reached WeChat Pay: the restart completes it, paid back once', async () => {
    const { dir, stub } = await setUp();
    const sold = child(dir, 'pay', CODE);
    expect(await sold.exited).toBeNull();
    const rt0 = await startTerminalRuntime({ dataDir: dir, devices: null, sync: false, log: () => undefined });
    const receipt = rt0.terminal.ledger.db.prepare('SELECT receipt_no FROM sales').pluck().get() as string;
    await rt0.close();
    expect(receipt).toMatch(/^S01-T1-/);
    await killAt(dir, stub, '/secapi/pay/refund', 'process', 'refund', receipt);
    expect(stub.ledger.movements.filter((m) => m.kind === 'refund')).toHaveLength(1);
    const rt = await restart(dir);
    const db = rt.terminal.ledger.db;
    expect(db.prepare('SELECT amount FROM refunds').pluck().all()).toEqual([650]);
    expect(db.prepare("SELECT state FROM payment_refunds").pluck().all()).toEqual(['refunded']);
    expect(stub.ledger.movements.filter((m) => m.kind === 'refund')).toHaveLength(1);
    expect(stub.ledger.net()).toBe(0);
  }, 60_000);
});
