/**
 * till migration compare: a day rung up on two terminals of a store against
 * the old system's export of the same day. An export that agrees passes
 * (exit 0); one that differs names each difference (a category off by a
 * yuan, a tender only the old system has, the count of sales) in Chinese or
 * English and fails (exit 1); rows of other days are left out and a bad row
 * is named.
 */
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { compareDay, readDailyTotalsCsv, tenderKey } from '../../src/core/parallel-run';
import { createTerminal, importCatalog, saveUser } from '../../src/terminal';
import { tempDirs } from '../fixtures/ledger/helpers';
import { till } from '../support/till';
import { P, SETTINGS, USERS } from '../terminal/fixture';
import { ringUp } from '../terminal/ring-up';

const tmp = tempDirs('migration');
const DAY = '2026-03-02';
// 12:00 and 15:00 in Shanghai (the fixture store is UTC+8)
const noon = new Date('2026-03-02T04:00:00.000Z');
const later = new Date('2026-03-02T07:00:00.000Z');
const water = P.water.barcodes[0] as string;
const noodle = P.noodle.barcodes[0] as string;
const riceball = P.riceball.barcodes[0] as string;

async function lane(terminal: string, sales: Parameters<typeof ringUp>[1]): Promise<string> {
  const dir = path.join(tmp(), 'data');
  const t = createTerminal({ dataDir: dir, create: { store: 'S1', terminal }, log: () => undefined });
  try {
    importCatalog(t.ledger, Object.values(P), { promotions: [], settings: SETTINGS, members: [] });
    for (const u of Object.values(USERS)) saveUser(t.ledger, u);
  } finally {
    t.close();
  }
  await ringUp(dir, sales);
  return dir;
}

/** T1: water + noodle in cash, rice ball by card; T2: two waters in cash; and one sale the next day */
async function store(): Promise<[string, string]> {
  const t1 = await lane('T1', [
    { at: noon, codes: [water, noodle] },
    { at: later, codes: [riceball], tender: 'card' },
  ]);
  const t2 = await lane('T2', [
    { at: noon, codes: [water, water] },
    { at: new Date('2026-03-03T04:00:00.000Z'), codes: [noodle] },
  ]);
  return [t1, t2];
}

// 饮料 3 x 2.00, 方便食品 4.50, 鲜食 6.50: 17.00 in 3 sales; cash 10.50, card 6.50
const AGREES = ['日期,类别,支付方式,金额,笔数', `${DAY},饮料,,6.00,`, `${DAY},方便食品,,4.50,`, `${DAY},鲜食,,6.50,`, `${DAY},合计,,17.00,3`, `${DAY},,现金,10.50,`, `${DAY},,银行卡,6.50,`, '2026-03-03,饮料,,99.00,'];

describe('till migration compare', () => {
  it('passes when the old export agrees with the day on both terminals', async () => {
    const [t1, t2] = await store();
    const file = path.join(tmp(), 'old-day.csv');
    fs.writeFileSync(file, iconv.encode(AGREES.join('\r\n'), 'gbk'));
    const r = await till('migration', 'compare', '--old', file, '--date', DAY, '--data', t1, '--data', t2, '--lang', 'en');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`parallel run ${DAY}: the old system (old-day.csv) against Till (S1/T1, S1/T2)`);
    expect(r.out).toContain('the same: net sales ¥17.00');
    expect(r.out).toContain('the same: category 饮料 ¥6.00');
    expect(r.out).toContain('the same: tender card ¥6.50');
    expect(r.out).toContain('the same: tender cash ¥10.50');
    expect(r.out).toMatch(/no difference: the two agree on every total\n$/);
  });

  it('names every difference, in Chinese by default and as JSON, and fails', async () => {
    const [t1, t2] = await store();
    const file = path.join(tmp(), 'old-day.csv');
    const rows = ['日期,类别,支付方式,金额,笔数', `${DAY},饮料,,7.00,`, `${DAY},方便食品,,4.50,`, `${DAY},合计,,18.00,4`, `${DAY},,现金,10.50,`, `${DAY},,微信支付,1.00,`, `${DAY},,银行卡,6.50,`, `${DAY},鲜食,,六块五,`];
    fs.writeFileSync(file, rows.join('\n'));
    const zh = await till('migration', 'compare', '--old', file, '--date', DAY, '--data', t1, '--data', t2);
    expect(zh.code).toBe(1);
    expect(zh.out).toContain('导出文件第 8 行未使用：金额“六块五”不是有效金额');
    expect(zh.out).toContain('不一致：净销售额：旧系统 ¥18.00，Till ¥17.00，差额 -¥1.00');
    expect(zh.out).toContain('不一致：交易笔数：旧系统 4，Till 3，差额 -1');
    expect(zh.out).toContain('不一致：类别 饮料：旧系统 ¥7.00，Till ¥6.00，差额 -¥1.00');
    expect(zh.out).toContain('仅 Till 有：类别 鲜食 ¥6.50');
    expect(zh.out).toContain('仅旧系统有：付款方式 微信支付 ¥1.00');
    expect(zh.out).toContain('一致：类别 方便食品 ¥4.50');
    expect(zh.out).toMatch(/5 处差异\n$/);
    expect(zh.out).not.toMatch(/[a-z]{3,} [a-z]{3,}/);

    const json = JSON.parse((await till('migration', 'compare', '--old', file, '--date', DAY, '--data', t1, '--data', t2, '--json')).out) as { ok: boolean; differences: unknown[]; rejected: unknown[] };
    expect(json.ok).toBe(false);
    expect(json.rejected).toEqual([{ row: 8, field: 'amount', value: '六块五' }]);
    expect(json.differences).toEqual([
      { topic: 'total', name: '', old: 1800, till: 1700, diff: -100 },
      { topic: 'count', name: '', old: 4, till: 3, diff: -1 },
      { topic: 'category', name: '饮料', old: 700, till: 600, diff: -100 },
      { topic: 'category', name: '鲜食', old: null, till: 650, diff: null },
      { topic: 'tender', name: 'wechat', old: 100, till: null, diff: null },
    ]);
  });

  it('refuses bad usage: no amount column, a bad date, no data directory', async () => {
    const [t1] = await store();
    const file = path.join(tmp(), 'no-amount.csv');
    fs.writeFileSync(file, '日期,类别\n2026-03-02,饮料\n');
    expect((await till('migration', 'compare', '--old', file, '--date', DAY, '--data', t1)).code).toBe(2);
    expect((await till('migration', 'compare', '--old', file, '--date', '2026-02-30', '--data', t1)).code).toBe(2);
    expect((await till('migration', 'compare', '--old', file, '--date', DAY)).code).toBe(2);
    expect((await till('migration', 'diff', '--old', file, '--date', DAY, '--data', t1)).code).toBe(2);
  });
});

describe('the parallel-run comparison', () => {
  it('adds up categories into the total when the export has no total row, and matches tender names', () => {
    const r = readDailyTotalsCsv('Category,Amount\nDrinks,1.00\nSnacks,2.50\n', DAY);
    expect(r.totals.total).toBe(350);
    expect(['现金', '微信', '支付宝', '云闪付', 'Credit', '银联卡'].map(tenderKey)).toEqual(['cash', 'wechat', 'alipay', 'unionpay', 'Credit', 'card']);
    const same = compareDay(r.totals, { total: 350, count: 2, categories: new Map([['Drinks', 100], ['Snacks', 250]]), tenders: new Map([['cash', 350]]) });
    expect(same.differences).toEqual([]);
  });
});
