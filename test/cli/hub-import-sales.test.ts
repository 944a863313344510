/**
 * till hub import-sales on both hub stores: the old system's daily totals per
 * store and category (GBK with Chinese headers, UTF-8 with English ones),
 * every bad row named with its number and reason, a dry run writes nothing,
 * a real run is one transaction, and importing the same days again replaces
 * them instead of adding them twice.
 */
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDay } from '../../src/core/sales-history-csv';
import { STORE_KINDS, storeKit, tempDir, type StoreKit } from '../hub/fixtures';
import { till } from '../support/till';

const ROWS = [
  '门店编码,营业日,类别,销售金额,交易笔数,销量',
  'S001,2026-02-27,饮料,"1,234.50",210,388',
  'S001,2026/2/27,零食,880.00,150,260.5',
  'S001,20260228,饮料,-12.00,3,-2',
  'S002,2026年2月27日,饮料,300.00,,',
  'S 01,2026-02-27,饮料,1.00,1,1',
  'S001,2026-02-30,饮料,1.00,1,1',
  'S001,2026-02-27,,1.00,1,1',
  'S001,2026-02-26,饮料,一百,1,1',
  'S001,2026-02-26,日用,5.00,1.5,1',
  'S001,2026-02-27,饮料,9.00,1,1',
  '',
];

describe('parseDay', () => {
  it('reads the usual export forms and refuses what is not a calendar date', () => {
    expect(['2026-03-01', '2026/3/1', '2026.03.01', '20260301', '2026年3月1日', '2026-03-01 00:00:00'].map(parseDay)).toEqual(Array(6).fill('2026-03-01'));
    expect(['2026-02-30', '202631', '03/01/2026', '', 'yesterday'].map(parseDay)).toEqual([null, null, null, null, null]);
  });
});

describe.each(STORE_KINDS)('till hub import-sales on %s', (kind) => {
  const kits: StoreKit[] = [];
  afterAll(async () => {
    for (const k of kits) await k.cleanup();
  });

  it('reports each bad row, writes nothing on a dry run, writes the rest in one transaction, and replaces a day imported again', async () => {
    const kit = storeKit(kind);
    kits.push(kit);
    const db = kit.databaseUrl ? ['--database', kit.databaseUrl] : [];
    const file = path.join(tempDir('history'), '历史销售.csv');
    fs.writeFileSync(file, iconv.encode(ROWS.join('\r\n'), 'gbk'));

    const dry = await till('hub', 'import-sales', file, '--data', kit.dir, ...db, '--dry-run', '--json');
    expect(dry.code).toBe(1);
    const report = JSON.parse(dry.out) as Record<string, unknown>;
    expect(report).toMatchObject({ encoding: 'gbk', rows: 10, accepted: 4, stores: 2, days: 2, netSales: 123450 + 88000 - 1200 + 30000, dryRun: true, written: null });
    expect(report.columns).toEqual({ store: '门店编码', date: '营业日', category: '类别', amount: '销售金额', count: '交易笔数', qty: '销量' });
    expect(report.rejected).toEqual([
      { row: 6, reason: "store code 'S 01' may hold only letters, digits, - and _ (at most 32)" },
      { row: 7, reason: "date '2026-02-30' is not a calendar date" },
      { row: 8, reason: 'missing category' },
      { row: 9, reason: "amount '一百' is not an amount" },
      { row: 10, reason: "count '1.5' must be a whole number of at least 0" },
      { row: 11, reason: 'store S001, 2026-02-27, 饮料 already on row 2' },
    ]);
    const store = await kit.open();
    try {
      expect(await store.salesHistory()).toEqual([]);
    } finally {
      await store.close();
    }

    const real = await till('hub', 'import-sales', file, '--data', kit.dir, ...db, '--source', 'old-pos-2026-02');
    expect(real.code).toBe(1);
    expect(real.out).toContain('imported into the hub\'s sales history in one transaction: 4 new, 0 replaced');
    const again = await till('hub', 'import-sales', file, '--data', kit.dir, ...db, '--json');
    expect((JSON.parse(again.out) as { written: { inserted: number; replaced: number } }).written).toMatchObject({ inserted: 0, replaced: 4 });

    const s2 = await kit.open();
    try {
      const rows = await s2.salesHistory();
      expect(rows.map((r) => [r.store, r.businessDay, r.category, r.netSales, r.salesCount, r.quantity])).toEqual([
        ['S001', '2026-02-27', '零食', 88000, 150, 260.5],
        ['S001', '2026-02-27', '饮料', 123450, 210, 388],
        ['S002', '2026-02-27', '饮料', 30000, null, null],
        ['S001', '2026-02-28', '饮料', -1200, 3, -2],
      ]);
      expect(new Set(rows.map((r) => r.source))).toEqual(new Set(['历史销售.csv']));
      expect(await s2.salesHistory({ store: 'S001', from: '2026-02-28', to: '2026-02-28' })).toHaveLength(1);
    } finally {
      await s2.close();
    }
  });

  it('reads UTF-8 English headers without a category column, and refuses a file without dates', async () => {
    const kit = storeKit(kind);
    kits.push(kit);
    const db = kit.databaseUrl ? ['--database', kit.databaseUrl] : [];
    const dir = tempDir('history');
    const file = path.join(dir, 'daily.csv');
    fs.writeFileSync(file, 'Store,Date,Net Sales,Tickets\nS009,2026-01-05,1500.00,40\n');
    const r = await till('hub', 'import-sales', file, '--data', kit.dir, ...db, '--map', 'amount=Net Sales', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ accepted: 1, rejected: [], written: { inserted: 1 } });
    const noDate = path.join(dir, 'nodate.csv');
    fs.writeFileSync(noDate, 'Store,Amount\nS009,1.00\n');
    const bad = await till('hub', 'import-sales', noDate, '--data', kit.dir, ...db);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/the header must name at least a store, a date and an amount column/);
  });
});
