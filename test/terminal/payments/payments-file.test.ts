/**
 * DATA/payments.json through the runtime: no file takes no payment codes, the
 * sandbox only when chosen, the configured providers otherwise; a file or key
 * others can read, or a bad field, is refused without stopping the till and
 * without a secret in the log; system.status says which payments are active.
 */
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTerminal, importCatalog, saveUser, startTerminalRuntime, type TerminalRuntime } from '../../../src/terminal';
import { cleanupsAfterEach } from '../../support/wait';
import { P, PROMOS, SETTINGS, USERS } from '../fixture';

const API_KEY = '192006250b4c09247ec02edce69f6a2d';
const cleanups = cleanupsAfterEach();
const app = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });

function dataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-payfile-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const t = createTerminal({ dataDir: dir, create: { store: 'S01', terminal: 'T1' }, log: () => undefined });
  importCatalog(t.ledger, Object.values(P), { promotions: PROMOS, settings: SETTINGS, members: [] });
  saveUser(t.ledger, USERS.cashier);
  t.close();
  return dir;
}

const write = (dir: string, name: string, content: unknown, mode = 0o600) => fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content), { mode });

async function start(dir: string): Promise<{ rt: TerminalRuntime; log: string[] }> {
  const log: string[] = [];
  const rt = await startTerminalRuntime({ dataDir: dir, devices: null, sync: false, log: (l) => void log.push(l) });
  cleanups.push(() => rt.close());
  return { rt, log };
}

async function status(rt: TerminalRuntime): Promise<unknown> {
  const r = await rt.terminal.dispatch('system.status', {}, {});
  return r.ok ? (r.value as { payments: unknown }).payments : r;
}

async function payByCode(rt: TerminalRuntime): Promise<unknown> {
  const login = await rt.terminal.dispatch('auth.login', { userCode: USERS.cashier.code, pin: USERS.cashier.pin }, {});
  const ctx = { sessionToken: login.ok ? (login.value as { sessionToken: string }).sessionToken : '' };
  await rt.terminal.dispatch('shift.open', { float: [] }, ctx);
  await rt.terminal.dispatch('cart.scan', { code: P.water.barcodes[0] }, ctx);
  return rt.terminal.dispatch('tender.paymentCode', { code: '134567890123456780' }, ctx);
}

const wechat = { appId: 'wx8888888888888888', mchId: '1900000109', apiKey: API_KEY, certFile: 'cert.pem', keyFile: 'key.pem' };

