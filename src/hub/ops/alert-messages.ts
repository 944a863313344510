/**
 * The words of alert messages: one bundle per language (Simplified Chinese
 * first, English second), a title and a sentence per alert code, {name}
 * placeholders. A message names the store (the chain's name and the store's
 * code) and the terminal, and gives times in the store's zone. Every title
 * carries "Till", so a DingTalk robot guarded by the keyword Till accepts it.
 */
import type { AlertLanguage } from '../../shared/hub-api/index';
import { localTime } from '../../core/sale';

const zh = {
  'title.raised': 'Till 告警：{what}',
  'title.cleared': 'Till 已恢复：{what}',
  'title.test': 'Till 测试消息',
  'body.cleared': '{what}已恢复，告警持续了 {duration}。',
  'body.test': '这是一条测试消息：收银机告警会发到这里。',
  'label.store': '门店',
  'label.terminal': '收银机',
  'label.since': '告警时间',
  'label.clearedAt': '恢复时间',
  'label.time': '时间',
  'zone': '（门店时间）',

  'what.terminal-offline': '收银机离线',
  'body.terminal-offline': '已 {duration} 未与总部联系（最后联系 {lastSeen}）。请检查收银机电源和网络。',
  'body.terminal-offline.never': '登记后从未与总部联系（登记于 {enrolledAt}）。请检查收银机电源和网络。',
  'what.replication-lag': '数据同步滞后',
  'body.replication-lag': '{entries} 条记录尚未上传到总部，最早的已等待 {duration}。',
  'what.ledger-diverged': '账本与总部不一致',
  'body.ledger-diverged': '第 {seq} 条记录与总部保存的不同，总部拒收了这台收银机的数据。请先联系技术支持，不要重装或从备份恢复这台收银机。',
  'what.bad-hash': '数据校验失败',
  'body.bad-hash': '第 {seq} 条记录与其校验值不符，总部拒收。请联系技术支持。',
  'what.broken-link': '记录链断开',
  'body.broken-link': '第 {seq} 条记录没有接上前一条，总部拒收。请联系技术支持。',
  'what.wrong-identity': '收银机身份不符',
  'body.wrong-identity': '这台收银机的账本属于另一台收银机，总部拒收。请联系技术支持。',
  'what.printer-paper-out': '打印机缺纸',
  'body.printer-paper-out': '打印机（{devices}）缺纸已 {duration}。请装入新纸卷，排队的小票会接着打印。',
  'what.scanner-unplugged': '扫码枪未连接',
  'body.scanner-unplugged': '扫码枪（{devices}）已断开 {duration}。请检查连接线。',
  'what.drawer-open': '钱箱未关',
  'body.drawer-open': '钱箱已打开 {duration}。请关好钱箱。',
  'what.backup-stale': '备份过期',
  'body.backup-stale': '最近一次备份在 {backupAt}，已过去 {duration}。请检查收银机的日志。',
  'body.backup-stale.none': '这台收银机还没有备份。请检查收银机的日志。',
  'what.clock-skew': '时钟不准',
  'body.clock-skew.ahead': '收银机时钟比总部快 {seconds} 秒。请校准收银机的时间。',
  'body.clock-skew.behind': '收银机时钟比总部慢 {seconds} 秒。请校准收银机的时间。',
  'what.other': '收银机告警',
  'body.other': '总部发现这台收银机有问题。请在总部后台查看。',

  'duration.minutes': '{m} 分钟',
  'duration.hours': '{h} 小时 {m} 分钟',
  'duration.days': '{d} 天 {h} 小时',
  'devices.none': '未知设备',
};

