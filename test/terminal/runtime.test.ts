/**
 * startTerminalRuntime end to end on 127.0.0.1: the devices read from
 * DATA/devices.json (the simulated set: virtual printer on TCP, scanner and
 * display on ptys), an in-process SQLite hub the terminal is enrolled with,
 * and sales through dispatch as the UI makes them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulatedDevices } from '../../drivers';
import type { RunningHub } from '../../src/hub/server';
import type { HubStore } from '../../src/hub/store/types';
import type { EventPayload } from '../../src/shared/contract/events';
import { deviceHealth } from '../../src/terminal';
import { sameJournal, startSqliteHub, type SqliteHub } from '../sync/setup';
import { wecomReceiver } from '../hub/ops/receivers';
import { cleanupsAfterEach, until } from '../support/wait';
import { runtimeKit } from './runtime-kit';

const cleanups = cleanupsAfterEach();
const { dataDir, start, signIn, sellWater, syncStatus } = runtimeKit(cleanups);

describe('the terminal runtime', () => {
  let sqliteHub: SqliteHub;
  let store: HubStore;
  let hub: RunningHub;
  beforeAll(async () => {
    sqliteHub = await startSqliteHub();
    ({ store, hub } = sqliteHub);
  });
  afterAll(async () => {
    await sqliteHub.close();
  });

  it('drives the devices of DATA/devices.json and replicates: a sale prints and reaches the hub, with device health in the status report', async () => {
    const simDir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-rt-sim-'));
    cleanups.push(() => fs.rmSync(simDir, { recursive: true, force: true }));
    const sim = await startSimulatedDevices({ dir: simDir, drawerCloseAfterMs: 300 });
    cleanups.push(() => sim.stop());
    const dir = await dataDir({ hub, store });
    fs.writeFileSync(path.join(dir, 'devices.json'), JSON.stringify({ ...sim.config, printer: { ...sim.config.printer, retryMs: 100 } }));

    const rt = await start(dir);
    expect(rt.devices).toMatchObject({ source: 'file', problem: null });
    expect(rt.devices.summary).toContain(`printer ${sim.config.printer?.address}`);
    await rt.devices.manager?.whenReady(5000);
    expect(rt.sync?.credentials.hubUrl).toBe(hub.url);
    const events: Array<EventPayload<'sync.status'>> = [];
    rt.terminal.events.on('sync.status', (e) => events.push(e));
    const session = await signIn(rt);

    const printed = sim.printer.next('job', 8000);
    const receiptNo = await sellWater(rt, session);
    expect((await printed).text).toContain(receiptNo);

    await rt.sync?.replicator.untilIdle(10_000);
    const head = rt.terminal.ledger.head();
    expect(await sameJournal(store, rt.terminal.ledger)).toEqual({ count: head.seq, lastHash: head.hash, equal: true });
    expect(await syncStatus(rt, session)).toMatchObject({ state: 'online', enrolled: true, hubUrl: hub.url, queueDepth: 0, headSeq: head.seq, ackedSeq: head.seq, lastError: null, alerts: [] });
    expect(events.at(-1)).toMatchObject({ state: 'online', queueDepth: 0 });
    expect(rt.terminal.isOnline()).toBe(true);

    const id = `${rt.terminal.ledger.identity.store}/${rt.terminal.ledger.identity.terminal}`;
    // the first report may predate the printer's first status answer: wait for one that has it healthy
    await until(async () => ((await store.terminal(id))?.status?.devices ?? []).some((d) => d.kind === 'printer' && d.ok), 8000, 'a status report with the printer ok');
    const devices = (await store.terminal(id))?.status?.devices ?? [];
    expect(devices).toContainEqual(expect.objectContaining({ name: sim.config.printer?.address, kind: 'printer', ok: true }));
    expect(devices.map((d) => d.kind).sort()).toEqual(['display', 'drawer', 'printer', 'scanner']);
  });

  it('a bad devices.json names the field, the terminal sells without devices, and the hub hears of the problem', async () => {
    const dir = await dataDir({ hub, store });
    fs.writeFileSync(path.join(dir, 'devices.json'), JSON.stringify({ printer: { address: 'tcp://127.0.0.1:9100', width: 70 } }));
    const log: string[] = [];
    const rt = await start(dir, log);
    expect(rt.devices.manager).toBeNull();
    expect(rt.devices.problem).toMatch(/devices\.json: printer\.width: /);
    expect(log.join('\n')).toMatch(/devices\.json: printer\.width: .*\(selling without devices\)/);
    const session = await signIn(rt);
    expect(await sellWater(rt, session)).toMatch(/^S01-T\d+-/);
    expect((await rt.terminal.dispatch('devices.status', {}, { sessionToken: session })).ok).toBe(true);
    expect(deviceHealth(rt.devices)).toEqual([{ name: 'devices.json', kind: 'config', ok: false, detail: expect.stringContaining('printer.width') as unknown }]);
    await rt.sync?.replicator.untilIdle(10_000);
    const id = `${rt.terminal.ledger.identity.store}/${rt.terminal.ledger.identity.terminal}`;
    await until(async () => ((await store.terminal(id))?.status?.devices ?? []).some((d) => d.kind === 'config'), 8000, 'a status report');
  });

  it('a devices.json that is not JSON, and a drawer on a printer that is not there, are refused the same way', async () => {
    const dir = await dataDir();
    fs.writeFileSync(path.join(dir, 'devices.json'), '{"printer": ');
    const rt1 = await start(dir);
    expect(rt1.devices.problem).toMatch(/devices\.json: not valid JSON/);
    await rt1.close();
    fs.writeFileSync(path.join(dir, 'devices.json'), JSON.stringify({ drawer: { kind: 'printer' } }));
    const rt2 = await start(dir);
    expect(rt2.devices.problem).toMatch(/devices\.json: drawer\.kind: a drawer of kind 'printer' needs a printer/);
    expect(await sellWater(rt2, await signIn(rt2))).toMatch(/^S01-T\d+-/);
  });

  it('without enrollment and without devices.json: no replicator, no devices, and sync.status says disabled with the queue', async () => {
    const dir = await dataDir();
    const rt = await start(dir);
    expect(rt.sync).toBeNull();
    expect(rt.devices).toMatchObject({ source: 'none', manager: null, problem: null });
    const session = await signIn(rt);
    await sellWater(rt, session);
    const head = rt.terminal.ledger.head().seq;
    expect(await syncStatus(rt, session)).toMatchObject({ state: 'disabled', enrolled: false, hubUrl: null, queueDepth: head, headSeq: head, ackedSeq: 0, lastError: null });
    expect((await rt.terminal.dispatch('sync.status', {}, {})).ok).toBe(false);
  });

  it('credentials for another terminal do not stop selling: replication is disabled with the reason', async () => {
    const dir = await dataDir();
    fs.writeFileSync(path.join(dir, 'hub-credentials.json'), JSON.stringify({ hubUrl: hub.url, terminalId: 'S01/T99', token: 'x'.repeat(32) }));
    const log: string[] = [];
    const rt = await start(dir, log);
    expect(rt.sync).toBeNull();
    expect(log.join('\n')).toMatch(/sync not started: .*S01\/T99/);
    const session = await signIn(rt);
    await sellWater(rt, session);
    expect(await syncStatus(rt, session)).toMatchObject({ state: 'disabled', lastError: { reason: 'forbidden' } });
  });
});

describe('the terminal runtime and the hub’s alerts', () => {
  it('a printer that runs out of paper during a sale reaches a WeCom group once, and its recovery once', async () => {
    const admin = 'admin-token-for-alert-tests-0123456789';
    const h = await startSqliteHub({ adminToken: admin, alerts: { evaluateEveryMs: 50, sendEveryMs: 50 } });
    cleanups.push(() => h.close());
    const wecom = await wecomReceiver('5f2c-runtime-key');
    cleanups.push(() => wecom.close());
    const put = (path: string, body: unknown) => fetch(`${h.hub.url}${path}`, { method: 'PUT', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await put('/api/fleet/settings/webhooks/ops', { kind: 'wecom', name: '运维群', url: wecom.url })).status).toBe(200);
    expect((await put('/api/fleet/settings/alerts', { paperOutMinutes: 0 })).status).toBe(200);

    const simDir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-rt-sim-'));
    cleanups.push(() => fs.rmSync(simDir, { recursive: true, force: true }));
    const sim = await startSimulatedDevices({ dir: simDir, drawerCloseAfterMs: 300 });
    cleanups.push(() => sim.stop());
    const dir = await dataDir({ hub: h.hub, store: h.store });
    fs.writeFileSync(path.join(dir, 'devices.json'), JSON.stringify({ ...sim.config, printer: { ...sim.config.printer, retryMs: 100 } }));
    const rt = await start(dir);
    await rt.devices.manager?.whenReady(5000);
    const session = await signIn(rt);

    sim.printer.set({ paperOut: true });
    await sellWater(rt, session);
    await until(() => wecom.messages.length >= 1, 10_000, 'the WeCom alert');
    const content = (wecom.messages[0]?.markdown as { content: string }).content;
    expect(content).toContain('Till 告警：打印机缺纸');
    expect(content).toContain(`收银机：<font color="comment">${rt.terminal.ledger.identity.terminal}</font>`);
    const [alert] = await h.store.alerts(`${rt.terminal.ledger.identity.store}/${rt.terminal.ledger.identity.terminal}`);
    expect(alert?.code).toBe('printer-paper-out');
    expect(content).toContain(`${new Date(Date.parse(alert?.at ?? '') + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')}（门店时间）`);

    sim.printer.set({ paperOut: false });
    await until(() => wecom.messages.length >= 2, 10_000, 'the recovery message');
    expect((wecom.messages[1]?.markdown as { content: string }).content).toContain('Till 已恢复：打印机缺纸');
    expect(wecom.refused).toEqual([]);
    expect(wecom.messages).toHaveLength(2);
  });
});
