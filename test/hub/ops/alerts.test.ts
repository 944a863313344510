/**
 * Alerts end to end: a real hub (its evaluator and notifier on short timers,
 * its clock moved forward by the test), a terminal reporting its devices
 * over /terminal, and WeCom-, DingTalk- and generic-shaped receivers on
 * 127.0.0.1 that check the format and the signatures. An alert reaches each
 * webhook once, clears once, reaches a receiver that was down once it is
 * back, survives a hub restart, and two hub nodes on one PostgreSQL send it
 * once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { newHubSecrets, type HubSecrets } from '../../../src/hub/secrets';
import { startHub, type HubOptions, type RunningHub } from '../../../src/hub/server';
import { issueEnrollCode } from '../../../src/hub/enroll';
import { addUser } from '../../../src/hub/people';
import type { HubStore } from '../../../src/hub/store/types';
import type { JournalEntry } from '../../../src/shared/journal';
import type { DeviceHealth, StatusReport } from '../../../src/shared/replication';
import { until, waitFor } from '../../support/wait';
import { connectTerminal, type TestClient } from '../client';
import { ADMIN_TOKEN, ConsoleClient, PASSWORD } from '../console';
import { makeChain, storeKit, type StoreKit } from '../fixtures';
import { dingtalkReceiver, genericReceiver, wecomReceiver, type Receiver } from './receivers';

const LOOPS: HubOptions['alerts'] = { evaluateEveryMs: 40, sendEveryMs: 40, retry: { firstMs: 100, maxMs: 400, giveUpAfterMs: 3600_000 }, timeoutMs: 2000 };
const DING_SECRET = 'SEC5a3ecf88f2b3eb50db30ecfc00f53033ac909c99bf7f88fd612bda89d7f3a9dc';
const PAPER_OUT: DeviceHealth = { name: 'printer', kind: 'printer', ok: false, state: 'paper-out', detail: 'printer is out of paper' };
const PAPER_OK: DeviceHealth = { name: 'printer', kind: 'printer', ok: true, state: 'ok', detail: 'printer ready' };
const DRAWER_OPEN: DeviceHealth = { name: 'printer drawer', kind: 'drawer', ok: true, state: 'open', detail: 'drawer open' };

/** the hub's clock: real time plus what the test has moved it on */
class Clock {
  offset = 0;
  now = () => new Date(Date.now() + this.offset);
  forward(minutes: number): void {
    this.offset += minutes * 60_000;
  }
}

interface Rig {
  kit: StoreKit;
  stores: HubStore[];
  hubs: RunningHub[];
  receivers: Receiver[];
  terminals: TestClient[];
}

const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) {
    for (const t of r.terminals) t.close();
    for (const h of r.hubs) await h.close();
    for (const s of r.stores) await s.close();
    for (const x of r.receivers) await x.close();
    await r.kit.cleanup();
  }
});

function rig(kind: 'sqlite' | 'postgres'): Rig {
  const r: Rig = { kit: storeKit(kind), stores: [], hubs: [], receivers: [], terminals: [] };
  rigs.push(r);
  return r;
}

async function openStore(r: Rig): Promise<HubStore> {
  const s = await r.kit.open();
  r.stores.push(s);
  return s;
}

async function hubOn(r: Rig, store: HubStore, clock: Clock, secrets: HubSecrets, logs: string[] = []): Promise<RunningHub> {
  const hub = await startHub({ store, adminToken: ADMIN_TOKEN, webRoot: null, secrets, now: clock.now, alerts: LOOPS, log: (l) => logs.push(l) });
  r.hubs.push(hub);
  return hub;
}

async function receiver(r: Rig, make: Promise<Receiver>): Promise<Receiver> {
  const x = await make;
  r.receivers.push(x);
  return x;
}

async function admin(hub: RunningHub, store: HubStore): Promise<ConsoleClient> {
  if (!(await store.user('boss'))) await addUser(store, { name: 'boss', displayName: null, role: 'hq-admin', stores: [], password: PASSWORD }, { actor: 'test', actorRole: null, source: null, at: new Date().toISOString() });
  const c = new ConsoleClient(hub.url);
  expect((await c.login('boss')).status).toBe(200);
  return c;
}

async function putWebhook(c: ConsoleClient, id: string, body: Record<string, unknown>): Promise<void> {
  const a = await c.call('PUT', `/api/fleet/settings/webhooks/${id}`, body);
  expect(a.status, JSON.stringify(a.body)).toBe(200);
}