export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = {
  'title.raised': 'Till alert: {what}',
  'title.cleared': 'Till resolved: {what}',
  'title.test': 'Till test message',
  'body.cleared': '{what}: resolved; the alert lasted {duration}.',
  'body.test': 'This is a test message: terminal alerts will be sent here.',
  'label.store': 'Store',
  'label.terminal': 'Terminal',
  'label.since': 'Alerted at',
  'label.clearedAt': 'Resolved at',
  'label.time': 'Time',
  zone: ' (store time)',

  'what.terminal-offline': 'Terminal offline',
  'body.terminal-offline': 'Not heard from for {duration} (last heard {lastSeen}). Check the terminal’s power and network.',
  'body.terminal-offline.never': 'Never heard from since it was enrolled ({enrolledAt}). Check the terminal’s power and network.',
  'what.replication-lag': 'Replication lagging',
  'body.replication-lag': '{entries} entries are not yet at the hub; the oldest has waited {duration}.',
  'what.ledger-diverged': 'Ledger differs from the hub',
  'body.ledger-diverged': 'Entry {seq} differs from the hub’s copy, so the hub refuses this terminal’s data. Call support before reinstalling or restoring this terminal.',
  'what.bad-hash': 'Data failed its check',
  'body.bad-hash': 'Entry {seq} does not match its checksum; the hub refused it. Call support.',
  'what.broken-link': 'Broken record chain',
  'body.broken-link': 'Entry {seq} does not follow the one before it; the hub refused it. Call support.',
  'what.wrong-identity': 'Terminal identity mismatch',
  'body.wrong-identity': 'This terminal’s ledger belongs to another terminal; the hub refused it. Call support.',
  'what.printer-paper-out': 'Printer out of paper',
  'body.printer-paper-out': 'The printer ({devices}) has been out of paper for {duration}. Load a new roll; waiting receipts then print.',
  'what.scanner-unplugged': 'Scanner unplugged',
  'body.scanner-unplugged': 'The scanner ({devices}) has been disconnected for {duration}. Check its cable.',
  'what.drawer-open': 'Cash drawer left open',
  'body.drawer-open': 'The cash drawer has been open for {duration}. Close it.',
  'what.backup-stale': 'Backup out of date',
  'body.backup-stale': 'The newest backup was taken {backupAt}, {duration} ago. Check the terminal’s log.',
  'body.backup-stale.none': 'This terminal has no backup yet. Check the terminal’s log.',
  'what.clock-skew': 'Clock off',
  'body.clock-skew.ahead': 'The terminal’s clock is {seconds} s ahead of the hub’s. Set its time.',
  'body.clock-skew.behind': 'The terminal’s clock is {seconds} s behind the hub’s. Set its time.',
  'what.other': 'Terminal alert',
  'body.other': 'The hub found a problem with this terminal. See the head-office console.',

  'duration.minutes': '{m} min',
  'duration.hours': '{h} h {m} min',
  'duration.days': '{d} d {h} h',
  'devices.none': 'unknown device',
};

const BUNDLES: Record<AlertLanguage, Record<MessageKey, string>> = { 'zh-CN': zh, en };

type Params = Record<string, string | number>;

export function t(lang: AlertLanguage, key: MessageKey, params: Params = {}): string {
  return BUNDLES[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) => (params[name] === undefined ? whole : String(params[name])));
}

const has = (key: string): key is MessageKey => key in zh;

/** "12 分钟", "2 小时 5 分钟", "3 天 4 小时" (never less than 1 minute) */
export function duration(lang: AlertLanguage, ms: number): string {
  const total = Math.max(1, Math.floor(ms / 60_000));
  const d = Math.floor(total / 1440);
  const h = Math.floor((total % 1440) / 60);
  const m = total % 60;
  if (d > 0) return t(lang, 'duration.days', { d, h });
  if (h > 0) return t(lang, 'duration.hours', { h, m });
  return t(lang, 'duration.minutes', { m });
}

/** "2026-03-02 09:05" in the store's zone */
export const storeTime = (iso: string, utcOffsetMinutes: number): string => localTime(iso, utcOffsetMinutes).slice(0, 16);

export interface AlertFacts {
  code: string;
  /** first seen */
  at: string;
  clearedAt: string | null;
  details: Record<string, unknown>;
  store: string;
  terminal: string;
}

export interface MessageContext {
  lang: AlertLanguage;
  /** the chain's name from the store settings, when set */
  chainName: string | null;
  utcOffsetMinutes: number;
  now: Date;
}

