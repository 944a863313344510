/**
 * Sale benchmark (npm run bench -- sale [--json] [--quick]).
 *
 * With a 100,000-product catalog (the sample generator, same seed):
 * - barcode lookup p99 (the catalog's indexed SQLite lookup);
 * - search p99 over the in-memory index: Chinese name fragments, pinyin
 *   initials, full-pinyin fragments (target <= 5 ms), and the index build;
 * - scan-to-cart through dispatch (validation, session, permission, lookup,
 *   pricing, the open cart persisted to carts.db) p99 (target <= 2 ms);
 * - the sale commit through dispatch (the cash tender that completes the
 *   sale: one ledger transaction with its projections, receipt built) p99,
 *   commits per second and their ratio to the raw fdatasync rate measured in
 *   the same run, in slices alternating with the sales (target >= 0.5);
 *   whole sales per second (3 scans + cash) and the load average as
 *   information;
 * - cold open of a terminal holding the catalog and 1,000,000 journal entries
 *   to ready-to-scan (target <= 2 s) in a fresh child process, with peak RSS.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRng } from '../../src/core/random';
import { openLedger } from '../../src/ledger/index';
import type { CallContext } from '../../src/shared/contract';
import { createTerminal, importCatalog, saveUser, type Terminal } from '../../src/terminal/index';
import { generateCatalog } from '../../scripts/sample-catalog';
import { rawFdatasyncRate, scratchDir, summarize, type BenchRow, type BenchSuite } from './harness';

const ROOT = path.resolve(__dirname, '../..');

function time(fn: () => void): number {
  const s = performance.now();
  fn();
  return performance.now() - s;
}

async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const s = performance.now();
  await fn();
  return performance.now() - s;
}

async function must(t: Terminal, method: Parameters<Terminal['dispatch']>[0], input: unknown, ctx: CallContext): Promise<unknown> {
  const r = await t.dispatch(method, input, ctx);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

function fillJournal(dir: string, count: number, log: (l: string) => void): void {
  const ledger = openLedger(dir);
  try {
    ledger.db.pragma('synchronous = OFF'); // setup only
    const have = ledger.head().seq;
    const payload = { note: 'bench filler standing in for history', lines: [{ sku: 'G000001', qty: 1, net: 350 }], total: 350 };
    for (let done = have; done < count; ) {
      const n = Math.min(50_000, count - done);
      ledger.transaction(() => {
        for (let i = 0; i < n; i++) ledger.append('BenchFiller', payload);
      });
      done += n;
      if (done % 200_000 < 50_000) log(`journal: ${done} entries`);
    }
  } finally {
    ledger.close();
  }
}

const suite: BenchSuite = {
  name: 'sale',
  summary: 'catalog lookup and search, scan-to-cart and sale commit through dispatch, cold open with a big catalog and journal',
  async run({ quick, log }) {
    const dir = scratchDir('sale');
    const rows: BenchRow[] = [];
    try {
      const productCount = quick ? 20_000 : 100_000;
      const journalCount = quick ? 100_000 : 1_000_000;
      const data = path.join(dir, 'terminal');
      const cat = generateCatalog(productCount, 7);
      log(`generated ${cat.products.length} products`);
      let t = createTerminal({ dataDir: data, create: { store: 'B1', terminal: 'T1' }, log: () => undefined });
      const importMs = time(() => importCatalog(t.ledger, cat.products, { promotions: cat.promotions, members: cat.members }));
      log(`imported in ${(importMs / 1000).toFixed(1)} s`);
      saveUser(t.ledger, { code: '1001', name: 'bench', role: 'cashier', pin: '1234' });
      const rng = createRng(11);
      const barcodes = cat.products.flatMap((p) => p.barcodes);

      // barcode lookup
      for (let i = 0; i < 500; i++) t.catalog.byBarcode(rng.pick(barcodes));
      const lookups: number[] = [];
      for (let i = 0; i < 20_000; i++) {
        const b = rng.pick(barcodes);
        lookups.push(time(() => t.catalog.byBarcode(b)));
      }
      const lk = summarize(lookups);

      // search
      const buildMs = time(() => t.catalog.searchIndex());
      const names = cat.products.map((p) => p.name);
      const views = cat.products.slice(0, 5000).map((p) => t.catalog.bySku(p.sku)).filter((p) => p !== null);
      const run = (queries: string[]) => summarize(queries.map((q) => time(() => t.catalog.search(q, 20))));
      const nameQ = Array.from({ length: 3000 }, () => {
        const n = rng.pick(names);
        const at = rng.int(0, Math.max(0, n.length - 3));
        return n.slice(at, at + rng.int(2, 3));
      });
      const initialsQ = Array.from({ length: 3000 }, () => rng.pick(views).initials.slice(0, rng.int(2, 4)));
      const pinyinQ = Array.from({ length: 3000 }, () => {
        const p = rng.pick(views).pinyin;
        const at = rng.int(0, Math.max(0, p.length - 6));
        return p.slice(at, at + rng.int(3, 6));
      });
      const sName = run(nameQ);
      const sInit = run(initialsQ);
      const sPinyin = run(pinyinQ);
      log(`search p99: name ${sName.p99.toFixed(3)} ms, initials ${sInit.p99.toFixed(3)} ms, pinyin ${sPinyin.p99.toFixed(3)} ms`);

      // through dispatch
      const login = (await must(t, 'auth.login', { userCode: '1001', pin: '1234' }, {})) as { sessionToken: string };
      const ctx: CallContext = { sessionToken: login.sessionToken };
      const shift = await t.dispatch('shift.current', {}, ctx);
      if (shift.ok && (shift.value as { shift: unknown }).shift === null) await must(t, 'shift.open', { float: [{ value: 10000, count: 1 }] }, ctx);
      const scans: number[] = [];
      const commits: number[] = [];
      for (let i = 0; i < 50; i++) await must(t, 'cart.scan', { code: rng.pick(barcodes) }, ctx);
      await must(t, 'tender.cash', { tendered: 10_000_000 }, ctx);
      // raw fdatasync slices alternate with slices of sales, so that a disk or CPU shared with other work weighs on both alike
      const rounds = 10;
      const perRound = quick ? 30 : 150;
      const salesN = rounds * perRound;
      let rawOps = 0;
      let rawSeconds = 0;
      let salesMs = 0;
      for (let r = 0; r < rounds; r++) {
        const slice = rawFdatasyncRate(dir, { seconds: quick ? 0.1 : 0.3 });
        rawOps += slice.perSecond * (quick ? 0.1 : 0.3);
        rawSeconds += quick ? 0.1 : 0.3;
        const s0 = performance.now();
        for (let i = 0; i < perRound; i++) {
          for (let k = 0; k < 3; k++) {
            const code = rng.pick(barcodes);
            scans.push(await timeAsync(() => must(t, 'cart.scan', { code }, ctx)));
          }
          commits.push(await timeAsync(() => must(t, 'tender.cash', { tendered: 10_000_000 }, ctx)));
        }
        salesMs += performance.now() - s0;
      }
      const loadDuringSales = os.loadavg()[0] as number;
      const wholeSalesPerSec = salesN / (salesMs / 1000);
      const raw = rawOps / rawSeconds;
      const sc = summarize(scans);
      const cm = summarize(commits);
      const commitMean = commits.reduce((a, b) => a + b, 0) / commits.length;
      const commitsPerSec = 1000 / commitMean;
      log(`raw fdatasync ${raw.toFixed(0)}/s; commits ${commitsPerSec.toFixed(0)}/s; whole sales ${wholeSalesPerSec.toFixed(0)}/s`);
      const someBarcode = rng.pick(barcodes);
      t.close();

      // cold open
      const f0 = performance.now();
      fillJournal(data, journalCount, log);
      log(`journal filled in ${((performance.now() - f0) / 1000).toFixed(1)} s (${(fs.statSync(path.join(data, 'ledger.db')).size / 1e6).toFixed(0)} MB)`);
      const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/bench/sale-cold-open.ts'), data, someBarcode], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
      if (child.status !== 0) throw new Error(`cold open failed: ${child.stderr}`);
      const cold = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as { readyMs: number; readyFromStartMs: number; searchBuildMs: number; peakRss: number; rssAtReady: number };
      t = createTerminal({ dataDir: data, log: () => undefined });
      t.close();

      rows.push(
        { metric: `catalog size`, value: productCount, unit: 'products' },
        { metric: 'barcode lookup p50', value: lk.p50, unit: 'ms' },
        { metric: 'barcode lookup p99', value: lk.p99, unit: 'ms', target: '<= 1' },
        { metric: 'search index build (lazy, first search)', value: buildMs, unit: 'ms' },
        { metric: 'search p99, Chinese name fragment', value: sName.p99, unit: 'ms', target: '<= 5' },
        { metric: 'search p99, pinyin initials', value: sInit.p99, unit: 'ms', target: '<= 5' },
        { metric: 'search p99, full pinyin fragment', value: sPinyin.p99, unit: 'ms', target: '<= 5' },
        { metric: 'scan-to-cart via dispatch p50', value: sc.p50, unit: 'ms' },
        { metric: 'scan-to-cart via dispatch p99', value: sc.p99, unit: 'ms', target: '<= 2' },
        { metric: 'sale commit via dispatch p50', value: cm.p50, unit: 'ms' },
        { metric: 'sale commit via dispatch p99', value: cm.p99, unit: 'ms' },
        { metric: 'raw 512 B append + fdatasync', value: Math.round(raw), unit: 'ops/s' },
        { metric: 'sale commits per second', value: Math.round(commitsPerSec), unit: 'sales/s' },
        { metric: 'ratio sale commits / raw fdatasync', value: commitsPerSec / raw, unit: 'x', target: '>= 0.5' },
        { metric: 'whole sales per second (3 scans + cash)', value: Math.round(wholeSalesPerSec), unit: 'sales/s' },
        { metric: 'load average (1 min) during sales', value: loadDuringSales, unit: `on ${os.cpus().length} cpus` },
        { metric: `cold open to ready-to-scan (${journalCount} entries)`, value: cold.readyMs, unit: 'ms', target: '<= 2000' },
        { metric: 'cold open from process start (tsx load incl.)', value: cold.readyFromStartMs, unit: 'ms' },
        { metric: 'search index build after cold open', value: cold.searchBuildMs, unit: 'ms' },
        { metric: 'cold open RSS at ready', value: Math.round(cold.rssAtReady / 1e6), unit: 'MB' },
        { metric: 'cold open peak RSS (incl. search index)', value: Math.round(cold.peakRss / 1e6), unit: 'MB' },
      );
      return rows;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
export default suite;
