import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLedger, verifyLedger } from '../../src/ledger/index';
import { tempDirs } from '../fixtures/ledger/helpers';
import { till } from '../support/till';

const tmp = tempDirs('cli-simulate');

describe('till simulate', () => {
  it('drives a whole terminal through dispatch and prints each committed receipt number', async () => {
    const dir = path.join(tmp(), 'data');
    expect((await till('init', '--data', dir, '--store', 'S1', '--terminal', 'T1')).code).toBe(0);
    const r = await till('simulate', '--data', dir, '--sales', '25', '--seed', '42');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const printed = r.out.split('\n').filter((l) => l.startsWith('committed ')).map((l) => l.slice('committed '.length));
    expect(printed).toHaveLength(25);
    expect(new Set(printed).size).toBe(25);
    expect(r.out).toMatch(/simulated 25 sales in/);
    const l = openLedger(dir, { readonly: true });
    try {
      const inLedger = l.db.prepare('SELECT receipt_no FROM sales ORDER BY seq').pluck().all();
      expect(inLedger).toEqual(printed);
      const kinds = l.db.prepare('SELECT DISTINCT kind FROM sale_tenders ORDER BY kind').pluck().all();
      expect(kinds).toEqual(['card', 'cash', 'payment-code']);
      expect(l.db.prepare('SELECT count(*) FROM sale_lines WHERE qty > 50').pluck().get()).toBeGreaterThan(0);
    } finally {
      l.close();
    }
    expect((await verifyLedger(dir)).ok).toBe(true);
  });

  it('refuses an empty catalog and bad arguments in one line', async () => {
    const dir = path.join(tmp(), 'empty');
    await till('init', '--data', dir, '--store', 'S1', '--terminal', 'T1', '--no-sample');
    const r = await till('simulate', '--data', dir, '--sales', '1');
    expect(r).toMatchObject({ code: 3, err: expect.stringMatching(/catalog .* is empty: run till init/) });
    expect((await till('simulate', '--data', dir, '--sales', 'x')).code).toBe(2);
    expect((await till('simulate', '--sales', '1')).code).toBe(2);
  });
});