/** what every format is built from: a title, labelled facts, and one sentence */
export interface RenderedMessage {
  event: 'raised' | 'cleared' | 'test';
  title: string;
  facts: Array<[string, string]>;
  text: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

function sentence(a: AlertFacts, c: MessageContext): string {
  const { lang, now, utcOffsetMinutes: zone } = c;
  const d = a.details;
  const since = (iso: string) => duration(lang, now.getTime() - Date.parse(iso));
  const devices = Array.isArray(d.devices) && d.devices.length ? d.devices.map(String).join(', ') : t(lang, 'devices.none');
  switch (a.code) {
    case 'terminal-offline': {
      const last = str(d.lastSeen);
      return last
        ? t(lang, 'body.terminal-offline', { duration: since(last), lastSeen: storeTime(last, zone) })
        : t(lang, 'body.terminal-offline.never', { enrolledAt: storeTime(str(d.enrolledAt) || a.at, zone) });
    }
    case 'replication-lag':
      return t(lang, 'body.replication-lag', { entries: num(d.entries), duration: duration(lang, num(d.seconds) * 1000) });
    case 'ledger-diverged':
    case 'bad-hash':
    case 'broken-link':
      return t(lang, `body.${a.code}`, { seq: num(d.seq) });
    case 'wrong-identity':
      return t(lang, 'body.wrong-identity');
    case 'printer-paper-out':
    case 'scanner-unplugged':
    case 'drawer-open':
      return t(lang, `body.${a.code}`, { devices, duration: since(str(d.since) || a.at) });
    case 'backup-stale': {
      const at = str(d.at);
      return at ? t(lang, 'body.backup-stale', { backupAt: storeTime(at, zone), duration: duration(lang, num(d.ageSeconds) * 1000) }) : t(lang, 'body.backup-stale.none');
    }
    case 'clock-skew': {
      const s = num(d.seconds);
      return t(lang, s >= 0 ? 'body.clock-skew.ahead' : 'body.clock-skew.behind', { seconds: Math.abs(s) });
    }
    default:
      return t(lang, 'body.other');
  }
}

/** the alert's name in words ("打印机缺纸") */
export function alertName(lang: AlertLanguage, code: string): string {
  const key = `what.${code}`;
  return t(lang, has(key) ? key : 'what.other');
}

function storeLabel(a: AlertFacts, c: MessageContext): string {
  return c.chainName ? `${c.chainName} ${a.store}` : a.store;
}

/** the message about an alert being raised or cleared, in the channel's language */
export function renderAlert(event: 'raised' | 'cleared', a: AlertFacts, c: MessageContext): RenderedMessage {
  const what = alertName(c.lang, a.code);
  const zone = t(c.lang, 'zone');
  const facts: Array<[string, string]> = [
    [t(c.lang, 'label.store'), storeLabel(a, c)],
    [t(c.lang, 'label.terminal'), a.terminal],
    [t(c.lang, 'label.since'), `${storeTime(a.at, c.utcOffsetMinutes)}${zone}`],
  ];
  if (event === 'cleared') {
    const end = a.clearedAt ?? c.now.toISOString();
    facts.push([t(c.lang, 'label.clearedAt'), `${storeTime(end, c.utcOffsetMinutes)}${zone}`]);
    return { event, title: t(c.lang, 'title.cleared', { what }), facts, text: t(c.lang, 'body.cleared', { what, duration: duration(c.lang, Date.parse(end) - Date.parse(a.at)) }) };
  }
  return { event, title: t(c.lang, 'title.raised', { what }), facts, text: sentence(a, c) };
}

/** the test message a webhook gets from the console */
export function renderTest(c: MessageContext): RenderedMessage {
  return { event: 'test', title: t(c.lang, 'title.test'), facts: [[t(c.lang, 'label.time'), `${storeTime(c.now.toISOString(), c.utcOffsetMinutes)}${t(c.lang, 'zone')}`]], text: t(c.lang, 'body.test') };
}
