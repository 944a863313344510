import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { withCheckDigit } from '../../src/core/barcode';
import { openLedger } from '../../src/ledger/index';
import { tempDirs } from '../fixtures/ledger/helpers';
import { till } from '../support/till';

const tmp = tempDirs('cli-import');

async function newTerminal(): Promise<string> {
  const dir = path.join(tmp(), 'data');
  const r = await till('init', '--data', dir, '--store', 'S1', '--terminal', 'T1', '--no-sample', '--admin-code', '9001', '--admin-pin', '9999');
  expect(r.code).toBe(0);
  return dir;
}

const good1 = withCheckDigit('690123456001');
const good2 = withCheckDigit('690123456002');
const good3 = withCheckDigit('690123456003');
const badCheck = good1.slice(0, 12) + String((Number(good1[12]) + 1) % 10);

const GBK_ROWS = [
  '商品条码,品名,售价,单位,类别,税率',
  `${good1},农夫山泉饮用天然水550ml,2.00,瓶,饮料,13%`,
  `${badCheck},坏条码,3.00,瓶,饮料,13%`,
  `${good1},重复条码,3.00,瓶,饮料,13%`,
  `${good2},没有价格,,瓶,饮料,13%`,
  `${good2},负价格,-1.00,瓶,饮料,13%`,
  `${good2},未知税率,1.00,瓶,饮料,17%`,
  `${good2},"康师傅红烧牛肉面,袋装",4.50,袋,方便食品,13%`,
  '',
];

function count(dir: string, sql: string): number {
  const l = openLedger(dir, { readonly: true });
  try {
    return l.db.prepare(sql).pluck().get() as number;
  } finally {
    l.close();
  }
}

describe('till import-catalog', () => {
  it('detects GBK, recognises Chinese headers, reports each rejected row, and a dry run writes nothing', async () => {
    const dir = await newTerminal();
    const file = path.join(tmp(), 'old-system.csv');
    fs.writeFileSync(file, iconv.encode(GBK_ROWS.join('\r\n'), 'gbk'));
    const headBefore = count(dir, 'SELECT max(seq) FROM journal');
    const dry = await till('import-catalog', file, '--data', dir, '--dry-run', '--json');
    expect(dry.code).toBe(1);
    const report = JSON.parse(dry.out);
    expect(report).toMatchObject({ encoding: 'gbk', encodingDetected: true, rows: 7, accepted: 2, dryRun: true, written: null });
    expect(report.columns).toMatchObject({ barcode: '商品条码', name: '品名', price: '售价', vat: '税率' });
    expect(report.rejected).toEqual([
      { row: 3, reason: `barcode ${badCheck}: bad check digit` },
      { row: 4, reason: `duplicate barcode ${good1} (already on row 2)` },
      { row: 5, reason: 'missing price' },
      { row: 6, reason: 'negative price -1.00' },
      { row: 7, reason: "unknown VAT rate '17%' (13%, 9%, 6% or 0%)" },
    ]);
    expect(count(dir, 'SELECT max(seq) FROM journal')).toBe(headBefore);
    expect(count(dir, 'SELECT count(*) FROM products')).toBe(0);

    const real = await till('import-catalog', file, '--data', dir);
    expect(real.code).toBe(1);
    expect(real.out).toContain('read');
    expect(real.out).toContain('GBK, detected');
    expect(real.out).toContain('accepted 2, rejected 5');
    expect(real.out).toContain('  row 3: barcode');
    expect(real.out).toMatch(/imported 2 products as catalog version 1 \(one transaction, \d+ journal entries\)/);
    expect(count(dir, 'SELECT count(*) FROM products')).toBe(2);
    expect(count(dir, "SELECT count(*) FROM products WHERE name = '康师傅红烧牛肉面,袋装' AND price = 450 AND initials LIKE 'ksfhsnrm%'")).toBe(1);
    expect(count(dir, "SELECT count(*) FROM journal WHERE type = 'CatalogImported'")).toBeGreaterThan(0);

    // the same file again: the barcodes now belong to the catalog's products under the same codes, so they update
    const again = await till('import-catalog', file, '--data', dir, '--encoding', 'gbk', '--json');
    expect(JSON.parse(again.out)).toMatchObject({ encoding: 'gbk', encodingDetected: false, accepted: 2, written: { version: 2 } });
  });

  it('reads UTF-8 with English headers and an explicit --map', async () => {
    const dir = await newTerminal();
    const file = path.join(tmp(), 'export.csv');
    fs.writeFileSync(file, ['\ufeffItem No,EAN,Description,Retail,Tax', `A-1,${good3},Green tea 500ml,3.5,0.13`, `A-2,,Loose apples,12.8,9%`].join('\n'));
    const r = await till('import-catalog', file, '--data', dir, '--map', 'sku=Item No,barcode=EAN', '--map', 'name=Description,price=Retail,vat=Tax', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ encoding: 'utf8', accepted: 2, rejected: [], written: { products: 2 } });
    expect(count(dir, "SELECT price FROM products WHERE sku = 'A-1'")).toBe(350);
    expect(count(dir, "SELECT vat_rate FROM products WHERE sku = 'A-2'")).toBe(900);
  });

  it('refuses a barcode another product in the catalog already has', async () => {
    const dir = await newTerminal();
    const a = path.join(tmp(), 'a.csv');
    fs.writeFileSync(a, `商品编码,商品条码,商品名称,零售价\nX1,${good1},甲,1.00\n`);
    expect((await till('import-catalog', a, '--data', dir)).code).toBe(0);
    const b = path.join(tmp(), 'b.csv');
    fs.writeFileSync(b, `商品编码,商品条码,商品名称,零售价\nX2,${good1},乙,1.00\n`);
    const r = await till('import-catalog', b, '--data', dir, '--json');
    expect(JSON.parse(r.out).rejected).toEqual([{ row: 2, reason: `duplicate barcode ${good1} (product X1 in the catalog has it)` }]);
  });

  it('explains usage errors in one line', async () => {
    const dir = await newTerminal();
    const file = path.join(tmp(), 'x.csv');
    fs.writeFileSync(file, 'foo,bar\n1,2\n');
    const r = await till('import-catalog', file, '--data', dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^till import-catalog: the header must name at least a product name, a price/);
    expect((await till('import-catalog', file, '--data', dir, '--map', 'colour=foo')).code).toBe(2);
    expect((await till('import-catalog', file, '--data', dir, '--encoding', 'latin1')).code).toBe(2);
    const missing = await till('import-catalog', path.join(tmp(), 'nope.csv'), '--data', dir);
    expect(missing).toMatchObject({ code: 3, err: expect.stringMatching(/does not exist\n$/) });
  });

  it('till init seeds the sample catalog (2,000+ products with valid barcodes) and its admin', async () => {
    const dir = path.join(tmp(), 'seeded');
    const r = await till('init', '--data', dir, '--store', 'S1', '--terminal', 'T1');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/seeded the sample catalog: 2400 products, 8 promotions, 200 members/);
    expect(r.out).toMatch(/added admin 9000 with the one-time PIN \d{6} \(shown only now/);
    expect(count(dir, 'SELECT count(*) FROM products WHERE weighed = 1')).toBeGreaterThanOrEqual(10);
    expect(count(dir, "SELECT count(*) FROM users WHERE role = 'admin'")).toBe(1);
  });
});
