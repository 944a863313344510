/**
 * Alert settings through the console API on SQLite and PostgreSQL:
 * thresholds read by everyone and changed by head-office administrators;
 * webhooks for administrators only, their addresses checked and answered
 * masked, secrets never answered, neither in the audit log nor in the
 * database in clear; a test message that says what the receiver answered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_SETTINGS } from '../../../src/hub/ops/alert-rules';
import { WEBHOOKS_KEY } from '../../../src/hub/ops/webhook-settings';
import { errorCode, startConsoleHub, type ConsoleHub } from '../console';
import { STORE_KINDS } from '../fixtures';
import { dingtalkReceiver, genericReceiver, wecomReceiver, type Receiver } from './receivers';

const WX_KEY = '693a91f6-7aoc-4bc4-97a0-0ec2sifa5aaa';
const DING_SECRET = 'SEC5a3ecf88f2b3eb50db30ecfc00f53033ac909c99bf7f88fd612bda89d7f3a9dc';

describe.each(STORE_KINDS)('alert settings on %s', (kind) => {
  let h: ConsoleHub;
  let wecom: Receiver;
  let ding: Receiver;
  beforeAll(async () => {
    h = await startConsoleHub(kind, { alerts: false });
    wecom = await wecomReceiver(WX_KEY);
    ding = await dingtalkReceiver('d1ngt0ken', DING_SECRET);
  });
  afterAll(async () => {
    await h.close();
    await wecom.close();
    await ding.close();
  });

  it('lets everyone read the thresholds and only an hq-admin change some of them, audited', async () => {
    const analyst = await h.as('analyst');
    expect((await analyst.call('GET', '/api/fleet/settings/alerts')).body).toEqual(DEFAULT_ALERT_SETTINGS);
    expect(errorCode(await analyst.call('PUT', '/api/fleet/settings/alerts', { paperOutMinutes: 3 }))).toBe('forbidden');
    const boss = await h.as('boss');
    const bad = await boss.call('PUT', '/api/fleet/settings/alerts', { paperOutMinutes: -1, extra: 1 });
    expect(bad.status).toBe(400);
    expect((bad.body as { error: { details: { issues: Array<{ path: string }> } } }).error.details.issues.map((i) => i.path).sort()).toEqual(['body', 'body.paperOutMinutes']);
    const changed = await boss.call('PUT', '/api/fleet/settings/alerts', { paperOutMinutes: 3, clockSkewSeconds: 60 });
    expect(changed.body).toEqual({ ...DEFAULT_ALERT_SETTINGS, paperOutMinutes: 3, clockSkewSeconds: 60 });
    expect(((await boss.call('PUT', '/api/fleet/settings/alerts', { lagEntries: 100 })).body as { paperOutMinutes: number }).paperOutMinutes).toBe(3);
    const [last] = await h.store.auditLog({ target: 'settings:alerts', limit: 1 });
    expect(last).toMatchObject({ actor: 'boss', action: 'settings.update', after: { lagEntries: 100, paperOutMinutes: 3 } });
  });

  it('keeps webhooks for hq-admins: addresses checked and masked, secrets never answered or stored in clear', async () => {
    for (const who of ['analyst', 'mgr1']) {
      const c = await h.as(who);
      expect(errorCode(await c.call('GET', '/api/fleet/settings/webhooks'))).toBe('forbidden');
      expect(errorCode(await c.call('PUT', '/api/fleet/settings/webhooks/wx', { kind: 'wecom', name: '运维群', url: wecom.url }))).toBe('forbidden');
    }
    const boss = await h.as('boss');
    const issuesOf = (a: { body: unknown }) => (a.body as { error: { details: { issues: Array<{ path: string }> } } }).error.details.issues.map((i) => i.path);
    expect(issuesOf(await boss.call('PUT', '/api/fleet/settings/webhooks/wx', { kind: 'wecom', name: '运维群' }))).toEqual(['body.url']);
    expect(issuesOf(await boss.call('PUT', '/api/fleet/settings/webhooks/wx', { kind: 'wecom', name: '运维群', url: wecom.url.replace(/\?.*$/, '') }))).toEqual(['body.url']);
    expect(issuesOf(await boss.call('PUT', '/api/fleet/settings/webhooks/wx', { kind: 'wecom', name: '运维群', url: 'ftp://example.cn/x?key=1' }))).toEqual(['body.url']);
    expect((await boss.call('PUT', '/api/fleet/settings/webhooks/Bad_Id', { kind: 'wecom', name: '运维群', url: wecom.url })).status).toBe(400);

    const wx = await boss.call('PUT', '/api/fleet/settings/webhooks/wx', { kind: 'wecom', name: '运维群', url: wecom.url });
    expect(wx.body).toEqual({ id: 'wx', kind: 'wecom', name: '运维群', url: wecom.url.replace(WX_KEY, '…5aaa'), hasSecret: false, language: 'zh-CN', enabled: true, stores: null, updatedAt: expect.any(String) });
    const dd = await boss.call('PUT', '/api/fleet/settings/webhooks/dd', { kind: 'dingtalk', name: '钉钉群', url: ding.url, secret: DING_SECRET, language: 'en', stores: ['S1'] });
    expect(dd.body).toMatchObject({ hasSecret: true, language: 'en', stores: ['S1'] });
    const renamed = await boss.call('PUT', '/api/fleet/settings/webhooks/dd', { kind: 'dingtalk', name: '钉钉值班群', language: 'en', stores: ['S1'] });
    expect(renamed.body).toMatchObject({ name: '钉钉值班群', hasSecret: true, url: expect.stringContaining('access_token=…0ken') });
    expect(((await boss.call('GET', '/api/fleet/settings/webhooks')).body as { webhooks: Array<{ id: string }> }).webhooks.map((w) => w.id)).toEqual(['dd', 'wx']);

    const everything = JSON.stringify([
      (await boss.call('GET', '/api/fleet/settings/webhooks')).body,
      await h.store.auditLog({ target: 'settings:webhook:', limit: 50 }),
      await h.store.setting(WEBHOOKS_KEY),
      h.logs,
    ]);
    for (const secret of [WX_KEY, DING_SECRET, 'd1ngt0ken']) expect(everything).not.toContain(secret);
    const audit = await h.store.auditLog({ target: 'settings:webhook:dd', limit: 5 });
    expect(audit.map((a) => (a.after as { secretChanged: boolean }).secretChanged)).toEqual([false, true]);
  });

  it('sends a test message and says what the receiver answered', async () => {
    const boss = await h.as('boss');
    await boss.call('PUT', '/api/fleet/settings/webhooks/wx', { kind: 'wecom', name: '运维群', url: wecom.url });
    await boss.call('PUT', '/api/fleet/settings/webhooks/dd', { kind: 'dingtalk', name: '钉钉群', url: ding.url, secret: DING_SECRET, language: 'en' });
    await boss.call('PUT', '/api/fleet/settings/webhooks/bad', { kind: 'dingtalk', name: '错的密钥', url: ding.url, secret: 'SECwrong' });
    const closed = await genericReceiver(null);
    await closed.close();
    await boss.call('PUT', '/api/fleet/settings/webhooks/gone', { kind: 'generic', name: '下线', url: closed.url });
    expect((await boss.call('POST', '/api/fleet/settings/webhooks/wx/test')).body).toEqual({ sent: true, status: 200, errcode: 0, error: null });
    expect(wecom.messages.at(-1)).toMatchObject({ msgtype: 'markdown', markdown: { content: expect.stringContaining('Till 测试消息') } });
    expect((await boss.call('POST', '/api/fleet/settings/webhooks/dd/test')).body).toEqual({ sent: true, status: 200, errcode: 0, error: null });
    expect(ding.messages.at(-1)).toMatchObject({ markdown: { title: 'Till test message' } });
    expect((await boss.call('POST', '/api/fleet/settings/webhooks/bad/test')).body).toEqual({ sent: false, status: 200, errcode: 310000, error: 'refused' });
    expect((await boss.call('POST', '/api/fleet/settings/webhooks/gone/test')).body).toEqual({ sent: false, status: null, errcode: null, error: 'unreachable' });
    expect(errorCode(await boss.call('POST', '/api/fleet/settings/webhooks/nope/test'))).toBe('not-found');
    expect((await boss.call('DELETE', '/api/fleet/settings/webhooks/gone')).body).toEqual({ ok: true });
    expect(errorCode(await boss.call('DELETE', '/api/fleet/settings/webhooks/gone'))).toBe('not-found');
  });
});