describe('DATA/payments.json', () => {
  it('without it the till takes no payment codes (never the sandbox by default)', async () => {
    const { rt, log } = await start(dataDir());
    expect(await status(rt)).toEqual({ mode: 'none', providers: [] });
    expect(await payByCode(rt)).toMatchObject({ ok: false, error: { code: 'payment-declined', details: { reason: 'provider-not-configured' } } });
    expect(log).toContain('payments: no payments.json, payment codes are refused');
  });

  it('a payments.json others could read is made 0600 when the till opens its data directory, then used', async () => {
    const dir = dataDir();
    write(dir, 'payments.json', { mode: 'sandbox' }, 0o644);
    const { rt } = await start(dir);
    expect(fs.statSync(path.join(dir, 'payments.json')).mode & 0o777).toBe(0o600);
    expect(await status(rt)).toMatchObject({ mode: 'sandbox' });
  });

  it('the sandbox only when the file says so, and the status says sandbox', async () => {
    const dir = dataDir();
    write(dir, 'payments.json', { mode: 'sandbox', timeoutSeconds: 1, pollSeconds: 0.02 });
    const { rt, log } = await start(dir);
    expect(await status(rt)).toEqual({ mode: 'sandbox', providers: ['wechat', 'alipay', 'unionpay'] });
    expect(await payByCode(rt)).toMatchObject({ ok: true });
    expect(log).toContain('payments: SANDBOX (nothing is really charged)');
  });

  it('live: the configured providers only', async () => {
    const dir = dataDir();
    write(dir, 'cert.pem', app.publicKey, 0o644);
    write(dir, 'key.pem', app.privateKey);
    write(dir, 'app.pem', app.privateKey);
    write(dir, 'alipay.pem', app.publicKey, 0o644);
    write(dir, 'payments.json', { mode: 'live', wechat, alipay: { appId: '2021000122671080', privateKeyFile: 'app.pem', alipayPublicKeyFile: 'alipay.pem' } });
    const { rt, log } = await start(dir);
    expect(await status(rt)).toEqual({ mode: 'live', providers: ['wechat', 'alipay'] });
    expect(log).toContain('payments: wechat, alipay');
    expect(log.join('\n')).not.toContain(API_KEY);
  });

  const refusals: Array<[string, (dir: string) => void, RegExp]> = [
    [
      'a private key others can read',
      (d) => {
        fs.mkdirSync(path.join(d, 'keys'));
        write(d, 'cert.pem', app.publicKey, 0o644);
        write(d, 'keys/key.pem', app.privateKey, 0o640);
        write(d, 'payments.json', { mode: 'live', wechat: { ...wechat, keyFile: 'keys/key.pem' } });
      },
      /the WeChat Pay certificate key .*key\.pem can be read by other users/,
    ],
    ['live without a provider', (d) => write(d, 'payments.json', { mode: 'live' }), /mode: live mode needs a wechat or an alipay section/],
    ['WeChat Pay without its certificate', (d) => write(d, 'payments.json', { mode: 'live', wechat: { ...wechat, certFile: undefined, keyFile: undefined } }), /wechat\.certP12File: the merchant certificate is needed/],
    ['an unknown field', (d) => write(d, 'payments.json', { mode: 'sandbox', secretz: API_KEY }), /Unrecognized key/],
    ['a key file that is not a key', (d) => {
      write(d, 'app.pem', 'not a key');
      write(d, 'alipay.pem', 'nor this', 0o644);
      write(d, 'payments.json', { mode: 'live', alipay: { appId: '2021000122671080', privateKeyFile: 'app.pem', alipayPublicKeyFile: 'alipay.pem' } });
    }, /not usable RSA keys/],
  ];
  for (const [what, make, problem] of refusals) {
    it(`${what}: refused, logged without secrets, and the till still sells (cash)`, async () => {
      const dir = dataDir();
      make(dir);
      const { rt, log } = await start(dir);
      expect(rt.payments?.problem).toMatch(problem);
      expect(log.some((l) => problem.test(l))).toBe(true);
      expect(log.join('\n')).not.toContain(API_KEY);
      expect(log.join('\n')).not.toContain('PRIVATE KEY');
      expect(await status(rt)).toEqual({ mode: 'none', providers: [] });
      const login = await rt.terminal.dispatch('auth.login', { userCode: USERS.cashier.code, pin: USERS.cashier.pin }, {});
      const ctx = { sessionToken: login.ok ? (login.value as { sessionToken: string }).sessionToken : '' };
      await rt.terminal.dispatch('shift.open', { float: [] }, ctx);
      await rt.terminal.dispatch('cart.scan', { code: P.water.barcodes[0] }, ctx);
      expect(await rt.terminal.dispatch('tender.cash', { tendered: 200 }, ctx)).toMatchObject({ ok: true, value: { completed: { total: 200 } } });
    });
  }
});

describe('resources/config/payments.example.json', () => {
  it('matches the schema the till reads (only the key files are missing)', async () => {
    const { paymentsFileSchema } = await import('../../../src/terminal');
    const example = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../resources/config/payments.example.json'), 'utf8')) as unknown;
    expect(paymentsFileSchema.safeParse(example).success).toBe(true);
    const doc = fs.readFileSync(path.join(__dirname, '../../../resources/config/payments.md'), 'utf8');
    const shape = paymentsFileSchema.safeParse(example);
    expect(shape.success && shape.data.wechat && shape.data.alipay).toBeTruthy();
    for (const field of ['mode', 'timeoutSeconds', 'pollSeconds', 'requestTimeoutSeconds', 'revokeAttempts', 'wechat.apiKey', 'wechat.certP12File', 'alipay.privateKeyFile', 'alipay.alipayPublicKeyFile']) expect(doc).toContain(`\`${field}\``);
  });
});
