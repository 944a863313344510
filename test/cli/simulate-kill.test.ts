/**
 * kill -9 of a real `till simulate` process at random moments: every receipt
 * number it printed is in the ledger, the ledger verifies, no sale is half
 * written (its lines, tenders and totals agree), and the next run finishes
 * the cart the kill left open.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLedger, verifyLedger } from '../../src/ledger/index';
import { ROOT, killHard, tempDirs } from '../fixtures/ledger/helpers';
import { till } from '../support/till';

const tmp = tempDirs('cli-simulate-kill');

function runAndKill(dir: string, seed: number, afterMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/till.cjs'), 'simulate', '--data', dir, '--sales', '100000', '--seed', String(seed)], { cwd: ROOT });
    let out = '';
    let started = false;
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (!started && out.includes('committed ')) {
        started = true;
        setTimeout(() => void killHard(child), afterMs);
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`simulate ended by itself (${code}): ${out.slice(-500)}`));
      resolve(out.split('\n').filter((l) => /^committed \S+$/.test(l)).map((l) => l.slice(10)));
    });
  });
}

describe('kill -9 of till simulate', () => {
  it('loses no printed sale and half-writes none', async () => {
    const dir = path.join(tmp(), 'data');
    expect((await till('init', '--data', dir, '--store', 'S1', '--terminal', 'T1')).code).toBe(0);
    const printed: string[] = [];
    for (let round = 0; round < 5; round++) {
      printed.push(...(await runAndKill(dir, 1000 + round, 50 + Math.floor(Math.random() * 700))));
      const v = await verifyLedger(dir);
      expect(v.ok, JSON.stringify(v)).toBe(true);
      const l = openLedger(dir, { readonly: true });
      try {
        const have = new Set(l.db.prepare('SELECT receipt_no FROM sales').pluck().all() as string[]);
        for (const r of printed) expect(have.has(r), r).toBe(true);
        const journaled = l.db.prepare("SELECT count(*) FROM journal WHERE type = 'SaleCompleted'").pluck().get();
        expect(l.db.prepare('SELECT count(*) FROM sales').pluck().get()).toBe(journaled);
        const broken = l.db
          .prepare(
            `SELECT s.receipt_no FROM sales s
             WHERE s.total != (SELECT coalesce(sum(net), 0) FROM sale_lines WHERE seq = s.seq) + s.rounding
                OR s.total != (SELECT coalesce(sum(amount), 0) FROM sale_tenders WHERE seq = s.seq)
                OR s.paid != s.total
                OR NOT EXISTS (SELECT 1 FROM sale_lines WHERE seq = s.seq)`,
          )
          .pluck()
          .all();
        expect(broken).toEqual([]);
        expect(l.carts.list().length <= 1).toBe(true);
      } finally {
        l.close();
      }
    }
    expect(printed.length).toBeGreaterThan(5);
    const after = await till('simulate', '--data', dir, '--sales', '2', '--seed', '9');
    expect(after.code).toBe(0);
  }, 120_000);
});
