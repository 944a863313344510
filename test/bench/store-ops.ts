/**
 * Store operations under a busy day's load: a ledger with N sales in one
 * business day (20,000 by default, about ten times a busy counter's day;
 * 2,000 with --quick), made by copying sales rung up through dispatch into
 * the journal, then through dispatch:
 *   X report of the day (target p99 <= 250 ms), return of one line of a
 *   receipt (p99 <= 50 ms), the blind close of the shift (<= 100 ms), a PIN
 *   sign-in (scrypt, p50 <= 250 ms) and the refusal of a locked user
 *   (no scrypt, p99 <= 10 ms).
 */
import { ulid } from 'ulid';
import fs from 'node:fs';
import type { CallContext, MethodName } from '../../src/shared/contract';
import type { SaleRecord } from '../../src/core/sale';
import { createTerminal, saveUser, seedSampleCatalog, SALE_COMPLETED, type Terminal } from '../../src/terminal/index';
import { scratchDir, summarize, type BenchRow, type BenchSuite } from './harness';

async function must<T>(t: Terminal, method: MethodName, input: unknown, ctx: CallContext): Promise<T> {
  const r = await t.dispatch(method, input, ctx);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

async function timed(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await fn(i);
    out.push(performance.now() - s);
  }
  return out;
}

const suite: BenchSuite = {
  name: 'store-ops',
  summary: 'X report over a day of sales, returns, blind close, PIN sign-in and lockout through dispatch',
  async run({ quick, log }) {
    const sales = quick ? 2000 : 20000;
    const dir = scratchDir('store-ops');
    const t = createTerminal({ dataDir: dir, create: { store: 'B1', terminal: 'T1' }, log: () => undefined });
    try {
      seedSampleCatalog(t.ledger);
      saveUser(t.ledger, { code: '1001', name: '收银员', role: 'cashier', pin: '1234' });
      saveUser(t.ledger, { code: '2001', name: '值班长', role: 'supervisor', pin: '2345' });
      const login = await must<{ sessionToken: string }>(t, 'auth.login', { userCode: '2001', pin: '2345' }, {});
      const ctx = { sessionToken: login.sessionToken };
      await must(t, 'shift.open', { float: [{ value: 10000, count: 2 }] }, ctx);
      const codes = t.ledger.db.prepare('SELECT b.barcode FROM barcodes b JOIN products p ON p.sku = b.sku WHERE p.active = 1 AND p.weighed = 0 ORDER BY b.barcode LIMIT 40').pluck().all() as string[];
      for (let i = 0; i < 20; i++) {
        for (let k = 0; k < 3; k++) await must(t, 'cart.scan', { code: codes[(i * 3 + k) % codes.length] }, ctx);
        await must(t, 'tender.cash', { tendered: 100000 }, ctx);
      }
      const records = (t.ledger.db.prepare('SELECT j.payload FROM sales s JOIN journal j ON j.seq = s.seq ORDER BY s.seq').pluck().all() as string[]).map((r) => JSON.parse(r) as SaleRecord);
      const fill = performance.now();
      for (let done = records.length; done < sales; ) {
        t.ledger.transaction(() => {
          for (let k = 0; k < 1000 && done < sales; k++, done++) t.ledger.append(SALE_COMPLETED, { ...(records[done % records.length] as SaleRecord), saleId: ulid() });
        });
      }
      log(`journaled ${sales} sales in ${((performance.now() - fill) / 1000).toFixed(1)} s`);

      const x = summarize(await timed(quick ? 5 : 20, () => must(t, 'report.x', {}, ctx)));
      const receipts = t.ledger.db.prepare('SELECT receipt_no FROM sales ORDER BY seq DESC LIMIT 200').pluck().all() as string[];
      const refunds = summarize(await timed(quick ? 50 : 200, (i) => must(t, 'refund.receipt', { code: receipts[i], lines: [{ lineNo: 1 }], reason: 'bench' }, ctx)));
      const close = await timed(1, () => must(t, 'shift.close', { counted: [{ value: 10000, count: 2 }] }, ctx));
      const logins = summarize(await timed(5, () => must(t, 'auth.login', { userCode: '1001', pin: '1234' }, {})));
      for (let i = 0; i < 5; i++) await t.dispatch('auth.login', { userCode: '1001', pin: '0000' }, {});
      const locked = summarize(
        await timed(50, async () => {
          const r = await t.dispatch('auth.login', { userCode: '1001', pin: '1234' }, {});
          if (r.ok || r.error.code !== 'locked-out') throw new Error('expected locked-out');
        }),
      );
      return [
        { metric: `X report over ${sales} sales, p50`, value: x.p50, unit: 'ms' },
        { metric: `X report over ${sales} sales, p99`, value: x.p99, unit: 'ms', target: '<= 250' },
        { metric: 'return of one receipt line, p50', value: refunds.p50, unit: 'ms' },
        { metric: 'return of one receipt line, p99', value: refunds.p99, unit: 'ms', target: '<= 50' },
        { metric: 'blind shift close', value: close[0] as number, unit: 'ms', target: '<= 100' },
        { metric: 'PIN sign-in (scrypt), p50', value: logins.p50, unit: 'ms', target: '<= 250' },
        { metric: 'locked user refused, p99', value: locked.p99, unit: 'ms', target: '<= 10' },
      ] satisfies BenchRow[];
    } finally {
      t.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
export default suite;
