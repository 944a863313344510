import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withCheckDigit } from '../../src/core/barcode';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { openLedger, type Ledger } from '../../src/ledger/index';
import { applyCatalogDelta, CatalogReader, catalogVersion, hashPin, importCatalog, keyringFor } from '../../src/terminal';
import type { Product } from '../../src/shared/contract/catalog';

const dirs: string[] = [];
const ledgers: Ledger[] = [];
afterEach(() => {
  for (const l of ledgers.splice(0)) l.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function fresh(): Ledger {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-cat-'));
  dirs.push(dir);
  const l = openLedger(dir, { create: { store: 'S1', terminal: 'T1' } });
  ledgers.push(l);
  return l;
}

const p = (sku: string, name: string, body: string, o: Partial<Product> = {}): Product => ({
  sku,
  name,
  barcodes: [withCheckDigit(body)],
  plu: null,
  category: '饮料',
  unit: '瓶',
  price: 300,
  memberPrice: null,
  vatRate: 1300,
  weighed: false,
  active: true,
  ...o,
});

describe('applyCatalogDelta', () => {
  it('moves the catalog from version to version in one transaction, journaled as CatalogApplied', () => {
    const l = fresh();
    const r = applyCatalogDelta(l, {
      fromVersion: 0,
      version: 5,
      products: [p('A', '冰红茶', '690000000101'), p('B', '绿茶', '690000000102')],
      promotions: [{ id: 'X', name: '2瓶5元', kind: 'multi-buy', active: true, membersOnly: false, window: { from: null, to: null, dailyFromMinute: null, dailyToMinute: null }, items: { skus: ['A'], categories: [] }, qty: 2, price: 500 }],
      members: [{ code: '88880001', name: '甲', active: true }],
      users: [{ code: '1001', name: '张三', role: 'cashier', pinHash: hashPin('1234', keyringFor(l)), active: true }],
      settings: { ...DEFAULT_SETTINGS, storeName: '一号店' },
    });
    expect(r).toMatchObject({ version: 5, products: 2, promotions: 1, members: 1, users: 1 });
    const reader = new CatalogReader(l.db);
    expect(reader.version()).toBe(5);
    expect(reader.settings().storeName).toBe('一号店');
    expect(reader.byBarcode(withCheckDigit('690000000101'))).toMatchObject({ sku: 'A', initials: 'bhc', pinyin: 'binghongcha' });
    expect(reader.search('lc', 5).map((x) => x.sku)).toEqual(['B']);

    const r2 = applyCatalogDelta(l, { fromVersion: 5, version: 6, products: [p('A', '冰红茶', '690000000101', { price: 280 })], deactivate: ['B'], removePromotions: ['X'] });
    expect(r2.version).toBe(6);
    expect(reader.byBarcode(withCheckDigit('690000000101'))?.price).toBe(280);
    expect(reader.bySku('B')?.active).toBe(false);
    expect(reader.search('lc', 5)).toEqual([]);
    expect(reader.promotions()).toEqual([]);
    expect(l.db.prepare("SELECT count(*) FROM journal WHERE type = 'CatalogApplied'").pluck().get()).toBe(r.entries + r2.entries);
  });

  it('refuses a delta for another base version, a malformed one and a bad barcode, writing nothing', () => {
    const l = fresh();
    applyCatalogDelta(l, { fromVersion: 0, version: 1, products: [p('A', '冰红茶', '690000000101')] });
    const head = l.head();
    expect(() => applyCatalogDelta(l, { fromVersion: 3, version: 4 })).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(() => applyCatalogDelta(l, { fromVersion: 1, version: 1 })).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(() => applyCatalogDelta(l, { fromVersion: 1, version: 2, products: [{ sku: 'Z' }] } as never)).toThrow(expect.objectContaining({ code: 'bad-input' }));
    const bad = p('C', '坏', '690000000103');
    bad.barcodes = ['6900000001030'];
    expect(() => applyCatalogDelta(l, { fromVersion: 1, version: 2, products: [bad] })).toThrow(expect.objectContaining({ code: 'bad-input' }));
    expect(() => applyCatalogDelta(l, { fromVersion: 1, version: 2, products: [p('D', '甲', '690000000104'), p('E', '乙', '690000000104')] })).toThrow(
      expect.objectContaining({ code: 'bad-input' }),
    );
    expect(l.head()).toEqual(head);
    expect(catalogVersion(l.db)).toBe(1);
  });

  it('splits a big change into entries under 1 MB inside one transaction, and the catalog rebuilds from the journal', () => {
    const l = fresh();
    const many = Array.from({ length: 4500 }, (_, i) => p(`K${i}`, `商品${i}号`, `69100${String(i).padStart(7, '0')}`));
    const r = importCatalog(l, many);
    expect(r.entries).toBe(4);
    const sizes = l.db.prepare("SELECT length(payload) FROM journal WHERE type = 'CatalogImported'").pluck().all() as number[];
    expect(Math.max(...sizes)).toBeLessThan(1_000_000);
    const dump = () => l.db.prepare('SELECT * FROM products ORDER BY sku').all();
    const before = dump();
    l.rebuildProjections();
    expect(dump()).toEqual(before);
  });
});