async function terminal(r: Rig, hub: RunningHub, store: HubStore, storeCode: string, code: string): Promise<TestClient> {
  const { code: enrollCode } = await issueEnrollCode(store, { store: storeCode, terminal: code });
  const res = await fetch(`${hub.url}/api/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: enrollCode, store: storeCode, terminal: code }) });
  const { token } = (await res.json()) as { token: string };
  const t = await connectTerminal(hub.url, { terminalId: `${storeCode}/${code}`, token });
  r.terminals.push(t);
  return t;
}

async function report(t: TestClient, clock: Clock, devices: DeviceHealth[]): Promise<void> {
  const s: StatusReport = { appVersion: '1.0.0', at: clock.now().toISOString(), devices, queueDepth: 0, oldestPendingAt: null, lastError: null };
  expect(await t.call('status', s)).toEqual({ ok: true });
}

/** a hub on a new store, its hq-admin signed in */
async function oneHub(kind: 'sqlite' | 'postgres', secrets: HubSecrets = newHubSecrets()) {
  const r = rig(kind);
  const clock = new Clock();
  const store = await openStore(r);
  const hub = await hubOn(r, store, clock, secrets);
  const boss = await admin(hub, store);
  return { r, clock, store, hub, boss };
}

/** a fault past the default 5 minutes: reported, the hub's clock moved 6 minutes on, reported again */
async function faultForSixMinutes(t: TestClient, clock: Clock, devices: DeviceHealth[]): Promise<void> {
  await report(t, clock, devices);
  clock.forward(6);
  await report(t, clock, devices);
}

const wecomContent = (m: Record<string, unknown>) => (m.markdown as { content: string }).content;
const dingTitle = (m: Record<string, unknown>) => (m.markdown as { title: string }).title;

describe('alerts to webhooks', () => {
  it('sends a printer out of paper once to WeCom, DingTalk (signed) and a generic receiver, then one cleared message, and nothing twice', async () => {
    const { r, clock, store, hub, boss } = await oneHub('sqlite');
    const wecom = await receiver(r, wecomReceiver('693a91f6-7aoc-4bc4-97a0-0ec2sifa5aaa'));
    const ding = await receiver(r, dingtalkReceiver('bf73c1d2e3', DING_SECRET));
    const generic = await receiver(r, genericReceiver('generic-secret'));
    await putWebhook(boss, 'ops-wecom', { kind: 'wecom', name: '运维群', url: wecom.url });
    await putWebhook(boss, 'ops-ding', { kind: 'dingtalk', name: '钉钉群', url: ding.url, secret: DING_SECRET });
    await putWebhook(boss, 'ops-json', { kind: 'generic', name: 'pager', url: generic.url, secret: 'generic-secret', language: 'en' });
    expect((await boss.call('PUT', '/api/fleet/settings/alerts', { drawerOpenMinutes: 2 })).status).toBe(200);

    const t = await terminal(r, hub, store, 'S1', 'T1');
    await faultForSixMinutes(t, clock, [PAPER_OUT]);
    await waitFor('the raised message everywhere', () => wecom.messages.length >= 1 && ding.messages.length >= 1 && generic.messages.length >= 1);

    const [raised] = await store.alerts('S1/T1');
    const local = new Date(Date.parse(raised?.at ?? '') + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
    const content = wecomContent(wecom.messages[0] as Record<string, unknown>);
    expect(wecom.messages[0]).toMatchObject({ msgtype: 'markdown' });
    expect(content).toContain('Till 告警：打印机缺纸');
    expect(content).toContain('门店：<font color="comment">S1</font>');
    expect(content).toContain('收银机：<font color="comment">T1</font>');
    expect(content).toContain(`${local}（门店时间）`);
    expect(content).toMatch(/打印机（printer）缺纸已 6 分钟/);
    expect(dingTitle(ding.messages[0] as Record<string, unknown>)).toBe('Till 告警：打印机缺纸');
    expect(generic.messages[0]).toMatchObject({ event: 'alert.raised', title: 'Till alert: Printer out of paper', alert: { code: 'printer-paper-out', state: 'open', store: 'S1', terminal: 'T1', details: { devices: ['printer'] } } });

    await report(t, clock, [PAPER_OK]);
    await waitFor('the cleared message everywhere', () => wecom.messages.length >= 2 && ding.messages.length >= 2 && generic.messages.length >= 2);
    expect(wecomContent(wecom.messages[1] as Record<string, unknown>)).toContain('Till 已恢复：打印机缺纸');
    expect(dingTitle(ding.messages[1] as Record<string, unknown>)).toBe('Till 已恢复：打印机缺纸');
    expect(generic.messages[1]).toMatchObject({ event: 'alert.cleared', alert: { code: 'printer-paper-out', state: 'cleared' } });

    /* a later alert's arrival proves the evaluator and notifier went on without sending the paper alert again */
    await report(t, clock, [PAPER_OK, DRAWER_OPEN]);
    clock.forward(3);
    await report(t, clock, [PAPER_OK, DRAWER_OPEN]);
    await waitFor('the drawer alert everywhere', () => wecom.messages.length >= 3 && ding.messages.length >= 3 && generic.messages.length >= 3);
    expect(wecom.messages.map((m) => wecomContent(m).split('\n')[0])).toEqual([
      '## <font color="warning">Till 告警：打印机缺纸</font>',
      '## <font color="info">Till 已恢复：打印机缺纸</font>',
      '## <font color="warning">Till 告警：钱箱未关</font>',
    ]);
    expect(ding.messages.map(dingTitle)).toEqual(['Till 告警：打印机缺纸', 'Till 已恢复：打印机缺纸', 'Till 告警：钱箱未关']);
    expect(generic.messages.map((m) => m.title)).toEqual(['Till alert: Printer out of paper', 'Till resolved: Printer out of paper', 'Till alert: Cash drawer left open']);
    expect([wecom.refused, ding.refused, generic.refused]).toEqual([[], [], []]);

    const alerts = (await boss.call('GET', '/api/fleet/alerts')).body as { alerts: Array<{ code: string; state: string; clearedAt: string | null }> };
    expect(alerts.alerts.map((a) => [a.code, a.state])).toEqual([
      ['drawer-open', 'open'],
      ['printer-paper-out', 'cleared'],
    ]);
    const open = (await boss.call('GET', '/api/fleet/alerts?state=open')).body as { alerts: Array<{ code: string }> };
    expect(open.alerts.map((a) => a.code)).toEqual(['drawer-open']);
    const view = (await boss.call('GET', '/api/fleet/terminals/S1/T1')).body as { terminal: { openAlerts: Array<{ code: string }> } };
    expect(view.terminal.openAlerts).toEqual([{ code: 'drawer-open', since: expect.any(String) }]);
  });

  it('sends a refused batch (bad-hash) once however often the terminal retries it, and clears it when a good batch is stored', async () => {
    const { r, store, hub, boss } = await oneHub('sqlite');
    const wecom = await receiver(r, wecomReceiver('k3y'));
    await putWebhook(boss, 'wx', { kind: 'wecom', name: '运维群', url: wecom.url });
    const t = await terminal(r, hub, store, 'S1', 'T1');
    const chain = makeChain('S1', 'T1', 12);
    expect(await t.call('push', { entries: chain.slice(0, 10) })).toMatchObject({ ok: true });
    const tampered = { ...(chain[10] as JournalEntry), payload: '{"total":1}' };
    for (let i = 0; i < 3; i++) expect(await t.call('push', { entries: [tampered] })).toMatchObject({ ok: false, error: { code: 'bad-hash' } });
    await waitFor('the alert', () => wecom.messages.length >= 1);
    expect(wecomContent(wecom.messages[0] as Record<string, unknown>)).toContain('第 11 条记录与其校验值不符');
    expect(await t.call('push', { entries: chain.slice(10) })).toMatchObject({ ok: true, stored: 2 });
    await waitFor('the cleared message', () => wecom.messages.length >= 2);
    expect(wecom.messages.map((m) => wecomContent(m).split('\n')[0])).toEqual(['## <font color="warning">Till 告警：数据校验失败</font>', '## <font color="info">Till 已恢复：数据校验失败</font>']);
    expect(await store.alerts('S1/T1')).toMatchObject([{ code: 'bad-hash', state: 'cleared' }]);
  });

  it('keeps a notification DingTalk refuses for a bad signature (errcode 310000) and delivers it once the secret is right', async () => {
    const { r, clock, store, hub, boss } = await oneHub('sqlite');
    const ding = await receiver(r, dingtalkReceiver('t0ken', DING_SECRET));
    await putWebhook(boss, 'ding', { kind: 'dingtalk', name: '钉钉群', url: ding.url, secret: 'SECwrong' });
    const t = await terminal(r, hub, store, 'S1', 'T1');
    await faultForSixMinutes(t, clock, [{ name: 'scanner', kind: 'scanner', ok: false, state: 'offline', detail: 'scanner not connected' }]);
    await waitFor('two refusals', () => ding.refused.length >= 2);
    expect(ding.refused[0]).toEqual({ errcode: 310000, errmsg: expect.stringContaining('sign not match') as unknown });
    const [pending] = await store.notifications();
    expect(pending).toMatchObject({ channel: 'ding', event: 'raised', state: 'pending', lastError: expect.stringContaining('errcode 310000') as unknown });
    expect(ding.messages).toEqual([]);

    await putWebhook(boss, 'ding', { kind: 'dingtalk', name: '钉钉群', secret: DING_SECRET });
    await waitFor('the message', () => ding.messages.length >= 1);
    expect(dingTitle(ding.messages[0] as Record<string, unknown>)).toBe('Till 告警：扫码枪未连接');
    await until(async () => (await store.notifications())[0]?.state === 'sent', 5000, 'the notification marked sent');
  });

  it('retries a receiver that is down with growing waits and delivers once when it is back', async () => {
    const { r, clock, store, hub, boss } = await oneHub('sqlite');
    const wecom = await receiver(r, wecomReceiver('k3y'));
    wecom.down = true;
    await putWebhook(boss, 'wx', { kind: 'wecom', name: '运维群', url: wecom.url });
    const t = await terminal(r, hub, store, 'S1', 'T1');
    await faultForSixMinutes(t, clock, [PAPER_OUT]);
    await until(async () => ((await store.notifications())[0]?.attempts ?? 0) >= 3, 8000, 'three failed attempts');
    const [n] = await store.notifications();
    expect(n?.state).toBe('pending');
    expect(Date.parse(n?.nextAt ?? '') - clock.now().getTime()).toBeGreaterThan(100);
    wecom.down = false;
    await waitFor('the message after the receiver came back', () => wecom.messages.length >= 1);
    await until(async () => (await store.notifications())[0]?.state === 'sent', 5000, 'marked sent');
    expect(wecom.dropped).toBeGreaterThanOrEqual(3);
    expect(wecom.messages).toHaveLength(1);
  });

  it('carries on after a restart: a notification queued by a hub that stopped is sent by the next one', async () => {
    const secrets = newHubSecrets();
    const { r, clock, store, hub: first, boss } = await oneHub('sqlite', secrets);
    const wecom = await receiver(r, wecomReceiver('k3y'));
    wecom.down = true;
    await putWebhook(boss, 'wx', { kind: 'wecom', name: '运维群', url: wecom.url });
    const t = await terminal(r, first, store, 'S1', 'T1');
    await faultForSixMinutes(t, clock, [PAPER_OUT]);
    await until(async () => ((await store.notifications())[0]?.attempts ?? 0) >= 1, 8000, 'a failed attempt');
    t.close();
    await first.close();
    r.hubs.splice(r.hubs.indexOf(first), 1);
    wecom.down = false;
    await hubOn(r, store, clock, secrets);
    await waitFor('the message from the second hub', () => wecom.messages.length >= 1);
    expect(wecomContent(wecom.messages[0] as Record<string, unknown>)).toContain('打印机缺纸');
    await until(async () => (await store.notifications())[0]?.state === 'sent', 5000, 'marked sent');
    expect(wecom.messages).toHaveLength(1);
  });

  it('sends once from two hub nodes on one PostgreSQL: one raised and one cleared message per webhook', async () => {
    const r = rig('postgres');
    const clock = new Clock();
    const secrets = newHubSecrets();
    const storeA = await openStore(r);
    const storeB = await openStore(r);
    const a = await hubOn(r, storeA, clock, secrets);
    await hubOn(r, storeB, clock, secrets);
    const wecom = await receiver(r, wecomReceiver('k3y'));
    const ding = await receiver(r, dingtalkReceiver('t0ken', DING_SECRET));
    const boss = await admin(a, storeA);
    await putWebhook(boss, 'wx', { kind: 'wecom', name: '运维群', url: wecom.url });
    await putWebhook(boss, 'ding', { kind: 'dingtalk', name: '钉钉群', url: ding.url, secret: DING_SECRET });
    expect((await boss.call('PUT', '/api/fleet/settings/alerts', { drawerOpenMinutes: 2 })).status).toBe(200);
    const t = await terminal(r, a, storeA, 'S1', 'T1');
    await faultForSixMinutes(t, clock, [PAPER_OUT]);
    await waitFor('raised', () => wecom.messages.length >= 1 && ding.messages.length >= 1);
    await report(t, clock, [PAPER_OK]);
    await waitFor('cleared', () => wecom.messages.length >= 2 && ding.messages.length >= 2);
    await report(t, clock, [PAPER_OK, DRAWER_OPEN]);
    clock.forward(3);
    await report(t, clock, [PAPER_OK, DRAWER_OPEN]);
    await waitFor('the later drawer alert', () => wecom.messages.length >= 3 && ding.messages.length >= 3);
    expect(ding.messages.map(dingTitle)).toEqual(['Till 告警：打印机缺纸', 'Till 已恢复：打印机缺纸', 'Till 告警：钱箱未关']);
    expect(wecom.messages).toHaveLength(3);
    await until(async () => (await storeB.notifications()).every((n) => n.state === 'sent'), 5000, 'every notification marked sent');
    expect((await storeB.notifications()).map((n) => `${n.channel} ${n.event}`).sort()).toEqual(['ding cleared', 'ding raised', 'ding raised', 'wx cleared', 'wx raised', 'wx raised']);
  });
});
