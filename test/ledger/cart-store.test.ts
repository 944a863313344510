import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLedger } from '../../src/ledger/index';
import { ledgerOnlyMigrations, tempDirs } from '../fixtures/ledger/helpers';

const tmp = tempDirs('carts');
const migrationsDir = ledgerOnlyMigrations(tmp);

describe('open carts', () => {
  it('saves, loads, lists and clears carts, and they survive a reopen', () => {
    let now = '2026-03-01T08:00:00.000Z';
    const clock = () => new Date(now);
    const dir = path.join(tmp(), 'data');
    const ledger = openLedger(dir, { create: { store: 'S1', terminal: 'T1' }, migrationsDir, clock });
    ledger.carts.save('lane-1', { lines: [{ sku: '6901', qty: 1 }] });
    now = '2026-03-01T08:00:01.000Z';
    ledger.carts.save('lane-2', { lines: [] });
    now = '2026-03-01T08:00:02.000Z';
    ledger.carts.save('lane-1', { lines: [{ sku: '6901', qty: 2 }] });
    expect(ledger.carts.load('lane-1')).toEqual({ cartId: 'lane-1', state: { lines: [{ sku: '6901', qty: 2 }] }, updatedAt: now });
    expect(ledger.carts.load('nope')).toBeNull();
    ledger.close();
    const again = openLedger(dir, { migrationsDir });
    expect(again.carts.list().map((c) => c.cartId)).toEqual(['lane-2', 'lane-1']);
    again.carts.clear('lane-2');
    expect(again.carts.list().map((c) => c.cartId)).toEqual(['lane-1']);
    again.close();
  });

  it('clears a cart atomically with the sale that completes it', () => {
    const ledger = openLedger(path.join(tmp(), 'data'), { create: { store: 'S1', terminal: 'T1' }, migrationsDir });
    ledger.carts.save('c1', { total: 500 });
    expect(() =>
      ledger.transaction(() => {
        ledger.append('Sale', { total: 500 });
        ledger.carts.clear('c1');
        throw new Error('power cut');
      }),
    ).toThrow('power cut');
    expect(ledger.carts.load('c1')).not.toBeNull();
    expect(ledger.head().seq).toBe(1);
    ledger.transaction(() => {
      ledger.append('Sale', { total: 500 });
      ledger.carts.clear('c1');
    });
    expect(ledger.carts.load('c1')).toBeNull();
    expect(ledger.head().seq).toBe(2);
    ledger.close();
  });

  it('keeps the carts in carts.db at synchronous=NORMAL while ledger.db stays at FULL', () => {
    const dir = path.join(tmp(), 'data');
    const ledger = openLedger(dir, { create: { store: 'S1', terminal: 'T1' }, migrationsDir });
    ledger.carts.save('c1', { total: 500 });
    expect(ledger.db.pragma('main.synchronous', { simple: true })).toBe(2);
    expect(ledger.db.pragma('carts.synchronous', { simple: true })).toBe(1);
    expect(ledger.db.pragma('carts.journal_mode', { simple: true })).toBe('wal');
    expect(ledger.db.prepare("SELECT count(*) FROM main.sqlite_master WHERE name = 'open_carts'").pluck().get()).toBe(0);
    ledger.close();
    expect(fs.existsSync(path.join(dir, 'carts.db'))).toBe(true);
    const ro = openLedger(dir, { readonly: true, migrationsDir });
    expect(ro.carts.list().map((c) => c.cartId)).toEqual(['c1']);
    expect(() => ro.carts.save('c2', {})).toThrow(/read-only/);
    ro.close();
  });

  it('refuses floats and bad ids', () => {
    const ledger = openLedger(path.join(tmp(), 'data'), { create: { store: 'S1', terminal: 'T1' }, migrationsDir });
    expect(() => ledger.carts.save('c1', { total: 1.5 })).toThrow(/only safe integers/);
    expect(() => ledger.carts.save('', {})).toThrow(/cart id/);
    ledger.close();
  });
});
