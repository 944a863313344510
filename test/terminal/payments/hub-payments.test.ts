/**
 * A store's payment codes set up at the hub and delivered in the signed
 * catalog: the mode, the providers and their merchant ids reach the till of
 * that store (its own row, else '*') while it runs and take effect between
 * calls; the keys stay in the till's own payments.json and never travel; the
 * hub refuses a secret in a payments row.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCatalogChanges } from '../../../src/hub/catalog';
import type { HubStore } from '../../../src/hub/store/types';
import type { RunningHub } from '../../../src/hub/server';
import { createTerminal, importCatalog, saveUser, startTerminalRuntime, type TerminalRuntime } from '../../../src/terminal';
import { enrollLedger, startSqliteHub, type SqliteHub } from '../../sync/setup';
import { tillError } from '../../support/errors';
import { cleanupsAfterEach, until } from '../../support/wait';
import { WechatPayStub } from '../../support/wechat-pay-stub';
import { P, PROMOS, SETTINGS, USERS } from '../fixture';

const cleanups = cleanupsAfterEach();
const API_KEY = '192006250b4c09247ec02edce69f6a2d';
/** the store's real merchant, set at the hub; the till's file was written with another */
const HUB_MCH = '1900000109';
let lanes = 0;

describe('payment codes set up per store at the hub', () => {
  let h: SqliteHub;
  let hub: RunningHub;
  let store: HubStore;
  beforeAll(async () => {
    h = await startSqliteHub();
    ({ hub, store } = h);
  });
  afterAll(() => h.close());

  async function till(storeCode: string): Promise<string> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-hubpay-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const t = createTerminal({ dataDir: dir, create: { store: storeCode, terminal: `T${++lanes}` }, log: () => undefined });
    try {
      importCatalog(t.ledger, Object.values(P), { promotions: PROMOS, settings: SETTINGS, members: [] });
      saveUser(t.ledger, USERS.cashier);
      await enrollLedger(hub, store, t.ledger);
    } finally {
      t.close();
    }
    return dir;
  }

  async function start(dir: string, log: string[]): Promise<TerminalRuntime> {
    const rt = await startTerminalRuntime({ dataDir: dir, devices: null, log: (l) => void log.push(l), syncTuning: { statusIntervalMs: 100, backoff: { baseMs: 20, maxMs: 200 } } });
    cleanups.push(() => rt.close());
    return rt;
  }

  const mode = async (rt: TerminalRuntime) => {
    const r = await rt.terminal.dispatch('system.status', {}, {});
    return r.ok ? (r.value as { payments: { mode: string; providers: string[] } }).payments : null;
  };

  it("reaches the store's till while it runs: sandbox first, then live with the hub's merchant id and the till's own key", async () => {
    const stub = await new WechatPayStub({ appId: 'wx8888888888888888', mchId: HUB_MCH, apiKey: API_KEY }).start();
    cleanups.push(() => stub.close());
    const dir = await till('S01');
    fs.mkdirSync(path.join(dir, 'wechat'));
    fs.writeFileSync(path.join(dir, 'wechat', 'cert.pem'), 'unused over http');
    fs.writeFileSync(path.join(dir, 'wechat', 'key.pem'), 'unused over http', { mode: 0o600 });
    const local = { mode: 'live', wechat: { appId: 'wx8888888888888888', mchId: '1111111111', apiKey: API_KEY, baseUrl: stub.url, certFile: 'wechat/cert.pem', keyFile: 'wechat/key.pem' } };
    fs.writeFileSync(path.join(dir, 'payments.json'), JSON.stringify(local), { mode: 0o600 });
    await hub.changeCatalog([
      { kind: 'payments', key: 'S01', data: { store: 'S01', mode: 'sandbox', pollSeconds: 1 } },
      { kind: 'payments', key: '*', data: { store: '*', mode: 'none' } },
    ]);
    const log: string[] = [];
    const rt = await start(dir, log);
    await until(async () => (await mode(rt))?.mode === 'sandbox', 10_000, 'the sandbox set at the hub');

    await hub.changeCatalog([{ kind: 'payments', key: 'S01', data: { store: 'S01', mode: 'live', timeoutSeconds: 2, pollSeconds: 1, wechat: { appId: 'wx8888888888888888', mchId: HUB_MCH } } }]);
    await until(async () => (await mode(rt))?.mode === 'live', 10_000, 'live set at the hub');
    expect(await mode(rt)).toEqual({ mode: 'live', providers: ['wechat'] });
    expect(log).toContain('payments: wechat (set up at the hub)');

    const login = await rt.terminal.dispatch('auth.login', { userCode: USERS.cashier.code, pin: USERS.cashier.pin }, {});
    const ctx = { sessionToken: login.ok ? (login.value as { sessionToken: string }).sessionToken : '' };
    await rt.terminal.dispatch('shift.open', { float: [] }, ctx);
    await rt.terminal.dispatch('cart.scan', { code: P.water.barcodes[0] }, ctx);
    expect(await rt.terminal.dispatch('tender.paymentCode', { code: '134567890123456789' }, ctx)).toMatchObject({ ok: true, value: { completed: { total: 200 } } });
    expect(stub.calls('/pay/micropay')).toEqual([expect.objectContaining({ mch_id: HUB_MCH, total_fee: '200' })]);
    // the key stays on the till: not in the journal the hub keeps, not in the log
    expect(JSON.stringify(rt.terminal.ledger.entries(1, 10_000))).not.toContain(API_KEY);
    expect(log.join('\n')).not.toContain(API_KEY);
  });

  it("another store's till takes the '*' row; a provider the hub sets up without keys on the till is named and refused", async () => {
    const dir = await till('S02');
    await hub.changeCatalog([{ kind: 'payments', key: '*', data: { store: '*', mode: 'none' } }]);
    const log: string[] = [];
    const rt = await start(dir, log);
    await until(async () => log.some((l) => l.includes('switched off for store S02 at the hub')), 10_000, "the '*' row");
    expect(await mode(rt)).toEqual({ mode: 'none', providers: [] });
    await hub.changeCatalog([{ kind: 'payments', key: 'S02', data: { store: 'S02', mode: 'live', alipay: { appId: '2021000122671080' } } }]);
    await until(async () => log.some((l) => l.includes("the hub sets up Alipay for store S02 (app 2021000122671080), but this till's payments.json has no alipay keys")), 10_000, 'the problem named');
    expect(await mode(rt)).toEqual({ mode: 'none', providers: [] });
  });

  it('the hub refuses a secret in a payments row (there is no field for one), and fractions a signed delta cannot carry', () => {
    expect(tillError(() => checkCatalogChanges([{ kind: 'payments', key: 'S01', data: { store: 'S01', mode: 'sandbox', pollSeconds: 0.5 } }], null))).toMatchObject({ code: 'bad-input' });
    const e = tillError(() => checkCatalogChanges([{ kind: 'payments', key: 'S01', data: { store: 'S01', mode: 'live', wechat: { appId: 'wx1', mchId: '1', apiKey: API_KEY } } }], null));
    expect(e).toMatchObject({ code: 'bad-input', message: expect.stringMatching(/wechat/) });
    expect(e.message).not.toContain(API_KEY);
  });
});
