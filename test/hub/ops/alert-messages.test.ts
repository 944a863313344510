/**
 * Alert messages for every code in both languages: Chinese without English
 * words (besides Till and the data: store and terminal codes, device names),
 * English without Chinese, times in the store's zone, durations in words.
 */
import { describe, expect, it } from 'vitest';
import { ALERT_CODES } from '../../../src/shared/hub-api/index';
import { alertName, duration, renderAlert, renderTest, type AlertFacts } from '../../../src/hub/ops/alert-messages';

const NOW = new Date('2026-03-02T04:30:00.000Z');
const DETAILS: Record<string, Record<string, unknown>> = {
  'terminal-offline': { lastSeen: '2026-03-02T04:00:00.000Z', enrolledAt: '2026-01-01T00:00:00.000Z' },
  'replication-lag': { entries: 620, seconds: 1860 },
  'ledger-diverged': { seq: 41 },
  'bad-hash': { seq: 7 },
  'broken-link': { seq: 8 },
  'wrong-identity': { store: 'S9', terminal: 'T9' },
  'printer-paper-out': { devices: ['printer'], since: '2026-03-02T04:20:00.000Z' },
  'scanner-unplugged': { devices: ['scanner'], since: '2026-03-02T04:10:00.000Z' },
  'drawer-open': { devices: ['drawer'], since: '2026-03-02T04:15:00.000Z' },
  'backup-stale': { at: '2026-02-28T18:00:00.000Z', ageSeconds: 30 * 3600 },
  'clock-skew': { seconds: -300 },
};

const facts = (code: string): AlertFacts => ({ code, at: '2026-03-02T04:25:00.000Z', clearedAt: null, details: DETAILS[code] ?? {}, store: 'S001', terminal: 'T01' });
const zh = { lang: 'zh-CN' as const, chainName: '好邻居便利店', utcOffsetMinutes: 480, now: NOW };
const en = { ...zh, lang: 'en' as const };
/** what may be Latin in a Chinese message: Till, codes, device names */
const LATIN = /[A-Za-z]{2,}/g;
const ALLOWED = new Set(['Till', 'printer', 'scanner', 'drawer']);

describe('alert messages', () => {
  it('names and explains every code in Chinese without English words', () => {
    for (const code of ALERT_CODES) {
      const m = renderAlert('raised', facts(code), zh);
      const all = [m.title, m.text, ...m.facts.flat()].join('\n');
      expect(alertName('zh-CN', code), code).not.toBe('收银机告警');
      expect((all.match(LATIN) ?? []).filter((w) => !ALLOWED.has(w)), `${code}: ${all}`).toEqual([]);
      expect(m.title.startsWith('Till 告警：'), code).toBe(true);
    }
  });

  it('and in English without Chinese', () => {
    for (const code of ALERT_CODES) {
      const m = renderAlert('raised', facts(code), { ...en, chainName: null });
      expect(/[\u4e00-\u9fff]/.test([m.title, m.text, ...m.facts.flat()].join('\n')), code).toBe(false);
      expect(m.title.startsWith('Till alert: '), code).toBe(true);
    }
  });

  it('gives the store, the terminal and the time in the store’s zone, with durations in words', () => {
    const m = renderAlert('raised', facts('printer-paper-out'), zh);
    expect(m.facts).toEqual([
      ['门店', '好邻居便利店 S001'],
      ['收银机', 'T01'],
      ['告警时间', '2026-03-02 12:25（门店时间）'],
    ]);
    expect(m.text).toBe('打印机（printer）缺纸已 10 分钟。请装入新纸卷，排队的小票会接着打印。');
    expect(renderAlert('raised', facts('replication-lag'), zh).text).toBe('620 条记录尚未上传到总部，最早的已等待 31 分钟。');
    expect(renderAlert('raised', facts('clock-skew'), en).text).toBe('The terminal’s clock is 300 s behind the hub’s. Set its time.');
    expect(renderAlert('raised', facts('backup-stale'), zh).text).toBe('最近一次备份在 2026-03-01 02:00，已过去 1 天 6 小时。请检查收银机的日志。');
    expect(renderAlert('raised', facts('ledger-diverged'), en).text).toContain('Entry 41 differs');
    const cleared = renderAlert('cleared', { ...facts('drawer-open'), clearedAt: '2026-03-02T06:40:00.000Z' }, zh);
    expect(cleared.title).toBe('Till 已恢复：钱箱未关');
    expect(cleared.facts.at(-1)).toEqual(['恢复时间', '2026-03-02 14:40（门店时间）']);
    expect(cleared.text).toBe('钱箱未关已恢复，告警持续了 2 小时 15 分钟。');
    expect(renderAlert('raised', facts('something-new'), zh).title).toBe('Till 告警：收银机告警');
    expect(renderTest(en).title).toBe('Till test message');
    expect([duration('zh-CN', 0), duration('en', 59 * 60_000), duration('en', 3 * 24 * 3600_000 + 4 * 3600_000)]).toEqual(['1 分钟', '59 min', '3 d 4 h']);
  });
});
